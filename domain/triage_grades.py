"""How to label graded findings, for the refusal that cannot tell which class is normal: kept apart from
domain/triage.py so that module stays readable."""
from __future__ import annotations

from collections.abc import Sequence


def grades_hint(classes: Sequence[str]) -> str:
    """How to label graded findings (EyePACS's diabetic retinopathy 0-4, a Kellgren-Lawrence grade): numbers alone
    do not say which grades are normal, and the refusal had said only to name a class like normal. CheXpert codes
    a finding 1, 0 and -1 (uncertain): such a label column had been told nothing of what its -1 is."""
    if sorted(c.strip() for c in classes) == ["-1", "0", "1"]:
        return (" The labels -1, 0 and 1 read as one finding coded as CheXpert codes it (1 present, 0 absent, -1 "
                "uncertain): relabel the -1 rows 1 or 0, as you decide an uncertain finding counts, or leave their "
                "label empty to leave them out; 1 is then flagged against 0.")
    if len(classes) < 3 or not all(c.strip().isdigit() for c in classes):
        return ""
    return (f" The labels {', '.join(classes)} read as grades: relabel the grades that count as normal with one "
            "label (normal) and those to flag with another (such as 'referable' for grade 2 and up), or name grade "
            "0 normal to flag every higher grade.")

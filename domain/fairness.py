"""The fairness check's rules: the groups of a sensitive column, and approval and default rates per group.

Standard library only. A number such as age or income is read in bands (one group per distinct age says
nothing); a text column with very many values keeps its largest groups. The adverse impact ratio, a
group's approval rate over that of the most approved group, is the usual first screen: below four fifths
(the "four-fifths rule" of US employment and fair-lending reviews) a group is flagged for a closer look.
"""
from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence

from domain.finance import APPROVE
from domain.finance_text import format_value
from domain.loan_columns import is_age

MAX_GROUPS = 12            # more distinct numbers than this are read in bands
MAX_CATEGORIES = 20        # more text values than this: the largest 20 and "other"
BANDS = 5                  # quantile bands for a number that is not an age
AGE_EDGES = (25, 35, 45, 55, 65)
FOUR_FIFTHS = 0.8
MIN_FLAGGED = 30           # smaller groups are not flagged: their approval rate is too noisy
MISSING, OTHER = "missing", "other"


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def _number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def _nice(value: float) -> float:
    """Two significant figures: a band edge of 2,347.5 reads 2,300."""
    if value == 0:
        return 0.0
    digits = 1 - int(math.floor(math.log10(abs(value))))
    return round(value, digits)


AGE_TYPOS = 0.01  # an age column may hold this share of impossible ages (person_age 144, 123) and still be ages


def _edges(numbers: list[float], names: Sequence[str]) -> tuple[list[float], bool]:
    """Age bands for an age, else about equal bands. A few impossible ages (the Kaggle credit_risk_dataset's
    person_age of 144) fall in the outer bands rather than turning the ages into quantile bands."""
    ages = [n for n in numbers if 14 <= n <= 120]
    if any(is_age(n) for n in names) and ages and len(ages) >= (1 - AGE_TYPOS) * len(numbers):
        return [e for e in AGE_EDGES if min(ages) < e <= max(ages)], True
    ordered = sorted(numbers)
    cuts = [_nice(ordered[min(len(ordered) - 1, int(len(ordered) * k / BANDS))]) for k in range(1, BANDS)]
    return sorted({c for c in cuts if ordered[0] < c <= ordered[-1]}), False


def _band_labels(edges: list[float], whole: bool) -> list[str]:
    """'under 25', '25–34', …, '65 and over' for whole numbers; '0.5 to under 1.2' otherwise."""
    shown = [format_value(float(e)) for e in edges]
    if not shown:
        return ["all"]
    if whole and all(float(e).is_integer() for e in edges):
        middle = [f"{a}–{format_value(float(b) - 1)}" for a, b in zip(shown, edges[1:])]
    else:
        middle = [f"{a} to under {b}" for a, b in zip(shown, shown[1:])]
    return [f"under {shown[0]}", *middle, f"{shown[-1]} and over"]


def sensitive_groups(values: Sequence[object], column: str, *, name: str | None = None,
                     reference: Sequence[object] | None = None) -> tuple[list[str], list[str], str | None]:
    """Each row's group, the groups in the order to show them, and a note on how the groups were formed.
    ``name``: another name of the column (a data dictionary's "Age in years" for attr13), also read for age;
    ``reference``: the numbers to cut bands on (the training data's, so a scored batch is read in its bands)."""
    present = [v for v in values if not _missing(v)]
    numeric = bool(present) and all(_number(v) for v in present)
    basis = [v for v in (reference or ()) if not _missing(v)]
    if not basis or not all(_number(v) for v in basis):
        basis = present
    if numeric and len(set(basis)) > MAX_GROUPS:
        edges, age = _edges([float(v) for v in basis], [column, *([name] if name else [])])
        labels = _band_labels(edges, all(float(v).is_integer() for v in [*basis, *present]))
        groups = [MISSING if _missing(v) else labels[sum(float(v) >= e for e in edges)] for v in values]
        how = "age bands" if age else f"{len(labels)} bands of about equal size"
        note = f"{column} holds {len(set(basis)):,} different numbers: read in {how}" + (
            ", cut on the training data as on the Fairness tab." if basis is not present else ".")
        return groups, [g for g in labels if g in set(groups)] + ([MISSING] if MISSING in groups else []), note
    text = [MISSING if _missing(v) else format_value(v) for v in values]
    counts = Counter(t for t in text if t != MISSING)
    note = None
    if len(counts) > MAX_CATEGORIES:
        kept = {name for name, _ in counts.most_common(MAX_CATEGORIES)}
        note = (f"{column} holds {len(counts):,} different values: the {MAX_CATEGORIES} largest groups are shown, "
                f"the other {len(counts) - MAX_CATEGORIES:,} together as '{OTHER}'.")
        text = [t if t == MISSING or t in kept else OTHER for t in text]
    order = sorted({t for t in text if t not in (MISSING, OTHER)}, key=_natural)
    order += [g for g in (OTHER, MISSING) if g in text]
    return text, order, note


# A band written as text: '<25', '25-34', '>74', '75+', 'under 25', '65 and over' (Loan_Default.csv's age).
BAND_TEXT = re.compile(r"(?i)^\s*(<=?|>=?|under|below|over|above)?\s*(\d+(?:\.\d+)?)\s*"
                       r"(\+|[-–]\s*\d+(?:\.\d+)?|and over|or more|plus)?\s*$")


def _natural(label: str) -> tuple:
    """'2' before '10' when every group is a number; bands written as text by their numbers ('<25' before
    '25-34', '>74' last); otherwise by text."""
    try:
        return (0, float(label.replace(",", "")), label)
    except ValueError:
        pass
    band = BAND_TEXT.match(label)
    if band is None:
        return (1, 0.0, label)
    before, number, after = band.group(1), float(band.group(2)), band.group(3)
    if before and before.lower() in ("<", "<=", "under", "below"):
        return (0, number - 0.5, label)
    if (before and before.lower() in (">", ">=", "over", "above")) or (after and after.lstrip()[0] not in "-–"):
        return (0, number + 0.5, label)
    return (0, number, label)


def group_rates(groups: Sequence[str], order: Sequence[str], decisions: Sequence[str],
                bad: Sequence[bool]) -> list[dict[str, object]]:
    """Per group (in ``order``): applicants, approval rate, observed default rate, the default rate among the
    approved, and the adverse impact ratio: the approval rate over the highest of the groups of at least
    MIN_FLAGGED applicants, for those groups only (for all groups when none is that large)."""
    table = {key: [0, 0, 0, 0] for key in order}
    for group, decision, is_bad in zip(groups, decisions, bad, strict=True):
        row = table[group]
        row[0] += 1
        row[1] += decision == APPROVE
        row[2] += bool(is_bad)
        row[3] += bool(is_bad) and decision == APPROVE
    # The reference is the most approved group large enough to read (a group of one approved is not it), and
    # only such groups get a ratio: one applicant approved would read "2.61 times the best".
    sized = [approved / n for n, approved, _, _ in table.values() if n >= MIN_FLAGGED]
    best = max(sized or [approved / n for n, approved, _, _ in table.values() if n], default=0.0)
    floor = MIN_FLAGGED if sized else 1
    return [{"group": key, "applicants": n, "approval_rate": approved / n, "default_rate": bads / n,
             "default_rate_approved": (bad_approved / approved) if approved else None,
             "approval_ratio": (approved / n / best) if best and n >= floor else None}
            for key, (n, approved, bads, bad_approved) in table.items() if n]


def ratio_text(ratio: float) -> str:
    """An approval ratio to two decimals, rounded down: 0.798 reads 0.79, never the 0.80 it falls short of."""
    return f"{math.floor(ratio * 100 + 1e-9) / 100:.2f}"


def flagged_groups(rows: Sequence[dict[str, object]]) -> list[dict[str, object]]:
    """Groups of at least MIN_FLAGGED applicants approved at under four fifths of the most approved group's rate."""
    return [r for r in rows if r["approval_ratio"] is not None and r["approval_ratio"] < FOUR_FIFTHS
            and r["applicants"] >= MIN_FLAGGED]

"""Outcome labels as people type them: one label spelled several ways ('Bad', 'BAD', 'bad ') is one label."""
from __future__ import annotations

from collections.abc import Mapping


def _key(value: str) -> str:
    return " ".join(value.split()).casefold()


def label_spellings(counts: Mapping[object, int]) -> dict[str, str]:
    """{spelling: the label it means} for text labels that differ only in letter case or spaces; each group
    takes its most common spelling (ties: the first in sorted order). Labels spelled one way are not listed."""
    groups: dict[str, list[str]] = {}
    for value in counts:
        if isinstance(value, str):
            groups.setdefault(_key(value), []).append(value)
    merged: dict[str, str] = {}
    for spellings in groups.values():
        if len(spellings) > 1:
            chosen = min(spellings, key=lambda s: (-counts[s], s))
            merged.update({s: chosen for s in spellings if s != chosen})
    return merged


def spelling_note(column: str, merged: Mapping[str, str], counts: Mapping[object, int]) -> str:
    """'Target 'status': 'BAD' (3 rows), 'Bad ' (1 row) were read as 'bad'.' — one sentence per label."""
    by_label: dict[str, list[str]] = {}
    for spelling, label in merged.items():
        rows = counts[spelling]
        by_label.setdefault(label, []).append(f"{spelling!r} ({rows} row{'s' if rows != 1 else ''})")
    parts = [f"{', '.join(spellings)} counted as {label!r}" for label, spellings in by_label.items()]
    return f"Target {column!r}: {'; '.join(parts)} (the same label in another letter case or spacing)."

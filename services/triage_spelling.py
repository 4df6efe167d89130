"""Spellings of a class name: names that differ only in case, outer spaces or Unicode form are one class
(``train/NORMAL`` and ``test/normal``; 'Pneumonía' typed on a Mac is stored decomposed, on Windows composed).

A leaf of the triage services (standard library only), so that label reading, masks and the split can all use it.
"""
from __future__ import annotations

import unicodedata


def fold_label_case(layout: dict[str, tuple[str, str | None]]) -> dict[str, tuple[str, str | None]]:
    """'NORMAL' in train/ and 'normal' in test/, or 'Malignant ' beside 'malignant' in a manifest, are one
    class, spelt as most of its images spell it."""
    spellings: dict[str, dict[str, int]] = {}
    for label, _ in layout.values():
        counts = spellings.setdefault(label_key(label), {})
        counts[label] = counts.get(label, 0) + 1
    chosen = {key: unicodedata.normalize("NFC", max(sorted(counts), key=lambda s: counts[s]).strip())
              for key, counts in spellings.items()}
    return {name: (chosen[label_key(label)], split) for name, (label, split) in layout.items()}


def label_key(label: str) -> str:
    """One key for the spellings of a class: case, outer spaces and Unicode form aside ('Pneumonía' typed on a
    Mac is stored decomposed, on Windows composed)."""
    return unicodedata.normalize("NFC", label).strip().casefold()


def merged_spellings(layout: dict[str, tuple[str, str | None]]) -> tuple[str, ...]:
    """What fold_label_case will merge, said to the user: two folders may differ only by a space on purpose."""
    folded = fold_label_case(layout)
    pairs = {(label, folded[name][0]) for name, (label, _) in layout.items()
             if unicodedata.normalize("NFC", label) != folded[name][0]}  # one look, two code points: not news
    return tuple(f"{label!r} into {into!r}" for label, into in sorted(pairs))

"""Classes a split cannot train on, told in plain words: a class found in your own val/ or test/ split but not in
train/, a split with no training image at all, and classes too small to learn or validate.

Kept apart from ``services.triage_split``, which checks with these; only the triage services import this.
"""
from __future__ import annotations

import pandas as pd

from services.triage_labels import TrainingSetError

MIN_CLASS_IMAGES = 3               # fewer images in a class: nothing to learn or validate (often a misspelt label)
PART_NAMES = {"val": "validation", "test": "test"}


def unknown_classes(labels: list[str], part: str, known: list[str]) -> TrainingSetError:
    """Classes of the ``part`` images (validation or test) that training lacks, each named."""
    one = len(labels) == 1
    return TrainingSetError(f"{'Class' if one else 'Classes'} {_named(labels)} {'is' if one else 'are'} in the {part} "
                            f"images but not in the training ones ({', '.join(map(repr, known))}): the model cannot "
                            f"learn {'it' if one else 'them'}, and every figure on {'it' if one else 'them'} would be "
                            f"wrong. A misspelt folder? Rename it, or give {'the class' if one else 'each class'} "
                            "training images too.")


def _named(labels: list[str]) -> str:
    """'a', 'a' and 'b', or 'a', 'b', 'c' and 2 more."""
    quoted = list(map(repr, labels))
    return " and ".join(quoted) if len(quoted) < 4 else f"{', '.join(quoted[:3])} and {len(quoted) - 3} more"


def no_training(frame: pd.DataFrame) -> TrainingSetError:
    """Every image lies in your own val/ or test/ split (folders, or a manifest's split column): it had been refused as
    'The training split has a single class (none)', naming neither the split nor what to do."""
    parts = frame["split"].value_counts().reindex(list(PART_NAMES)).dropna()
    where = PART_NAMES[parts.index[0]] if len(parts) == 1 else \
        " and ".join(f"{PART_NAMES[side]} ({int(n)})" for side, n in parts.items())
    classes = _named(sorted(frame["label"].unique()))
    return TrainingSetError(
        f"No image is in the training split: all {len(frame)} lie in your own {where} split"
        f"{'s' if len(parts) > 1 else ''}, so no class ({classes}) has a training image and the model has nothing to "
        "learn from. Put the training images in a train/ folder beside val/ and test/ (with a manifest: split train "
        "in their rows), or leave the split out (no val/ or test/ folders, no split column) and the desk holds out "
        "validation itself.")


def check_tiny(everywhere: pd.Series) -> None:
    """Classes too small to learn: a misspelt label or a stray folder, once combinations are checked."""
    check_combinations(everywhere)
    tiny = everywhere[everywhere < MIN_CLASS_IMAGES]
    if len(tiny) and len(everywhere) > len(tiny):
        raise TrainingSetError(
            f"Class {tiny.index[0]!r} has only {int(tiny.iloc[0])} image(s), against {int(everywhere.max())} for "
            f"{everywhere.idxmax()!r}: too few to learn or to validate (at least {MIN_CLASS_IMAGES} per class). A "
            "misspelt label or a stray folder? Fix or remove it.")


def check_combinations(everywhere: pd.Series) -> None:
    """Combinations of findings too small to learn (NIH's 'Atelectasis|Effusion'), named together with how to
    relabel them; they had been named one a run, as 'A misspelt label or a stray folder?'. Checked on the labels
    before any image is decoded too: a 1,500-film NIH-shaped set was refused only after decoding every film."""
    tiny = everywhere[everywhere < MIN_CLASS_IMAGES]
    combos = tiny[[("|" in str(label)) for label in tiny.index]]
    if len(combos) and len(everywhere) > len(tiny):
        named = ", ".join(f"{label!r} {int(n)}" for label, n in list(combos.items())[:4])
        raise TrainingSetError(
            f"{len(combos)} class(es) combine several findings and have under {MIN_CLASS_IMAGES} images each ({named}"
            f"{' …' if len(combos) > 4 else ''}): each combination is a class of its own, too small to learn or to "
            "validate. Give each image one label in the manifest (for one finding against normal: that finding where "
            "an image's labels name it, the normal label otherwise), or leave those rows' label empty to leave them "
            "out.")

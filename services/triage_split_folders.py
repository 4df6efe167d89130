"""Patient folders below a class folder's category folders. BreakHis files each patient under a wrapper and a tumour
type (``benign/SOB/adenosis/SOB_B_A_14-22549AB/40X/…png``): grouped by the folder just inside the class folder
(``SOB``, one a class) validation fell back to image by image, and every validation patient of a 40-patient copy
had images in training. A level whose names carry no number, over one whose names do and are each under a single
parent, is a category: the group is taken one level down. Folders repeated under several parents (``study1``,
``40X``) are no patients, so a patient's studies stay one group.

Only the triage split imports this.
"""
from __future__ import annotations

import re
from collections import defaultdict
from pathlib import PurePosixPath

from services.triage_spelling import label_key

NUMBERED = re.compile(r"\d")
MIN_PATIENTS = 3   # numbered folders a class needs below its categories for them to be passed over
BELOW_CATEGORIES = ("the first numbered folder below each class folder's categories, as BreakHis's "
                    "SOB/adenosis/SOB_B_A_14-…")


def _below_class(name: str, label: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(the path down to the class folder, the folders below it) of an image's name."""
    parts = PurePosixPath(name).parts
    folded = label_key(label)
    below = next((i + 1 for i, part in enumerate(parts[:-1]) if label_key(part) == folded), 0)
    return parts[:below], parts[below:-1]


def _patient_depth(paths: list[tuple[str, ...]]) -> int:
    """How deep below the class folder its patient folders lie: 1 (just inside it), or the first level whose
    names carry a number under levels whose names carry none (categories), when every image lies that deep and
    each of its names is under one parent (not a ``study1`` repeated per patient)."""
    depth = 1
    while paths and all(len(p) > depth for p in paths) and not any(NUMBERED.search(p[depth - 1]) for p in paths):
        depth += 1
    if depth == 1:
        return 1
    parents = defaultdict(set)
    for path in paths:
        parents[path[depth - 1]].add(path[:depth - 1])
    numbered = all(len(above) == 1 and NUMBERED.search(name) for name, above in parents.items())
    return depth if numbered and len(parents) >= MIN_PATIENTS else 1


def class_folder_groups(layout: dict[str, tuple[str, str | None]]) -> tuple[dict[str, str], bool]:
    """({name: group}, whether some class was grouped below its category folders). A group is the folder just
    inside the image's class folder ('dir:…'), or the first patient folder below its categories; an image straight
    in its class folder is its own group ('file:…')."""
    split = {n: _below_class(n, label) for n, (label, _) in layout.items()}
    depths, deeper = {}, False
    for label in {label for label, _ in layout.values()}:
        paths = [split[n][1] for n, (lab, _) in layout.items() if lab == label and split[n][1]]
        depths[label] = _patient_depth(paths)
        deeper = deeper or depths[label] > 1
    return {name: class_folder_group(name, label, depths[label]) for name, (label, _) in layout.items()}, deeper


def class_folder_group(name: str, label: str, depth: int = 1) -> str:
    """The folder ``depth`` levels inside the image's class folder (1: a patient's, whatever studies lie below
    it), as 'dir:…'; an image straight in its class folder is its own group, 'file:…'."""
    top, folders = _below_class(name, label)
    return "dir:" + "/".join(top + folders[:depth]) if folders else "file:" + name

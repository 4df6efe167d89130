"""Segmentation masks lying beside a class folder's images: the COVID-19 Radiography Database keeps each class's
films in ``COVID/images/`` and their lung outlines in ``COVID/masks/``; the breast ultrasound set (BUSI) keeps
``benign (1)_mask.png`` beside ``benign (1).png``. A mask outlines a region of another image: it is no study to
learn from, yet each was trained as one more image of its class and sat in validation too (a 4-class set of 160
films and 160 masks trained on 320 images, 24 of its 48 validation images masks, without a word). CBIS-DDSM keeps
each lesion's mask and crop in series folders named '1.000000-ROI mask images-<n>' and '…-cropped images-<n>' beside
the full mammogram's; both are left out of training (the crops with a note of their own).

Only the triage services read this. A manifest, which names each image it means, is not filtered, but for its rows
that name a folder (MURA's study folders), which label every image below it.
"""
from __future__ import annotations

import re
from pathlib import PurePosixPath

from services.triage_spelling import label_key

# masks/, lung masks/, infection_mask/, CBIS-DDSM's series folders '1.000000-ROI mask images-24515' and '1-ROI mask
# images-94682' (TCIA's and NBIA's naming: a series number after the words)
MASK_FOLDER = re.compile(r"(?:.*[\s_-])?masks?(?:[\s_-]images?)?(?:[\s_-]\d+)?", re.IGNORECASE)
# CBIS-DDSM's '1.000000-cropped images-80234': the lesion cut out of a full mammogram of the set
CROP_FOLDER = re.compile(r"(?:.*[\s_-])?cropped[\s_-]images?(?:[\s_-]\d+)?", re.IGNORECASE)
MASK_STEM = re.compile(r".*[\s_-]masks?(?:[\s_-]?\d+)?", re.IGNORECASE)   # benign (1)_mask, x_mask_1, y-mask


def is_mask(name: str, label: str) -> bool:
    """Whether a class folder's file is a segmentation mask: it lies in a folder below its class folder named like
    masks, or its own name ends in _mask (or _mask_1, for a second region). The class folder itself is not read:
    a class may be named mask. Without a label (studies to rank), every folder is read."""
    return any(MASK_FOLDER.fullmatch(part) for part in _below(name, label)) or \
        MASK_STEM.fullmatch(PurePosixPath(name).name.rsplit(".", 1)[0]) is not None


def is_crop(name: str, label: str) -> bool:
    """Whether a class folder's file lies in a folder below its class folder named like cropped images (CBIS-DDSM's
    lesion crops, beside the full mammogram they were cut from). Read in training only: a crop given to rank is
    ranked."""
    return any(CROP_FOLDER.fullmatch(part) for part in _below(name, label))


def _below(name: str, label: str) -> tuple[str, ...]:
    """The folders of a file's path below its class folder (every folder, without a label)."""
    parts = PurePosixPath(name).parts[:-1]
    at = next((i for i, part in enumerate(parts) if label_key(part) == label_key(label)), len(parts)) if label else -1
    return parts[at + 1:]


def without_masks(layout: dict[str, tuple[str | None, str | None]]
                  ) -> tuple[dict[str, tuple[str | None, str | None]], list[str]]:
    """(layout without the segmentation masks and lesion crops of a class that has other images, the notes saying
    so). A class all of whose files read as masks or crops keeps them: its name may say what they are."""
    masks = {n for n, (label, _) in layout.items() if label and is_mask(n, label)}
    crops = {n for n, (label, _) in layout.items() if label and n not in masks and is_crop(n, label)}
    kept_classes = {label_key(label) for n, (label, _) in layout.items() if label and n not in masks | crops}
    masks, crops = ({n for n in found if label_key(layout[n][0] or "") in kept_classes} for found in (masks, crops))
    return {n: v for n, v in layout.items() if n not in masks | crops}, left_out_notes(masks, crops)


def masks_below(names: list[str], depth: int) -> tuple[set[str], set[str]]:
    """(masks, crops) among the images below a folder that a manifest row names (its path ``depth`` parts long),
    read below it as below a class folder: a MURA-style row labels every image below its folder, and the masks
    there had trained as images while a plain class folder's were left out. A folder all of whose images read so
    keeps them: the row named it."""
    below = {n: "/".join(PurePosixPath(n).parts[depth:]) for n in names}
    masks = {n for n in names if is_mask(below[n], "")}
    crops = {n for n in names if n not in masks and is_crop(below[n], "")}
    return (set(), set()) if len(masks | crops) == len(names) else (masks, crops)


def left_out_notes(masks: set[str], crops: set[str]) -> list[str]:
    """The notes saying which masks and crops were left out of training, with an example of each."""
    notes = [] if not masks else [
        f"{len(masks)} segmentation mask(s) left out of training and validation: their folder or file name says "
        f"mask (e.g. {min(masks)}). A mask outlines a region of another image; it is not a study to learn from."]
    return notes + ([] if not crops else [
        f"{len(crops)} cropped image(s) left out of training and validation: their folder name says cropped images "
        f"(e.g. {min(crops)}). A crop is a region cut from another image of the set, not a whole study like those "
        "the worklist ranks, and it could lie on the other side of the validation split from the image it was cut "
        "from."])


def _image_of(name: str) -> tuple[str, ...]:
    """Where the image a mask outlines would lie: the same file name in a sibling folder (COVID/masks/COVID-1.png
    beside COVID/images/COVID-1.png), or its name without _mask beside it (benign (1)_mask.png, benign (1).png)."""
    path = PurePosixPath(name)
    stem = path.name.rsplit(".", 1)[0]
    bare = re.sub(r"[\s_-]masks?(?:[\s_-]?\d+)?$", "", stem, flags=re.IGNORECASE)
    return (f"name:{path.name.casefold()}",) if bare == stem else (f"stem:{path.parent}/{bare}".casefold(),)


def paired_masks(names: list[str]) -> set[str]:
    """The studies to rank that are segmentation masks of other studies given with them (a COVID-19 Radiography
    folder holds images/ and masks/): by name, as in training, and only beside the image they outline, so that no
    study is left out unless its image is ranked. Masks had been ranked as studies of their own."""
    said = {n for n in names if is_mask(n, "")}
    if not said:
        return set()
    others = [n for n in names if n not in said]
    keys = {f"name:{PurePosixPath(n).name.casefold()}" for n in others} | \
        {f"stem:{PurePosixPath(n).parent}/{PurePosixPath(n).name.rsplit('.', 1)[0]}".casefold() for n in others}
    return {n for n in said if set(_image_of(n)) & keys}

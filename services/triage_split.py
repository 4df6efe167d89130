"""How a labelled training set is split: patient groups (class folders or manifest paths), validation held
out by whole groups, and byte-identical duplicates found before they can sit on both sides of the split.

Kept apart from ``services.triage_training`` so each module stays readable; only the triage services import this.
"""
from __future__ import annotations

import hashlib
import os
from collections import Counter

import numpy as np
import pandas as pd

from data import images
from data.input_files import ArchiveError
from ml.image_split import VAL_FRACTION
from services.triage_labels import TrainingSetError
from services.triage_spelling import label_key
from services.triage_split_checks import check_tiny, no_training, unknown_classes
from services.triage_split_folders import BELOW_CATEGORIES, class_folder_group, class_folder_groups
from services.triage_split_names import (CASES, GROUPED, HEADERS, HOW as BY_NAME, PATIENT_FOLDERS, by_name,
                                         patient_depth)

MIN_FOLDERS = 3                    # per class, for validation to hold out whole sub-folders
MIN_OWN_VALIDATION = 30            # images of a class your own val/ needs to set the operating point
Layout = dict[str, tuple[str, str | None]]
FLAT_MANIFEST = ("the manifest's images lie side by side in one folder and no column of it names the patient, such "
                 "as patient_id")


def patient_groups(layout: Layout, manifest: bool, patients: dict[str, str] | None = None,
                   column: str | None = None) -> tuple[dict[str, str], str]:
    """({name: group}, how the groups were found). Class folders: the folder just inside the class folder.
    A manifest's paths often share a prefix (CheXpert-v1.0-small/train/patient00001/…): the first folder
    below that prefix (split folders aside) is the patient's, not the prefix's first folder, which every
    image shares and which would leave the split image by image. A manifest column naming the patient
    (``patients``, read from ``column``) decides over any folder; loose images go by patient keys in their names."""
    if patients:
        folders, how = patient_groups(layout, manifest)
        return {n: f"dir:patient {patients[n]}" if n in patients else folders[n] for n in layout}, \
            f"the manifest's {column!r} column"
    if not manifest:
        groups, deeper = class_folder_groups(layout)
        return by_name(groups, layout, BELOW_CATEGORIES if deeper else "the folder just inside each class folder")
    dirs = {n: images.split_and_label(n)[1] for n in layout}
    prefix = tuple(os.path.commonprefix(list(dirs.values()))) if dirs else ()
    groups, deeper = {}, False
    for name, (label, _) in layout.items():
        depth = patient_depth(dirs[name], len(prefix)) or len(prefix) + 1  # MURA: XR_WRIST/patient06359/
        if any(label_key(part) == label_key(label) for part in dirs[name]):
            groups[name] = class_folder_group(name, label)  # a manifest beside class folders
        elif len(dirs[name]) > len(prefix):
            groups[name], deeper = "dir:" + "/".join(dirs[name][:depth]), deeper or depth > len(prefix) + 1
        else:
            groups[name] = "file:" + name
    where = "/".join(prefix) + "/" if prefix else "the top of the input"
    if all(len(d) == len(prefix) for d in dirs.values()):  # APTOS's train_images/ (id_code,diagnosis): one folder
        return by_name(groups, layout, FLAT_MANIFEST)
    return by_name(groups, layout, PATIENT_FOLDERS if deeper else f"the first folder below {where} (train/val/test "
                                   "folders aside), which all manifest paths share")


def in_folders(train: pd.DataFrame) -> bool:
    """Images kept in sub-folders (one per patient or study, several images each): the validation images
    must come from folders the model did not train on, or near-identical views of one patient on both sides
    flatter every figure. Images straight in the class folders are held out singly."""
    folders = train[train["group"].str.startswith(GROUPED)]
    per_class = folders.groupby("label")["group"].nunique()
    return bool((per_class.reindex(train["label"].unique(), fill_value=0) >= MIN_FOLDERS).any()) \
        and train["group"].nunique() < len(train)


def group_split(labels: pd.Series, groups: pd.Series, fraction: float, seed: int) -> tuple[list[int], list[int]]:
    """About ``fraction`` of each class to validation in whole groups; a patient whose studies carry
    different labels goes whole to one side too. A class that no group can serve (one group holds it all)
    is held out image by image."""
    rng = np.random.default_rng(seed)
    labels, groups = labels.reset_index(drop=True), groups.reset_index(drop=True)
    sizes = labels.value_counts()
    wanted = {c: min(n - 1, max(1, round(fraction * n))) for c, n in sizes.items()}
    table = pd.crosstab(groups, labels)
    held, chosen = dict.fromkeys(sizes.index, 0), []
    order = rng.permutation(np.array(sorted(table.index), dtype=object))
    for tight in (True, False):  # first near the share; then any group for a class still without one
        for group in (g for g in order if g not in chosen):
            present = {c: int(n) for c, n in table.loc[group].items() if n}
            if _fits(present, held, wanted, sizes, tight):
                chosen.append(group)
                held.update({c: held[c] + n for c, n in present.items()})
    in_valid = groups.isin(chosen).to_numpy()
    for label in (c for c in sizes.index if not held[c]):
        members = np.flatnonzero((labels == label).to_numpy())
        in_valid[rng.permutation(members)[:wanted[label]]] = True
    return np.flatnonzero(~in_valid).tolist(), np.flatnonzero(in_valid).tolist()


def _fits(present: dict[str, int], held: dict, wanted: dict, sizes: pd.Series, tight: bool) -> bool:
    """A group joins validation when a class of it still needs images (tight: none yet, or not past half its
    share again) and every class keeps a training image."""
    if tight:
        needs = any(held[c] < wanted[c] for c in present) and \
            all(held[c] + n <= wanted[c] + max(1, wanted[c] // 2) for c, n in present.items())
    else:
        needs = any(held[c] == 0 for c in present) and all(held[c] + n <= 2 * wanted[c] or held[c] == 0
                                                            for c, n in present.items())
    return needs and all(held[c] + n <= sizes[c] - 1 for c, n in present.items())


def hold_out(train: pd.DataFrame, seed: int) -> tuple[pd.DataFrame, pd.DataFrame | None, tuple[int, int]]:
    """(train, validation or None, (folders held out, folders)); None: the task holds out single images."""
    if not in_folders(train):
        return train, None, (0, 0)
    train_idx, valid_idx = group_split(train["label"], train["group"], VAL_FRACTION, seed)
    folders = train["group"].where(train["group"].str.startswith(GROUPED))  # loose images: NaN, not counted
    held = (int(folders.iloc[valid_idx].nunique()), int(folders.nunique()))
    return train.iloc[train_idx].reset_index(drop=True), train.iloc[valid_idx].reset_index(drop=True), held


def split_note(own_split: bool, held: tuple[int, int], grouped_by: str, single_folders: int = 0) -> str:
    """How validation was chosen, for the run's notes (the docs promise patient folders are held out whole);
    ``single_folders``: sub-folders that each hold one image, so image by image is folder by folder."""
    if own_split:
        return "Validation: the images of your own val/ split."
    lesions = grouped_by.startswith("the manifest's 'lesion")  # HAM10000's lesion_id: it has no patient ID
    named = grouped_by.startswith(("the manifest's", BY_NAME, CASES, HEADERS))
    kind = "lesions" if lesions else "patients" if named else "patient folders"
    if held[0]:  # by a manifest's patient column (NIH's flat images/), no folder is involved
        return (f"Validation: {held[0]} of {held[1]} {kind} held out whole ({grouped_by}), so that no "
                f"{'lesion' if lesions else 'patient'} has images on both sides.")
    if single_folders:  # RSNA's patientId names one film a patient: it had read "no patient folders found …"
        return (f"Validation: {VAL_FRACTION:.0%} of each class held out image by image; the {single_folders} "
                + (f"{kind} (grouped by {grouped_by}) have" if named else f"sub-folders (grouped by {grouped_by}) hold")
                + " one image each, so none has images on both sides.")
    if grouped_by == FLAT_MANIFEST:  # had read "no patient folders found: 3 or more sub-folders in a class, by the
        # first folder below the top of the input (train/val/test folders aside), which all manifest paths share"
        return (f"Validation: {VAL_FRACTION:.0%} of each class held out image by image ({FLAT_MANIFEST}), so one "
                "patient's images may lie on both sides.")
    return (f"Validation: {VAL_FRACTION:.0%} of each class held out image by image (no patient folders found: "
            f"{MIN_FOLDERS} or more sub-folders in a class, by {grouped_by}), so one patient's images may lie on "
            "both sides.")


def own_validation_note(train: pd.Series, valid: pd.Series) -> str | None:
    """The note when your own val/ split (labels ``valid``) joins training, None when it is kept: it holds one
    class, or under MIN_OWN_VALIDATION images of a class of which the desk's own share of train + val would hold
    more. Kaggle's chest X-ray val/ (8 NORMAL, 8 PNEUMONIA beside 5,216 training images) set the cut-off on 8
    abnormal images, and 0.30 test specificity followed; 15 % of train + val holds about 200 and 580."""
    if not len(valid):
        return None
    counts, pooled = valid.value_counts(), pd.concat([train, valid]).value_counts()
    if len(counts) < 2:
        return (f"Your own val/ split holds one class only ({counts.index[0]!r}), which cannot set the operating "
                "point: its images join training, and validation is held out from train + val.")
    short = [c for c in sorted(pooled.index) if counts.get(c, 0) < MIN_OWN_VALIDATION]
    if not short or any(round(VAL_FRACTION * pooled[c]) <= counts.get(c, 0) for c in short):
        return None
    held = " and ".join(f"{int(counts.get(c, 0))} {c!r}" for c in short)
    return (f"Your own val/ split holds only {held} image(s), too few to set the operating point (under "
            f"{MIN_OWN_VALIDATION} of a class, where one abnormal image moves the sensitivity by several points): its "
            f"images join training, and validation is held out from train + val as without a val/ split. Your "
            "test/ split, if any, stays the test set.")


SIDES = ("train", "val", "test")


def crossing_splits(frame: pd.DataFrame, grouped_by: str, named: bool = False) -> list[str]:
    """The warning when your own train/val/test split puts one patient (a manifest's patient column, or a patient
    folder of the same name under one class in two split folders) on two sides: an ISIC table split image by
    image put 34 of 40 patients on both sides without a word, and its validation figures were flattering.
    ``named``: the groups are a manifest's patient IDs; folders of one name may be two patients numbered per split."""
    sides = frame["split"]
    if own_validation_note(frame.loc[sides == "train", "label"], frame.loc[sides == "val", "label"]):
        sides = sides.replace("val", "train")  # a val/ too small, or of one class, joins training
    folders = frame["group"].str.startswith(("dir:", "dcm:"))  # a DICOM header's patient too
    if not folders.any() or sides.nunique() < 2:
        return []
    keys = frame.loc[folders, "group"].map(_patient_key)
    spread = sides[folders].groupby(keys).agg(lambda s: tuple(x for x in SIDES if x in set(s)))
    crossing = spread[spread.map(len) > 1]
    if crossing.empty:
        return []
    # counted, not named: a patient column holds IDs, and nothing identifying is stored
    sides_of = "; ".join(f"{n} in {' and '.join(where)}" for where, n in crossing.value_counts(sort=False).items())
    return [f"{len(crossing)} patient(s) ({grouped_by}) have images in more than one of your own splits ("
            f"{sides_of}): {'the model' if named else 'if each is one patient, the model'} trains on them, so the "
            "validation and test figures are flattering. Put each "
            "patient's images in one split, or leave the split out and let the desk hold out whole patients."]


def _patient_key(group: str) -> str:
    """A patient group without its split folders: train/NORMAL/patient01 and val/NORMAL/patient01 are one."""
    return "/".join(p for p in group.split(":", 1)[1].split("/") if p.lower() not in images.SPLIT_NAMES)


def _unsplit(group: str) -> str:
    """A patient group without its split folders, for a val/ joined to training."""
    return group.split(":", 1)[0] + ":" + _patient_key(group) if group.startswith(GROUPED) else group


def drop_duplicates(files: list[images.InputFile], layout: Layout) -> tuple[list[images.InputFile], list[str],
                                                                             list[str]]:
    """(files kept, skipped lines, warnings). Byte-identical copies with one label: the first (by name) is
    kept; copies filed under different labels: every copy is left out, since either label may be wrong and a
    copy on each side of the split flatters every figure."""
    by_hash: dict[str, list[images.InputFile]] = {}
    for item in _alike(files):
        payload = _bytes(item)
        if payload:  # an empty file is no copy of another: the decoder names it as empty
            by_hash.setdefault(hashlib.sha256(payload).hexdigest(), []).append(item)
    dropped, skipped, clashes = set(), [], []
    for copies in (sorted(c, key=lambda f: f.name) for c in by_hash.values() if len(c) > 1):
        labels = sorted({label_key(layout[f.name][0]) for f in copies})
        if len(labels) == 1:
            dropped.update(f.name for f in copies[1:])
            skipped += [f"{f.name}: a byte-identical copy of {copies[0].name} (same label); one copy kept"
                        for f in copies[1:]]
        else:
            dropped.update(f.name for f in copies)
            skipped += [f"{f.name}: byte-identical copies filed under different labels; left out" for f in copies]
            clashes.append(" = ".join(f.name for f in copies[:3]))
    warnings = [f"{len(clashes)} image(s) are stored byte-identical under different labels and every copy was left "
                f"out (e.g. {'; '.join(clashes[:3])}): check their labels."] if clashes else []
    return [f for f in files if f.name not in dropped], skipped, warnings


def _alike(files: list[images.InputFile]) -> list[images.InputFile]:
    """The files that share their size and first 4 KiB with another: only they can be copies, and only they are
    read whole to be hashed (each file is read from its ZIP or disk when asked for; hashing every one read a set
    twice, and a DICOM's first KiB holds its UIDs)."""
    sizes = Counter(f.size for f in files)
    starts = {id(f): (f.size, hashlib.sha256(_bytes(f, 4096)).digest()) for f in files if f.size and sizes[f.size] > 1}
    shared = Counter(starts.values())
    return [f for f in files if id(f) in starts and shared[starts[id(f)]] > 1]


def _bytes(item: images.InputFile, count: int = -1) -> bytes:
    """The file's bytes (its first ``count``); none from a file gone since it was listed: the decoder names it."""
    try:
        return item.payload if count < 0 else item.head(count)
    except ArchiveError:  # a damaged ZIP stops the job
        raise
    except images.ImageInputError:
        return b""


def split(frame: pd.DataFrame, seed: int = 0) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, list[str],
                                                        dict[str, int], tuple[int, int]]:
    """(train, validation, test, classes, training counts, held folders) after every check on the classes."""
    train = frame[frame["split"] == "train"].reset_index(drop=True)
    valid = frame[frame["split"] == "val"].reset_index(drop=True)
    test = frame[frame["split"] == "test"].reset_index(drop=True)
    unknown = sorted(set(valid["label"]) - set(train["label"])) if len(train) else []
    if unknown:  # checked before a one-class val/ joins training, where a misspelt class would become a class
        raise unknown_classes(unknown, "validation", sorted(set(train["label"])))
    if len(valid) and own_validation_note(train["label"], valid["label"]):
        # a val/ too small (or of one class) to set the operating point trains; validation is held out from all
        train, valid = pd.concat([train, valid], ignore_index=True), valid.iloc[0:0]
        train["group"] = train["group"].map(_unsplit)  # train/A/patient01 and val/A/patient01: one patient
    if not len(train):  # every image in your own val/ or test/ split: had read "a single class (none)"
        raise no_training(frame)
    check_tiny(frame["label"].value_counts())
    counts = train["label"].value_counts().sort_index()
    classes = sorted(counts.index)
    for name, part in (("validation", valid), ("test", test)):
        unknown = sorted(set(part["label"]) - set(classes))
        if unknown:
            raise unknown_classes(unknown, name, classes)
    if len(classes) < 2:
        raise TrainingSetError(f"The training split has a single class ({classes[0]}); a classifier needs two or "
                               "more.")
    small = counts[counts < (1 if len(valid) else 2)]
    if len(small):
        raise TrainingSetError(f"Class {small.index[0]!r} has only {int(small.iloc[0])} readable image(s); at least "
                               "2 per class are needed (one is held out for validation).")
    held = (0, 0)
    if not len(valid):
        train, held_out, held = hold_out(train, seed)
        valid = held_out if held_out is not None else valid
    return train, valid, test, classes, {str(k): int(v) for k, v in counts.items()}, held

"""A training set's classes read from its names alone (class folders or a manifest), before any image is decoded:
the first step of training (services/triage_training.py) and, on the page, a check at upload. A set that could not
train (not a ZIP, a damaged one, no images, one class, no usable label) had been found only by the queued job."""
from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from data import images
from data.input_files import ArchiveError
from domain import triage as rules
from services import triage_masks
from services.errors import UserFacingError
from services.triage_inputs import (TriageInputError, header_identifiers, is_upload, left_out_reason, read_files,
                                    scrub_wording)
from services.triage_labels import TrainingSetError, labelled_only, manifest_labels, single_class_error, table_hint
from services.triage_split_checks import check_combinations
from services.triage_spelling import fold_label_case, merged_spellings

MAX_UNREADABLE_SHARE = 0.10


@dataclass(frozen=True)
class Layout:
    files: list[images.InputFile]  # nested copies of the tree (Kaggle's chest_xray/chest_xray/) dropped
    labels: dict[str, tuple[str, str | None]]  # {file: (class, split)}, spellings folded
    stray: list[str]               # files without a label, left out
    notes: list[str]
    merged: tuple[str, ...]        # class spellings folded into one


def read_layout(files: list[images.InputFile], manifest: Any, left_out: list[str] | None) -> Layout:
    """The labelled files and their classes; refused when fewer than two classes are left. ``manifest`` is a
    path or an open CSV; ``left_out`` the input's files that are not images, with why (a labels table among them
    is named in the refusal)."""
    if not manifest:
        files = images.drop_nested_copies(files)
    table_notes: list[str] = []
    layout = manifest_labels(files, manifest, table_notes) if manifest else \
        images.class_folders([f.name for f in files])
    table_notes += _unlisted([f.name for f in files], layout) if manifest else []
    hint = "" if manifest else table_hint(left_out)
    layout, stray, notes = labelled_only(layout, bool(manifest), MAX_UNREADABLE_SHARE, hint)
    layout, masked = (layout, []) if manifest else triage_masks.without_masks(layout)  # COVID/masks/, x_mask.png
    merged = merged_spellings(layout)
    layout = fold_label_case(layout)
    if len({label for label, _ in layout.values()}) < 2:
        raise single_class_error(layout, bool(manifest), hint)
    return Layout(files, layout, stray, table_notes + notes + masked, merged)


def _unlisted(names: list[str], layout: dict) -> list[str]:
    """The note on images given that no manifest row names: CheXpert's valid/ folder beside a table of train/ rows
    had been left out without a word. Masks and lesion crops, which a table's rows leave out on purpose (CBIS-DDSM's
    ROI masks beside the mammograms its rows name), are not counted."""
    unlisted = [n for n in names if n not in layout and not triage_masks.is_mask(n, "")
                and not triage_masks.is_crop(n, "")]
    if not unlisted:
        return []
    return [f"{len(unlisted)} image(s) given have no row in the manifest and were left out of training and "
            f"validation (e.g. {unlisted[0]}): give each a row (its file and class) to train on it."]


def abnormal_class(classes: list[str], positive: str | None, manifest: bool = False, hint: str = ""
                   ) -> tuple[str | None, str]:
    """(abnormal, normal) class, or the refusal, ending with ``hint`` (a labels table found in the input: ISIC's
    HAM10000_images_part_1/ and part_2/ had been read as two classes, with no word of its metadata CSV)."""
    try:
        return rules.choose_abnormal(classes, positive, manifest=manifest)
    except rules.ClassChoiceError as exc:
        raise TrainingSetError(f"{exc}{hint}") from None


def training_files(source: Any, manifest: Any = None) -> tuple[list[images.InputFile], list[str]]:
    """The images of a training input and its other files, each with why it was left out; the manifest given
    lying among them is no such file (NIH's Data_Entry_2017.csv in its folder was printed as "skipped: … not an
    image" and counted in skipped_images)."""
    left_out: list[str] = []
    files = read_files(source, left_out)
    left_out += [] if is_upload(source) else images.empty_folders(source)
    return files, [f"{n}: {left_out_reason(n)}" for n in left_out if not _is_manifest(source, n, manifest)]


def _is_manifest(source: Any, name: str, manifest: Any) -> bool:
    if not isinstance(source, (str, Path)) or not isinstance(manifest, (str, Path)):
        return False
    return Path(source).is_dir() and (Path(source) / name).resolve() == Path(manifest).resolve()


def refusal(exc: UserFacingError | ArchiveError, files: list[images.InputFile], source: Any) -> UserFacingError:
    """The error a training set is refused with, as the user reads it: a damaged ZIP member as the input's fault,
    and file names scrubbed of the patient names and IDs their DICOM headers hold (it is printed and kept)."""
    if isinstance(exc, ArchiveError):  # a ZIP member is unpacked only when needed: a damaged one is found then
        return TriageInputError(str(exc))
    files = files or read_files(source)  # emptied while decoding: read again for what to scrub
    found = tuple(sorted({i for f in files for i in header_identifiers(f)}, key=len, reverse=True))
    return type(exc)(scrub_wording(str(exc), found, tuple(f.name for f in files)))


def check_training_set(source: Any, manifest: Any = None, positive: str | None = None) -> None:
    """Refuse at upload what training would refuse before decoding an image, in its words: an archive that is no
    ZIP or is damaged, no images, one class, no usable label, classes whose abnormal one cannot be told, tiny
    combinations of findings (NIH's 'Atelectasis|Effusion'), each a class of its own.
    ``source`` and ``manifest`` as training takes them, or uploaded: (name, bytes) pairs and the CSV's bytes.
    Decoding, splitting and training are left to the job."""
    files, left_out = training_files(source, manifest)
    try:
        layout = read_layout(files, io.BytesIO(manifest) if isinstance(manifest, bytes) else manifest, left_out)
        abnormal_class(sorted({label for label, _ in layout.labels.values()}), positive, bool(manifest),
                       "" if manifest else table_hint(left_out, found_only=True))
        check_combinations(pd.Series([label for label, _ in layout.labels.values()]).value_counts())
        _read_through([f for f in layout.files if f.name in layout.labels])
    except (ArchiveError, UserFacingError) as exc:
        raise refusal(exc, files, source) from None


def _read_through(files: list[images.InputFile]) -> None:
    """Each file read once and let go: a ZIP member that fails its checksum raises ArchiveError here."""
    for item in files:
        item.payload

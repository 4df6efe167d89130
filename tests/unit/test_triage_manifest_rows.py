"""MURA-shaped tables: rows naming study folders label every image below them, and a table without a header row is
told to add one (it was refused listing its first row as its columns)."""
from __future__ import annotations

import pandas as pd
import pytest

from data import images
from services import triage_labels, triage_manifest_rows
from services.triage_labels import TrainingSetError

STUDIES = [("XR_WRIST/patient00001/study1_positive", "1", 3), ("XR_WRIST/patient00001/study2_negative", "0", 2),
           ("XR_ELBOW/patient00002/study1_negative", "0", 1)]


def _files() -> list[images.InputFile]:
    return [images.InputFile(f"train/{study}/image{i}.png", b"\x89PNG" + bytes([i, n]))
            for study, _, n in STUDIES for i in range(1, n + 1)]


def test_rows_naming_study_folders_label_every_image_below_them(tmp_path):
    manifest = tmp_path / "train_labeled_studies.csv"
    manifest.write_text("file,label\n" + "".join(f"MURA-v1.1/train/{study}/,{label}\n" for study, label, _ in STUDIES))
    notes: list[str] = []
    layout = triage_labels.manifest_labels(_files(), str(manifest), notes)
    wrist = "train/XR_WRIST/patient00001/study"
    assert layout == {**{f"{wrist}1_positive/image{i}.png": ("1", "train") for i in (1, 2, 3)},
                      **{f"{wrist}2_negative/image{i}.png": ("0", "train") for i in (1, 2)},
                      "train/XR_ELBOW/patient00002/study1_negative/image1.png": ("0", "train")}
    assert notes == ["3 manifest row(s) name a folder: each labels every image below it."]


def test_train_and_valid_folders_in_the_paths_keep_mura_s_own_split(tmp_path):
    """MURA's valid/ studies had been pooled into training, and validation drawn again from train + valid: the
    folders in a manifest's paths now set the split as they do without a manifest; a split column still decides."""
    files = _files() + [images.InputFile(f"valid/XR_WRIST/patient11185/study1_positive/image{i}.png", bytes([9, i]))
                        for i in (1, 2)]
    manifest = tmp_path / "labels.csv"
    manifest.write_text("file,label\n" + "".join(f"MURA-v1.1/train/{study}/,{label}\n" for study, label, _ in STUDIES)
                        + "MURA-v1.1/valid/XR_WRIST/patient11185/study1_positive/,1\n")
    layout = triage_labels.manifest_labels(files, str(manifest))
    assert sorted(split for _, split in layout.values()) == ["train"] * 6 + ["val"] * 2
    assert layout["valid/XR_WRIST/patient11185/study1_positive/image2.png"] == ("1", "val")
    manifest.write_text("file,label,split\nvalid/XR_WRIST/patient11185/study1_positive/image1.png,1,train\n"
                        "valid/XR_WRIST/patient11185/study1_positive/image2.png,1,\n")
    layout = triage_labels.manifest_labels(files[-2:], str(manifest))
    assert [layout[f.name] for f in files[-2:]] == [("1", "train"), ("1", "val")]
    manifest.write_text("file,label\n" + "".join(f"{f.name},{i % 2}\n" for i, f in enumerate(files[-2:])))
    layout = triage_labels.manifest_labels(files[-2:], str(manifest))  # valid/ alone: no image would train
    assert [layout[f.name] for f in files[-2:]] == [("0", None), ("1", None)]


def test_a_row_naming_a_file_or_a_missing_image_is_not_read_as_a_folder():
    table = pd.DataFrame({"file": ["train/XR_WRIST/patient00001/study1_positive/image1.png", "gone.png",
                                   "train/XR_ELBOW/patient00002/study1_negative"], "label": ["1", "0", "0"]})
    expanded, folders = triage_manifest_rows.folder_rows(table, _files())
    assert folders == 1 and list(expanded["file"]) == [
        "train/XR_WRIST/patient00001/study1_positive/image1.png", "gone.png",
        "train/XR_ELBOW/patient00002/study1_negative/image1.png"]


def test_a_table_without_a_header_row_is_told_to_add_one(tmp_path):
    manifest = tmp_path / "train_labeled_studies.csv"
    manifest.write_text("".join(f"MURA-v1.1/train/{study}/,{label}\n" for study, label, _ in STUDIES))
    with pytest.raises(TrainingSetError) as refused:
        triage_labels.manifest_labels(_files(), str(manifest))
    assert str(refused.value) == (
        "The manifest needs columns file,label (optional split); its first row (MURA-v1.1/train/XR_WRIST/patient00001/"
        "study1_positive/, 1) reads as data, not as column names: add a header row above it, such as file,label "
        "(with a split column if the table has one).")
    assert triage_manifest_rows.header_as_data(["image", "MEL", "NV"]) == ""
    assert triage_manifest_rows.header_as_data(["Image Index", "Finding Labels", "Patient ID"]) == ""

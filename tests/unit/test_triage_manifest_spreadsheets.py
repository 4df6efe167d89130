"""Manifests as spreadsheets save them: Excel on Windows writes "CSV" in Windows-1252 (semicolons in much of Europe)
and "Unicode Text" in UTF-16 with tabs; both had been refused with Python's codec message. A workbook given as the
manifest is named as one. Missing-value markers in the label column (#N/A from a lookup, R's NA) are no class."""
from __future__ import annotations

import io

import pandas as pd
import pytest

from data import images
from services import triage_labels
from services.triage_labels import TrainingSetError

ROWS = [("00000001_000.png", "Neumonía", "p1"), ("00000002_000.png", "Normal", "p2")]


def _files() -> list[images.InputFile]:
    return [images.InputFile(f"images/{name}", b"\x89PNG" + bytes([i])) for i, (name, _, _) in enumerate(ROWS)]


@pytest.mark.parametrize(("encoding", "sep"), [("cp1252", ";"), ("utf-16", "\t"), ("utf-8-sig", ",")])
def test_a_manifest_in_a_spreadsheet_s_encoding_is_read(tmp_path, encoding, sep):
    manifest = tmp_path / "labels.csv"
    text = sep.join(["file", "label", "Patient ID"]) + "\r\n" + "".join(f"{sep.join(row)}\r\n" for row in ROWS)
    manifest.write_bytes(text.encode(encoding))
    assert triage_labels.manifest_labels(_files(), str(manifest)) == {
        "images/00000001_000.png": ("Neumonía", None), "images/00000002_000.png": ("Normal", None)}
    assert triage_labels.manifest_patients(_files(), str(manifest)) == (
        {"images/00000001_000.png": "p1", "images/00000002_000.png": "p2"}, "patient id")


def test_a_workbook_given_as_the_manifest_is_named(tmp_path):
    manifest = tmp_path / "labels.xlsx"
    buffer = io.BytesIO()
    pd.DataFrame(ROWS, columns=["file", "label", "patient"]).to_excel(buffer, index=False)
    manifest.write_bytes(buffer.getvalue())
    with pytest.raises(TrainingSetError, match=r"^The manifest is a ZIP archive or an Excel \.xlsx workbook, not a CSV "
                                                r"table: save it as CSV"):
        triage_labels.manifest_labels(_files(), str(manifest))


@pytest.mark.parametrize("marker", ["#N/A", "NA", "n/a", "NaN", "null", "#VALUE!"])
def test_a_missing_value_marker_is_no_label(tmp_path, marker):
    """A VLOOKUP's #N/A cells had trained as a class '#N/A', taken as abnormal beside the finding."""
    manifest = tmp_path / "labels.csv"
    manifest.write_text("file,label\n00000001_000.png,Pneumonia\n00000002_000.png," + marker + "\n")
    layout = triage_labels.manifest_labels(_files(), str(manifest))
    assert layout == {"images/00000001_000.png": ("Pneumonia", None), "images/00000002_000.png": (None, None)}
    kept, _, notes = triage_labels.labelled_only(layout, True, 0.1)
    assert list(kept) == ["images/00000001_000.png"]
    assert notes == ["1 manifest row(s) have no label and were left out (e.g. images/00000002_000.png): their label is "
                     "empty or a missing-value marker (NA, N/A, NaN, null, #N/A or another spreadsheet error)."]


def test_a_class_named_like_a_marker_only_in_part_is_kept(tmp_path):
    manifest = tmp_path / "labels.csv"
    manifest.write_text("file,label\n00000001_000.png,NASH\n00000002_000.png,Nodule\n")
    assert {label for label, _ in triage_labels.manifest_labels(_files(), str(manifest)).values()} == {"NASH", "Nodule"}


def test_a_missing_value_marker_names_no_patient(tmp_path):
    """R writes a blank lesion_id (ISIC 2019's metadata) as NA: every such image had been one patient, 'NA'."""
    manifest = tmp_path / "labels.csv"
    manifest.write_text("file,label,lesion_id\n00000001_000.png,mel,NA\n00000002_000.png,nv,NA\n")
    assert triage_labels.manifest_patients(_files(), str(manifest)) == ({}, "lesion_id")

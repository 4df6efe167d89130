"""A flat folder of DICOMs whose headers name the patient is held out by patient, not image by image."""
from __future__ import annotations

import numpy as np

from data import images
from services import triage_training
from services.triage_split_names import header_group
from tests.triage_support import dicom_bytes


def _flat_dicoms(patients: int = 8, views: int = 3) -> list[images.InputFile]:
    rng = np.random.default_rng(0)
    return [images.InputFile(f"{label}/{label}{p}-{v}x.dcm",
                             dicom_bytes(rng.integers(0, 255, (32, 32)), patient_id=f"MRN{label[:2]}{p:04d}"))
            for label in ("normal", "pneumonia") for p in range(patients) for v in range(views)]


def test_a_flat_folder_of_dicoms_holds_out_whole_patients_by_their_header_id():
    labelled = triage_training.load_labelled(_flat_dicoms(), None, lambda *a: None, seed=0)
    assert labelled.valid is not None  # had been None: the task held out single images
    assert not set(labelled.valid["group"]) & set(labelled.train["group"])
    assert labelled.valid["group"].str.startswith("dcm:").all()
    assert labelled.notes[-1].startswith("Validation: ") and " of 16 patients held out whole (the PatientID in the " \
        "DICOM headers" in labelled.notes[-1]
    assert not any("MRN" in g for g in (*labelled.train["group"], *labelled.valid["group"], *labelled.notes))
    again = triage_training.load_labelled(_flat_dicoms(), None, lambda *a: None, seed=0)
    assert sorted(again.valid["group"]) == sorted(labelled.valid["group"])  # the same seed, the same split


def test_header_groups_replace_only_loose_images_and_hash_the_id():
    salt = b"s" * 16
    assert header_group("file:a/1.dcm", "MRN7", salt) == header_group("file:a/2.dcm", "MRN7", salt) != \
        header_group("file:a/3.dcm", "MRN8", salt)
    assert "MRN7" not in header_group("file:a/1.dcm", "MRN7", salt)
    assert header_group("dir:a/patient1", "MRN7", salt) == "dir:a/patient1"
    assert header_group("file:a/1.png", None, salt) == "file:a/1.png"
    assert header_group("file:a/1.dcm", "", salt) == "file:a/1.dcm"

"""DICOMs whose headers name the patient are held out by patient: a flat folder of them had been held out image by
image, and an export's study folders (normal/<study>/IM1.dcm, two studies a patient) folder by folder, so that a
patient's other study lay in training while the note said no patient had images on both sides."""
from __future__ import annotations

import numpy as np

from data import images
from services import triage_training
from services.triage_split_names import header_groups, header_key
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


def _study_folders(patients: int = 6, studies: int = 2) -> list[images.InputFile]:
    rng = np.random.default_rng(0)
    return [images.InputFile(f"export/{label}/{rng.integers(10**9)}/IM{v}.dcm",
                             dicom_bytes(rng.integers(0, 255, (32, 32)), patient_id=f"MRN{label[:2]}{p:04d}"))
            for label in ("normal", "pneumonia") for p in range(patients) for _ in range(studies) for v in range(2)]


def test_study_folders_of_one_patient_are_held_out_together_by_the_header_id():
    for seed in range(3):
        labelled = triage_training.load_labelled(_study_folders(), None, lambda *a: None, seed=seed)
        assert labelled.valid is not None and labelled.valid["group"].str.startswith("dcm:").all()
        assert not set(labelled.valid["group"]) & set(labelled.train["group"])
        assert " of 12 patients held out whole (the PatientID in the DICOM headers" in labelled.notes[-1]


def test_header_groups_join_every_group_of_a_patient_and_hash_the_id():
    salt = b"s" * 16
    assert header_key("MRN7", salt) == header_key("MRN7", salt) != header_key("MRN8", salt)
    assert "MRN7" not in header_key("MRN7", salt) and header_key("", salt) is None
    a, b = header_key("MRN7", salt), header_key("MRN8", salt)
    joined = header_groups(["dir:n/s1", "dir:n/s1", "dir:n/s2", "file:n/x.dcm", "dir:n/s3", "file:n/y.png"],
                           [a, a, a, a, b, None])
    assert joined[0] == joined[2] == joined[3] == f"dcm:{a}" and joined[4] == f"dcm:{b}"
    assert joined[5] == "file:n/y.png"  # no header: as found
    linked = header_groups(["dir:s1", "dir:s1", "dir:s2"], [a, b, b])  # one folder holding two patients
    assert len(set(linked)) == 1 and linked[0].startswith("dcm:")


def test_a_patient_id_on_most_images_is_an_anonymisers_placeholder():
    salt = b"s" * 16
    anonymous, other = header_key("ANONYMOUS", salt), header_key("MRN1", salt)
    groups = [f"dir:n/s{i}" for i in range(12)]
    assert header_groups(groups, [anonymous] * 11 + [other]) == groups[:11] + [f"dcm:{other}"]


def test_your_own_split_is_warned_of_a_patient_whose_headers_lie_on_two_sides():
    rng = np.random.default_rng(0)
    files = [images.InputFile(f"{side}/{label}/{rng.integers(10**9)}/IM{v}.dcm",
                              dicom_bytes(rng.integers(0, 255, (32, 32)), patient_id=f"MRN{label[:2]}{p:04d}"))
             for side, patients in (("train", range(6)), ("test", range(4, 8)))
             for label in ("normal", "pneumonia") for p in patients for v in range(2)]
    labelled = triage_training.load_labelled(files, None, lambda *a: None, seed=0)
    crossing = [w for w in labelled.warnings if "have images in more than one of your own splits" in w]
    assert crossing and crossing[0].startswith("4 patient(s) (the PatientID in the DICOM headers")
    assert "(4 in train and test)" in crossing[0] and "MRN" not in crossing[0]

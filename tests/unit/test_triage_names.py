"""Worklist names: scrubbed of patient identifiers, yet each row still names one study a reader can find again."""
import io

import numpy as np

from data import images
from services import triage
from services.triage_names import findable, keyed, scrubbed

UUIDS = ("0004cfab-14fd-4e49-80ba-63a80b6bddd6", "00313ee0-9eaa-42f4-b0ab-c148ed3241cd",
         "00322d4d-1c29-4943-afc9-b6754be640eb")


def _rsna_dicom(patient: str, number: int) -> bytes:
    """An RSNA Pneumonia-like CR: PatientName and PatientID are both the patient id the file is named by."""
    import pydicom
    from pydicom.dataset import Dataset, FileMetaDataset
    from pydicom.uid import ExplicitVRLittleEndian

    meta = FileMetaDataset()
    meta.MediaStorageSOPClassUID = "1.2.840.10008.5.1.4.1.1.7"
    meta.MediaStorageSOPInstanceUID = f"1.2.276.0.7230010.3.1.4.8323329.{3000 + number}.1517874307.66547{number}"
    meta.TransferSyntaxUID = ExplicitVRLittleEndian
    ds = Dataset()
    ds.file_meta = meta
    ds.SOPClassUID, ds.SOPInstanceUID = meta.MediaStorageSOPClassUID, meta.MediaStorageSOPInstanceUID
    ds.Modality, ds.PatientName, ds.PatientID, ds.BodyPartExamined = "CR", patient, patient, "CHEST"
    ds.Rows = ds.Columns = 32
    ds.SamplesPerPixel, ds.PhotometricInterpretation = 1, "MONOCHROME2"
    ds.BitsAllocated, ds.BitsStored, ds.HighBit, ds.PixelRepresentation = 8, 8, 7, 0
    ds.PixelData = np.random.default_rng(number).integers(0, 255, (32, 32), dtype=np.uint8).tobytes()
    buffer = io.BytesIO()
    pydicom.dcmwrite(buffer, ds, enforce_file_format=True)
    return buffer.getvalue()


def _worklist_names(files: dict[str, bytes]) -> tuple[list[str], list[str]]:
    seen: dict[str, int] = {}
    entries = [triage._read_entry(b"salt", images.InputFile(name, payload), seen, {"size": 28})
               for name, payload in files.items()]
    entries, _, _ = scrubbed(entries, [])
    return [e["file"] for e in entries], [e["record_key"] for e in entries]


def test_files_named_by_the_patient_id_carry_their_study_key_not_a_running_number():
    """RSNA's files are named by the patient ID: every row had read '[removed].dcm #N', numbered in reading order
    (the first not even numbered), so no row could be told from another or found again."""
    files = {f"stage_2_test_images/{uid}.dcm": _rsna_dicom(uid, n) for n, uid in enumerate(UUIDS)}
    names, keys = _worklist_names(files)
    assert names == [f"stage_2_test_images/[removed].dcm ({key})" for key in keys]
    assert len(set(names)) == 3 and all(k.startswith("st-") and len(k) == 23 for k in keys)
    assert not any(part in " ".join(names) for uid in UUIDS for part in uid.split("-"))
    again, _ = _worklist_names(dict(reversed(list(files.items()))))
    assert sorted(again) == sorted(names)  # the same names whatever the order the files are read in


def test_names_that_keep_a_word_of_their_own_are_left_as_they_are():
    files = {f"{UUIDS[0]}_scan.dcm": _rsna_dicom(UUIDS[0], 0), f"{UUIDS[1]}/IM1.dcm": _rsna_dicom(UUIDS[1], 1),
             f"{UUIDS[2]}/IM1.dcm": _rsna_dicom(UUIDS[2], 2), "plain.dcm": _rsna_dicom("ROE^ANN", 3)}
    names, keys = _worklist_names(files)
    assert names[0] == "[removed]_scan.dcm" and names[3] == "plain.dcm"
    assert names[1:3] == [keyed("[removed]/IM1.dcm", keys[1]), keyed("[removed]/IM1.dcm", keys[2])]  # made equal


def test_a_reason_naming_a_keyed_file_names_it_the_same_way():
    entries = [{"record_key": "st-a", "file": "ROE.dcm", "reason": "ROE.dcm: truncated", "identifiers": ("ROE",)}]
    entries, _, _ = scrubbed(entries, [])
    assert entries[0]["file"] == "[removed].dcm (st-a)" and entries[0]["reason"] == "[removed].dcm (st-a): truncated"


def test_skipped_training_files_named_by_the_patient_id_are_named_by_their_place_in_their_folder():
    """RSNA-like training files that could not be decoded had all been listed as
    'stage_2_train_images/[removed].dcm: …', so a reader could not tell which files to convert."""
    names = tuple(f"train/{uid}.dcm" for uid in UUIDS) + ("train/x_scan.dcm", "top.dcm")
    ids = ("0004cfab-14fd-4e49-80ba-63a80b6bddd6", "00322d4d-1c29-4943-afc9-b6754be640eb", "top")
    lines = [f"train/{UUIDS[2]}.dcm: JPEG-LS cannot be decoded", f"train/{UUIDS[0]}.dcm: truncated",
             "train/x_scan.dcm: truncated", "top.dcm: truncated"]
    assert findable(lines, names, ids) == [
        "train/[removed].dcm (file 3 of 4 in train/, by name): JPEG-LS cannot be decoded",
        "train/[removed].dcm (file 1 of 4 in train/, by name): truncated",
        "train/x_scan.dcm: truncated", "[removed].dcm (file 1 of 1 in the top folder, by name): truncated"]

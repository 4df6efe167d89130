"""A labels table whose columns are not called file and label: the one column that fits each role is read, and the
run's notes say which; several that fit (ISIC 2020's target, diagnosis, benign_malignant) are still refused."""
import pytest

from data import images
from services import triage_labels, triage_training
from tests.triage_support import dicom_bytes, png_bytes, sample_images


def _quiet(fraction, message):
    return None


def test_a_hand_made_table_is_read_by_the_words_of_its_column_names(tmp_path):
    """filename,diagnosis_label had been refused listing its columns, with no word of what to rename."""
    manifest = tmp_path / "labels.csv"
    manifest.write_text("filename,diagnosis_label\nscan_1.png,normal\nscan_2.png,pneumonia\n")
    notes: list[str] = []
    layout = triage_labels.manifest_labels([images.InputFile(f"xrays/scan_{i}.png", b"x") for i in (1, 2)],
                                           str(manifest), notes)
    assert layout == {"xrays/scan_1.png": ("normal", None), "xrays/scan_2.png": ("pneumonia", None)}
    assert notes == ["The manifest has no file or label column, so 'filename' as the file column and "
                     "'diagnosis_label' as the label column were read (the only column named like each role); rename "
                     "the columns to file and label if another was meant."]


def test_columns_that_fit_a_role_twice_are_still_refused_with_what_to_rename(tmp_path):
    manifest = tmp_path / "train.csv"
    manifest.write_text("image_name,patient_id,diagnosis,benign_malignant,target\nISIC_1,IP_1,nevus,benign,0\n")
    with pytest.raises(triage_labels.TrainingSetError, match=r"Rename the column naming each image \('image_name'\) "
                       r"to file and the one holding its class \('target' or 'diagnosis' or 'benign_malignant'\)"):
        triage_labels.manifest_labels([images.InputFile("jpeg/train/ISIC_1.jpg", b"x")], str(manifest))
    manifest.write_text("image_label,scan_class\na.png,normal\n")  # each name says both roles: no guess
    with pytest.raises(triage_labels.TrainingSetError, match=r"it has image_label, scan_class\.$"):
        triage_labels.manifest_labels([images.InputFile("a.png", b"x")], str(manifest))


@pytest.mark.parametrize("header", ["patientId,x,y,width,height,Target", "file,x,y,width,height,label"])
def test_rsnas_table_trains_one_label_per_patient_and_says_each_patient_has_one_film(tmp_path, header):
    """RSNA's stage_2_train_labels.csv: one row per box (several for a positive patient, with x,y,width,height), one
    empty row for a negative one, files <patientId>.dcm carrying that PatientID. It had been refused until renamed,
    and then validation read 'held out image by image (no patient folders found …), so one patient's images may lie
    on both sides'."""
    files, rows = [], [header]
    for label, arrays in sample_images(12).items():
        for i, pixels in enumerate(arrays):
            pid = f"{label[0]}{i:02d}-4e49-80ba"
            files.append(images.InputFile(f"stage_2_train_images/{pid}.dcm", dicom_bytes(pixels, patient_id=pid)))
            boxes = [f"{100 + k}.0,150.0,80.0,120.0" for k in range(1 + i % 3)] if label == "pneumonia" else [",,,"]
            rows += [f"{pid},{box},{int(label == 'pneumonia')}" for box in boxes]
    manifest = tmp_path / "stage_2_train_labels.csv"
    manifest.write_text("\n".join(rows) + "\n")
    labelled = triage_training.load_labelled(files, str(manifest), _quiet, seed=0)
    assert len(labelled.train) == 24 and labelled.valid is None and sorted(labelled.classes) == ["0", "1"]
    assert labelled.notes[-1] == (
        "Validation: 15% of each class held out image by image; the 24 patients (grouped by the PatientID in the "
        "DICOM headers, compared as a salted hash) have one image each, so none has images on both sides.")
    matched = "'patientId' as the file column and 'Target' as the label column"
    assert any(matched in n for n in labelled.notes) == header.startswith("patientId")


def test_hams_lesion_column_groups_a_table_read_by_its_column_names(tmp_path):
    """HAM10000_metadata.csv (lesion_id,image_id,dx,…; several photographs a lesion): image_id and dx are read, and
    lesions are held out whole."""
    pictures = [p for arrays in sample_images(16).values() for p in arrays]
    files, rows = [], ["lesion_id,image_id,dx,dx_type,age,sex,localization"]
    for i, pixels in enumerate(pictures):
        files.append(images.InputFile(f"HAM10000_images_part_{1 + i % 2}/ISIC_{i:07d}.jpg", png_bytes(pixels)))
        rows.append(f"HAM_{i // 4:07d},ISIC_{i:07d},{'mel' if i >= 16 else 'benign'},histo,45.0,male,back")
    manifest = tmp_path / "HAM10000_metadata.csv"
    manifest.write_text("\n".join(rows) + "\n")
    labelled = triage_training.load_labelled(files, str(manifest), _quiet, seed=0)
    lesions = [set(part["group"]) for part in (labelled.train, labelled.valid)]
    assert lesions[1] and not lesions[0] & lesions[1]
    assert labelled.notes[-1].endswith("lesions held out whole (the manifest's 'lesion_id' column), so that no lesion "
                                       "has images on both sides.")

"""A labels table whose columns are not called file and label: the one column that fits each role is read, and the
run's notes say which; of several that fit, the one splitting the images most coarsely (ISIC 2020's target, beside
benign_malignant, the same classes, and diagnosis, a sub-label), and refused when none does."""
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


ISIC_2020 = ("image_name,patient_id,sex,age_approx,anatom_site_general_challenge,diagnosis,benign_malignant,target\n"
             "ISIC_1,IP_7,male,45.0,head/neck,unknown,benign,0\nISIC_2,IP_7,male,45.0,torso,melanoma,malignant,1\n"
             "ISIC_3,IP_8,female,,torso,nevus,benign,0\nISIC_4,IP_9,female,60.0,,melanoma,malignant,1\n"
             "ISIC_5,IP_9,female,60.0,,NA,benign,0\nISIC_6,IP_9,female,60.0,,NA,malignant,1\n")  # NA: no diagnosis


def test_isic_2020s_table_reads_target_and_leaves_out_the_same_classes_and_the_sub_label(tmp_path):
    """ISIC 2020's train.csv had been refused as having three label columns: target (0/1) is benign_malignant under
    other names, and diagnosis (nevus, melanoma …) splits them finer; target is read, with a note, and patient_id
    groups validation."""
    manifest = tmp_path / "train.csv"
    manifest.write_text(ISIC_2020)
    files = [images.InputFile(f"jpeg/train/ISIC_{i}.jpg", b"x") for i in range(1, 7)]
    notes: list[str] = []
    layout = triage_labels.manifest_labels(files, str(manifest), notes)
    assert [label for label, _ in layout.values()] == ["0", "1", "0", "1", "0", "1"]
    assert notes == ["The manifest has no file or label column, so 'image_name' as the file column and 'target' as "
                     "the label column were read (the only column named like a file; of the 3 columns named like a "
                     "label, the one splitting the images most coarsely: 'benign_malignant' holds the same classes "
                     "under other names and 'diagnosis' splits them finer, a sub-label, so they were not used); "
                     "rename the columns to file and label if another was meant."]
    patients, column = triage_labels.manifest_patients(files, str(manifest))
    assert column == "patient_id" and list(patients.values()) == ["IP_7", "IP_7", "IP_8"] + ["IP_9"] * 3


def test_columns_that_fit_a_role_twice_are_still_refused_with_what_to_rename(tmp_path):
    manifest = tmp_path / "train.csv"  # two label columns splitting the images across each other: none is the label
    manifest.write_text("image_name,patient_id,diagnosis,target\nISIC_1,IP_1,nevus,0\nISIC_2,IP_1,nevus,1\n"
                        "ISIC_3,IP_2,melanoma,1\n")
    with pytest.raises(triage_labels.TrainingSetError, match=r"Rename the column naming each image \('image_name'\) "
                       r"to file and the one holding its class \('target' or 'diagnosis'\)"):
        triage_labels.manifest_labels([images.InputFile(f"jpeg/train/ISIC_{i}.jpg", b"x") for i in (1, 2, 3)],
                                      str(manifest))
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

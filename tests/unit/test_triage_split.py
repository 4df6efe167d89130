"""How a training set is split and labelled: manifest patient groups, duplicates, blank and float labels, and the
margin below the operating cut-off."""
import re

import numpy as np
import pytest

from data import images
from domain import triage as rules
from services import triage_labels, triage_split, triage_training
from tests.triage_support import dicom_bytes, png_bytes, sample_images

PREFIX = "CheXpert-v1.0-small/train"


def _quiet(fraction, message):
    return None


def _chexpert(tmp_path, labels=("1.0", "0.0"), blanks: int = 0):
    """16 patients of 2 studies of 2 views each under one shared prefix; a patient's studies differ in label."""
    pictures = [p for arrays in sample_images(32).values() for p in arrays]
    files, rows = [], ["file,label"]
    for i, pixels in enumerate(pictures):
        patient, study, view = i // 4, i // 2 % 2, i % 2
        name = f"{PREFIX}/patient{patient:05d}/study{study + 1}/view{view + 1}.png"
        files.append(images.InputFile(name, png_bytes(pixels)))
        rows.append(f"{name},{'' if i < blanks else labels[(patient + study) % 2]}")
    manifest = tmp_path / "manifest.csv"
    manifest.write_text("\n".join(rows) + "\n")
    return files, str(manifest)


def test_a_manifest_with_a_shared_prefix_holds_out_whole_patients(tmp_path):
    files, manifest = _chexpert(tmp_path)
    labelled = triage_training.load_labelled(files, manifest, _quiet, seed=2)
    patients = [{g.split("/")[-1] for g in part["group"]} for part in (labelled.train, labelled.valid)]
    assert labelled.valid is not None and patients[1] and not patients[0] & patients[1]
    assert all(p.startswith("patient") for p in patients[0] | patients[1])
    assert labelled.held_folders == (len(patients[1]), 16)
    grouped = "patient folders held out whole (the first folder below CheXpert-v1.0-small/"
    assert any(grouped in note for note in labelled.notes)
    assert set(labelled.valid["label"]) == {"0", "1"}  # 1.0/0.0 read as 1/0


def test_float_labels_are_read_as_whole_numbers_and_their_pair_is_recognised(tmp_path):
    files, manifest = _chexpert(tmp_path)
    layout = triage_labels.manifest_labels(files, manifest)
    assert {label for label, _ in layout.values()} == {"0", "1"}
    assert rules.choose_abnormal(["0", "1"]) == ("1", "0")


def test_blank_label_cells_are_left_out_with_a_note_or_refused_when_all_are_blank(tmp_path):
    files, manifest = _chexpert(tmp_path, labels=("effusion", "no_finding"), blanks=6)
    labelled = triage_training.load_labelled(files, manifest, _quiet)
    assert labelled.total == 58 and not labelled.skipped
    assert any(n.startswith("6 manifest row(s) have no label and were left out") for n in labelled.notes)
    files, manifest = _chexpert(tmp_path, blanks=64)
    with pytest.raises(triage_labels.TrainingSetError, match="All 64 manifest rows have an empty label"):
        triage_training.load_labelled(files, manifest, _quiet)


def test_byte_identical_copies_are_kept_once_or_left_out_when_their_labels_differ():
    pictures = sample_images(6)
    files = [images.InputFile(f"{label}/{i}.png", png_bytes(px)) for label, arrays in pictures.items()
             for i, px in enumerate(arrays)]
    files += [images.InputFile("normal/copy_of_0.png", files[0].payload),
              images.InputFile("pneumonia/clash.png", files[1].payload)]
    labelled = triage_training.load_labelled(files, None, _quiet)
    assert labelled.total == 11 and labelled.counts == {"normal": 5, "pneumonia": 6}
    assert "normal/copy_of_0.png: a byte-identical copy of normal/0.png (same label); one copy kept" in labelled.skipped
    assert sum("different labels; left out" in s for s in labelled.skipped) == 2
    assert labelled.warnings == ("1 image(s) are stored byte-identical under different labels and every copy was "
                                 "left out (e.g. normal/1.png = pneumonia/clash.png): check their labels.",)
    many = [images.InputFile(f"{label}/{i}.png", png_bytes(px)) for label, arrays in sample_images(40).items()
            for i, px in enumerate(arrays)]
    empty = [images.InputFile("normal/empty.png", b""), images.InputFile("pneumonia/empty.png", b"")]
    labelled = triage_training.load_labelled(many + empty, None, _quiet)
    assert sum("the file is empty" in s for s in labelled.skipped) == 2  # empty files are no labelling clash
    assert not labelled.warnings and not any("byte-identical" in s for s in labelled.skipped)


def test_flat_class_folders_note_that_validation_is_held_out_image_by_image():
    files = [images.InputFile(f"{label}/{i}.png", png_bytes(px)) for label, arrays in sample_images(6).items()
             for i, px in enumerate(arrays)]
    labelled = triage_training.load_labelled(files, None, _quiet)
    assert labelled.valid is None and labelled.notes[-1].startswith("Validation: 15% of each class held out image by")


def test_sub_folders_of_one_image_each_are_not_called_missing_patient_folders():
    files = [images.InputFile(f"{label}/{'p%d/' % i if i % 2 else ''}{i}.png", png_bytes(px))
             for label, arrays in sample_images(6).items() for i, px in enumerate(arrays)]
    labelled = triage_training.load_labelled(files, None, _quiet)
    assert labelled.notes[-1] == ("Validation: 15% of each class held out image by image; the 6 sub-folders (grouped "
                                  "by the folder just inside each class folder) hold one image each, so none has "
                                  "images on both sides.")


def test_group_split_keeps_a_patient_with_both_labels_on_one_side():
    import pandas as pd

    labels = pd.Series(["a", "b"] * 20)
    groups = pd.Series([f"p{i // 4}" for i in range(40)])
    train, valid = triage_split.group_split(labels, groups, 0.15, seed=0)
    assert not set(groups[train]) & set(groups[valid]) and set(labels[valid]) == {"a", "b"}


def _rule_for(p, positive):
    from sklearn.metrics import roc_curve

    fpr, tpr, cut = roc_curve(positive, p)
    points = list(zip(fpr, tpr, np.minimum(cut, 1.0)))
    operating = rules.choose_operating_point(points, 0.95)
    return triage_training.with_margin(operating, rules.bucket_rule(points, operating), p, positive)


def test_separated_classes_get_a_margin_below_the_lowest_abnormal_score():
    p = np.array([0.01, 0.05, 0.2, 0.3, 0.9991, 0.9995, 0.9999, 0.99995])
    positive = np.array([False] * 4 + [True] * 4)
    operating, rule, notes = _rule_for(p, positive)
    assert 0.3 < operating.threshold < 0.99 and (operating.sensitivity, operating.specificity) == (1.0, 1.0)
    assert rule.review_threshold == operating.threshold and rule.urgent_threshold == pytest.approx(0.9991)
    assert rules.priority(0.995, rule) == rules.REVIEW and rules.priority(0.25, rule) == rules.ROUTINE
    assert notes and "midway (in log-odds)" in notes[0]


def test_the_margin_keeps_validation_specificity():
    rng = np.random.default_rng(0)
    positive = rng.random(200) < 0.4
    p = np.clip(rng.normal(0.35 + 0.3 * positive, 0.15), 0.001, 0.999)
    before = rules.choose_operating_point(_roc(p, positive), 0.95)
    operating, rule, _ = _rule_for(p, positive)
    assert operating.threshold < before.threshold and operating.specificity == pytest.approx(before.specificity)
    assert operating.sensitivity >= before.sensitivity and rule.urgent_threshold >= before.threshold


def _roc(p, positive):
    from sklearn.metrics import roc_curve

    fpr, tpr, cut = roc_curve(positive, p)
    return list(zip(fpr, tpr, np.minimum(cut, 1.0)))


def test_a_flat_folder_holds_out_whole_patients_named_by_the_manifest_and_ids_need_no_extension(tmp_path):
    """ISIC's layout: one flat folder, a metadata table with image ids (no extension) and patient ids."""
    pictures = [p for arrays in sample_images(32).values() for p in arrays]
    files, rows = [], ["image_id,label,patient_id,age"]
    for i, pixels in enumerate(pictures):
        files.append(images.InputFile(f"ISIC_{i:07d}.jpg", png_bytes(pixels)))
        rows.append(f"ISIC_{i:07d},{'mel' if i % 2 else 'nv'},IP_{i // 4:03d},50")
    manifest = tmp_path / "metadata.csv"
    manifest.write_text("\n".join(rows).replace("image_id", "file") + "\n")
    labelled = triage_training.load_labelled(files, str(manifest), _quiet, seed=1)
    patients = [set(part["group"]) for part in (labelled.train, labelled.valid)]
    assert labelled.valid is not None and patients[1] and not patients[0] & patients[1]
    assert labelled.held_folders[1] == 16
    assert any("(the manifest's 'patient_id' column)" in note for note in labelled.notes), labelled.notes


def test_manifest_ids_with_dots_find_their_file_without_its_extension(tmp_path):
    """SIIM's ImageId is the DICOM UID, dots and all, and its file is UID.dcm in per-study folders: the last dot
    part ('.959090') is no extension, so the id must still find its file (it was 'not among the images')."""
    uid = "1.2.276.0.7230010.3.1.4.8323329.5597.1517875188.959090"
    names = [f"dicom-images-train/1.2.276.0.7230010.3.1.2.8323329.5597.1517875188.959089/{uid}.dcm",
             "site A/scan v1.2.JPG", "ISIC_0000001.jpg", "dicom/1.2.3.4"]
    files = [images.InputFile(name, b"x") for name in names]
    manifest = tmp_path / "labels.csv"
    manifest.write_text(f"file,label\n{uid},1\njpeg/scan v1.2,0\nISIC_0000001,1\n1.2.3.4,0\n")
    layout = triage_labels.manifest_labels(files, str(manifest))
    assert layout == {names[0]: ("1", None), names[1]: ("0", None), names[2]: ("1", None), names[3]: ("0", None)}
    manifest.write_text("file,label\n1.2.3,1\n")  # a UID's prefix is another UID, not a file without suffix
    with pytest.raises(triage_labels.TrainingSetError, match="not among the images given, e.g. 1.2.3"):
        triage_labels.manifest_labels(files, str(manifest))


def test_a_table_listing_dicoms_finds_the_pngs_they_were_converted_to(tmp_path):
    """A labels table written for x.dcm beside the set converted to x.png: each row finds its one image, with a
    note; a name two converted files share (png/x.png and jpg/x.jpg) is refused as ambiguous."""
    names = ["png/case1.png", "png/case2.PNG", "png/case3.png", "jpg/case3.jpg"]
    files = [images.InputFile(name, b"x") for name in names]
    manifest, notes = tmp_path / "labels.csv", []
    manifest.write_text("file,label\ndicom/case1.dcm,1\ncase2.dcm,0\n")
    layout = triage_labels.manifest_labels(files[:3], str(manifest), notes)
    assert layout == {names[0]: ("1", None), names[1]: ("0", None)}
    assert notes == ["2 manifest row(s) name an image by another file type than the one given (such as x.dcm for "
                     "x.png, a converted set): each was matched to the one image of that name."]
    manifest.write_text("file,label\ncase3.dcm,1\n")
    with pytest.raises(triage_labels.TrainingSetError, match="several folders hold, e.g. case3.dcm"):
        triage_labels.manifest_labels(files, str(manifest))


def test_the_notes_of_a_set_of_tcia_style_patients_keep_their_figures():
    """Patients LIDC-IDRI-0001 … 0032 (each ID also written 1 … 32) had their split note read '[removed]% of each
    class held out'; the files a note names are still scrubbed."""
    pictures = [(label, p) for label, arrays in sample_images(16).items() for p in arrays]
    files = [images.InputFile(f"{label}/LIDC-IDRI-{i:04d}.dcm", dicom_bytes(p, patient=f"LIDC-IDRI-{i + 1:04d}"))
             for i, (label, p) in enumerate(pictures)]
    labelled = triage_training.load_labelled(files, None, _quiet, seed=0)
    assert any(n.startswith("Validation: 15% of each class held out image by image") for n in labelled.notes), \
        labelled.notes
    assert not any("IDRI" in line for line in (*labelled.notes, *labelled.warnings, *labelled.skipped))


def test_a_public_sets_own_label_table_is_refused_with_the_columns_to_rename(tmp_path):
    """ISIC's metadata (several columns fit the label) was refused naming only the columns it holds (RSNA's table,
    whose columns fit one role each, is read by them now: test_triage_manifest_columns)."""
    files = [images.InputFile("a1.dcm", b"x")]
    manifest = tmp_path / "stage_2_train_labels.csv"
    manifest.write_text("file,sex,benign_malignant,target\na1,f,benign,0\n")
    with pytest.raises(triage_labels.TrainingSetError, match=r"Rename the one holding its class \('target' or "
                                                            r"'benign_malignant'\) to label;"):
        triage_labels.manifest_labels(files, str(manifest))
    manifest.write_text("name,sex\na1,f\n")
    with pytest.raises(triage_labels.TrainingSetError, match=r"it has name, sex\.$"):
        triage_labels.manifest_labels(files, str(manifest))


def _isic_split(tmp_path, split_of):
    """8 patients of 4 lesion photographs each, in one flat folder; ``split_of(image, patient)`` gives the split."""
    pictures = [p for arrays in sample_images(16).values() for p in arrays]
    files, rows = [], ["file,label,patient_id,split"]
    for i, pixels in enumerate(pictures):
        files.append(images.InputFile(f"ISIC_{i:07d}.jpg", png_bytes(pixels)))
        rows.append(f"ISIC_{i:07d},{'malignant' if i < 16 else 'benign'},IP_{i // 4:03d},{split_of(i, i // 4)}")
    manifest = tmp_path / "metadata.csv"
    manifest.write_text("\n".join(rows) + "\n")
    return triage_training.load_labelled(files, str(manifest), _quiet, seed=0)


def test_your_own_split_with_a_patient_on_two_sides_is_warned(tmp_path):
    """A table split image by image (sklearn's train_test_split) put patients in train and val without a word."""
    sides = ("train", "train", "val", "test")
    labelled = _isic_split(tmp_path, lambda image, patient: sides[image % 4])
    crossing = [w for w in labelled.warnings if "more than one of your own splits" in w]
    assert crossing == ["8 patient(s) (the manifest's 'patient_id' column) have images in more than one of your own "
                        "splits (8 in train and val and test): the model trains on them, so the validation and test "
                        "figures are flattering. Put each patient's images in one split, or leave the split out and "
                        "let the desk hold out whole patients."]
    assert "IP_0" not in crossing[0]  # patient IDs are counted, never stored
    by_patient = ("train", "train", "val", "test", "train", "train", "val", "test")
    labelled = _isic_split(tmp_path, lambda image, patient: by_patient[patient])
    assert not [w for w in labelled.warnings if "your own splits" in w]


def test_a_patient_folder_in_train_and_val_folders_is_warned():
    pictures = sample_images(12)
    files = [images.InputFile(f"chest/{split}/{label}/patient{i % 4:02d}/view{i}.png", png_bytes(p))
             for label, arrays in pictures.items() for i, p in enumerate(arrays)
             for split in ["train" if i < 8 else "val"]]
    labelled = triage_training.load_labelled(files, None, _quiet, seed=0)
    crossing = [w for w in labelled.warnings if "more than one of your own splits" in w]
    assert len(crossing) == 1 and crossing[0].startswith("8 patient(s) (the folder just inside each class folder)")
    assert "splits (8 in train and val): if each is one patient, the model trains" in crossing[0]


def test_a_sets_whole_labels_table_beside_a_sample_of_its_images_is_read_with_a_note(tmp_path):
    """RSNA's labels table (several box rows per patient) covers 26,684 patients; with a sample of the DICOMs it
    was refused. Rows left over are fine when every image given has its row; otherwise a misspelt path is likely."""
    pictures = [p for arrays in sample_images(8).values() for p in arrays]
    files = [images.InputFile(f"stage_2_train_images/pid-{i}.dcm", png_bytes(p)) for i, p in enumerate(pictures)]
    rows = [f"pid-{i},{i % 2}" for i in range(40) for _ in range(1 + i % 3)]
    manifest = tmp_path / "labels.csv"
    manifest.write_text("file,label\n" + "\n".join(rows) + "\n")
    labelled = triage_training.load_labelled(files, str(manifest), _quiet, seed=0)
    assert labelled.total == 16
    assert labelled.notes[0] == ("48 manifest row(s) name files that are not among the images given; every image "
                                 "given has its row, so the table is read as covering more images than were given, "
                                 "and those rows are left out.")
    files.append(images.InputFile("stage_2_train_images/other.dcm", files[0].payload + b"\0"))
    with pytest.raises(triage_labels.TrainingSetError, match="^48 manifest rows name files that are not among"):
        triage_training.load_labelled(files, str(manifest), _quiet, seed=0)


def test_nihs_patient_id_column_groups_validation_by_patient(tmp_path):
    """NIH ChestX-ray14's table names the patient 'Patient ID' (a space, not patient_id): its follow-up films were
    held out image by image, so one patient's films lay on both sides."""
    pictures = [p for arrays in sample_images(16).values() for p in arrays]
    files = [images.InputFile(f"images/{i // 4:08d}_{i % 4:03d}.png", png_bytes(p)) for i, p in enumerate(pictures)]
    manifest = tmp_path / "Data_Entry_2017.csv"
    manifest.write_text("Image Index,Finding Labels,Follow-up #,Patient ID\n" + "".join(
        f"{i // 4:08d}_{i % 4:03d}.png,{'Effusion' if i < 16 else 'No Finding'},{i % 4},{i // 4 + 1}\n"
        for i in range(32)))
    notes: list[str] = []  # its own header is read by the column names: Image Index and Finding Labels
    assert len(triage_labels.manifest_labels(files, str(manifest), notes)) == 32 and "'Image Index' as the file" \
        in notes[0]
    manifest.write_text(manifest.read_text().replace("Image Index,Finding Labels", "file,label"))
    labelled = triage_training.load_labelled(files, str(manifest), _quiet, seed=0)
    patients = [set(part["group"]) for part in (labelled.train, labelled.valid)]
    assert labelled.valid is not None and patients[1] and not patients[0] & patients[1]
    assert any("(the manifest's 'patient id' column)" in note for note in labelled.notes), labelled.notes
    # the images lie flat in images/: patients are held out whole, not 'patient folders'
    assert any(re.fullmatch(r"Validation: \d of 8 patients held out whole \(the manifest's 'patient id' column\), so "
                            r"that no patient has images on both sides\.", note) for note in labelled.notes)

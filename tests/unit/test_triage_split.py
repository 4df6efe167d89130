"""How a training set is split and labelled: manifest patient groups, duplicates, blank and float labels, and the
margin below the operating cut-off."""
import numpy as np
import pytest

from data import images
from domain import triage as rules
from services import triage_labels, triage_split, triage_training
from tests.triage_support import png_bytes, sample_images

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

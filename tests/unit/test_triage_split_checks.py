"""A split whose classes lie only in your own val/ or test/ part is refused in plain words: it had read "The training
split has a single class (none)" when no image was in train/."""
from __future__ import annotations

import pandas as pd
import pytest

from services import triage_split
from services.triage_labels import TrainingSetError


def _frame(parts: dict[tuple[str, str], int]) -> pd.DataFrame:
    rows = [{"label": label, "split": split, "group": f"file:{split}/{label}/{i}.png"}
            for (split, label), n in parts.items() for i in range(n)]
    return pd.DataFrame(rows)


def test_a_split_without_training_images_says_so_and_what_to_do():
    frame = _frame({("val", "normal"): 20, ("val", "pneumonia"): 20, ("test", "normal"): 20, ("test", "pneumonia"): 20})
    with pytest.raises(TrainingSetError) as refused:
        triage_split.split(frame)
    assert str(refused.value) == (
        "No image is in the training split: all 80 lie in your own validation (40) and test (40) splits, so no class "
        "('normal' and 'pneumonia') has a training image and the model has nothing to learn from. Put the training "
        "images in a train/ folder beside val/ and test/ (with a manifest: split train in their rows), or leave the "
        "split out (no val/ or test/ folders, no split column) and the desk holds out validation itself.")
    with pytest.raises(TrainingSetError, match=r"^No image is in the training split: all 8 lie in your own test split, "
                                               r"so no class \('a', 'b', 'c' and 1 more\) has"):
        triage_split.split(_frame({("test", c): 2 for c in "abcd"}))


def test_classes_missing_from_training_are_all_named():
    frame = _frame({("train", "normal"): 20, ("test", "normal"): 5, ("test", "pneumonia"): 5, ("test", "covid"): 5})
    with pytest.raises(TrainingSetError) as refused:
        triage_split.split(frame)
    assert str(refused.value).startswith("Classes 'covid' and 'pneumonia' are in the test images but not in the "
                                         "training ones ('normal'): the model cannot learn them")
    with pytest.raises(TrainingSetError, match="^Class 'pneumonia' is in the validation images but not in the training "
                                               r"ones \('normal'\): the model cannot learn it"):
        triage_split.split(_frame({("train", "normal"): 20, ("val", "pneumonia"): 5}))


def test_a_lesion_column_holds_out_lesions_not_patients():
    """HAM10000 groups by lesion_id (no patient ID): the note had called its 50 lesions patients."""
    assert triage_split.split_note(False, (7, 50), "the manifest's 'lesion_id' column") == (
        "Validation: 7 of 50 lesions held out whole (the manifest's 'lesion_id' column), so that no lesion has images "
        "on both sides.")
    assert triage_split.split_note(False, (7, 50), "the manifest's 'patient_id' column").startswith(
        "Validation: 7 of 50 patients held out whole")


def test_a_manifest_of_loose_images_says_why_validation_went_image_by_image():
    """APTOS's train_images/ named by id_code: the note had spoken of 'the first folder below the top of the input
    (train/val/test folders aside), which all manifest paths share', where no path has a folder."""
    layout = {f"{i:012x}.png": (("normal", "referable")[i % 2], None) for i in range(20)}
    groups, grouped_by = triage_split.patient_groups(layout, manifest=True)
    assert set(groups.values()) == {f"file:{name}" for name in layout}
    assert triage_split.split_note(False, (0, 0), grouped_by) == (
        "Validation: 15% of each class held out image by image (the manifest's images lie side by side in one folder "
        "and no column of it names the patient, such as patient_id), so one patient's images may lie on both sides.")
    layout = {f"train_images/{name}": value for name, value in layout.items()}  # given the folder above
    assert triage_split.patient_groups(layout, manifest=True)[1] == grouped_by

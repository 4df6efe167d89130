"""A val/ split too small to set the operating point (Kaggle's chest X-ray: 8 NORMAL and 8 PNEUMONIA beside 5,216
training images) joins training, and validation is held out from train + val; test/ stays the test set."""
from __future__ import annotations

import pandas as pd

from data import images
from services import triage_split, triage_training
from tests.triage_support import png_bytes, sample_images


def _quiet(fraction, message):
    pass


def _labels(normal: int, pneumonia: int) -> pd.Series:
    return pd.Series(["NORMAL"] * normal + ["PNEUMONIA"] * pneumonia)


def _kaggle(train: int, val: int, test: int = 5) -> list[images.InputFile]:
    """chest_xray/{train,val,test}/{NORMAL,PNEUMONIA}/…, flat class folders, distinct pictures per split."""
    files = []
    for split, count, source in (("train", train, "train"), ("val", val, "val"), ("test", test, "test")):
        for label, pictures in sample_images(count, split=source).items():
            files += [images.InputFile(f"chest_xray/{split}/{label.upper()}/{label}{i}.png", png_bytes(p))
                      for i, p in enumerate(pictures)]
    return files


def test_kaggle_val_of_eight_a_class_is_too_small_and_joins_training():
    note = triage_split.own_validation_note(_labels(1341, 3875), _labels(8, 8))
    assert note == ("Your own val/ split holds only 8 'NORMAL' and 8 'PNEUMONIA' image(s), too few to set the "
                    "operating point (under 30 of a class, where one abnormal image moves the sensitivity by several "
                    "points): its images join training, and validation is held out from train + val as without a "
                    "val/ split. Your test/ split, if any, stays the test set.")
    assert "only 8 'NORMAL' image(s)" in triage_split.own_validation_note(_labels(1341, 3875), _labels(8, 400))


def test_a_val_split_is_kept_when_large_enough_or_when_the_desk_would_hold_out_no_more():
    assert triage_split.own_validation_note(_labels(1341, 3875), _labels(30, 30)) is None
    assert triage_split.own_validation_note(_labels(20, 20), _labels(4, 4)) is None  # 15 % of 24 is 4: no gain
    assert triage_split.own_validation_note(_labels(20, 20), _labels(0, 0)) is None  # no val/ at all
    assert "one class only ('NORMAL')" in triage_split.own_validation_note(_labels(20, 20), _labels(3, 0))


def test_a_small_val_folder_joins_training_and_test_stays_the_test_set():
    labelled = triage_training.load_labelled(_kaggle(train=40, val=2), None, _quiet, seed=0)
    assert labelled.valid is None  # held out from train + val by the task, 15 % of each class
    assert labelled.counts == {"NORMAL": 42, "PNEUMONIA": 42} and len(labelled.train) == 84
    assert labelled.test["label"].value_counts().to_dict() == {"NORMAL": 5, "PNEUMONIA": 5}
    assert labelled.notes[-2].startswith("Your own val/ split holds only 2 'NORMAL' and 2 'PNEUMONIA' image(s)")
    assert labelled.notes[-1].startswith("Validation: 15% of each class held out image by image")


def test_a_val_folder_the_desk_could_not_beat_is_kept():
    labelled = triage_training.load_labelled(_kaggle(train=12, val=3), None, _quiet, seed=0)
    assert labelled.valid["label"].value_counts().to_dict() == {"NORMAL": 3, "PNEUMONIA": 3}
    assert labelled.notes[-1] == "Validation: the images of your own val/ split."


def test_a_patient_folder_in_train_and_a_small_val_is_held_out_whole():
    """Folded into training, val/NORMAL/patient03 is the patient of train/NORMAL/patient03: one side only."""
    pictures = sample_images(40)
    files = [images.InputFile(f"chest/{'train' if i < 36 else 'val'}/{label}/patient{i % 8:02d}/view{i}.png",
                              png_bytes(p)) for label, arrays in pictures.items() for i, p in enumerate(arrays)]
    for seed in range(6):
        labelled = triage_training.load_labelled(files, None, _quiet, seed=seed)
        assert labelled.valid is not None and labelled.held_folders[1] == 16  # 8 patients a class, not 12
        key = lambda frame: set(frame["group"].str.replace("/val/", "/train/"))  # noqa: E731
        assert not key(labelled.train) & key(labelled.valid)
        assert not [w for w in labelled.warnings if "your own splits" in w]  # val/ is no split of its own now

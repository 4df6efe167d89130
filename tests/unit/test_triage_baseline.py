"""The pixel baseline beside the triage CNN, and the caution when the CNN trails it."""
import numpy as np
import pandas as pd
import pytest

from domain import triage_quality as quality
from ml import image_split
from ml import image_baseline
from services import triage_warnings


def _frame(per_class: int, seed: int, signal: float = 60.0) -> pd.DataFrame:
    """64 px gray images; the 'pneumonia' half is brighter over its lower half (a diffuse opacity)."""
    rng = np.random.default_rng(seed)
    images, labels = [], []
    for i in range(2 * per_class):
        image = 100 + 30 * rng.standard_normal((64, 64))
        if i % 2:
            image[32:] += signal
        images.append(np.clip(image, 0, 255).astype(np.uint8))
        labels.append("pneumonia" if i % 2 else "normal")
    return pd.DataFrame({"image": pd.Series(images, dtype=object), "label": labels})


def test_the_baseline_sees_a_plain_signal_and_not_noise():
    train, valid = _frame(30, 0), _frame(10, 1)
    assert image_baseline.pixel_auc(train, valid, "normal") > 0.95
    flat_train, flat_valid = _frame(30, 0, signal=0.0), _frame(10, 1, signal=0.0)
    assert image_baseline.pixel_auc(flat_train, flat_valid, "normal") < 0.8
    assert image_baseline.pixel_auc(train, valid[valid["label"] == "normal"], "normal") is None


def test_the_split_is_the_one_the_cnn_task_would_hold_out():
    frame = _frame(20, 0)
    train, valid = image_baseline.validation_split(frame, None, seed=3)
    train_idx, valid_idx = image_split.stratified_split(frame["label"], image_split.VAL_FRACTION, 3)
    assert [id(a) for a in valid["image"]] == [id(frame["image"].iloc[i]) for i in valid_idx]
    assert len(train) == len(train_idx) and valid["label"].value_counts().to_dict() == {"normal": 3, "pneumonia": 3}
    own = _frame(4, 1)
    kept = image_baseline.validation_split(frame, own, seed=3)
    assert kept[0] is frame and kept[1] is own


def test_a_model_well_below_the_baseline_is_called_weak_with_what_to_do():
    caution = quality.weak_model_caution(0.69, 1.0, 8, 10, 64)
    assert caution.startswith("The model is weak") and "0.690" in caution and "1.000" in caution
    assert "after 8 of 10 epochs" in caution and "e.g. 20" in caution and "128 px" in caution
    assert quality.weak_model_caution(0.97, 1.0, 10, 10, 64) is None  # within the margin
    assert "On 48 validation images a gap this size can be chance" in quality.weak_model_caution(0.889, 0.948, 10,
                                                                                                10, 64, 48)
    assert "can be chance" not in quality.weak_model_caution(0.889, 0.948, 10, 10, 64, 400)
    assert quality.weak_model_caution(0.60, None, 10, 10, 64) is None  # no baseline to compare with


def test_run_metrics_carry_the_baseline_and_the_warning():
    metrics = image_baseline.with_baseline({"val_auc": 0.69, "epochs_run": 10}, 1.0)
    assert metrics["baseline_auc"] == 1.0 and metrics["auc_vs_baseline"] == pytest.approx(-0.31)
    assert triage_warnings.weak_model_warnings(metrics, 10, 64)[0].startswith("The model is weak")
    assert image_baseline.with_baseline({"val_auc": 0.9}, None) == {"val_auc": 0.9}
    assert triage_warnings.weak_model_warnings({"val_auc": 0.99, "epochs_run": 3, "baseline_auc": 0.98}, 10, 64) == []

"""The cautions a trained triage run carries about its validation: classes with few validation images, an
urgent bucket no score reaches, a sensitivity resting on too few abnormal images, a CNN behind the pixel
baseline."""
from __future__ import annotations

import pandas as pd

from domain import triage as rules
from domain import triage_quality as quality

FEW_VALIDATION = 10                # fewer validation images of a class make its figures rough


def validation_warnings(labels: pd.Series, rule: rules.BucketRule | None = None) -> list[str]:
    """Classes with few validation images: their sensitivity, specificity and thresholds are rough; and an
    urgent bucket no score can reach."""
    counts = labels.value_counts()
    warnings = [f"Validation holds only {int(n)} {label!r} image(s): the sensitivity, specificity and thresholds "
                f"rest on them and are rough; more {label!r} images give firmer ones."
                for label, n in counts.sort_index().items() if n < FEW_VALIDATION]
    if rule is not None and rule.urgent_threshold >= 1.0:
        warnings.append(f"On the validation images no cut-off keeps {rules.URGENT_SPECIFICITY:.0%} specificity and "
                        "still catches an abnormal image, so no study will be marked urgent (abnormal-looking ones "
                        "go to review). More validation images, or longer training, may give an urgent cut-off.")
    return warnings


def operating_point_warnings(labels: pd.Series, abnormal: str | None, normal: str,
                             metrics: dict[str, float]) -> list[str]:
    """The caution when the validation sensitivity rests on too few abnormal images to promise the target."""
    count = int((labels != normal).sum()) if abnormal is None else int((labels == abnormal).sum())
    caution = quality.operating_point_caution(float(metrics.get("sensitivity", 0.0)),
                                              float(metrics.get("target_sensitivity",
                                                                rules.DEFAULT_TARGET_SENSITIVITY)), count)
    return [caution] if caution else []


def weak_model_warnings(metrics: dict[str, float], epochs: int, size: int) -> list[str]:
    """The caution for a CNN well behind the pixel baseline (``ml.image_baseline``), or not ahead of it, or none."""
    val_images = int(metrics.get("val_images") or 0) or None
    caution = quality.weak_model_caution(metrics["val_auc"], metrics.get("baseline_auc"),
                                         int(metrics["epochs_run"]), int(epochs), int(size), val_images) or \
        quality.baseline_caution(metrics["val_auc"], metrics.get("baseline_auc"), val_images)
    return [caution] if caution else []

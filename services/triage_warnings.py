"""The cautions a trained triage run carries about its validation: classes with few validation images, an
urgent bucket no score reaches, a sensitivity resting on too few abnormal images, a CNN behind the pixel
baseline."""
from __future__ import annotations

from typing import Any

import pandas as pd

from domain import triage as rules
from domain import triage_quality as quality

FEW_VALIDATION = 10                # fewer validation images of a class make its figures rough
FEW_PATIENTS = 5                   # fewer validation patients of a class (held out whole) make them rough too


def validation_warnings(labels: pd.Series, rule: rules.BucketRule | None = None,
                        held: pd.DataFrame | None = None) -> list[str]:
    """Classes with few validation images, or (``held``: the validation images with the patient groups they
    were held out by) few patients: their sensitivity, specificity and thresholds are rough; and an urgent bucket
    no score can reach."""
    few = [(label, int(n)) for label, n in labels.value_counts().sort_index().items() if n < FEW_VALIDATION]
    warnings = [_few_validation_warning(few)] if few else []
    warnings += _few_patients_warning(held, {label for label, _ in few})
    if rule is not None and rule.urgent_threshold >= 1.0:
        warnings.append(f"On the validation images no cut-off keeps {rules.URGENT_SPECIFICITY:.0%} specificity and "
                        "still catches an abnormal image, so no study will be marked urgent (abnormal-looking ones "
                        "go to review). More validation images, or longer training, may give an urgent cut-off.")
    return warnings


def _few_validation_warning(few: list[tuple[str, int]]) -> str:
    """One warning for every class with few validation images: an NIH-shaped run (9 such classes, findings and
    their combinations) had printed one line each."""
    if len(few) == 1:
        (label, n), = few
        return (f"Validation holds only {n} {label!r} image(s): the sensitivity, specificity and thresholds rest on "
                f"them and are rough; more {label!r} images give firmer ones.")
    listed = ", ".join(f"{label!r} {n}" for label, n in few[:5]) + (f" and {len(few) - 5} more" if len(few) > 5 else "")
    return (f"Validation holds fewer than {FEW_VALIDATION} images of {len(few)} classes ({listed}): the sensitivity, "
            "specificity and thresholds that rest on them are rough; more images of those classes give firmer ones.")


def _few_patients_warning(held: pd.DataFrame | None, warned: set[str]) -> list[str]:
    """One warning for the classes whose validation images, enough in number, come from few patients (a loose
    image is its own): a patient's images look alike, so a BreakHis-shaped run (10 benign patients, 12 images each)
    set its cut-off on 2 benign patients' 24 images and flagged every benign study of 8 new patients, without a
    word."""
    if held is None or "group" not in held:
        return []
    kept = held[~held["label"].isin(warned)]
    few = [(label, int(n), int((kept["label"] == label).sum()))
           for label, n in kept.groupby("label")["group"].nunique().sort_index().items() if n < FEW_PATIENTS]
    if not few:
        return []
    listed = ", ".join(f"{label!r} {n} ({images} images)" for label, n, images in few)
    return [f"Validation holds fewer than {FEW_PATIENTS} patients of {listed}: one patient's images look alike, so "
            "the sensitivity, specificity and thresholds that rest on them are rough; more patients of those classes "
            "give firmer ones."]


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


BAND_CAUTION = "The 'review' priority holds "  # domain.triage_quality.review_band_caution's opening


def review_band_warnings(metrics: dict[str, Any], validation: dict[str, list] | None) -> list[str]:
    """The caution when the 'review' tier is empty and the target leaves sensitivity unused
    (``quality.review_band_caution``), at the cut-offs in ``metrics``; none without validation scores or cut-offs.
    Kept with the run, so `triage train` prints it: a run trained at a target of 0.80 had said it on the page only."""
    if not validation or any(k not in metrics for k in ("threshold", "urgent_threshold", "specificity")):
        return []
    caution = quality.review_band_caution([float(p) for p in validation["p_abnormal"]],
                                          [bool(a) for a in validation["abnormal"]], float(metrics["threshold"]),
                                          float(metrics["urgent_threshold"]), float(metrics["specificity"]))
    return [caution] if caution else []

"""The triage run report's settings and validation figures in words, with their meaning.

The generic report lists a run's parameters and metrics by stored name where services.labels has none: the
triage report read `abnormal_class`, `review_threshold`, `validation_folders 0, 0`, `colour_share 0`,
`val_accuracy` beside `val_accuracy_at_threshold`, `val_brier`. Those are hidden from the generic tables
(services.triage_report registers the hooks) and shown here, labelled; internals (the colour share, the DICOM
profile, whose note the run keeps) are not shown at all.
"""
from __future__ import annotations

from typing import Any

import pandas as pd

from services import triage_format
from services.results import RunInfo

# Kept for the desk's own workings, or shown in the tables below: not listed by the generic report
HIDDEN_PARAMETERS = ("positive", "abnormal_class", "normal_class", "positive_classes", "normal_classes",
                     "review_threshold", "urgent_threshold", "class_counts", "image_count", "skipped_images",
                     "merged_classes", "device", "validation_folders", "colour_share", "dicom_profile")

# Figures by stored name: (label, meaning). The run's AUC, sensitivity, specificity and pixel baseline keep their
# generic labels (services.labels) in the Metrics table.
FIGURES = {
    "threshold": ("Review cut-off (operating point)", "p(abnormal) from which a study is flagged for review, chosen "
                  "on validation images for the target sensitivity."),
    "urgent_threshold": ("Urgent cut-off", "p(abnormal) from which a study is urgent: the highest sensitivity whose "
                         "validation specificity is at least 0.95."),
    "threshold_before_margin": ("Cut-off before the margin", "The lowest validation score the operating point must "
                                "flag; the review cut-off sits below it, midway (in log-odds) to the highest normal "
                                "score."),
    "val_accuracy": ("Accuracy (most probable class)", "Share of validation images whose most probable class is "
                     "right."),
    "val_accuracy_at_threshold": ("Accuracy at the operating point", "Share of validation images on the right side "
                                  "of the review cut-off."),
    "val_auc_ovr": ("AUC, each class against the rest", "Mean over classes of how well each ranks above the others."),
    "val_brier": ("Brier score", "Mean squared gap between p(abnormal) and the outcome on validation images (lower "
                  "is better)."),
    "val_ece": ("Calibration error (ECE)", "Average gap between p(abnormal) and the share found abnormal, over ten "
                "bins of validation images (lower is better)."),
    "val_images": ("Validation images", "Images held out of training to measure the model and set the cut-offs."),
    "epochs_run": ("Epochs run", "Epochs trained before early stopping or the epoch or time limit."),
    "test_auc": ("Test AUC", "AUC on the test/ folder's images."),
    "test_accuracy": ("Test accuracy (most probable class)", "Share of test images whose most probable class is "
                      "right."),
    "test_sensitivity": ("Test sensitivity", "Share of abnormal test images at or above the review cut-off."),
    "test_specificity": ("Test specificity", "Share of normal test images below the review cut-off."),
    "test_images": ("Test images", "Images in the test/ folder."),
}
HIDDEN_ALSO = ("target_sensitivity",)  # listed among the parameters
CUTOFFS = ("threshold", "urgent_threshold", "threshold_before_margin")


def hidden_metric(name: str) -> bool:
    return name in FIGURES or name in HIDDEN_ALSO


def _figure(name: str, value: Any, decimals: int) -> str:
    if name in CUTOFFS:
        return triage_format.probability(value, decimals)
    counted = name == "epochs_run" or name.endswith("_images")
    return str(int(value)) if counted and float(value).is_integer() else f"{float(value):.3f}"


def figures_table(run: RunInfo) -> pd.DataFrame:
    """The hidden figures the run holds, labelled, in FIGURES' order; cut-offs with the decimals that tell them
    apart (an urgent cut-off of 0.9997 had read 1.000)."""
    metrics = run.metrics
    cut = triage_format.decimals_for([metrics[c] for c in CUTOFFS if isinstance(metrics.get(c), (int, float))])
    rows = [{"figure": label, "value": _figure(name, metrics[name], cut), "meaning": meaning}
            for name, (label, meaning) in FIGURES.items() if isinstance(metrics.get(name), (int, float))]
    return pd.DataFrame(rows, columns=["figure", "value", "meaning"])


def _words(value: Any) -> str:
    if isinstance(value, dict):
        return ", ".join(f"{k} {v}" for k, v in value.items()) or "none"
    if isinstance(value, (list, tuple)):
        return ", ".join(map(str, value[:10])) + (f" … ({len(value)} in all)" if len(value) > 10 else "") or "none"
    return "none" if value in (None, "") else str(value)


def settings_table(run: RunInfo) -> pd.DataFrame:
    """Which classes are abnormal and normal, what was read, and where it trained, in words."""
    p = run.parameters
    held, folders = (list(p.get("validation_folders") or []) + [0, 0])[:2]
    rows = [("Abnormal class named by the user", p.get("positive") or "none (told from the class names)"),
            ("Positive (abnormal) classes", _words(p.get("positive_classes") or p.get("abnormal_class"))),
            ("Normal class", _words(p.get("normal_classes") or p.get("normal_class"))),
            ("Images read", _words(p.get("image_count"))),
            ("Images per class (training split)", _words(p.get("class_counts"))),
            ("Files skipped (unreadable, copies, loose or not images)", _words(p.get("skipped_images"))),
            ("Class spellings merged", _words(p.get("merged_classes"))),
            ("Validation held out by patient folder",
             f"{held} of {folders} folders" if folders else "no patient folders: image by image"),
            ("Trained on", _words(p.get("device")))]
    return pd.DataFrame(rows, columns=["setting", "value"])


def tables(run: RunInfo) -> tuple[tuple[str, pd.DataFrame], ...]:
    figures = figures_table(run)
    return (("Settings of this run", settings_table(run)),
            *((("Validation figures", figures),) if not figures.empty else ()))

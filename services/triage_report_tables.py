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

from services import labels, triage_format, triage_report_cutoff
from services.results import RunInfo
from services.triage_training import MOVED_CUTOFF

DESK = "triage"

# Kept for the desk's own workings, or shown in the tables below: not listed by the generic report
HIDDEN_PARAMETERS = ("positive", "abnormal_class", "normal_class", "positive_classes", "normal_classes",
                     "review_threshold", "urgent_threshold", "class_counts", "image_count", "skipped_images",
                     "merged_classes", "device", "validation_folders", "colour_share", "dicom_profile", MOVED_CUTOFF)

# Figures shown in the table below, in this order, labelled by services.labels (the desk's own wording where two
# desks store one name: a triage run's 'threshold' is its review cut-off), at the cut-off in force. Sensitivity and
# specificity sit here beside their cut-off: in the Metrics table (stored figures, as trained) they had kept the
# trained cut-off's after it was moved. The run's AUC and pixel baseline keep their place in the Metrics table.
FIGURES = ("threshold", "urgent_threshold", "threshold_before_margin", "sensitivity", "specificity", "val_accuracy",
           "val_accuracy_at_threshold", "val_auc_ovr", "val_brier", "val_ece", "val_images", "epochs_run", "test_auc",
           "test_accuracy", "test_sensitivity", "test_specificity", "test_images")
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
    trained = " (at the trained cut-off)" if run.parameters.get(MOVED_CUTOFF) else ""  # no test scores are kept
    rows = [{"figure": labels.metric_label(name, DESK) + (trained if name in triage_report_cutoff.TEST_AT_CUTOFF
                                                          else ""),
             "value": _figure(name, metrics[name], cut), "meaning": labels.metric_help(name, DESK)}
            for name in FIGURES if isinstance(metrics.get(name), (int, float))]
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
            ("Validation held out by patient",  # patient folders, a manifest's patient column or keys in file names
             f"{held} of {folders} patients or patient folders" if folders else "no patients found: image by image"),
            ("Trained on", _words(p.get("device"))), *filter(None, [triage_report_cutoff.moved_setting(run)])]
    return pd.DataFrame(rows, columns=["setting", "value"])


def tables(run: RunInfo) -> tuple[tuple[str, pd.DataFrame], ...]:
    figures = figures_table(run)
    return (("Settings of this run", settings_table(run)),
            *((("Validation figures", figures),) if not figures.empty else ()))

"""Triage run reports: validation figures (ROC with the operating point, calibration, confusion matrix).

services.reports imports this module on demand (``services.<desk>_report``) to register the sections.
"""
from __future__ import annotations

from typing import Any

from domain import triage as rules
from domain import triage_quality as quality
from reports import figures
from reports.document import ReportSection
from services import reports, triage_format, triage_report_cutoff, triage_report_tables
from services.results import RunInfo
from services.runtime import Runtime
from services.triage import DESK, DISCLAIMER
from services.triage_calibration import CALIBRATION_GROUP
from services.triage_report_cutoff import evaluation


def evaluation_figures(runtime: Runtime, run: RunInfo) -> tuple:
    """ROC with the operating point, calibration and confusion matrix, from the stored evaluation, at the cut-off
    in force (one moved since training included)."""
    details = triage_report_cutoff.in_force_details(run, evaluation(runtime, run))
    if not details:
        return ()
    roc = figures.roc_curve_figure(details["roc"]["fpr"], details["roc"]["tpr"], float(run.metrics.get("val_auc", 0)),
                                   tuple(details["operating"]), title="Validation ROC (◆ operating point)")
    bins = details["calibration"].get("bins") or len(details["calibration"]["prob_pred"])
    calibration = () if calibration_note(run, details) else (figures.calibration_figure(
        details["calibration"]["prob_pred"], details["calibration"]["prob_true"],
        title=f"Calibration of p(abnormal), validation ({bins} groups of equal size)"),)
    confusion = figures.confusion_matrix_figure(details["confusion"]["matrix"], details["confusion"]["labels"],
                                                title=f"Confusion matrix ({details['confusion']['basis']})")
    return roc, *calibration, confusion


def calibration_note(run: RunInfo, details: dict[str, Any] | None = None) -> str:
    """Why no calibration chart is drawn, or ''. Eight validation images in ten bins had zig-zagged and dropped
    from 1 to 0 at the right edge: a line through groups of one or two images judges nothing."""
    images = int(run.metrics.get("val_images") or 0)
    points = len(((details or {}).get("calibration") or {}).get("prob_pred") or [])
    if images >= 2 * CALIBRATION_GROUP and (details is None or points >= 2):
        return ""
    return (f"Calibration is not drawn: {images} validation images are too few to judge it (at least "
            f"{2 * CALIBRATION_GROUP} are needed, for two groups of {CALIBRATION_GROUP}).")


def _report_sections(runtime: Runtime, run: RunInfo) -> tuple[ReportSection, ...]:
    """Cautions first (a model that does not beat the pixel baseline, the run's warnings), then validation. The
    decision-support notice is the report's purpose; it was also repeated here and among the limitations, three
    times in all."""
    details = evaluation(runtime, run)
    shown = triage_report_cutoff.in_force(run, details)  # a cut-off moved since training: its figures
    metrics, moved = shown.metrics, triage_report_cutoff.moved_sentence(run)
    cut = triage_format.decimals_for([metrics.get("urgent_threshold", 1), metrics.get("threshold", 0)])
    chosen = "in force, chosen again on the validation scores" if moved else "chosen on validation data"
    point = (f"Operating point {triage_format.probability(metrics.get('threshold', 0), cut)} {chosen} for a target "
             f"sensitivity of {metrics.get('target_sensitivity', 0.95):.2f}: sensitivity "
             f"{metrics.get('sensitivity', 0):.3f}, specificity {metrics.get('specificity', 0):.3f}; urgent from p ≥ "
             f"{triage_format.probability(metrics.get('urgent_threshold', 1), cut)}.")
    text = " ".join(filter(None, (_label_roles(run), point, moved, _baseline_sentence(metrics),
                                  calibration_note(run, details or None))))
    validation = ReportSection("Validation", text, figures=evaluation_figures(runtime, run),
                               tables=triage_report_tables.tables(shown))
    cautions = report_cautions(run, details)
    return ((ReportSection("Cautions", "\n\n".join(cautions)),) if cautions else ()) + (validation,)


def report_cautions(run: RunInfo, details: dict[str, Any] | None = None) -> list[str]:
    """What a reader must know before trusting the run: the model does not beat the pixel baseline (within the
    margin; further behind, the run's own warning says so; runs trained since keep it among their warnings),
    then the warnings stored with the run."""
    metrics = run.metrics
    baseline = metrics.get("baseline_auc")
    caution = None if baseline is None or "val_auc" not in metrics else quality.baseline_caution(
        float(metrics["val_auc"]), float(baseline), int(metrics.get("val_images") or 0) or None)
    warnings = triage_report_cutoff.warnings_in_force(run, details or {})  # at a moved cut-off: worked out again
    lines = dict.fromkeys(line for line in [caution, *warnings] if line)  # stored once
    return [f"Caution: {line}" for line in lines]


def _baseline_sentence(metrics: dict[str, Any]) -> str:
    if metrics.get("baseline_auc") is None or "val_auc" not in metrics:
        return ""
    return (f"Validation AUC {float(metrics['val_auc']):.3f}; a pixel baseline (logistic regression on downsampled "
            f"pixels, same images) {float(metrics['baseline_auc']):.3f}.")


def _label_roles(run: RunInfo) -> str:
    """Which labels the run took as positive and which as normal; runs stored before the roles were kept derive
    them from their classes."""
    parameters = run.parameters
    if not parameters.get("normal_class"):
        return ""
    positive, normal = rules.label_roles(parameters.get("classes", []), parameters.get("abnormal_class"),
                                         parameters["normal_class"])
    return rules.label_roles_note(parameters.get("positive_classes") or positive,
                                  parameters.get("normal_classes") or normal)


def _images(run: RunInfo) -> tuple[str, int]:
    """Every labelled image read (train/, val/ and test/ alike), and the training split's classes."""
    counts = run.parameters.get("class_counts") or {}
    shown = ", ".join(f"{label} {n}" for label, n in counts.items())
    total = int(run.parameters.get("image_count") or sum(counts.values()))
    return (f"images (training split: {shown})" if shown else "images"), total


reports.SECTION_BUILDERS[DESK] = _report_sections
reports.HIDDEN_PARAMETERS[DESK] = triage_report_tables.HIDDEN_PARAMETERS  # in the Validation section's tables
reports.HIDDEN_METRICS[DESK] = triage_report_tables.hidden_metric
reports.DATA_SUMMARIES[DESK] = _images
reports.LIMITATIONS_BY_DESK[DESK] = (
    "Metrics are measured on a validation split of the images held out from training (the user's val/ folder, "
    "else whole patient folders or single images); performance on other scanners, sites or populations can "
    "differ.",
    "Heat maps (Grad-CAM) show where the network looked, not findings; they are decision support only.",
)
reports.PURPOSES[DESK] = ("Triage image classifier: ranks studies for reading. " + DISCLAIMER)

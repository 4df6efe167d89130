"""The maintenance run report: its sections (failure risk or the RUL models compared, failure modes, SHAP
importance, the stored predictions by kind) and what the report shows or hides for the desk. ``services.reports``
imports this module on demand, and ``services.maintenance_plan`` does too (the CLI's report reads it there)."""
from __future__ import annotations

import pandas as pd

from reports import figures
from reports.document import ReportSection
from services import labels, reports, runs
from services.maintenance import CONFIG_FILE, DESK, FAILURE_TASK, read_json
from services.maintenance_results import (BATCHES, latest_batch, model_comparison, report_predictions, rul_cap,
                                          scoring_notes)
from services.maintenance_words import failure_words, feature_words, stored_name_words
from services.results import RunInfo
from services.runtime import Runtime


def report_sections(runtime: Runtime, run: RunInfo) -> tuple[ReportSection, ...]:
    """Report sections for maintenance runs: model comparison or risk metrics, explanations, predictions."""
    sections = []
    metrics = {k: float(v) for k, v in run.metrics.items() if isinstance(v, (int, float))}
    if run.task == FAILURE_TASK:
        config = read_json(runtime, run, CONFIG_FILE)
        suggested = "were" if run.parameters.get("use_suggestions", True) else "were not"
        text = (f"Probability of failure for '{config.get('target')}' (positive value '{config.get('positive')}'), "
                f"alert at p ≥ {config.get('threshold', 0):.3f} (chosen on out-of-fold predictions to maximise F1). "
                + ("The probabilities are calibrated on the out-of-fold predictions (a Platt map): a chance of failure "
                   "that matches the failure rate. " if config.get("calibration") else "")
                + f"The desk's suggested derived features {suggested} added.")
        excluded = pd.DataFrame(list(config.get("excluded", {}).items()), columns=["column", "reason"])
        sections.append(ReportSection("Failure risk", text, figures=(figures.metrics_bar_figure(
            {k: metrics[k] for k in ("cv_auc", "cv_pr_auc", "cv_f1") if k in metrics}, "Cross-validated metrics"),),
            tables=(("Excluded by the leakage guard", excluded),)))  # a sheet name: 31 characters at most
        modes = read_json(runtime, run, "explanation.json").get("modes")
        if modes:
            sections.append(ReportSection("Failure modes", "How often each mode occurs and how much the model catches.",
                                          tables=(("Failure-mode breakdown", pd.DataFrame(modes)),)))
    else:
        table, caption = model_comparison(runtime, run)  # as the page shows it: in words, with the split
        sections.append(ReportSection(
            "Remaining useful life", "Two models and their mean (blend) compared on held-out units. " + caption,
            tables=(("Model comparison", table),
                    ("Data notes", pd.DataFrame({"note": run.parameters.get("notes", [])})))))
    importance = read_json(runtime, run, "explanation.json").get("global_importance", {})
    if importance:
        names, values = zip(*sorted(importance.items(), key=lambda kv: -kv[1])[:20])
        words = failure_words(config) if run.task == FAILURE_TASK else None  # wear_x_torque → 'Tool wear × Torque'
        names = tuple(words.get(str(n), str(n)) if words is not None else feature_words(str(n)) for n in names)
        sections.append(ReportSection("Explanations", "Mean absolute SHAP value per feature (LightGBM).",
                                      figures=(figures.feature_importance_figure(list(names), list(values),
                                                                                 "Feature importance (SHAP)"),)))
    sections.append(_predictions_section(runtime, run))
    return tuple(s for s in sections if s is not None)


# Stored predictions by kind, each a table of its own: mixed, validation cuts and scored units shared one table
# of 'n/a' cells (a cut has no band, a scored unit no truth). A title is also the XLSX sheet's name, which Excel
# cuts at 31 characters ('Validation cuts of held-out uni'): each fits, and the section's text says more.
PREDICTION_TABLES = (("oof", "Out-of-fold scores (first 500)"),
                     ("score", "Scored readings (first 500)"),
                     ("rul_validation", "Held-out cuts (first 500)"),
                     ("rul", "Scored units' RUL (first 500)"))
PREDICTIONS_TEXT = {"oof": "out-of-fold scores: each training reading scored by a model that did not see it",
                    "score": "scored readings (of the latest scored file)",
                    "rul_validation": "held-out cuts: validation cut points of units "
                    "held out of training, with their true RUL", "rul": "scored units' RUL: at each unit's last "
                    "reading, with its band (of the latest scored file)"}


def _predictions_section(runtime: Runtime, run: RunInfo) -> ReportSection | None:
    tables, kinds = [], []
    for kind, title in PREDICTION_TABLES:
        frame = latest_batch(runs.predictions_frame(runtime, run.id, kind=kind, limit=None if kind in BATCHES
                                                     else 500)).head(500)
        if not frame.empty:  # in words: a RUL at the cap '125 or more', p_failure in %, no storage columns
            tables.append((title, report_predictions(frame, kind, rul_cap(runtime, run) if kind == "rul" else None)))
            kinds.append(PREDICTIONS_TEXT[kind])
    text = "Stored predictions, by kind (the first 500 of each): " + "; ".join(kinds) + "."
    scored = "scored units' RUL" in text or "scored readings" in text  # notes on how the latest file was read
    notes = scoring_notes(runtime, run.id) if scored else []
    text += (" Notes on the latest scored file: " + " ".join(notes)) if notes else ""
    return ReportSection("Predictions", text, tables=tuple(tables)) if tables else None


reports.SECTION_BUILDERS[DESK] = report_sections
reports.HIDDEN_METRICS[DESK] = lambda name: labels.model_figure(name) is not None  # the model comparison shows them
# The report lists features from the model's metadata (LightGBM-safe names: 'Air temperature _K_'): said in words
# (a run stored before feature_words were: in words from the names themselves, not as LightGBM keeps them)
reports.FEATURE_LABELS[DESK] = lambda run, name: feature_words(name) if run.task != FAILURE_TASK else (
    run.parameters["feature_words"].get(name, name) if run.parameters.get("feature_words") is not None
    else stored_name_words(name, run.parameters))
# 'Suggested features used: False' is said in words in the section; the share held out (0.2) is not what a fleet
# validated in folds used: the model comparison's caption says which split was used
reports.HIDDEN_PARAMETERS[DESK] = ("feature_words", "use_suggestions", "val_fraction")
reports.LIMITATIONS_BY_DESK[DESK] = (
    "Failure-risk metrics are out-of-fold estimates (folds by machine where an id is given); RUL figures come "
    "from run-to-failure units held out of training. Machines or operating conditions unlike the training data "
    "can behave differently.",
    "Explanations (SHAP) describe the model, not causes in the world.",
)
reports.PURPOSES[DESK] = ("Maintenance: probability of machine failure from telemetry, or remaining useful life from "
                          "run-to-failure histories, to rank units and plan maintenance within capacity.")

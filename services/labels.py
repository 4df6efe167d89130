"""Plain-language names for what the pages show: forecast features, model metrics, and the risk-first order
of a scored table. A business reader sees "sales 7 days before", not ``lag7``; the raw name stays beside it
for whoever needs to match it to the model file."""
from __future__ import annotations

import re

import pandas as pd

from ml.forecast_calendar import YEAR_LENGTH
from services import retail_labels

PERIOD_WORDS = {"D": "day", "W": "week", "M": "month", "Q": "quarter"}
DATE_PARTS = {"dayofweek": "day of week", "day": "day of month", "dayofyear": "day of year", "week": "week of year",
              "month": "month", "quarter": "quarter of year", "year": "year"}
STATISTICS = {"mean": "mean", "std": "spread (standard deviation)", "min": "lowest", "max": "highest",
              "median": "median"}
_SUFFIX = r"(?:_min_samples\d+)?$"  # mlforecast appends it when a window may start short
_LAG = re.compile(r"^lag(\d+)$")
_ROLLING = re.compile(r"^rolling_([a-z]+)_lag(\d+)_window_size(\d+)" + _SUFFIX)
_SEASONAL = re.compile(r"^seasonal_rolling_([a-z]+)_lag(\d+)_season_length(\d+)_window_size(\d+)" + _SUFFIX)
_EXPANDING = re.compile(r"^expanding_([a-z]+)_lag(\d+)$")


def _periods(count: int, freq: str | None) -> str:
    word = PERIOD_WORDS.get(freq or "", "period")
    return f"{count} {word}" + ("" if count == 1 else "s")


def _before(lag: int, freq: str | None) -> str:
    """'the day before', '7 days before', 'a year before' (the yearly lag of each frequency)."""
    if lag == 1:
        return f"the {PERIOD_WORDS.get(freq or '', 'period')} before"
    if freq in YEAR_LENGTH and lag == YEAR_LENGTH[freq]:
        return "a year before"
    return f"{_periods(lag, freq)} before"


def _season(length: int, freq: str | None) -> tuple[str, str]:
    """Whose mean a same-season window takes, and what its window counts: weekdays over weeks, or months
    (weeks, quarters) of the year over years."""
    if freq == "D" and length == 7:
        return "same weekday's", "week"
    if freq in YEAR_LENGTH and length == YEAR_LENGTH[freq]:
        return f"same {PERIOD_WORDS[freq]} of the year's", "year"
    return f"every {_periods(length, freq)}'", "cycle"


def feature_label(name: str, freq: str | None, quantity: str = "sales") -> str:
    """A forecast feature's generated name (mlforecast: lags, rolling and same-season means, date parts) read
    out for ``freq`` (D/W/M/Q); a series key or a known-in-advance column keeps the name it has in the file."""
    if match := _LAG.match(name):
        return f"{quantity} {_before(int(match[1]), freq)}"
    if match := _SEASONAL.match(name):
        stat, lag, length, window = match[1], int(match[2]), int(match[3]), int(match[4])
        whose, unit = _season(length, freq)
        when = _before(lag, freq)
        span = f"{window} {unit}" + ("" if window == 1 else "s")
        return f"{whose} {STATISTICS.get(stat, stat)} over {span}, " + (when if when == "a year before" else
                                                                       f"up to {when}")
    if match := _ROLLING.match(name):
        stat, lag, window = match[1], int(match[2]), int(match[3])
        return f"{STATISTICS.get(stat, stat)} of the {_periods(window, freq)} up to {_before(lag, freq)}"
    if match := _EXPANDING.match(name):
        return f"{STATISTICS.get(match[1], match[1])} of all {quantity} up to {_before(int(match[2]), freq)}"
    return DATE_PARTS.get(name, name)


def with_plain_features(frame: pd.DataFrame, freq: str | None, column: str = "feature") -> pd.DataFrame:
    """``frame`` with a ``driver`` column (the plain name) first; the raw ``column`` kept beside it."""
    out = frame.copy()
    out.insert(0, "driver", [feature_label(str(n), freq) for n in out[column]])
    return out


# Label and one-line meaning of each metric the desks report, by the name the run stores it under.
METRICS = {
    "auc": ("AUC", "Chance the model ranks a random positive case above a random negative one (0.5 = guessing)."),
    "oof_auc": ("Out-of-fold AUC", "AUC on rows each model did not train on (0.5 = guessing, 1 = perfect)."),
    "cv_auc": ("Cross-validated AUC", "AUC on held-out folds: how well failures rank above healthy readings."),
    "gini": ("Gini", "2 × AUC − 1: the same ranking power on a 0 (guessing) to 1 (perfect) scale."),
    "ks": ("KS statistic", "Largest gap between the score distributions of defaults and repayers (higher separates "
                           "better)."),
    "pr_auc": ("Precision-recall AUC", "Average precision over all cut-offs; read against the share of positives, "
                                       "not 0.5."),
    "cv_pr_auc": ("Cross-validated precision-recall AUC", "Average precision on held-out folds; read against the "
                                                          "share of failures."),
    "cv_f1": ("Cross-validated F1", "Balance of precision and recall at the alert threshold, on held-out folds."),
    "brier": ("Brier score", "Mean squared gap between predicted probability and outcome (lower is better)."),
    "log_loss": ("Log loss", "Penalty for confident wrong probabilities (lower is better)."),
    "cost_per_case": ("Cost per case", "Average cost of the decisions at the cut-off, from the cost matrix."),
    "cv_cost_per_case": ("Cost per case (nested CV)", "Cost per case with the cut-off chosen on other folds than "
                                                      "it is measured on: what to expect on new applicants."),
    "cutoff": ("Cut-off (PD)", "Default probability above which an application is declined."),
    "threshold": ("Alert threshold", "Failure probability above which a reading raises an alert."),
    "accuracy": ("Accuracy", "Share of rows whose most likely class is the right one."),
    "roc_auc": ("AUC", "Chance the model ranks a random positive case above a random negative one (0.5 = guessing)."),
    "roc_auc_ovr": ("AUC (each class against the rest)", "Mean over classes of how well each class ranks above "
                                                          "the others (0.5 = guessing)."),
    "rmse": ("RMSE", "Typical size of the error in remaining life at each unit's last reading (lower is better)."),
    "nasa_score": ("NASA score", "Error penalty that weighs late predictions more than early ones (lower is better)."),
    "nasa_score_per_unit": ("NASA score per unit", "The NASA score divided by the number of validation units."),
    "wape": ("WAPE (%)", "Absolute forecast error as a share of actual demand (lower is better)."),
    "smape": ("sMAPE (%)", "Mean symmetric percentage error per period (lower is better)."),
    "mase": ("MASE", "Error relative to a naive seasonal forecast (below 1 beats it)."),
    "bias": ("Bias (%)", "Over- (positive) or under-forecast (negative) as a share of demand."),
    "coverage": ("Interval coverage (%)", "Share of actual values inside the prediction interval."),
    "val_auc": ("Validation AUC", "Chance an abnormal study ranks above a normal one on held-out images."),
    "sensitivity": ("Sensitivity", "Share of abnormal studies flagged at the threshold."),
    "specificity": ("Specificity", "Share of normal studies not flagged at the threshold."),
    "baseline_auc": ("Pixel-baseline AUC", "Validation AUC of a logistic regression on downsampled pixels, same "
                                           "images."),
    "auc_vs_baseline": ("AUC lead over the pixel baseline", "Model minus baseline; zero or negative: the model does "
                                                            "not beat it."),
    # triage: the run report's validation figures (a triage run's "threshold" is in DESK_METRICS)
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
    "val_brier": ("Brier score", "Mean squared gap between p(abnormal) and the outcome on validation images "
                                 "(lower is better)."),
    "val_ece": ("Calibration error (ECE)", "Average gap between p(abnormal) and the share found abnormal, over bins "
                                           "of validation images (lower is better)."),
    "val_images": ("Validation images", "Images held out of training to measure the model and set the cut-offs."),
    "epochs_run": ("Epochs run", "Epochs trained before early stopping or the epoch or time limit."),
    "test_auc": ("Test AUC", "AUC on the test/ folder's images."),
    "test_accuracy": ("Test accuracy (most probable class)", "Share of test images whose most probable class is "
                                                             "right."),
    "test_sensitivity": ("Test sensitivity", "Share of abnormal test images at or above the review cut-off."),
    "test_specificity": ("Test specificity", "Share of normal test images below the review cut-off."),
    "test_images": ("Test images", "Images in the test/ folder."),
    "oof_cost_per_case": ("Cost per case (out-of-fold)", "Average cost of the decisions at the cut-off on "
                                                         "out-of-fold predictions, from the cost matrix."),
    "oof_auc_raw": ("Out-of-fold AUC before calibration", "AUC of the blended scores before they were calibrated "
                                                           "into PDs."),
    "approval_rate": ("Approval rate", "Share of applications approved at the cut-off."),
    "bayes_cutoff": ("Cut-off from the costs alone (PD)", "The cut-off the cost matrix implies for exact PDs: cost "
                                                          "of declining a good loan ÷ both costs."),
    "cost_bad_approved": ("Cost of approving a bad loan", "Cost-matrix entry, in units of a declined good loan."),
    "cost_good_declined": ("Cost of declining a good loan", "Cost-matrix entry."),
    "default_rate": ("Default rate", "Share of loans in the data that defaulted."),
    "defaults_declined": ("Defaults declined", "Share of the defaulted loans declined at the cut-off."),
    "blend_weight": ("Blend weight of LightGBM", "LightGBM's share of the blended score (log-odds)."),
    "forest_weight": ("Blend weight of the random forest", "The forest's share of the blended score (log-odds)."),
    "logistic_weight": ("Blend weight of the logistic regression", "Its share of the blended score (log-odds)."),
    "best_iteration_median": ("Trees kept (median over folds)", "LightGBM trees kept by early stopping."),
    "cv_precision": ("Cross-validated precision", "Share of alerts that were failures, on held-out folds."),
    "cv_recall": ("Cross-validated recall", "Share of failures alerted, on held-out folds."),
    "cv_f1_nested": ("F1 (nested CV)", "F1 with the threshold chosen on other folds than it is measured on: what to "
                                       "expect on new readings."),
    "positive_rate": ("Failure rate", "Share of readings that are failures."),
    "validation_units": ("Validation units", "Units held out of training to compare the models."),
    "validation_cuts": ("Validation cuts", "Held-out units cut at random cycles: each cut is one test point."),
    "validation_folds": ("Validation folds", "Rounds of held-out units the comparison averages over."),
    "units": ("Units", "Units in the training file."),
    "folds": ("Folds", "Cross-validation folds."),
    "rows": ("Rows", "Rows the model learnt from."),
    "feature_count": ("Columns used", "Input columns the model reads."),
    "train_seconds": ("Training time (s)", "Wall-clock seconds the training took."),
    "balance": ("Periods over − under (points)", "Share of periods forecast above the actual less the share below, "
                                                 "weighted by volume (0 = high and low equally often)."),
    "balance_noise": ("Chance allows ± (points)", "How far from 0 the over − under figure goes by luck alone."),
}
# Figures a desk names its own way: the finance baseline is a logistic regression, triage's one reads pixels
DESK_METRICS = {("finance", "baseline_auc"): ("Logistic-baseline AUC", "Out-of-fold AUC of the logistic "
                                                                       "regression on the same folds."),
                ("triage", "threshold"): ("Review cut-off (operating point)", "p(abnormal) from which a study is "
                                          "flagged for review: chosen on validation images for the sensitivity "
                                          "asked.")}
# Model names inside a figure's stored name (lightgbm_auc, rmse_sequence): 'AUC — LightGBM'
MODELS = {"lightgbm": "LightGBM", "forest": "random forest", "logistic": "logistic regression",
          "sequence": "sequence model", "blend": "blend", "seasonal_naive": "seasonal naive",
          "moving_average": "moving average", "seasonal_index": "seasonal index", "naive": "naive",
          "baseline": "baseline", "platt": "Platt calibration", "isotonic": "isotonic calibration"}

# Run parameters by the name they are stored under, as a report lists them; an unknown one keeps its name.
PARAMETERS = {
    "target": "Target column", "positive": "Positive value", "positive_label": "Positive value (as read)",
    "positive_label_rule": "How the positive value was chosen", "id_column": "Id column", "seed": "Random seed",
    "folds": "Cross-validation folds", "folds_used": "Folds used", "n_estimators": "Trees (at most)",
    "exclude": "Columns excluded by the user", "keep": "Flagged columns kept by the user",
    "excluded": "Columns left out", "dropped": "Columns dropped", "leak_columns": "Leak columns (left out unless kept)",
    "cost_bad_approved": "Cost of approving a bad loan", "cost_good_declined": "Cost of declining a good loan",
    "grade_bounds": "Risk-grade PD bounds (A–G)", "monotone": "Monotone constraints",
    "tune_seconds": "Tuning budget (s)", "exposure_column": "Exposure column", "lgd_column": "LGD column",
    "default_lgd": "Default LGD", "codes": "Coded values read", "usual_empty_share": "Usual share of blanks",
    "ratios": "Ratios the model reads (amount per term)",
    "derived": "Derived features", "use_suggestions": "Suggested features used", "threshold": "Alert threshold",
    "unit": "Unit column", "time": "Time column", "cap": "RUL cap", "window": "Window (readings)",
    "settings": "Operating-setting columns", "epochs": "Epochs", "val_fraction": "Share of units held out",
    "champion": "Champion model", "champion_metric": "Champion chosen by", "date": "Date column",
    "series": "Series key columns", "horizon": "Horizon (periods)", "freq": "Frequency asked for",
    "freq_used": "Frequency", "fill": "Missing periods read as", "duplicates": "Repeated dates",
    "negatives": "Negative sales", "windows": "Backtest windows asked for", "windows_used": "Backtest windows",
    "exogenous": "Known-in-advance columns", "future_dataset_id": "Future-values file (dataset id)",
    "short_series": "Short series", "images": "Images", "manifest": "Manifest", "size": "Image size (px)",
    "target_sensitivity": "Target sensitivity", "init_weights": "Starting weights",
    "max_minutes": "Time limit (minutes)", "classes": "Classes", "model": "Model settings",
    "features": "Columns used", "glossary": "Data dictionary", "glossary_notes": "Data dictionary notes",
}


# What each stored task name does, as a page or report names a run; an unknown task reads with spaces.
TASKS = {
    "credit_lightgbm": "credit-default scoring", "failure_risk": "failure risk", "rul": "remaining useful life",
    "global_lightgbm_forecast": "demand forecast", "cnn_image_classifier": "image triage",
    "lightgbm_classifier": "baseline classifier",
}


def task_label(name: str) -> str:
    return TASKS.get(name, str(name).replace("_", " "))


def model_figure(name: str) -> tuple[str, str] | None:
    """(model, figure) of a model's own figure (lightgbm_auc, rmse_sequence → ('sequence', 'rmse')); None for
    the run's own figures (auc, nasa_score_per_unit)."""
    if name in METRICS:
        return None
    for model in sorted(MODELS, key=len, reverse=True):  # seasonal_naive before naive
        for base in (name[len(model) + 1:] if name.startswith(f"{model}_") else "",
                     name[:-len(model) - 1] if name.endswith(f"_{model}") else ""):
            if base in METRICS:
                return model, base
    return None


def _figure(name: str, desk: str | None) -> tuple[str, str]:
    if (desk, name) in DESK_METRICS:
        return DESK_METRICS[(desk, name)]
    if name in METRICS:
        return METRICS[name]
    if parts := model_figure(name):
        label, meaning = METRICS[parts[1]]
        return f"{label} — {MODELS[parts[0]]}", meaning
    return name, ""


def metric_label(name: str, desk: str | None = None) -> str:
    """A stored figure's label: 'Out-of-fold AUC' for oof_auc, 'AUC — LightGBM' for lightgbm_auc; an unknown
    one keeps its stored name."""
    return _figure(name, desk)[0]


def metric_help(name: str, desk: str | None = None) -> str:
    return _figure(name, desk)[1]


def parameter_label(name: str) -> str:
    return PARAMETERS.get(name, name)


FREQUENCIES = {"D": "daily", "W": "weekly", "M": "monthly", "Q": "quarterly"}


def parameter_value(name: str, value: object) -> object:
    """A stored code in words where its parameter has one: a frequency (D → daily), a model (lightgbm →
    LightGBM), the score a retail champion was chosen by (wape → WAPE (%) + imbalance …)."""
    if not isinstance(value, str):
        return value
    if name in ("freq", "freq_used"):
        return FREQUENCIES.get(value, value)
    if name == "champion":
        return MODELS.get(value, value)
    # retail's score: WAPE plus imbalance, WAPE alone for a steady leader (a report had read "WAPE (%)" over a
    # champion with the higher WAPE)
    return retail_labels.champion_metric_label(value) if name == "champion_metric" else value


def with_plain_metrics(table: pd.DataFrame, column: str = "metric") -> pd.DataFrame:
    """A metrics table with readable labels in ``column``, then its figures, a ``meaning`` column and the stored
    name (``name``), for whoever matches it to an export. The figures stay next to their labels: a long meaning
    between them pushed the baseline's column out of a page's view."""
    out = table.copy()
    raw = out[column].astype(str)
    out[column] = raw.map(metric_label)
    out["meaning"] = raw.map(metric_help)
    out["name"] = raw
    return out


def risk_first(scored: pd.DataFrame, column: str = "p_failure") -> pd.DataFrame:
    """Scored rows highest risk first, for display; ``row`` keeps each one's number in the input (1-based),
    as the explain picker and the downloaded file count them."""
    out = scored.copy()
    out.insert(0, "row", range(1, len(out) + 1))
    return out.sort_values(column, ascending=False, kind="stable").reset_index(drop=True)

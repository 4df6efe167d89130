"""services.labels: generated forecast feature names, metric names and the risk-first order read plainly."""
from __future__ import annotations

import pandas as pd
import pytest

from services import labels, retail_labels


@pytest.mark.parametrize("name, freq, plain", [
    ("lag7", "D", "sales 7 days before"),
    ("lag1", "W", "sales the week before"),
    ("lag12", "M", "sales a year before"),
    ("lag8", "Q", "sales 8 quarters before"),
    ("rolling_mean_lag1_window_size7", "D", "mean of the 7 days up to the day before"),
    ("rolling_mean_lag2_window_size13", "W", "mean of the 13 weeks up to 2 weeks before"),
    ("rolling_mean_lag4_window_size4", "Q", "mean of the 4 quarters up to a year before"),
    ("rolling_mean_lag1_window_size3_min_samples1", "M", "mean of the 3 months up to the month before"),
    ("seasonal_rolling_mean_lag364_season_length7_window_size4", "D",
     "same weekday's mean over 4 weeks, a year before"),
    ("seasonal_rolling_mean_lag7_season_length7_window_size8", "D",
     "same weekday's mean over 8 weeks, up to 7 days before"),
    ("seasonal_rolling_mean_lag12_season_length12_window_size2", "M",
     "same month of the year's mean over 2 years, a year before"),
    ("dayofweek", "D", "day of week"),
    ("quarter", "Q", "quarter of year"),
    ("lag3", None, "sales 3 periods before"),
    ("Store ID", "W", "Store ID"),  # a series key or known-in-advance column keeps its own name
    ("lagoon_price", "D", "lagoon_price"),
])
def test_feature_names_read_plainly_for_every_frequency(name, freq, plain):
    assert labels.feature_label(name, freq) == plain


def test_plain_driver_names_sit_beside_the_raw_ones():
    frame = pd.DataFrame({"feature": ["lag7", "dayofweek"], "shap": [0.4, -0.1]})
    out = labels.with_plain_features(frame, "D")
    assert list(out.columns) == ["driver", "feature", "shap"]
    assert out["driver"].tolist() == ["sales 7 days before", "day of week"] and out["feature"].tolist() == ["lag7",
                                                                                                            "dayofweek"]


def test_metrics_table_gets_labels_meanings_and_keeps_stored_names():
    table = pd.DataFrame({"metric": ["ks", "pr_auc", "cv_cost_per_case", "other"], "model": [0.4, 0.5, 0.2, 1.0]})
    out = labels.with_plain_metrics(table)
    assert list(out.columns) == ["metric", "model", "meaning", "name"]  # figures next to their labels
    assert out["metric"].tolist() == ["KS statistic", "Precision-recall AUC", "Cost per case (nested CV)", "other"]
    assert out["meaning"].iloc[:3].str.len().gt(20).all() and out["meaning"].iloc[3] == ""
    assert out["name"].tolist() == ["ks", "pr_auc", "cv_cost_per_case", "other"]


def test_maintenance_metric_labels():
    assert [labels.metric_label(n) for n in ("cv_auc", "cv_pr_auc", "cv_f1")] == [
        "Cross-validated AUC", "Cross-validated precision-recall AUC", "Cross-validated F1"]
    assert labels.metric_help("cv_auc")


def test_risk_first_sorts_a_copy_and_keeps_input_row_numbers():
    scored = pd.DataFrame({"id": [10, 11, 12, 13], "p_failure": [0.1, 0.9, 0.5, 0.9]})
    out = labels.risk_first(scored)
    assert out["row"].tolist() == [2, 4, 3, 1] and out["id"].tolist() == [11, 13, 12, 10]
    assert scored["id"].tolist() == [10, 11, 12, 13] and "row" not in scored  # the download keeps file order


def test_every_desks_headline_metrics_and_tasks_read_in_words():
    from services.labels import metric_label, task_label

    for name, label in {"roc_auc": "AUC", "rmse": "RMSE", "wape": "WAPE (%)", "val_auc": "Validation AUC",
                        "sensitivity": "Sensitivity"}.items():
        assert metric_label(name) == label
    assert metric_label("made_up_metric") == "made_up_metric"  # unknown figures keep their stored name
    assert task_label("rul") == "remaining useful life" and task_label("failure_risk") == "failure risk"
    assert task_label("some_new_task") == "some new task"


def test_a_models_own_figures_read_by_metric_and_model():
    assert labels.metric_label("lightgbm_cv_cost_per_case") == "Cost per case (nested CV) — LightGBM"
    assert labels.metric_label("rmse_sequence") == "RMSE — sequence model"
    assert labels.metric_label("seasonal_naive_wape") == "WAPE (%) — seasonal naive"  # not 'naive'
    assert labels.model_figure("nasa_score_per_unit") is None and labels.model_figure("wape") is None
    assert labels.model_figure("forest_brier") == ("forest", "brier")
    assert labels.metric_label("baseline_auc") == "Pixel-baseline AUC"  # triage's
    assert labels.metric_label("baseline_auc", "finance") == "Logistic-baseline AUC"
    assert labels.metric_label("threshold", "triage") == "Review cut-off (operating point)"  # not maintenance's alert
    assert labels.metric_label("threshold", "maintenance") == "Alert threshold"
    assert labels.parameter_label("freq_used") == "Frequency" and labels.parameter_label("odd") == "odd"
    assert [labels.parameter_value(n, v) for n, v in (("freq_used", "W"), ("champion", "seasonal_naive"),
                                                      ("champion_metric", "wape"), ("target", "D"), ("seed", 0))] == [
        "weekly", "seasonal naive", retail_labels.CHAMPION_METRIC_LABELS["wape"], "D", 0]  # only coded ones change
    assert retail_labels.CHAMPION_METRIC_LABELS["wape"].startswith("WAPE (%) + over/under imbalance")


def test_rul_reports_list_the_runs_figures_not_each_models_again():
    import importlib

    from services import reports

    importlib.import_module("services.maintenance_plan")  # the desk registers its report rules on import
    hidden = reports.HIDDEN_METRICS["maintenance"]
    assert hidden("rmse_lightgbm") and hidden("nasa_score_blend")  # the model comparison table shows them
    assert not hidden("rmse") and not hidden("nasa_score_per_unit") and not hidden("cv_auc")


def test_the_finance_metrics_table_names_its_champion_in_words():
    from types import SimpleNamespace

    from services.finance_report import metrics_table

    table = metrics_table(SimpleNamespace(metrics={"champion": "forest", "oof_auc": 0.8, "baseline_auc": 0.79}))
    assert list(table.columns) == ["metric", "champion (random forest, calibrated)", "logistic baseline"]
    assert table.set_index("metric").loc["auc"].tolist() == [0.8, 0.79]

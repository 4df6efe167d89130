"""Figure builders: check the numbers and order that reach the chart, not only that it draws."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest

from reports import figures as F
from reports.figure_style import NEUTRAL


def _title(fig: go.Figure) -> str:
    return fig.layout.title.text


def test_histogram_numeric_edges_places_bars_between_edges() -> None:
    fig = F.histogram_figure({"edges": [0, 1, 3, 6], "counts": [4, 2, 1]}, "Income", x_title="EUR")
    (bar,) = fig.data
    assert isinstance(bar, go.Bar)
    np.testing.assert_allclose(bar.x, [0.5, 2.0, 4.5])
    np.testing.assert_allclose(bar.width, [1, 2, 3])
    assert list(bar.y) == [4, 2, 1]
    assert _title(fig) == "Income"
    assert fig.layout.template.layout.plot_bgcolor == "white"  # plotly_white
    assert fig.layout.xaxis.title.text == "EUR" and fig.layout.yaxis.title.text == "Count"


def test_histogram_iso_date_edges_give_date_centres_and_ms_widths() -> None:
    fig = F.histogram_figure({"edges": ["2024-01-01", "2024-01-03", "2024-01-04"], "counts": [5, 7]}, "Dates")
    (bar,) = fig.data
    assert pd.Timestamp(bar.x[0]) == pd.Timestamp("2024-01-02")
    assert pd.Timestamp(bar.x[1]) == pd.Timestamp("2024-01-03 12:00")
    np.testing.assert_allclose(bar.width, [2 * 86_400_000, 86_400_000])
    assert list(bar.customdata) == ["2024-01-01 – 2024-01-03", "2024-01-03 – 2024-01-04"]


def test_histogram_categories_and_bad_lengths() -> None:
    fig = F.histogram_figure({"categories": ["a", "b"], "counts": [3, 1]}, "Grades")
    assert list(fig.data[0].x) == ["a", "b"] and list(fig.data[0].y) == [3, 1]
    with pytest.raises(ValueError, match="edges"):
        F.histogram_figure({"edges": [0, 1], "counts": [1, 2]}, "bad")
    empty = F.histogram_figure({"edges": [], "counts": []}, "Empty")
    assert len(empty.data[0].x) == 0


def test_metrics_bar_keeps_order_and_values() -> None:
    fig = F.metrics_bar_figure({"AUC": 0.81, "F1": 0.5, "Brier": 0.12}, "Scores")
    (bar,) = fig.data
    assert list(bar.x) == ["AUC", "F1", "Brier"]
    assert list(bar.y) == [0.81, 0.5, 0.12]
    assert list(bar.text) == ["0.81", "0.5", "0.12"]


def test_roc_curve_with_operating_point() -> None:
    fig = F.roc_curve_figure([0, 0.2, 1], [0, 0.7, 1], auc=0.8125, operating_point=(0.2, 0.7))
    assert [trace.name for trace in fig.data] == ["ROC (AUC = 0.812)", "Chance", "Operating point"]
    np.testing.assert_allclose(fig.data[0].y, [0, 0.7, 1])
    assert list(fig.data[2].x) == [0.2] and list(fig.data[2].y) == [0.7]
    assert fig.layout.xaxis.title.text == "False positive rate"
    assert len(F.roc_curve_figure([0, 1], [0, 1], 0.5).data) == 2
    with pytest.raises(ValueError, match="lengths"):
        F.roc_curve_figure([0, 1], [0, 0.5, 1], 0.5)


def test_pr_and_calibration_curves() -> None:
    pr = F.pr_curve_figure([0, 0.5, 1], [1, 0.8, 0.4], ap=0.77, prevalence=0.4)
    assert pr.data[0].name == "PR (AP = 0.770)"
    assert list(pr.data[1].y) == [0.4, 0.4]
    calibration = F.calibration_figure([0.1, 0.5, 0.9], [0.15, 0.45, 0.8])
    assert len(calibration.data) == 2
    np.testing.assert_allclose(calibration.data[0].y, [0.15, 0.45, 0.8])
    assert list(calibration.data[1].x) == [0, 1]


def test_feature_importance_sorted_by_magnitude_and_capped() -> None:
    names = [f"f{i}" for i in range(30)]
    values = np.arange(30, dtype=float)
    values[3] = -100.0
    fig = F.feature_importance_figure(names, values, "Importance", top=5)
    (bar,) = fig.data
    assert bar.orientation == "h"
    assert list(bar.y) == ["f3", "f29", "f28", "f27", "f26"]
    np.testing.assert_allclose(bar.x, [-100, 29, 28, 27, 26])
    assert fig.layout.yaxis.autorange == "reversed"  # first (largest) bar drawn on top
    assert bar.marker.color[0] == F.NEGATIVE and bar.marker.color[1] == F.PRIMARY


def test_confusion_matrix_counts_and_row_shares() -> None:
    fig = F.confusion_matrix_figure([[8, 2], [1, 9]], ["no", "yes"])
    (heat,) = fig.data
    assert isinstance(heat, go.Heatmap)
    np.testing.assert_array_equal(np.asarray(heat.z), [[8, 2], [1, 9]])
    assert heat.text[0][0] == "8<br>80.0%" and heat.text[1][1] == "9<br>90.0%"
    three = F.confusion_matrix_figure(np.eye(3, dtype=int), ["a", "b", "c"])
    assert list(three.data[0].x) == ["a", "b", "c"]
    with pytest.raises(ValueError, match="NxN"):
        F.confusion_matrix_figure([[1, 2]], ["a", "b"])
    decided = F.confusion_matrix_figure([[8, 2], [1, 9]], ["repaid", "default"], decisions=["approve", "decline"],
                                        decision_title="Decision")  # columns are decisions, rows outcomes
    assert list(decided.data[0].x) == ["approve", "decline"] and list(decided.data[0].y) == ["repaid", "default"]
    assert decided.layout.xaxis.title.text == "Decision" and "decision %{x}" in decided.data[0].hovertemplate
    with pytest.raises(ValueError, match="NxN"):
        F.confusion_matrix_figure([[1, 0], [0, 1]], ["a", "b"], decisions=["only one"])


def test_score_distribution_one_histogram_per_class() -> None:
    scores = np.array([0.1, 0.2, 0.9, 0.8, 0.7])
    fig = F.score_distribution_figure(scores, np.array([0, 0, 1, 1, 1]))
    assert [trace.name for trace in fig.data] == ["actual = 0", "actual = 1"]
    assert all(isinstance(trace, go.Histogram) for trace in fig.data)
    np.testing.assert_allclose(fig.data[1].x, [0.9, 0.8, 0.7])
    assert fig.layout.barmode == "overlay"
    assert len(F.score_distribution_figure(scores).data) == 1


def test_time_series_sorts_by_x_and_checks_columns() -> None:
    frame = pd.DataFrame({"day": pd.to_datetime(["2024-01-03", "2024-01-01", "2024-01-02"]), "a": [3, 1, 2], "b": [30, 10, 20]})
    fig = F.time_series_figure(frame, "day", ["a", "b"], "Demand")
    assert [trace.name for trace in fig.data] == ["a", "b"]
    assert list(fig.data[0].y) == [1, 2, 3] and list(fig.data[1].y) == [10, 20, 30]
    with pytest.raises(KeyError, match="missing"):
        F.time_series_figure(frame, "day", "missing", "x")


def test_fan_chart_band_and_median() -> None:
    history = pd.DataFrame({"date": pd.date_range("2024-01-01", periods=5), "y": [1, 2, 3, 4, 5]})
    forecast = pd.DataFrame({"date": pd.date_range("2024-01-06", periods=3), "p10": [4, 4, 4], "p50": [6, 6, 7], "p90": [8, 9, 10]})
    fig = F.fan_chart_figure(history, forecast, "Forecast")
    assert [trace.name for trace in fig.data] == ["History", "P90", "P10–P90", "Forecast (P50)"]
    assert fig.data[2].fill == "tonexty"  # band filled between P10 and the P90 trace before it
    assert list(fig.data[1].y) == [8, 9, 10] and list(fig.data[3].y) == [6, 6, 7]
    assert len(fig.data[0].x) == 5
    with pytest.raises(KeyError, match="p90"):
        F.fan_chart_figure(history, forecast.drop(columns="p90"), "bad")


def test_beeswarm_orders_features_by_mean_abs_shap() -> None:
    rng = np.random.default_rng(1)
    features = pd.DataFrame({"small": rng.normal(size=40), "big": rng.normal(size=40), "text": ["a", "b"] * 20})
    shap_values = np.column_stack([features["small"] * 0.1, features["big"] * 5, np.full(40, 1.0)])
    fig = F.beeswarm_figure(shap_values, features, top=2)
    assert len(fig.data) == 2
    assert list(fig.layout.yaxis.ticktext) == ["big", "text"]
    first = fig.data[0]
    np.testing.assert_allclose(first.x, shap_values[:, 1])
    assert np.all(np.abs(np.asarray(first.y) - 0) <= 0.3)  # jitter stays within its row
    colours = np.asarray(first.marker.color)
    assert colours.min() == 0.0 and colours.max() == 1.0
    assert fig.data[1].marker.color == NEUTRAL and not fig.data[1].marker.showscale  # no low-high for categories
    assert first.marker.showscale
    led_by_text = F.beeswarm_figure(shap_values[:, [2, 1]] * [9, 1], features[["text", "big"]])
    assert not led_by_text.data[0].marker.showscale and led_by_text.data[1].marker.showscale  # on the first number
    again = F.beeswarm_figure(shap_values, features, top=2)
    np.testing.assert_array_equal(again.data[0].y, first.y)  # seeded: same report, same picture
    capped = F.beeswarm_figure(shap_values, features, max_samples=10)
    assert all(len(trace.x) == 10 for trace in capped.data)
    with pytest.raises(ValueError, match="shape"):
        F.beeswarm_figure(shap_values[:, :2], features)


def test_waterfall_sums_to_prediction_and_lumps_the_rest() -> None:
    contributions = [("a", 0.1), ("b", -0.3), ("c", 0.05), ("d", 0.01)]
    fig = F.waterfall_figure(0.2, contributions, "Why", top=2)
    (water,) = fig.data
    assert isinstance(water, go.Waterfall)
    assert list(water.y) == ["Base value", "b", "a", "Other 2 features", "Prediction"]
    assert list(water.measure) == ["absolute", "relative", "relative", "relative", "total"]
    assert water.x[-1] == pytest.approx(0.2 + 0.1 - 0.3 + 0.05 + 0.01)
    assert water.x[3] == pytest.approx(0.06)
    assert len(F.waterfall_figure(0.0, contributions, "all", top=None).data[0].y) == 6


def test_figure_to_png_renders_and_failure_degrades(monkeypatch: pytest.MonkeyPatch) -> None:
    fig = F.metrics_bar_figure({"a": 1.0}, "Render")
    png = F.figure_to_png(fig, scale=1)
    assert png.startswith(b"\x89PNG")

    def broken(*_: object, **__: object) -> bytes:
        raise RuntimeError("no renderer")

    monkeypatch.setattr(F, "figure_to_png", broken)
    assert F.try_figure_to_png(fig) is None
    assert F.figure_title(fig) == "Render"

"""Error measures on hand-sized examples."""
import numpy as np
import pandas as pd
import pytest

from ml import forecast_metrics as m


def test_smape_is_the_kaggle_form_and_zero_when_both_are_zero():
    assert m.smape([0, 0], [0, 0]) == 0.0
    assert m.smape([100], [50]) == pytest.approx(200 * 50 / 150)
    assert m.smape([0], [5]) == pytest.approx(200.0)


def test_summary_wape_bias_mase_and_coverage():
    rows = pd.DataFrame({"unique_id": ["a"] * 4 + ["b"] * 4, "y": [10, 10, 10, 10, 0, 2, 2, 0],
                         "yhat": [12, 8, 10, 14, 0, 2, 4, 0], "p10": [9] * 4 + [0] * 4, "p90": [11] * 4 + [1] * 4})
    scale = pd.Series({"a": 2.0, "b": 1.0})
    out = m.summary(rows, scale)
    assert out["wape"] == pytest.approx(100 * 10 / 44)
    assert out["bias"] == pytest.approx(100 * 6 / 44)
    assert out["mase"] == pytest.approx(np.mean([(2 + 2 + 0 + 4) / 4 / 2.0, 2 / 4 / 1.0]))
    assert out["coverage"] == pytest.approx(100 * 6 / 8)  # a: all four in [9, 11]; b: only the two zeros
    table = m.by_series(rows, scale).set_index("unique_id")
    assert table.loc["b", "wape"] == pytest.approx(50.0) and table.loc["b", "coverage"] == pytest.approx(50.0)


def test_imputed_rows_are_not_scored():
    rows = pd.DataFrame({"unique_id": ["a", "a"], "y": [10.0, 99.0], "yhat": [10.0, 0.0], "imputed": [False, True]})
    assert m.summary(rows, pd.Series({"a": 1.0}))["wape"] == 0.0


def test_mase_scale_uses_the_season_or_one_step_when_short():
    history = pd.DataFrame({"unique_id": ["a"] * 8 + ["b"] * 3, "y": [1, 2, 3, 4, 2, 3, 4, 5] + [1, 3, 6]})
    scale = m.mase_scale(history, season=4)
    assert scale["a"] == pytest.approx(1.0) and scale["b"] == pytest.approx(2.5)


def test_flat_history_has_no_mase_and_raises_no_warning():
    import warnings

    history = pd.DataFrame({"unique_id": ["a"] * 6 + ["b"], "y": [5.0] * 6 + [np.nan]})
    scale = m.mase_scale(history, season=2)
    assert scale["a"] == 0.0 and np.isnan(scale["b"])
    rows = pd.DataFrame({"unique_id": ["a", "a", "b"], "y": [5.0, 5.0, 1.0], "yhat": [5.0, 6.0, 1.0]})
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out = m.summary(rows, scale)
    assert np.isnan(out["mase"]) and out["wape"] == pytest.approx(100 / 11)


def test_a_series_whose_backtest_rows_are_all_gaps_borrows_a_band_at_its_own_scale():
    from ml.forecast_backtest import residual_offsets

    rows = pd.DataFrame({"unique_id": ["a"] * 8 + ["b"] * 4, "y": [10, 12, 9, 11, 10, 13, 8, 10] + [0] * 4,
                         "yhat": [10.5] * 8 + [11.0] * 4, "imputed": [False] * 8 + [True] * 4})
    offsets = residual_offsets(rows, pd.Series({"a": 2.0, "b": 3.0})).set_index("unique_id")
    assert offsets.loc["b", "hi"] > 0 > offsets.loc["b", "lo"]               # a real band, not zero width
    assert offsets.loc["b", "hi"] == pytest.approx(offsets.loc["a", "hi"] * 3.0 / 2.0, rel=0.5)
    nothing = residual_offsets(rows.assign(imputed=True), pd.Series({"a": 2.0, "b": 3.0}))
    assert list(nothing["unique_id"]) == ["a", "b"] and (nothing[["lo", "hi"]] == 0).all().all()


def test_lead_variance_ratio_is_one_for_independent_errors_and_grows_for_persistent_ones():
    from ml.forecast_backtest import lead_variance_ratios

    rng = np.random.default_rng(0)
    series, windows, horizon = 60, 4, 7
    keys = pd.MultiIndex.from_product([range(series), range(windows), range(horizon)], names=["s", "window", "step"])
    rows = keys.to_frame(index=False)
    rows["unique_id"] = "s" + rows["s"].astype(str)
    rows["ds"] = pd.Timestamp("2024-01-01") + pd.to_timedelta(rows["window"] * horizon + rows["step"], unit="D")
    rows["yhat"] = 100.0
    noise = rng.normal(0, 5, len(rows))
    independent = lead_variance_ratios(rows.assign(y=100.0 + noise, imputed=False), horizon)
    assert independent[0] == 1.0 and all(r < 1.6 for r in independent)
    level = rng.normal(0, 5, series * windows).repeat(horizon)  # each window's miss lasts all week
    persistent = lead_variance_ratios(rows.assign(y=100.0 + level + 0.2 * noise, imputed=False), horizon)
    assert persistent[6] > 5.5 and persistent == sorted(persistent) and persistent[6] <= 7


def test_bands_are_sized_on_how_a_series_moves_now_not_on_its_launch():
    from ml.forecast_backtest import residual_offsets
    from ml.forecast_metrics import band_scale

    launch = [239.0, 298, 136, 80, 41, 22, 15, 11, 9, 5, 6, 7, 8, 13, 7, 11, 4, 9, 10, 12, 13, 13, 10]
    history = pd.DataFrame({"unique_id": "item", "y": launch})
    steps = np.abs(np.diff(launch[-13:]))
    assert band_scale(history, 12)["item"] == pytest.approx(steps.mean())  # the last year: nothing to clip
    spiky = pd.DataFrame({"unique_id": "s", "y": [10.0, 12, 11, 13, 12, 400, 12, 11, 13]})
    assert band_scale(spiky, 12)["s"] == pytest.approx((2 + 1 + 2 + 1 + 10 + 10 + 1 + 2) / 8)  # 388s: 5 × median 2
    rows = pd.DataFrame({"unique_id": ["item"] * 9 + ["other"] * 9, "y": [10.0] * 18,
                         "yhat": [12.0, 8, 11, 9, 10, 14, 6, 10, 10] * 2})
    then, now = pd.Series({"item": 50.0, "other": 50.0}), pd.Series({"item": 5.0})
    wide = residual_offsets(rows, then).set_index("unique_id")
    narrow = residual_offsets(rows, then, now).set_index("unique_id")
    assert narrow.loc["item", "hi"] == pytest.approx(wide.loc["item", "hi"] / 10)
    assert narrow.loc["other", "hi"] == pytest.approx(wide.loc["other", "hi"])  # no scale now: as it was


def test_a_band_keeps_room_on_both_sides_when_the_backtest_errors_were_all_on_one():
    from ml.forecast_backtest import apply_band

    forecast = pd.DataFrame({"unique_id": ["over", "even"], "yhat": [1000.0, 100.0]})
    offsets = pd.DataFrame({"unique_id": ["over", "even"], "lo": [-300.0, -20.0], "hi": [-68.0, 25.0]})
    band = apply_band(forecast, offsets).set_index("unique_id")
    assert band.loc["over", "p90"] == pytest.approx(1000 + 0.25 * 300)  # not 1000: selling more stays possible
    assert band.loc["over", "p10"] == pytest.approx(700.0)
    assert band.loc["even", ["p10", "p90"]].tolist() == [80.0, 125.0]  # a two-sided band is left as it was

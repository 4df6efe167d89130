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
    offsets = residual_offsets(rows, pd.Series({"a": 2.0, "b": 3.0}))
    offsets = offsets[offsets["step"] == 1].set_index("unique_id")
    assert offsets.loc["b", "hi"] > 0 > offsets.loc["b", "lo"]               # a real band, not zero width
    assert offsets.loc["b", "hi"] == pytest.approx(offsets.loc["a", "hi"] * 3.0 / 2.0, rel=0.5)
    nothing = residual_offsets(rows.assign(imputed=True), pd.Series({"a": 2.0, "b": 3.0}))
    assert list(nothing["unique_id"].unique()) == ["a", "b"] and (nothing[["lo", "hi"]] == 0).all().all()


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
    wide = residual_offsets(rows, then).groupby("unique_id")["hi"].max()
    narrow = residual_offsets(rows, then, now).groupby("unique_id")["hi"].max()
    # Its own backtest errors size most of the band; the noise scale it is shrunk towards is the one of now.
    assert narrow["item"] < 0.9 * wide["item"]
    assert narrow["other"] == pytest.approx(wide["other"])  # no scale now: as it was


def test_a_band_keeps_room_on_both_sides_when_the_backtest_errors_were_all_on_one():
    from ml.forecast_backtest import apply_band

    forecast = pd.DataFrame({"unique_id": ["over", "even"], "yhat": [1000.0, 100.0]})
    offsets = pd.DataFrame({"unique_id": ["over", "even"], "lo": [-300.0, -20.0], "hi": [-68.0, 25.0]})
    band = apply_band(forecast, offsets).set_index("unique_id")
    assert band.loc["over", "p90"] == pytest.approx(1000 + 0.25 * 300)  # not 1000: selling more stays possible
    assert band.loc["over", "p10"] == pytest.approx(700.0)
    assert band.loc["even", ["p10", "p90"]].tolist() == [80.0, 125.0]  # a two-sided band is left as it was


def _backtest_rows(kinds: dict[str, tuple[int, float, float]], *, windows: int = 3, horizon: int = 8,
                   grow: bool = False, seed: int = 0) -> pd.DataFrame:
    """Backtest rows of ``count`` series per kind at a forecast ``level`` with normal errors of sd ``spread``
    (times √step with ``grow``)."""
    rng = np.random.default_rng(seed)
    parts = []
    for kind, (count, level, spread) in kinds.items():
        keys = pd.MultiIndex.from_product([range(count), range(1, windows + 1), range(1, horizon + 1)],
                                          names=["s", "window", "step"]).to_frame(index=False)
        sd = spread * (np.sqrt(keys["step"]) if grow else 1.0)
        parts.append(pd.DataFrame({"unique_id": kind + keys["s"].astype(str), "window": keys["window"],
                                   "ds": pd.Timestamp("2024-01-01") + pd.to_timedelta(
                                       7 * (keys["window"] * horizon + keys["step"]), unit="D"),
                                   "yhat": level, "y": level + rng.normal(0, 1, len(keys)) * sd}))
    return pd.concat(parts, ignore_index=True)


def test_bands_fit_big_and_small_series_alike_whatever_their_step_noise_says():
    """Online-Retail-like: the UK sells 5,000 a week and moves little from week to week but misses by ~250;
    a small country sells 3 and misses by ~1.5 with steps of 2. Errors pooled over the step noise gave the big
    series ~55 % of actuals inside P10–P90 and the small ones ~100 %."""
    from ml.forecast_backtest import out_of_window_bands

    rows = _backtest_rows({"big": (20, 5000.0, 250.0), "small": (20, 30.0, 1.5)})
    noise = pd.Series({sid: 50.0 if sid.startswith("big") else 2.0 for sid in rows["unique_id"].unique()})
    banded = out_of_window_bands(rows, noise)
    inside = (banded["y"] >= banded["p10"]) & (banded["y"] <= banded["p90"])
    coverage = 100 * inside.groupby(banded["unique_id"].str[:3]).mean()
    assert 70 <= coverage["big"] <= 90 and 70 <= coverage["sma"] <= 90


def test_bands_widen_with_the_step_ahead():
    from ml.forecast_backtest import apply_band, residual_offsets

    rows = _backtest_rows({"s": (30, 100.0, 5.0)}, grow=True)
    offsets = residual_offsets(rows, pd.Series(5.0, index=rows["unique_id"].unique()))
    one = offsets[offsets["unique_id"] == "s0"].set_index("step")
    assert one["hi"].is_monotonic_increasing and one["lo"].is_monotonic_decreasing
    assert one.loc[8, "hi"] > 2 * one.loc[1, "hi"]  # √8 ≈ 2.8 times the first step's spread
    forecast = pd.DataFrame({"unique_id": "s0", "ds": pd.date_range("2025-01-06", periods=10, freq="W-MON"),
                             "yhat": 100.0})
    band = apply_band(forecast, offsets)
    assert band["p90"].iloc[0] == pytest.approx(100 + one.loc[1, "hi"])
    assert band["p90"].iloc[9] == pytest.approx(100 + one.loc[8, "hi"])  # past the backtest's horizon: its last step


def test_a_band_follows_the_level_forecast_not_the_level_backtested():
    """Backtests on a summer peak sized the bands of a low season (store-item hold-out: 84.6 % inside P10–P90)."""
    from ml.forecast_backtest import residual_offsets

    rows = _backtest_rows({"s": (30, 100.0, 10.0)})
    scale = pd.Series(10.0, index=rows["unique_id"].unique())
    same = residual_offsets(rows, scale).set_index(["unique_id", "step"])
    at = {name: residual_offsets(rows, scale, level=pd.Series(value, index=scale.index)).set_index(
        ["unique_id", "step"]) for name, value in (("same", 100.0), ("higher", 160.0), ("far", 1000.0))}
    assert at["same"]["hi"].to_numpy() == pytest.approx(same["hi"].to_numpy())
    assert at["higher"]["hi"].to_numpy() == pytest.approx(same["hi"].to_numpy() * np.sqrt(170 / 110))
    assert at["far"]["hi"].to_numpy() == pytest.approx(same["hi"].to_numpy() * np.sqrt(2))  # held to twice


def test_band_scale_reads_only_observed_steps_not_bridged_gaps():
    """Gaps left missing are interpolated for the lag features; their smooth steps (3.3 here) narrowed the
    noise scale bands are sized on. Only steps between two observed periods count, as in the MASE scale."""
    from ml.forecast_metrics import band_scale, mase_scale

    y = [10.0, 20, 10, 20 - 20 / 3, 20 - 10 / 3, 20, 10, 20, 10]  # periods 3 and 4 bridged from 10 to 20
    imputed = [False, False, False, True, True, False, False, False, False]
    history = pd.DataFrame({"unique_id": "s", "y": y, "imputed": imputed})
    assert band_scale(history, 52)["s"] == pytest.approx(10.0)
    assert band_scale(history.drop(columns="imputed"), 52)["s"] == pytest.approx((10 * 5 + 10 / 3 * 3) / 8)
    assert mase_scale(history, 1)["s"] == pytest.approx(10.0)


def test_the_mean_of_an_intermittent_forecast_sits_above_its_median_and_a_symmetric_ones_on_it():
    from ml.forecast_backtest import MEAN, MEAN_PRIOR_WEIGHT, apply_band, residual_offsets

    rng = np.random.default_rng(5)
    rows = _backtest_rows({"even": (10, 50.0, 7.0)}, seed=5)
    sparse = _backtest_rows({"sparse": (10, 0.66, 1.0)}, seed=6)  # LightGBM's L1 median of Poisson(0.89) days
    sparse["y"] = rng.poisson(0.89, len(sparse)).astype(float)
    rows = pd.concat([rows, sparse], ignore_index=True)
    offsets = residual_offsets(rows, pd.Series(1.0, index=rows["unique_id"].unique()), median=True)
    forecast = pd.DataFrame({"unique_id": ["sparse0", "even0"], "yhat": [0.66, 50.0]})
    band = apply_band(forecast, offsets).set_index("unique_id")
    own = sparse[sparse["unique_id"] == "sparse0"]
    gap = (own["y"] - 0.66).sum() / (len(own) + MEAN_PRIOR_WEIGHT)  # its mean error, shrunk towards 0
    assert band.loc["sparse0", MEAN] == pytest.approx(0.66 + gap, rel=0.3)
    assert 0.72 <= band.loc["sparse0", MEAN] <= 0.95 and band.loc["sparse0", "p50"] == pytest.approx(0.66)
    assert abs(band.loc["even0", MEAN] - 50.0) < 2.0  # normal errors: mean and median agree
    plain = apply_band(forecast, offsets.drop(columns="mid")).set_index("unique_id")  # a forecast that is a mean
    assert plain[MEAN].tolist() == plain["p50"].tolist()
    mean_like = residual_offsets(rows, pd.Series(1.0, index=rows["unique_id"].unique()))  # a baseline's errors
    assert (mean_like["mid"] == 0).all()

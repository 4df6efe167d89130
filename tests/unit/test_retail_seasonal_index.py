"""The seasonal-index candidate: pooled weekday and month indices times each series' recent level."""
import numpy as np
import pandas as pd
import pytest

from ml import forecast_models as models
from ml.forecast_profile import seasonal_index_forecast

WEEKDAY = np.array([0.8, 0.9, 0.95, 1.0, 1.1, 1.25, 1.0])          # Monday … Sunday
MONTH = np.array([0.7, 0.75, 0.9, 1.0, 1.1, 1.2, 1.3, 1.25, 1.1, 1.0, 0.9, 0.8])


def truth(dates: pd.DatetimeIndex, base: float, growth_per_year: float = 0.0) -> np.ndarray:
    years = (dates - dates[0]).days / 365.0
    return np.asarray(base * WEEKDAY[dates.dayofweek] * MONTH[dates.month - 1] * (1 + growth_per_year) ** years)


def sales(start="2020-01-01", end="2022-12-31", bases=(20, 50, 120), growth=0.0, seed=0, noise=True):
    rng = np.random.default_rng(seed)
    dates = pd.date_range(start, end, freq="D")
    parts = []
    for number, base in enumerate(bases, start=1):
        mean = truth(dates, base, growth)
        y = rng.poisson(mean).astype(float) if noise else mean
        parts.append(pd.DataFrame({"unique_id": f"item={number}", "ds": dates, "y": y}))
    return pd.concat(parts, ignore_index=True)


def test_noise_free_multiplicative_series_are_forecast_exactly():
    history = sales(noise=False)
    forecast = seasonal_index_forecast(history, "D", "D", 60)
    future = pd.date_range("2023-01-01", periods=60, freq="D")
    assert len(forecast) == 180 and list(forecast["ds"].iloc[:60]) == list(future)
    for number, base in enumerate((20, 50, 120), start=1):
        got = forecast[forecast["unique_id"] == f"item={number}"]["yhat"].to_numpy()
        np.testing.assert_allclose(got, truth(future, base) * 1.0, rtol=0.01)


def test_noisy_series_beat_their_own_seasonal_naive():
    history = sales(bases=(5, 8, 12, 20, 30, 50), seed=3)
    train, test = history[history["ds"] < "2022-10-03"], history[history["ds"] >= "2022-10-03"]
    forecast = seasonal_index_forecast(train, "D", "D", 90).merge(test, on=["unique_id", "ds"])
    naive = models.seasonal_naive(train, "D", "D", 90).merge(test, on=["unique_id", "ds"])
    assert len(forecast) == 6 * 90 and forecast["ds"].min() == pd.Timestamp("2022-10-03")
    error = (forecast["yhat"] - forecast["y"]).abs().sum()
    assert error < 0.75 * (naive["yhat"] - naive["y"]).abs().sum()


@pytest.mark.parametrize("origin", ["2022-04-04", "2022-07-04", "2022-10-03"])
def test_a_growing_business_is_not_forecast_at_last_years_average(origin):
    bases, growth = (5, 8, 12, 20, 30, 50), 0.30
    history = sales(bases=bases, growth=growth, seed=3)
    forecast = seasonal_index_forecast(history[history["ds"] < origin], "D", "D", 90)
    full = pd.date_range("2020-01-01", "2022-12-31")
    ahead = full >= origin
    true_total = sum(truth(full, base, growth)[ahead][:90].sum() for base in bases)
    assert forecast["yhat"].sum() == pytest.approx(true_total, rel=0.025)  # last year's mean: 5-18 % low


def test_imputed_gaps_are_left_out_and_a_launch_is_not_growth():
    history = sales(noise=False)
    # item=1 had a stock-out: its zeros were imputed (marked), and must not pull its level down.
    history["imputed"] = False
    hole = (history["unique_id"] == "item=1") & history["ds"].between("2022-10-01", "2022-12-31")
    history.loc[hole, "y"], history.loc[hole, "imputed"] = 0.0, True
    launch = pd.DataFrame({"unique_id": "item=9", "ds": pd.date_range("2022-11-01", "2022-12-31"), "imputed": False})
    launch["y"] = truth(pd.DatetimeIndex(launch["ds"]), 40)
    forecast = seasonal_index_forecast(pd.concat([history, launch], ignore_index=True), "D", "D", 30)
    future = pd.date_range("2023-01-01", periods=30)
    for item, base in (("item=1", 20), ("item=2", 50), ("item=9", 40)):
        got = forecast[forecast["unique_id"] == item]["yhat"].to_numpy()
        np.testing.assert_allclose(got, truth(future, base), rtol=0.02)


def test_weekly_and_monthly_data_use_month_indices_only():
    daily = sales(noise=False, bases=(70,))
    for rule, label in (("W-MON", "W"), ("MS", "M")):
        resampled = (daily.set_index("ds").groupby("unique_id")["y"].resample(rule, label="left", closed="left")
                     .sum().reset_index())
        forecast = seasonal_index_forecast(resampled, label, rule, 6)
        assert len(forecast) == 6 and forecast["yhat"].gt(0).all()
        if label == "M":  # December is low, June is high: the month pattern carries through
            by_month = forecast.set_index(forecast["ds"].dt.month)["yhat"]
            assert by_month.loc[6] / by_month.loc[1] == pytest.approx(MONTH[5] / MONTH[0], rel=0.05)


def test_short_or_silent_history_gives_flat_finite_forecasts():
    short = sales(start="2022-09-01", noise=False, bases=(10,))  # no complete calendar year: month index is 1
    forecast = seasonal_index_forecast(short, "D", "D", 14)
    assert np.isfinite(forecast["yhat"]).all() and forecast["yhat"].gt(0).all()
    silent = short.assign(y=0.0)
    assert seasonal_index_forecast(silent, "D", "D", 14)["yhat"].eq(0).all()


def test_the_backtest_dispatches_the_seasonal_index_by_name():
    history = sales(noise=False)
    direct = seasonal_index_forecast(history, "D", "D", 7)
    via = models.baseline(models.SEASONAL_INDEX, history, "D", "D", 7)
    pd.testing.assert_frame_equal(direct, via)

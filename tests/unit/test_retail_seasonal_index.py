"""The seasonal-index candidate: pooled weekday and month indices times each series' recent level."""
import numpy as np
import pandas as pd
import pytest

from ml import forecast_models as models
from ml.forecast_profile import _observed, decompose, seasonal_index_forecast, stopped_series

WEEKDAY = np.array([0.8, 0.9, 0.95, 1.0, 1.1, 1.25, 1.0])          # Monday … Sunday
MONTH = np.array([0.7, 0.75, 0.9, 1.0, 1.1, 1.2, 1.3, 1.25, 1.1, 1.0, 0.9, 0.8])


def prepared(history: pd.DataFrame) -> pd.DataFrame:
    return _observed(history)


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


@pytest.mark.parametrize("origin", ["2022-04-04", "2022-07-04", "2022-11-14"])
def test_a_growing_business_is_not_forecast_at_last_years_average(origin):
    bases, growth = (5, 8, 12, 20, 30, 50), 0.30
    history = sales(bases=bases, growth=growth, seed=3)
    forecast = seasonal_index_forecast(history[history["ds"] < origin], "D", "D", 90)
    full = pd.date_range("2020-01-01", "2023-12-31")  # the truth continues past the table's end
    ahead = full >= origin
    true_total = sum(truth(full, base, growth)[ahead][:90].sum() for base in bases)
    # Level and trend follow the growth; last year's mean would be 5-18 % low.
    assert 0.93 < forecast["yhat"].sum() / true_total < 1.07


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


def test_a_trend_does_not_leak_into_the_month_index_or_drop_at_new_year():
    dates = pd.date_range("2021-01-01", "2023-12-31")
    years = (dates - dates[0]).days.to_numpy() / 365.25
    history = pd.concat([pd.DataFrame({"unique_id": f"sku={i}", "ds": dates, "y": base * 1.3 ** years})
                         for i, base in enumerate((40, 90, 150))], ignore_index=True)   # growth, no season
    fit = decompose(prepared(history), "D")
    assert fit.yearly.between(0.97, 1.03).all(), fit.yearly.round(3).to_dict()
    forecast = seasonal_index_forecast(history, "D", "D", 28)
    january = forecast.groupby("ds")["yhat"].sum()
    last_december = history[history["ds"] >= "2023-12-04"].groupby("ds")["y"].sum().mean()
    assert january.mean() > last_december  # keeps growing past New Year (a December-high index would drop ~20 %)


def test_weekly_holiday_weeks_keep_their_own_peak():
    dates = pd.date_range("2020-01-06", "2023-09-25", freq="W-MON")
    spike = np.where(dates.isocalendar().week.to_numpy() == 47, 2.2, 1.0)
    history = pd.concat([pd.DataFrame({"unique_id": f"dept={i}", "ds": dates, "y": base * spike})
                         for i, base in enumerate((100, 250))], ignore_index=True)
    forecast = seasonal_index_forecast(history, "W", "W-MON", 13).groupby("ds")["yhat"].sum()
    week = forecast.index.isocalendar().week
    assert forecast[week == 47].iloc[0] == pytest.approx(2.2 * forecast[week == 45].iloc[0], rel=0.05)


def test_each_series_keeps_its_own_level_when_it_departs_from_the_chain():
    history = sales(bases=(20, 50, 120, 80), noise=False)
    late = history["ds"] >= "2022-09-01"
    history.loc[late & (history["unique_id"] == "item=1"), "y"] = 0.0           # discontinued
    history.loc[late & (history["unique_id"] == "item=4"), "y"] *= 1.5           # a store that took off
    forecast = seasonal_index_forecast(history, "D", "D", 30)
    future = pd.date_range("2023-01-01", periods=30)
    by_item = forecast.groupby("unique_id")["yhat"].sum()
    assert by_item["item=1"] < 1.0
    assert by_item["item=4"] == pytest.approx(1.5 * truth(future, 80).sum(), rel=0.05)
    assert by_item["item=2"] == pytest.approx(truth(future, 50).sum(), rel=0.05)


def test_a_few_missing_days_do_not_flatten_the_month_index():
    history = sales(noise=False)
    rng = np.random.default_rng(5)
    history["imputed"] = rng.random(len(history)) < 0.05                    # stock-outs, left missing
    fit = decompose(prepared(history), "D")
    np.testing.assert_allclose(fit.yearly.to_numpy(), MONTH / MONTH.mean(), rtol=0.03)


def test_closed_days_and_months_are_forecast_as_zero():
    history = sales(noise=False)
    history.loc[history["ds"].dt.dayofweek == 6, "y"] = 0.0                  # closed on Sundays
    history.loc[history["ds"].dt.month == 1, "y"] = 0.0                      # and every January
    forecast = seasonal_index_forecast(history, "D", "D", 60)
    sunday, january = forecast["ds"].dt.dayofweek == 6, forecast["ds"].dt.month == 1
    assert forecast.loc[sunday | january, "yhat"].eq(0).all()
    open_days = forecast[~sunday & ~january]
    expected = np.concatenate([truth(pd.DatetimeIndex(open_days["ds"].iloc[:1]), base) for base in (20,)])
    assert open_days["yhat"].iloc[0] == pytest.approx(expected[0], rel=0.05)


@pytest.mark.parametrize("days", [14, 28, 56])
def test_changes_inside_the_last_quarter_are_followed(days):
    history = sales(bases=(20, 50, 120, 80, 30, 60, 40, 25, 90, 70, 45), seed=7)
    change = history["ds"] > pd.Timestamp("2022-12-31") - pd.Timedelta(days=days)
    history.loc[(history["unique_id"] == "item=1") & change, "y"] = 0.0            # delisted
    launched = (history["unique_id"] == "item=2") & ~change                        # zero rows before its launch
    history.loc[launched, "y"] = 0.0
    by_item = seasonal_index_forecast(history, "D", "D", 28).groupby("unique_id")["yhat"].sum()
    future = pd.date_range("2023-01-01", periods=28)
    assert by_item["item=1"] == 0
    assert by_item["item=2"] == pytest.approx(truth(future, 50).sum(), rel=0.12)
    assert by_item["item=3"] == pytest.approx(truth(future, 120).sum(), rel=0.05)  # the chain is not dragged down


def test_diverging_series_grow_at_their_own_rate():
    dates = pd.date_range("2021-01-01", "2023-12-31")
    years = (dates - dates[0]).days.to_numpy() / 365.25
    rng = np.random.default_rng(9)
    rates = {f"s{i}": (1.4 if i < 20 else 0.7) for i in range(40)}
    bases = {name: rng.uniform(20, 100) for name in rates}
    history = pd.concat([pd.DataFrame({"unique_id": name, "ds": dates, "y": rng.poisson(bases[name] * rate ** years)})
                         for name, rate in rates.items()], ignore_index=True)
    train = history[history["ds"] < "2023-10-01"]
    forecast = seasonal_index_forecast(train, "D", "D", 92).groupby("unique_id")["yhat"].sum()
    actual = history[history["ds"] >= "2023-10-01"].groupby("unique_id")["y"].sum()
    for rate in (1.4, 0.7):
        names = [name for name, r in rates.items() if r == rate]
        assert forecast[names].sum() / actual[names].sum() == pytest.approx(1.0, abs=0.05)  # chain trend: ±10 %


def test_an_unseen_iso_week_53_is_read_as_week_1_not_as_the_christmas_week():
    dates = pd.date_range("2016-01-03", "2020-11-29", freq="W-SUN")
    christmas = np.array([(d - pd.Timedelta(days=6)) <= pd.Timestamp(d.year, 12, 25) <= d for d in dates])
    history = pd.DataFrame({"unique_id": "all", "ds": dates, "y": np.where(christmas, 200.0, 100.0)})
    forecast = seasonal_index_forecast(history, "W", "W-SUN", 6).set_index("ds")["yhat"]
    # Christmas fell in ISO week 51 in 2016 and in week 52 after: the week-52 index holds 3 of 4 peaks.
    assert forecast[pd.Timestamp("2020-12-27")] > 1.6 * forecast[pd.Timestamp("2021-01-03")]
    assert forecast[pd.Timestamp("2021-01-03")] == pytest.approx(forecast[pd.Timestamp("2021-01-10")], rel=0.05)


def _daily(values_by_series: dict, start="2022-01-01") -> pd.DataFrame:
    return pd.concat([pd.DataFrame({"unique_id": name, "ds": pd.date_range(start, periods=len(v)), "y": v})
                      for name, v in values_by_series.items()], ignore_index=True)


def test_the_stop_rule_catches_a_delisting_but_not_closures_seasons_or_lumpy_buying():
    rng = np.random.default_rng(8)
    days = pd.date_range("2022-01-01", "2024-12-25")
    n = len(days)
    summer = days.month.isin([5, 6, 7, 8, 9])
    series = {f"chain{i}": rng.poisson(20, n).astype(float) for i in range(5)}
    for values in series.values():
        values[-1] = 0.0                                                   # the whole chain closed on the last day
    series["delisted"] = np.where(np.arange(n) < n - 20, rng.poisson(15, n), 0).astype(float)
    series["summer"] = np.where(summer, rng.poisson(30, n), 0).astype(float)           # out of season since October
    series["cases"] = np.where(rng.random(n) < 0.1, 6.0, 0.0)                          # a case on 1 day in 10
    series["cases"][-31], series["cases"][-30:] = 6.0, 0.0                             # 30 quiet days: ~1-4 % by chance
    sundays = rng.poisson(20, n).astype(float)
    sundays[days.dayofweek == 6] = 0.0                                                 # one store closed on Sundays
    series["closed_sundays"] = sundays
    stopped = stopped_series(_daily(series), "D")
    assert stopped == ["delisted"]


def test_a_season_that_ended_earlier_than_last_year_or_a_single_sale_is_not_a_stop():
    weeks = pd.date_range("2022-01-03", "2024-12-30", freq="W-MON")
    in_season = lambda end_week: (weeks.isocalendar().week.to_numpy() >= 18) & (weeks.isocalendar().week.to_numpy() <= end_week)
    last_year = weeks.year < 2024
    season = np.where(last_year, in_season(40), in_season(36))          # this year's season ended 4 weeks early
    rng = np.random.default_rng(3)
    history = pd.DataFrame({"unique_id": "garden", "ds": weeks, "y": np.where(season, rng.poisson(20, len(weeks)), 0)})
    once = np.zeros(len(weeks))
    once[-20] = 3.0                                                       # one sale in three years
    chain = pd.DataFrame({"unique_id": "chain", "ds": weeks, "y": rng.poisson(50, len(weeks)).astype(float)})
    table = pd.concat([history, pd.DataFrame({"unique_id": "once", "ds": weeks, "y": once}), chain])
    assert stopped_series(table, "W") == []
    delisted = history.assign(unique_id="delisted", y=np.where(weeks < "2024-10-01", 20.0, 0.0))
    assert stopped_series(pd.concat([table, delisted]), "W") == ["delisted"]


def test_a_season_ending_weeks_earlier_is_not_a_stop_on_daily_data_either():
    days = pd.date_range("2022-01-01", "2024-12-25")
    week = days.isocalendar().week.to_numpy()
    season = np.where(days.year < 2024, (week >= 18) & (week <= 40), (week >= 18) & (week <= 36))
    rng = np.random.default_rng(4)
    table = pd.concat([pd.DataFrame({"unique_id": "garden", "ds": days, "y": np.where(season, rng.poisson(5, len(days)), 0)}),
                       pd.DataFrame({"unique_id": "chain", "ds": days, "y": rng.poisson(50, len(days)).astype(float)})])
    assert stopped_series(table, "D") == []


def test_quarterly_data_gets_a_quarter_index_and_its_growth():
    quarters = pd.date_range("2017-01-01", periods=28, freq="QS")
    season = np.array([0.9, 0.95, 0.95, 1.2])  # a Q4 peak

    def level(base, dates):
        return base * 1.02 ** ((dates.year - 2017) * 4 + dates.quarter - 1) * season[dates.quarter - 1]

    history = pd.concat([pd.DataFrame({"unique_id": f"segment={k}", "ds": quarters[:24], "y": level(b, quarters[:24])})
                         for k, b in enumerate((40, 75, 300))], ignore_index=True)
    forecast = seasonal_index_forecast(history, "Q", "QS-JAN", 4)
    assert forecast["ds"].tolist() == list(quarters[24:]) * 3
    expected = np.concatenate([level(b, quarters[24:]) for b in (40, 75, 300)])
    np.testing.assert_allclose(forecast["yhat"].to_numpy(), expected, rtol=0.03)

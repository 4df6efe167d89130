"""The seasonal index from one to two years of history: the time-of-year pattern with the trend read from the periods
seen in both years (23 months of store-item history: LightGBM's year-ago lag was filled on two December days)."""
import numpy as np
import pandas as pd

from ml import forecast_models as models
from ml.forecast_profile import _observed, decompose, seasonal_index_forecast
from ml.forecast_short_year import yearly_growth

WEEKDAY = np.array([0.8, 0.9, 0.95, 1.0, 1.1, 1.25, 1.0])
MONTH = np.array([0.7, 0.75, 0.9, 1.05, 1.15, 1.2, 1.3, 1.15, 1.05, 0.95, 1.05, 0.75])  # December 29 % under November


def sales(start: str, end: str, growth: float = 0.1) -> pd.DataFrame:
    """Three items, +``growth`` a year, no noise."""
    dates = pd.date_range(start, end, freq="D")
    years = (dates - dates[0]).days / 365.25
    mean = WEEKDAY[dates.dayofweek] * MONTH[dates.month - 1] * (1 + growth) ** years
    return pd.concat([pd.DataFrame({"unique_id": f"item={n}", "ds": dates, "y": base * mean})
                      for n, base in enumerate((20, 50, 120), start=1)], ignore_index=True)


def test_every_month_is_measured_from_17_months_without_reading_growth_as_season():
    # A centred one-year mean exists for January to June 2017 only: the other months had an index of 1.
    index = decompose(_observed(sales("2016-07-01", "2017-12-03")), "D").yearly
    np.testing.assert_allclose(index.to_numpy(), MONTH / MONTH.mean(), rtol=0.02)


def test_december_is_forecast_below_november_as_every_year():
    history = sales("2016-07-01", "2017-12-03")
    forecast = seasonal_index_forecast(history, "D", "D", 28)
    item = forecast[forecast["unique_id"] == "item=3"].set_index("ds")["yhat"]
    november = history[(history["unique_id"] == "item=3") & (history["ds"].dt.month == 11)
                       & (history["ds"].dt.year == 2017)]["y"].mean()
    assert abs(item.mean() / november - MONTH[11] / MONTH[10]) < 0.03  # 0.71; from the centred mean 0.79


def test_growth_is_read_from_the_periods_seen_in_both_years():
    history = sales("2016-01-01", "2017-06-30", growth=0.2)
    dates = history["ds"]
    assert abs(yearly_growth(history["unique_id"], dates.dt.year, dates.dt.month, history["y"]) - 1.2) < 0.01
    assert yearly_growth(history["unique_id"], dates.dt.year * 0, dates.dt.month, history["y"]) == 1.0  # no overlap


def test_offered_from_over_a_year_of_history():
    assert models.SEASONAL_INDEX in models.baselines_for("D", 619, log_scale=True)  # the 23-month file's first window
    assert models.SEASONAL_INDEX in models.baselines_for("M", 13, log_scale=True)
    assert models.baselines_for("M", 12, log_scale=True) == models.BASELINES  # no month seen twice: no growth
    assert models.SEASONAL_INDEX not in models.baselines_for("D", 619)  # sales may be negative: no ratios

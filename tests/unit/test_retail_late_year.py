"""The seasonal index on a history that reaches a year only after the first backtest window (78 weeks, 3 windows of
13: 39 weeks before the first): it was not offered, though the last window and the forecast have over a year."""
import numpy as np
import pandas as pd

from ml import forecast_backtest as backtest
from ml import forecast_models as models
from ml.forecast_prep import PrepOptions, prepare
from services import retail


def weekly(weeks: int = 78, series: int = 6) -> pd.DataFrame:
    """Seasonal weekly sales growing 15 % a year, Poisson noise."""
    rng = np.random.default_rng(3)
    dates = pd.date_range("2022-01-02", periods=weeks, freq="W-SUN")
    years = (dates - dates[0]).days / 365.25
    season = 1 + 0.35 * np.cos(2 * np.pi * (dates.dayofyear - 200) / 365.25)
    levels = (40, 90, 150, 220, 300, 400)[:series]
    mean = season * 1.15 ** years
    return pd.concat([pd.DataFrame({"week": dates, "sku": f"SKU{n}", "units": rng.poisson(level * mean)})
                      for n, level in enumerate(levels)], ignore_index=True)


def test_offered_when_the_last_window_has_over_a_year():
    config = models.feature_config("W", "W-SUN", 13, 39, static=("sku",), log_scale=True, longest=39, latest=65)
    assert models.SEASONAL_INDEX in config.baselines
    config = models.feature_config("W", "W-SUN", 13, 39, static=("sku",), log_scale=True, longest=39, latest=52)
    assert models.SEASONAL_INDEX not in config.baselines  # no week seen twice before the last window


def test_backtested_on_the_windows_with_a_year_and_compared_there():
    prepared = prepare(weekly(), PrepOptions(date="week", target="units", series=("sku",), horizon=13))
    config = models.feature_config("W", prepared.pandas_freq, 13, 39, static=("sku",), log_scale=True, longest=39,
                                   latest=65)
    rows = backtest.run_backtest(prepared.frame, config, horizon=13, windows=3, include_model=False)
    assert sorted(rows.loc[rows["model"] == models.SEASONAL_INDEX, "window"].unique()) == [3]
    assert sorted(rows.loc[rows["model"] == models.SEASONAL_NAIVE, "window"].unique()) == [1, 2, 3]
    assert backtest.shared_windows(rows) == [3]


def test_champion_on_78_weeks_reads_the_season():
    prepared = prepare(weekly(), PrepOptions(date="week", target="units", series=("sku",), horizon=13))
    result = retail.fit_and_forecast(prepared, horizon=13, windows=3, n_estimators=5)
    assert result["champion"] == models.SEASONAL_INDEX  # a moving average or a naive before
    assert any("backtested on the last 1 of 3 windows" in note for note in result["notes"])
    shared = result["backtest"]["window"] == 3
    own = result["backtest"][shared & (result["backtest"]["model"] == models.SEASONAL_NAIVE)]
    wape = 100 * (own["y"] - own["yhat"]).abs().sum() / own["y"].abs().sum()
    assert abs(result["table"][models.SEASONAL_NAIVE]["wape"] - wape) < 1e-6  # scored on the shared window only

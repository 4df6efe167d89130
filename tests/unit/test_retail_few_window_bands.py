"""A champion backtested on fewer windows than the other models (the seasonal index on ~78 weeks: the last 1 of 3)
sized its P10–P90 band on one or two windows: 68.5–83.1 % of hold-outs inside (median 75.5 %). Its levels now
carry the finite-sample conformal correction over its (series, window) blocks."""
import pandas as pd

from ml import forecast_backtest as backtest
from ml import forecast_conformal as conformal
from ml import forecast_models as models
from ml.forecast_prep import PrepOptions, prepare
from services import retail
from tests.unit.test_retail_late_year import weekly


def rows(series: int, champion_windows: tuple[int, ...]) -> pd.DataFrame:
    parts = [pd.DataFrame({"unique_id": f"s{n}", "window": window, "model": model, "y": 1.0, "yhat": 1.0},
                          index=[0])
             for n in range(series) for model, windows in (("seasonal_naive", (1, 2, 3)),
                                                           ("seasonal_index", champion_windows))
             for window in windows]
    return pd.concat(parts, ignore_index=True)


def test_levels_corrected_for_the_blocks_of_a_champion_on_fewer_windows():
    assert conformal.band_levels(rows(20, (3,)), "seasonal_index") == (0.1, 0.95)  # ⌈21 × 0.9⌉ / 20
    low, high = conformal.band_levels(rows(10, (2, 3)), "seasonal_index")
    assert (low, high) == (0.1, 0.95)
    assert conformal.band_levels(rows(6, (3,)), "seasonal_index") == (0.0, 1.0)  # too few blocks: the extremes


def test_plain_levels_where_the_champion_has_every_window():
    assert conformal.band_levels(rows(20, (1, 2, 3)), "seasonal_index") == backtest.QUANTILES
    assert conformal.band_levels(rows(20, (3,)), "seasonal_naive") == backtest.QUANTILES


def test_78_week_champion_band_wider_than_the_plain_levels_give(monkeypatch):
    prepared = prepare(weekly(), PrepOptions(date="week", target="units", series=("sku",), horizon=13))
    corrected = retail.fit_and_forecast(prepared, horizon=13, windows=3, n_estimators=5)["forecast"]
    monkeypatch.setattr(conformal, "band_levels", lambda rows, champion: backtest.QUANTILES)
    plain = retail.fit_and_forecast(prepared, horizon=13, windows=3, n_estimators=5)["forecast"]
    assert set(corrected["model"]) == {models.SEASONAL_INDEX}
    assert (corrected["p50"] == plain["p50"]).all()  # the point forecast is untouched
    assert (corrected["p90"] - corrected["p10"]).mean() > 1.1 * (plain["p90"] - plain["p10"]).mean()

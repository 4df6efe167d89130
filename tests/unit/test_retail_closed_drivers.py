"""An Open flag of 0 filled on the dates to forecast: those dates are forecast at 0 (closures are not trained on)."""
import numpy as np
import pandas as pd

from ml.forecast_prep import PrepOptions, prepare
from services import retail_closed_drivers as closed_drivers

HOLIDAYS = pd.to_datetime(["2023-01-06", "2023-03-01", "2023-05-01", "2023-06-15", "2023-08-15", "2023-10-03",
                           "2023-12-25", "2024-01-01", "2024-03-29"])


def _shops(sundays_open: bool = False) -> pd.DataFrame:
    rng = np.random.default_rng(0)
    days = pd.date_range("2023-01-01", "2024-04-30", freq="D")
    frames = []
    for shop in ("a", "b", "c", "d"):
        is_open = (~days.isin(HOLIDAYS) & ((days.dayofweek != 6) | sundays_open)).astype(int)
        sales = rng.poisson(100, len(days)) * is_open
        frames.append(pd.DataFrame({"day": days, "shop": shop, "units": sales.astype(float), "Open": is_open,
                                    "Promo": rng.integers(0, 2, len(days))}))
    return pd.concat(frames, ignore_index=True)


def _prepared(frame: pd.DataFrame):
    return prepare(frame, PrepOptions(date="day", target="units", series=("shop",), horizon=7))


def _forecast(prepared, dates) -> tuple[pd.DataFrame, pd.DataFrame]:
    ids = prepared.frame["unique_id"].unique()
    grid = pd.DataFrame({"unique_id": np.repeat(ids, len(dates)), "ds": np.tile(dates, len(ids))})
    forecast = grid.assign(yhat=100.0, p10=80.0, p50=100.0, p90=120.0, model="lightgbm")
    future = grid.assign(Open=np.where(grid["ds"] == dates[2], 0, 1), Promo=1)
    return forecast, future


def test_an_open_flag_of_zero_ahead_is_forecast_at_zero():
    prepared = _prepared(_shops())
    # Every Open = 0 row (holidays, Sundays) is a closure left out of training: the trees never saw one.
    assert prepared.frame["imputed"][prepared.frame["Open"] == 0].all()
    dates = pd.date_range("2024-05-01", periods=7, freq="D")
    forecast, future = _forecast(prepared, dates)
    notes: list[str] = []
    out = closed_drivers.at_zero(prepared, forecast, future, ("Open", "Promo"), notes)
    shut = out["ds"] == dates[2]
    assert (out.loc[shut, ["yhat", "p10", "p50", "p90"]] == 0).all().all()
    assert (out.loc[~shut, "p50"] == 100.0).all()
    assert len(notes) == 1 and "4 forecast rows" in notes[0] and "Open = 0" in notes[0]
    assert closed_drivers.no_sale_values(prepared, ("Open", "Promo")) == {"Open": [0]}


def test_a_value_that_sometimes_sold_is_not_read_as_a_closure():
    frame = _shops(sundays_open=True)
    frame.loc[(frame["Open"] == 0) & (frame["shop"] == "a") & (frame["day"] == HOLIDAYS[3]), "units"] = 40.0
    prepared = _prepared(frame)
    assert closed_drivers.no_sale_values(prepared, ("Open", "Promo")) == {}
    forecast, future = _forecast(prepared, pd.date_range("2024-05-01", periods=7, freq="D"))
    notes: list[str] = []
    assert closed_drivers.at_zero(prepared, forecast, future, ("Open", "Promo"), notes) is forecast
    assert notes == []


def test_rows_already_at_zero_are_not_counted_again():
    prepared = _prepared(_shops())
    dates = pd.date_range("2024-05-01", periods=7, freq="D")
    forecast, future = _forecast(prepared, dates)
    forecast.loc[forecast["ds"] == dates[2], ["yhat", "p10", "p50", "p90"]] = 0.0  # a closing weekday's note said it
    future.loc[future["ds"] == dates[4], "Open"] = 0
    notes: list[str] = []
    out = closed_drivers.at_zero(prepared, forecast, future, ("Open",), notes)
    assert (out.loc[out["ds"].isin(dates[[2, 4]]), "p90"] == 0).all()
    assert "4 forecast rows" in notes[0]

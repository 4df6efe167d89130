"""A store's closing weekday written as rows of 0 sales (Rossmann's Sundays) is not read as sales."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from ml import forecast_metrics as metrics
from ml.forecast_prep import IMPUTED, PrepOptions, prepare
from services import retail_adjust as adjust
from services import retail_store
from services.retail_store import history_table


def _stores(days: int = 140, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    dates = pd.date_range("2024-01-01", periods=days, freq="D")  # a Monday
    frames = []
    for store in (1, 2):
        sales = rng.normal(5000 + 1000 * store, 300, days).round()
        sales[dates.dayofweek == 6] = 0  # closed on Sundays, a row of 0 each
        frames.append(pd.DataFrame({"date": dates.strftime("%Y-%m-%d"), "store": store, "sales": sales}))
    frame = pd.concat(frames, ignore_index=True)
    frame.loc[(frame["store"] == 2) & (frame["date"] == "2024-01-10"), "sales"] = 0  # a stray zero on a Wednesday
    return frame


@pytest.mark.parametrize("fill", ["zero", "missing"])
def test_closing_weekday_zeros_are_left_out_and_bridged_not_read_as_sales(fill):
    prepared = prepare(_stores(), PrepOptions(date="date", target="sales", series=("store",), horizon=14, fill=fill))
    frame = prepared.frame
    sunday = frame["ds"].dt.dayofweek == 6
    assert frame.loc[sunday, IMPUTED].all() and not frame.loc[~sunday, IMPUTED].any()  # was: trained and scored on
    assert (frame.loc[sunday, "y"] > 4000).all()  # bridged between Saturday and Monday for the lags (was 0)
    assert (frame.loc[frame["ds"] == "2024-01-10"].set_index("unique_id")["y"] == 0).sum() == 1  # a stray 0 stays
    assert not any("closed" in n for n in prepared.notes)  # said once, with the forecast at 0 (retail_adjust)
    history = history_table(prepared)
    assert (history.loc[pd.to_datetime(history["date"]).dt.dayofweek == 6, "y"] == 0).all()  # drawn as the 0 it was


def test_a_weekday_that_sells_some_weeks_is_not_a_closing_day():
    frame = _stores()
    sundays = frame.index[(pd.to_datetime(frame["date"]).dt.dayofweek == 6) & (frame["store"] == 1)]
    frame.loc[sundays[::3], "sales"] = 2500  # open every third Sunday
    prepared = prepare(frame, PrepOptions(date="date", target="sales", series=("store",), horizon=14))
    store1 = prepared.frame[prepared.frame["unique_id"] == prepared.frame["unique_id"].iloc[0]]
    assert not store1[IMPUTED].any() and not any("closed on a weekday" in n and "store=1" in n.lower()
                                                  for n in prepared.notes)


def _backtest_rows(prepared, days: int = 14) -> pd.DataFrame:
    """The last ``days`` of each series as a champion's backtest rows, the forecast 100 above the (bridged) y."""
    frame = prepared.frame
    rows = frame[frame["ds"] > frame["ds"].max() - pd.Timedelta(days=days)][["unique_id", "ds", "y", IMPUTED]]
    rows = rows.assign(yhat=rows["y"] + 100, model="lightgbm", window=1).reset_index(drop=True)
    return rows.assign(p10=rows["yhat"] - 300, p50=rows["yhat"], p90=rows["yhat"] + 300)


def test_stored_backtest_shows_a_closing_day_as_zero_and_no_figure_scores_it():
    prepared = prepare(_stores(), PrepOptions(date="date", target="sales", series=("store",), horizon=14))
    rows = _backtest_rows(prepared)
    sunday = rows["ds"].dt.dayofweek == 6
    assert (rows.loc[sunday, "y"] > 4000).all()  # the bridged value, stored as the actual before
    stored = retail_store._closing_days_at_zero(rows.rename(columns={"y": "actual"}), prepared.frame)
    assert (stored.loc[sunday, ["actual", "p10", "p50", "p90"]] == 0).all().all()  # shut: sold 0, forecast 0
    assert stored.loc[~sunday, "actual"].equals(rows.loc[~sunday, "y"])  # open days untouched
    rows.loc[sunday, ["yhat", "p10", "p50", "p90"]] = 0.0  # were they scored, they would cost 200 sMAPE each
    scale = metrics.mase_scale(prepared.frame, 7)
    figures = metrics.summary(rows, scale)
    assert figures["bias"] == pytest.approx(100 * 100 * 24 / rows.loc[~sunday, "y"].sum())  # 24 open days, +100
    assert figures["smape"] == pytest.approx(metrics.smape(rows.loc[~sunday, "y"], rows.loc[~sunday, "yhat"]))
    assert figures["coverage"] == 100.0 and figures["balance"] == 100.0


def test_mase_scale_skips_steps_to_or_from_a_bridged_closing_day():
    prepared = prepare(_stores(), PrepOptions(date="date", target="sales", series=("store",), horizon=14))
    frame = prepared.frame
    store = frame[frame["unique_id"] == "store=1"]
    open_days = store[store["ds"].dt.dayofweek != 6]["y"].to_numpy()
    by_weekday = [np.abs(np.diff(open_days[d::6])) for d in range(6)]  # week-on-week steps of each open weekday
    expected = np.concatenate(by_weekday).mean()
    assert metrics.mase_scale(frame, 7)["store=1"] == pytest.approx(expected)  # was: bridged Sundays' steps in it


def test_a_closing_day_is_one_note_naming_its_weekday_and_series():
    prepared = prepare(_stores(), PrepOptions(date="date", target="sales", series=("store",), horizon=14))
    future = pd.DataFrame({"unique_id": np.repeat(["store=1", "store=2"], 7),
                           "ds": np.tile(pd.date_range("2024-05-20", periods=7), 2), "p10": 4000.0, "p50": 5000.0,
                           "p90": 6000.0})
    notes: list[str] = []
    out = adjust.closed_weekdays_of_series(prepared, future, notes)
    assert (out.loc[out["ds"].dt.dayofweek == 6, ["p10", "p50", "p90"]] == 0).all().all()
    assert notes == ["2 series sold nothing on Sundays (a row of 0 on each of them) while selling on nearly every "
                     "other day: closed then. Those rows are not read as sales (left out of training and scoring, "
                     "bridged for the lag features) and the days are forecast at 0, band included: store=1, store=2."]


def _future(start: str, days: int, p50: float = 5000.0) -> pd.DataFrame:
    return pd.DataFrame({"unique_id": np.repeat(["store=1", "store=2"], days),
                         "ds": np.tile(pd.date_range(start, periods=days), 2), "p10": p50, "p50": p50, "p90": p50})


def test_the_closing_day_note_follows_what_was_done_to_the_days():
    prepared = prepare(_stores(), PrepOptions(date="date", target="sales", series=("store",), horizon=14))
    notes: list[str] = []
    adjust.closed_weekdays_of_series(prepared, _future("2024-05-20", 7, p50=0.0), notes)  # the model said 0 already
    assert len(notes) == 1 and "are forecast at 0, band included: store=1, store=2." in notes[0]
    notes = []
    adjust.closed_weekdays_of_series(prepared, _future("2024-05-20", 6), notes)  # Monday to Saturday: no Sunday
    assert notes == ["2 series sold nothing on Sundays (a row of 0 on each of them) while selling on nearly every "
                     "other day: closed then. Those rows are not read as sales (left out of training and scoring, "
                     "bridged for the lag features): store=1, store=2."]
    recent = _stores()
    sundays = pd.to_datetime(recent["date"]).dt.dayofweek == 6
    recent.loc[sundays & (pd.to_datetime(recent["date"]) < "2024-03-01"), "sales"] = 3000  # shut only lately
    prepared = prepare(recent, PrepOptions(date="date", target="sales", series=("store",), horizon=14))
    notes = []
    adjust.closed_weekdays_of_series(prepared, _future("2024-05-20", 7), notes)
    assert notes == ["2 series sold nothing on Sundays in each of the last 8 weeks while selling on nearly every "
                     "other day: closed then, and those days are forecast at 0: store=1, store=2."]

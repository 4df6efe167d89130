"""A store's closing weekday written as rows of 0 sales (Rossmann's Sundays) is not read as sales."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from ml.forecast_prep import IMPUTED, PrepOptions, prepare
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
    note = next(n for n in prepared.notes if "closed on a weekday" in n)
    assert "those 40 days are not read as sales" in note, note
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

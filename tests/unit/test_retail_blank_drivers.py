"""Blank cells of a driver column stay blank when the table has a missing period. Filling the gaps' rows from the
series' neighbours had filled every blank of the file too: a Rohlik-like holiday_name, blank on 98 % of days, carried
each holiday's name to every day up to the next (Victory in Europe Day on 690 of Prague_1's days), so its blanks were
no code of their own and the column, blank on most dates to forecast, was left out of the model."""
from __future__ import annotations

import numpy as np
import pandas as pd

from ml.forecast_prep import DS, PrepOptions, prepare


def _orders() -> pd.DataFrame:
    days = pd.date_range("2023-12-01", periods=60, freq="D")
    frame = pd.DataFrame({"date": days, "warehouse": "Prague_1", "orders": 100.0 + np.arange(60) % 7,
                          "holiday_name": None, "markdown": np.nan})
    frame.loc[frame["date"] == "2023-12-24", "holiday_name"] = "Christmas Eve"
    frame.loc[frame["date"] == "2024-01-01", "holiday_name"] = "New Years Day"
    frame.loc[frame["date"] == "2023-12-10", "markdown"] = 5.0
    return frame[frame["date"] != "2023-12-25"]  # no row on the day the shops were shut


def test_blank_driver_cells_are_not_filled_from_the_day_before():
    frame = prepare(_orders(), PrepOptions(date="date", target="orders", series=("warehouse",), horizon=7)).frame
    named = frame.dropna(subset=["holiday_name"])
    assert named[DS].astype(str).tolist() == ["2023-12-24", "2023-12-25", "2024-01-01"]  # the gap's row: its neighbour
    assert frame.loc[frame[DS] == "2023-12-26", "holiday_name"].isna().all()  # had read 'Christmas Eve'
    assert frame.dropna(subset=["markdown"])[DS].astype(str).tolist() == ["2023-12-10"]  # a markdown run once

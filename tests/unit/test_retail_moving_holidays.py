"""A holiday that moves (Good Friday and Easter Monday, Thanksgiving) on which the business closed in every year of
the history is forecast at 0, band included, as a holiday on a fixed date is: it had been forecast as an ordinary
day (a Rossmann-shaped file: Good Friday P50 7,120 a store, Easter Monday 8,151)."""
from __future__ import annotations

import numpy as np
import pandas as pd

from ml.forecast_prep import DS, ID, PrepOptions, prepare
from services.retail_closed_drivers import easter, on_closed_dates


def _chain(closed: list[str], end: str, zeros: bool = False) -> pd.DataFrame:
    rng = np.random.default_rng(3)
    days = pd.date_range("2019-01-01", end, freq="D")
    frame = pd.concat([pd.DataFrame({"date": days, "store": s, "sales": rng.poisson(100 + 20 * s, len(days))
                                     .astype(float)}) for s in range(4)], ignore_index=True)
    shut = frame["date"].isin(pd.to_datetime(closed))
    if zeros:  # Rossmann writes a closed day as a row of 0 with Open 0
        frame.loc[shut, "sales"] = 0.0
        return frame
    return frame[~shut]


def _closed(frame: pd.DataFrame, start: str) -> tuple[list[str], list[str]]:
    prepared = prepare(frame, PrepOptions(date="date", target="sales", series=("store",), horizon=28))
    dates = pd.date_range(start, periods=28, freq="D")
    ids = prepared.frame[ID].unique()
    forecast = pd.DataFrame({ID: np.repeat(ids, 28), DS: np.tile(dates, len(ids)), "p10": 90.0, "p50": 100.0,
                             "p90": 110.0})
    notes: list[str] = []
    out = on_closed_dates(prepared, forecast, notes)
    assert set(out.loc[out["p50"] == 0, "p90"]) <= {0.0}  # band included
    return sorted(set(pd.to_datetime(out.loc[out["p50"] == 0, DS]).dt.strftime("%Y-%m-%d"))), notes


def test_easter_sunday_is_computed_for_any_year():
    assert [str(easter(y).date()) for y in (2019, 2020, 2021, 2024, 2038)] == [
        "2019-04-21", "2020-04-12", "2021-04-04", "2024-03-31", "2038-04-25"]


def test_good_friday_and_easter_monday_closed_every_year_are_forecast_at_zero():
    frame = _chain(["2019-04-19", "2019-04-22", "2020-04-10", "2020-04-13"], end="2021-03-20", zeros=True)
    zero, notes = _closed(frame, "2021-03-21")
    assert zero == ["2021-04-02", "2021-04-05"]  # forecast as ordinary days before
    assert notes == ["2021-04-02, 2021-04-05: no series sold on the same holiday (the same distance from Easter, or "
                     "the same weekday of the month: Good Friday and Thanksgiving move) in any year of the history (no "
                     "row, or a row of 0 in each): the business closes then, and it is forecast at 0, band included."]


def test_thanksgiving_closed_every_year_is_forecast_at_zero_and_an_easter_seen_once_is_not():
    zero, _ = _closed(_chain(["2019-11-28", "2020-11-26"], end="2021-11-10"), "2021-11-11")
    assert zero == ["2021-11-25"]  # the fourth Thursday of November
    zero, _ = _closed(_chain(["2020-04-10"], end="2021-03-20"), "2021-03-21")
    assert zero == []  # open on Good Friday 2019: an outage in 2020, not a holiday


def test_fixed_holidays_side_by_side_make_no_moving_one():
    # 24-26 December closed: the fourth Thursday of December fell on the 26th in 2019 and the 24th in 2020
    frame = _chain(["2019-12-24", "2019-12-25", "2019-12-26", "2020-12-24", "2020-12-25", "2020-12-26"],
                   end="2021-12-10")
    zero, notes = _closed(frame, "2021-12-11")
    assert zero == ["2021-12-24", "2021-12-25", "2021-12-26"]  # not 23 December 2021, an ordinary Thursday
    assert len(notes) == 1 and notes[0].startswith("2021-12-24, 2021-12-25, 2021-12-26: no series sold on that date")


def test_easter_monday_a_year_before_is_no_evidence_for_its_calendar_date():
    # no rows on Saturdays; Easter Monday closed both years: 13 April 2020 was one, 13 April 2019 a Saturday
    frame = _chain(["2019-04-22", "2020-04-13"], end="2021-03-31")
    frame = frame[pd.to_datetime(frame["date"]).dt.dayofweek != 5]
    zero, notes = _closed(frame, "2021-04-01")
    assert [d for d in zero if pd.Timestamp(d).dayofweek != 5] == ["2021-04-05"]  # 13 April 2021 had been 0 too
    assert not any(n.startswith("2021-04-13") for n in notes)

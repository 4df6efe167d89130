"""Favorita's transactions.csv: 1 January has a row in one store only (open); the others have no row. Those gaps
were 0 sales: trained on, LightGBM forecast a fifth of the usual on 2 and 3 January a year later, and 1 January
itself as an ordinary day (the file's first day, 1 January 2013 with one store's row, counted as a year the
business opened)."""
import numpy as np
import pandas as pd

from ml.forecast_prep import PrepOptions, prepare
from services import retail_closed_drivers as closed_drivers

OPEN_STORE = 25


def _transactions(lost_day: str | None = None) -> pd.DataFrame:
    rng = np.random.default_rng(7)
    days = pd.date_range("2013-01-01", "2015-12-20", freq="D")
    new_year = (days.month == 1) & (days.day == 1)
    frames = []
    for store in (1, 2, 3, 4, 5, 6, 7, OPEN_STORE):
        keep = ~new_year | (store == OPEN_STORE)
        if lost_day is not None and store in (1, 2):  # two stores' rows lost on one day: no closure
            keep &= days != pd.Timestamp(lost_day)
        sales = rng.poisson(1000, len(days)).astype(float)
        frames.append(pd.DataFrame({"date": days[keep], "store_nbr": store, "transactions": sales[keep]}))
    return pd.concat(frames, ignore_index=True)


def _prepared(frame: pd.DataFrame):
    return prepare(frame, PrepOptions(date="date", target="transactions", series=("store_nbr",), horizon=16))


def test_a_day_most_stores_have_no_row_for_is_a_closure_for_them_not_sales_of_zero():
    prepared = _prepared(_transactions())
    data = prepared.frame
    on_new_year = (data["ds"].dt.month == 1) & (data["ds"].dt.day == 1)
    shut = data[on_new_year & data["imputed"]]
    assert sorted(shut["store_nbr"].unique()) == [1, 2, 3, 4, 5, 6, 7]
    assert sorted(shut["ds"].dt.year.unique()) == [2014, 2015]  # the stores' series start on 2 January 2013
    assert not data.loc[on_new_year & (data["store_nbr"] == OPEN_STORE), "imputed"].any()
    assert ("Most series with a row on nearly every period have none for 2 period(s) (2014-01-01, 2015-01-01), "
            "while a few have one (stores open): a closure for those series, not sales of 0. Their missing rows are "
            "left out of training and scoring and bridged for the lag features; a date closed in every year of the "
            "history (at least two) is forecast at 0 in the series that sold on it in no year.") in prepared.notes
    assert not any(note.startswith("14 missing periods") for note in prepared.notes)


def test_the_day_is_forecast_at_zero_a_year_later_except_in_the_open_store():
    prepared = _prepared(_transactions())
    ids = prepared.frame["unique_id"].unique()
    dates = pd.date_range("2015-12-21", periods=16, freq="D")
    forecast = pd.DataFrame({"unique_id": np.repeat(ids, 16), "ds": np.tile(dates, len(ids)),
                             "p10": 900.0, "p50": 1000.0, "p90": 1100.0})
    notes: list[str] = []
    out = closed_drivers.on_closed_dates(prepared, forecast, notes)
    new_year = out["ds"] == "2016-01-01"
    opened = out["unique_id"] == f"store_nbr={OPEN_STORE}"
    assert (out.loc[new_year & ~opened, ["p10", "p50", "p90"]] == 0).all().all()
    assert (out.loc[new_year & opened, "p50"] == 1000.0).all()
    assert (out.loc[~new_year, "p50"] == 1000.0).all()
    assert notes == ["2016-01-01: the business closed on that date in every year of the history (no row, or a row of "
                     "0, in most series): forecast at 0, band included, except in the 1 series that sold on it in a "
                     f"year (store_nbr={OPEN_STORE})."]


def test_two_stores_missing_a_day_is_no_closure():
    prepared = _prepared(_transactions(lost_day="2014-06-11"))
    data = prepared.frame
    lost = data[data["ds"] == "2014-06-11"]
    assert not lost["imputed"].any() and lost.loc[lost["store_nbr"].isin([1, 2]), "y"].eq(0).all()

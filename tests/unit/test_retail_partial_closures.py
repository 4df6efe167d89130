"""A day most steady sellers sold nothing on while a few stores stayed open (Favorita's 1 January) is a closure for
the series that sold nothing: their rows of 0 had been read as sales (only a day with no sale anywhere was a
closure), and LightGBM forecast a tenth of the usual sales around 1 January a year later (9,735 for 110,497 on
2 January on a Favorita-like file) and the usual sales on the closed 1 January itself."""
from __future__ import annotations

import numpy as np
import pandas as pd

from ml.forecast_prep import DS, ID, IMPUTED, PrepOptions, prepare
from services.retail_closed_drivers import on_closed_dates


def _stores(end: str = "2020-12-10") -> pd.DataFrame:
    rng = np.random.default_rng(4)
    days = pd.date_range("2018-01-01", end, freq="D")
    frames = [pd.DataFrame({"date": days, "store": s, "sales": rng.poisson(200 + 30 * s, len(days)).astype(float)})
              for s in range(6)]
    frames.append(pd.DataFrame({"date": days, "store": "slow", "sales": rng.poisson(0.5, len(days)).astype(float)}))
    frame = pd.concat(frames, ignore_index=True)
    new_year = frame["date"].dt.strftime("%m-%d") == "01-01"
    frame.loc[new_year & frame["store"].isin([1, 2, 3, 4, 5, "slow"]), "sales"] = 0.0  # store 0 opens on 1 January
    return frame


def test_a_day_most_steady_sellers_sold_nothing_on_is_a_closure_for_them_only():
    prepared = prepare(_stores(), PrepOptions(date="date", target="sales", series=("store",), horizon=28))
    frame = prepared.frame
    new_year = frame[frame[DS].dt.strftime("%m-%d") == "01-01"]
    shut = new_year.groupby(ID, observed=True)[IMPUTED].all()
    assert shut.to_dict() == {"store=0": False, "store=1": True, "store=2": True, "store=3": True, "store=4": True,
                              "store=5": True, "store=slow": False}  # were read as sales of 0
    assert not frame.loc[frame[DS].dt.strftime("%m-%d") != "01-01", IMPUTED].any()
    said = [n for n in prepared.notes if "sold nothing on 3 day(s)" in n]
    assert len(said) == 1 and said[0].startswith("Every series, or most of those selling on nearly every day, sold "
                                                 "nothing on 3 day(s) (2018-01-01, 2019-01-01, 2020-01-01)")
    assert said[0].endswith("On 3 of them (2018-01-01, 2019-01-01, 2020-01-01) some series sold (stores open): only "
                            "the rows of 0 of series selling on nearly every day are read as closed.")

    dates = pd.date_range("2020-12-11", periods=28, freq="D")
    ids = frame[ID].unique()
    forecast = pd.DataFrame({ID: np.repeat(ids, 28), DS: np.tile(dates, len(ids)), "p10": 90.0, "p50": 100.0,
                             "p90": 110.0})
    notes: list[str] = []
    out = on_closed_dates(prepared, forecast, notes)
    zero = out[out["p50"] == 0]
    assert set(pd.to_datetime(zero[DS]).dt.strftime("%m-%d")) == {"01-01"}
    assert sorted(map(str, zero[ID])) == ["store=1", "store=2", "store=3", "store=4", "store=5", "store=slow"]
    assert notes == ["2021-01-01: the business closed on that date in every year of the history (no row, or a row of "
                     "0, in most series): forecast at 0, band included, except in the 1 series that sold on it in a "
                     "year (store=0)."]

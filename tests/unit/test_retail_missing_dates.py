"""A date no series has a row for (25 December in a Favorita-like file, a three-day data outage) is not read as
sales of 0: it was, and a year later the yearly naive copied the 0 and LightGBM forecast a fraction of the usual
days around it. A date closed in every year of the history is forecast at 0, with a note."""
from __future__ import annotations

import numpy as np
import pandas as pd

from ml import forecast_models as models
from ml.forecast_prep import DS, ID, IMPUTED, PrepOptions, prepare
from services.retail_closed_drivers import on_closed_dates


def _chain(drop: list[str], start: str = "2019-01-01", end: str = "2021-12-10", stores: int = 4) -> pd.DataFrame:
    rng = np.random.default_rng(0)
    days = pd.date_range(start, end, freq="D")
    frames = [pd.DataFrame({"date": days, "store": s, "sales": rng.poisson(100 + 20 * s, len(days)).astype(float)})
              for s in range(stores)]
    frame = pd.concat(frames, ignore_index=True)
    return frame[~frame["date"].isin(pd.to_datetime(drop))]


def _prepared(frame: pd.DataFrame, fill: str = "zero"):
    return prepare(frame, PrepOptions(date="date", target="sales", series=("store",), horizon=28, fill=fill))



def test_a_date_missing_from_every_series_is_bridged_not_trained_as_zero_sales():
    prepared = _prepared(_chain(["2020-12-12", "2020-12-13", "2020-12-14"]))
    frame = prepared.frame
    lost = frame[frame[DS].between("2020-12-12", "2020-12-14")]
    assert lost[IMPUTED].all() and (lost["y"] > 80).all()  # were 0 sales, trained and scored on
    assert not frame.loc[~frame[DS].between("2020-12-12", "2020-12-14"), IMPUTED].any()
    assert any(n.startswith("No series has a row for 3 period(s) (2020-12-12, 2020-12-13, 2020-12-14): a closure "
                            "or data missing from the export, not sales of 0.") for n in prepared.notes)
    assert not any("set to 0 sales" in n for n in prepared.notes)
    yearly = models.yearly_naive(frame, "D", "D", 28)  # 364 days back from 2021-12-11 …
    a_year_on = yearly[yearly[DS].between("2021-12-11", "2021-12-13")]
    assert (a_year_on["yhat"] > 80).all()  # was 0: the outage copied a year forward


def test_gaps_everywhere_by_chance_and_a_closing_weekday_stay_zero_sales():
    rng = np.random.default_rng(1)
    days = pd.date_range("2021-01-01", periods=200, freq="D")
    slow = pd.concat([pd.DataFrame({"date": days[rng.random(200) < 0.4], "item": i, "sales": 1.0}) for i in range(3)])
    prepared = prepare(slow, PrepOptions(date="date", target="sales", series=("item",), horizon=14))
    assert not prepared.frame[IMPUTED].any()  # a day three slow sellers all missed is a day of no sales
    shop = _chain([], "2021-01-01", "2021-06-30")
    shop = shop[pd.to_datetime(shop["date"]).dt.dayofweek != 5]  # no rows on Saturdays: closed then
    assert not _prepared(shop).frame[IMPUTED].any()  # the weekday rule forecasts them at 0 (retail_adjust)


def _forecast(prepared, start: str = "2021-12-11") -> pd.DataFrame:
    dates = pd.date_range(start, periods=28, freq="D")
    ids = prepared.frame[ID].unique()
    return pd.DataFrame({ID: np.repeat(ids, len(dates)), DS: np.tile(dates, len(ids)), "p10": 90.0, "p50": 100.0,
                         "p90": 110.0})


def test_a_date_closed_every_year_is_forecast_at_zero_and_a_one_off_is_not():
    prepared = _prepared(_chain(["2019-12-25", "2020-12-25"]))
    notes: list[str] = []
    out = on_closed_dates(prepared, _forecast(prepared), notes)
    xmas = pd.to_datetime(out[DS]) == "2021-12-25"
    assert (out.loc[xmas, ["p10", "p50", "p90"]] == 0).all().all()  # was forecast as an ordinary day
    assert (out.loc[~xmas, "p50"] == 100).all()
    assert notes == ["2021-12-25: no series sold on that date in any year of the history (no row, or a row of 0 in "
                     "each): the business closes then, and it is forecast at 0, band included."]
    once = _prepared(_chain(["2020-12-25"]))  # open on 25 December 2019: an outage, not a closing day
    assert (on_closed_dates(once, _forecast(once), [])["p50"] == 100).all()
    short = _prepared(_chain(["2020-12-25"], start="2020-06-01"))
    said: list[str] = []
    assert (on_closed_dates(short, _forecast(short), said)["p50"] == 100).all()
    assert said == ["2021-12-25: no series had a row a year before (a closure or an outage, seen once): forecast as "
                    "ordinary days. If the business closes on those dates every year, plan them at 0."]


def test_slow_sellers_missing_together_by_chance_are_no_closing_date():
    rng = np.random.default_rng(2)
    days = pd.date_range("2019-01-01", "2021-12-10", freq="D")
    slow = pd.concat([pd.DataFrame({"date": days[rng.random(len(days)) < 0.4], "item": i, "sales": 1.0})
                      for i in range(3)])
    prepared = prepare(slow, PrepOptions(date="date", target="sales", series=("item",), horizon=28, fill="missing"))
    said: list[str] = []
    assert (on_closed_dates(prepared, _forecast(prepared), said)["p50"] == 100).all() and said == []


def test_a_year_whose_date_fell_on_the_closing_weekday_counts_as_closed():
    shop = _chain(["2020-12-24", "2020-12-25", "2020-12-26", "2021-12-24", "2021-12-25", "2021-12-26"],
                  start="2020-01-01", end="2022-12-10")
    shop = shop[pd.to_datetime(shop["date"]).dt.dayofweek != 5]  # no rows on Saturdays (25 December 2021 was one)
    prepared = _prepared(shop)
    notes: list[str] = []
    out = on_closed_dates(prepared, _forecast(prepared, "2022-12-11"), notes)
    zero = sorted(set(pd.to_datetime(out.loc[out["p50"] == 0, DS]).dt.strftime("%m-%d")))
    assert zero == ["12-24", "12-25", "12-26"]  # 25 December had been left as an ordinary day
    assert notes[-1].startswith("2022-12-24, 2022-12-25, 2022-12-26: no series sold on that date")

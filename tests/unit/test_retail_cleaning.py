"""Rows that are not sales history (future rows, typos) and long gaps a year back."""
import numpy as np
import pandas as pd
import pytest

from ml import forecast_models as models
from ml.forecast_cleaning import drop_typo_spikes, split_future_rows
from ml.forecast_gaps import FILLED, long_runs, one_off_closures, skip_year_old_gaps
from ml.forecast_prep import ID, ForecastInputError, PrepOptions, prepare


def _table(days: int = 60, series=("a", "b"), seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    dates = pd.date_range("2024-01-01", periods=days, freq="D")
    return pd.concat([pd.DataFrame({"day": dates, "sku": s, "units": rng.poisson(50, days).astype(float),
                                    "price": rng.uniform(1, 2, days)}) for s in series], ignore_index=True)


def _options(**kw):
    return PrepOptions(**{"date": "day", "target": "units", "series": ("sku",), "horizon": 7, **kw})


def test_trailing_dates_with_no_quantity_anywhere_are_the_dates_to_forecast_not_zero_sales():
    frame = _table()
    frame.loc[frame["day"] >= "2024-02-23", "units"] = np.nan  # the last 7 days: prices filled, quantity blank
    prepared = prepare(frame, _options())
    assert prepared.frame["ds"].max() == pd.Timestamp("2024-02-22") and (prepared.frame["y"] > 0).all()
    assert prepared.future_rows["ds"].nunique() == 7 and set(prepared.future_rows.columns) == {ID, "ds", "price"}
    assert any(n.startswith("The table's last 7 date(s) (2024-02-23 to 2024-02-29) have no quantity in any series")
               for n in prepared.notes)


def test_a_blank_quantity_in_one_series_on_the_last_date_is_still_history():
    frame = _table()
    frame.loc[(frame["sku"] == "a") & (frame["day"] == "2024-02-29"), "units"] = np.nan
    prepared = prepare(frame, _options())
    assert prepared.future_rows.empty and prepared.frame["ds"].max() == pd.Timestamp("2024-02-29")
    blank = pd.DataFrame({"ds": pd.date_range("2024-01-01", periods=3), ID: "x", "y": np.nan})
    assert split_future_rows(blank, [])[0] is blank  # nothing known at all: left to the later checks


def test_one_quantity_a_hundred_times_its_series_is_left_out_as_a_typo():
    frame = _table()
    frame.loc[10, "units"] = 1e9
    frame.loc[70, "units"] = 400  # eight times its series' usual: a big day, kept
    notes: list[str] = []
    prepared = prepare(frame, _options())
    assert prepared.frame["y"].max() == 400 and 1e9 not in prepared.frame["y"].tolist()
    typo = [n for n in prepared.notes if "left out as likely typos" in n]
    assert len(typo) == 1 and "sku=a on 2024-01-11 (1e+09)" in typo[0] and typo[0].startswith("1 quantity value(s)")
    sparse = pd.DataFrame({"ds": pd.date_range("2024-01-01", periods=6), ID: "x", "y": [1, 0, 0, 2, 0, 500.0]})
    assert drop_typo_spikes(sparse, notes) is sparse and not notes  # too few sales to call 500 a typo


def test_long_runs_mark_only_runs_at_least_that_long():
    filled = np.array([1, 0, 1, 1, 1, 0, 1, 1], dtype=bool)
    assert long_runs(filled, 3).tolist() == [False, False, True, True, True, False, False, False]
    assert long_runs(filled, 2).tolist() == [False, False, True, True, True, False, True, True]


def _two_years(gap_last_year: bool, gap_the_year_before: bool) -> tuple[np.ndarray, np.ndarray]:
    y = np.tile([10.0, 20, 30, 40, 50, 60, 0], 104)  # 728 days of a week pattern with a closed day
    filled = np.zeros(len(y), dtype=bool)
    if gap_last_year:
        y[364:400], filled[364:400] = 0.0, True      # shut a year before the forecast
    if gap_the_year_before:
        y[0:36], filled[0:36] = 0.0, True
    return y, filled


def test_a_one_off_closure_a_year_back_is_not_copied_but_a_yearly_one_is():
    y, filled = _two_years(True, False)
    path = np.resize(y[-364:], 14)
    out, moved = skip_year_old_gaps(y, filled, path, "D", 364)
    assert moved and out.tolist() == np.resize(y[-7:], 14).tolist()  # the latest week, weekdays aligned
    y, filled = _two_years(True, True)
    out, moved = skip_year_old_gaps(y, filled, np.resize(y[-364:], 14), "D", 364)
    assert not moved and (out == 0).all()
    history = pd.DataFrame({ID: "s", "ds": pd.date_range("2023-01-02", periods=728), "y": y, FILLED: filled})
    frame = models.yearly_naive(history, "D", "D", 14)
    assert frame.attrs["year_old_gaps"] == [] and (frame["yhat"] == 0).all()
    y, filled = _two_years(True, False)
    frame = models.yearly_naive(history.assign(y=y, **{FILLED: filled}), "D", "D", 14)
    assert frame.attrs["year_old_gaps"] == ["s"] and frame["yhat"].tolist() == np.resize(y[-7:], 14).tolist()


def test_a_wide_table_and_a_quantity_with_words_in_it_are_said_as_such():

    wide = pd.DataFrame({"id": ["a", "b"], "store_id": ["CA_1", "CA_1"], **{f"d_{i}": [1, 2] for i in range(1, 31)}})
    with pytest.raises(ForecastInputError, match=r"^The table is wide: 30 columns \(d_1 … d_30\) each hold one "
                                                 r"period.*id_vars=\['id', 'store_id'\]"):
        prepare(wide, _options())
    days = pd.date_range("2024-01-01", periods=14).strftime("%Y-%m-%d")
    pivot = pd.DataFrame({"sku": ["a"], **{d: [3] for d in days}})
    with pytest.raises(ForecastInputError, match="The table is wide: 14 columns"):
        prepare(pivot, _options())
    words = _table(10).astype({"units": object})
    words.loc[3, "units"] = "abc"
    with pytest.raises(ForecastInputError, match=r"Target 'units' must hold numbers \(quantities sold\): 1 value\(s\) "
                                                 r"are not numbers, such as 'abc' \(sku=a, day=2024-01-04\)"):
        prepare(words, _options())


def test_a_closure_written_as_zero_sales_is_not_copied_either_but_a_slow_sellers_zeros_are():
    y, _ = _two_years(True, False)  # zeros a year back, written as rows with 0 sales (nothing filled)
    out, moved = skip_year_old_gaps(y, np.zeros(len(y), dtype=bool), np.resize(y[-364:], 14), "D", 364)
    assert moved and out.tolist() == np.resize(y[-7:], 14).tolist()
    slow = np.where(np.arange(728) % 9 == 0, 1.0, 0.0)  # sells one day in nine: long zero runs are normal
    out, moved = skip_year_old_gaps(slow, np.zeros(728, dtype=bool), np.resize(slow[-364:], 14), "D", 364)
    assert not moved and out.tolist() == np.resize(slow[-364:], 14).tolist()


def test_blank_quantities_at_the_end_of_some_series_are_not_known_yet_rather_than_zero_sales():
    """A last day blank in two stores, or test rows of different lengths per product: they were set to 0 and
    the products 'stopped selling'."""
    frame = _table(40, series=("a", "b", "c"))
    frame.loc[(frame["sku"] == "a") & (frame["day"] >= "2024-02-05"), "units"] = np.nan  # a's last 5 days
    frame.loc[(frame["sku"] == "b") & (frame["day"] == "2024-01-10"), "units"] = np.nan  # a blank inside: 0
    prepared = prepare(frame, _options())
    a = prepared.frame[prepared.frame["unique_id"] == "sku=a"]
    assert a["imputed"].tail(5).all() and not a["imputed"].head(35).any()
    assert (a["y"].tail(5) == a["y"].iloc[34]).all()  # the last known quantity carried, never 0
    b = prepared.frame[prepared.frame["unique_id"] == "sku=b"].set_index("ds")
    assert b.loc["2024-01-10", "y"] == 0 and not b["imputed"].any()
    assert any(n.startswith("1 series end with rows whose quantity is blank (sku=a from 2024-02-05)")
               for n in prepared.notes)
    assert any(n.startswith("1 rows had no quantity") for n in prepared.notes)


def test_a_one_off_closure_with_no_rows_is_read_as_closed_not_as_no_demand():
    frame = _table(days=500, series=("a", "b", "c"))
    shut = (frame["sku"] == "a") & frame["day"].between("2024-06-01", "2024-06-22")      # refit, then open again
    gone = (frame["sku"] == "b") & (frame["day"] >= "2025-04-20")                         # stopped selling
    short = (frame["sku"] == "c") & frame["day"].between("2024-06-01", "2024-06-05")     # a few days: zero sales
    prepared = prepare(frame[~(shut | gone | short)], _options())
    data = prepared.frame.set_index([ID, "ds"])
    closed = data.loc["sku=a"].loc["2024-06-01":"2024-06-22"]
    assert closed["imputed"].all() and closed["y"].between(40, 60).all()  # bridged between the levels around it
    stopped = data.loc["sku=b"].loc["2025-04-20":]
    assert not stopped["imputed"].any() and (stopped["y"] == 0).all()
    assert (data.loc["sku=c"].loc["2024-06-01":"2024-06-05", "y"] == 0).all()
    assert any(n.startswith("22 missing periods are long one-off gaps (14 days or more with no row") and "sku=a" in n
               for n in prepared.notes)
    assert "30 missing periods across 2 series were set to 0 sales."  # 25 + 5 in prepared.notes


def test_a_closure_every_year_or_in_a_slow_seller_stays_zero_sales():
    days = 800
    ids = np.repeat(["yearly", "slow"], days)
    filled = np.zeros(2 * days, dtype=bool)
    filled[100:130] = filled[464:494] = True                   # the same month shut two years running
    filled[days + 300:days + 330] = True
    y = np.r_[np.full(days, 20.0), np.where(np.arange(days) % 9 == 0, 1.0, 0.0)]  # sells one day in nine
    assert not one_off_closures(ids, np.where(filled, np.nan, y), filled, "D").any()
    filled[464:494] = False
    marked = one_off_closures(ids, np.where(filled, np.nan, y), filled, "D")
    assert marked[100:130].all() and marked.sum() == 30
    launch = np.zeros(200, dtype=bool)
    launch[2:40] = True                                        # a stray early row, then the launch
    assert not one_off_closures(np.repeat("new", 200), np.where(launch, np.nan, 5.0), launch, "D").any()
    lumpy = np.where(np.arange(200) % 4 == 0, 0.0, 5.0)         # a sale in three rows out of four
    shut = np.zeros(200, dtype=bool)
    shut[100:130] = True
    assert not one_off_closures(np.repeat("lumpy", 200), np.where(shut, np.nan, lumpy), shut, "D").any()
    assert one_off_closures(np.repeat("steady", 200), np.where(shut, np.nan, 5.0), shut, "D")[100:130].all()



def test_a_chance_run_of_gaps_a_year_before_does_not_hide_a_real_closure():
    """A steady weekly seller with 30 % of its weeks missing at random has runs of 4 empty weeks by chance (about
    one per series); one a year before a 12-week refit made the refit look like a season that recurs."""
    rng = np.random.default_rng(3)
    gap = rng.random(156) < 0.3
    gap[100:112] = True                                        # the refit: 12 weeks without a row
    gap[99] = gap[112] = gap[-1] = False
    gap[48:52] = True                                          # a chance run of 4, a year (52 weeks) before
    gap[47] = gap[52] = False
    y = np.where(gap, np.nan, 5.0)
    marked = one_off_closures(np.repeat("steady", 156), y, gap, "W")
    assert marked[100:112].all() and not marked[48:52].any()

def test_a_quantity_written_as_money_is_read_as_numbers_and_real_words_are_still_named():
    frame = _table(30).astype({"units": object})
    frame["units"] = [f"${v:,.2f}" for v in frame["units"].astype(float) * 100]  # $4,800.00
    frame.loc[5, "units"] = None
    prepared = prepare(frame, _options())
    assert prepared.frame["y"].max() >= 1000 and prepared.frame.loc[0, "y"] == float(_table(30).loc[0, "units"]) * 100
    assert any(n.startswith("Target 'units' holds numbers written as text, such as '$") for n in prepared.notes)
    frame.loc[7, "units"] = "n/a"
    with pytest.raises(ForecastInputError, match=r"1 value\(s\) are not numbers, such as 'n/a' \(sku=a, "):
        prepare(frame, _options())


def _weekly_gaps(series: int, share: float, seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Steady weekly sellers (Walmart-like, 143 weeks) with ``share`` of their weeks missing at random."""
    rng = np.random.default_rng(seed)
    filled = rng.random((series, 143)) < share
    filled[:, :8] = filled[:, -8:] = False  # rows at both ends: no launch, no series' end
    y = rng.normal(20_000, 1_000, (series, 143))
    return np.repeat(np.arange(series), 143), np.where(filled, np.nan, y).ravel(), filled.ravel()


def test_chance_runs_of_missing_weeks_are_not_closures_but_a_real_shut_is():
    """30 % of weeks missing at random: runs of 4-5 empty weeks happen by chance (0.3^4 × 140 starts ≈ 1.1 per
    series) and were read as closures; a 6-week shut in a series with few other gaps still is one."""
    ids, y, filled = _weekly_gaps(20, 0.3, seed=1)  # 12 series with runs of 4+; about 1 % of series keep one
    assert filled.reshape(20, 143).any(axis=1).all() and long_runs(filled, 4).sum() >= 20  # chance runs exist
    assert not one_off_closures(ids, y, filled, "W").any()
    for share in (0.0, 0.05):  # an otherwise complete series, and one with 5 % of weeks missing
        ids, y, filled = _weekly_gaps(1, share, seed=4)
        filled[60:66], y[60:66] = True, np.nan
        marked = one_off_closures(ids, y, filled, "W")
        assert marked[60:66].all() and marked.sum() == 6


def test_a_sparse_series_runs_of_empty_weeks_a_year_back_are_not_a_closure():
    """A Walmart-like department with rows in about a third of its weeks: runs of 4+ empty weeks a year back
    are chance, yet were named as a closure and the forecast taken from the latest weeks instead."""
    rng = np.random.default_rng(0)
    filled = rng.random(143) > 0.35
    y = np.where(filled, 0.0, rng.normal(20.0, 5.0, 143))
    assert long_runs(filled, 4)[143 - 52:143 - 44].any()  # a run of 4+ empty weeks among the weeks copied
    path = np.resize(y[-52:], 8)
    out, moved = skip_year_old_gaps(y, filled, path, "W", 52)
    assert not moved and out.tolist() == path.tolist()
    steady = rng.normal(20.0, 1.0, 143)
    shut = np.zeros(143, dtype=bool)
    shut[143 - 52:143 - 46] = True  # six weeks shut a year back in a series with no other gap: still a closure
    out, moved = skip_year_old_gaps(np.where(shut, 0.0, steady), shut, np.resize(steady[-52:], 8), "W", 52)
    assert moved and out[:6] == pytest.approx([steady[-8:].mean()] * 6) and out[6:].tolist() == steady[-46:-44].tolist()


def test_a_store_shut_on_sundays_and_for_a_refit_reads_the_refit_as_a_closure():
    """A Rossmann-like store sells on 6 days of 7 (rows of 0 on Sundays) and has no rows for three months of a
    refit: the Sundays are its closing days and the months a closure, not 0 sales (a sale on 6 rows in 7 had
    failed the nine-in-ten test, and the missing Sundays the Sunday rule)."""
    dates = pd.date_range("2022-01-03", periods=700, freq="D")
    rng = np.random.default_rng(5)
    frame = pd.DataFrame({"day": dates, "sku": "store 3", "units": rng.poisson(900, 700).astype(float)})
    frame.loc[frame["day"].dt.dayofweek == 6, "units"] = 0.0
    refit = (frame["day"] >= "2023-01-02") & (frame["day"] < "2023-04-03")
    prepared = prepare(frame[~refit], _options(horizon=14))
    shut = prepared.frame[prepared.frame["ds"].between("2023-01-02", "2023-04-02")]
    assert len(shut) == 91 and shut["imputed"].all()  # not trained on, not scored
    assert shut["y"].min() > 700  # bridged at the store's level for the lags, not 0 sales
    sundays = prepared.frame[prepared.frame["ds"].dt.dayofweek == 6]
    assert sundays["imputed"].all()
    assert any(n.startswith("91 missing periods are long one-off gaps") for n in prepared.notes), prepared.notes
    assert not any("were set to 0 sales" in n for n in prepared.notes)


def test_days_every_store_was_closed_are_not_sales_and_not_named_as_closing_weekdays():
    """Rossmann's public holidays: a row of 0 with Open = 0 in every store. Read as sales they taught LightGBM a
    closure on the day a year later (a backtest WAPE of 23 against 7 with them bridged); a few zeros in slow
    sellers on one day are no closure."""
    from services.retail_adjust import _closing_day_notes

    rng = np.random.default_rng(4)
    frame = _table(days=120, series=("s1", "s2", "s3", "s4"), seed=4)
    holidays = pd.to_datetime(["2024-01-01", "2024-03-29", "2024-04-01"])  # a Monday, a Friday, a Monday
    frame.loc[frame["day"].isin(holidays), "units"] = 0.0
    prepared = prepare(frame, _options())
    shut = prepared.frame[prepared.frame["ds"].isin(holidays)]
    assert len(shut) == 12 and shut["imputed"].all() and shut["y"].min() > 30  # bridged, not 0
    assert [n for n in prepared.notes if n.startswith("Every series sold nothing")] == [
        "Every series sold nothing on 3 day(s) (2024-01-01, 2024-03-29, 2024-04-01), a row of 0 in each: the business "
        "was closed then (public holidays). Those rows are not read as sales: left out of training and scoring, "
        "bridged for the lag features. A holiday closed in every year of the history (at least two), on the same "
        "date or as far from Easter, is forecast at 0; one seen once is forecast as an ordinary day unless a driver "
        "filled on the dates to forecast marks it (an Open flag)."]
    assert _closing_day_notes(prepared.frame, [], []) == []  # not 'sold nothing on Mondays or Fridays'
    slow = frame.assign(units=rng.poisson(0.8, len(frame)).astype(float))  # zeros on 45 % of rows in each
    slow.loc[slow["day"] == holidays[0], "units"] = 0.0
    assert not prepare(slow, _options()).frame["imputed"].any()

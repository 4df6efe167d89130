"""Long gaps a year back: a store shut for refurbishment last summer is not shut again this summer.

A series with months of missing periods (filled as 0 sales, or interpolated with --fill missing), or of
rows with 0 sales in a series that sells most days, a year before the forecast made the
same-period-last-year forecasts copy the closure: 0 for a store that had traded every day since. Where
the period a year back falls in a long gap and the year before that did not (a closure that recurs
every year is kept), the latest season stands in for it.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ml.forecast_calendar import MOVING_AVERAGE_WINDOW, SEASON_LENGTH, YEAR_LENGTH

FILLED = "filled"  # a working column: the period had no row, or no usable quantity, in the file
LONG_GAP_PERIODS = {"D": 14, "W": 4, "M": 2, "Q": 2}  # filled runs at least this long are a closure, not a slow day


def long_runs(filled: np.ndarray, length: int) -> np.ndarray:
    """True on the periods of runs of ``filled`` at least ``length`` long."""
    filled = np.asarray(filled, dtype=bool)
    out = np.zeros(len(filled), dtype=bool)
    start = None
    for i, value in enumerate([*filled, False]):
        if value and start is None:
            start = i
        elif not value and start is not None:
            if i - start >= length:
                out[start:i] = True
            start = None
    return out


def unlikely_runs(filled: np.ndarray, length: int) -> np.ndarray:
    """``long_runs`` that are unlikely by chance at the series' own share of filled periods (``_unlikely``): a
    department with rows in a third of its weeks has runs of 4 empty weeks by chance, not closures."""
    out = long_runs(filled, length)
    for start, stop in _spans(out):
        out[start:stop] = _unlikely(np.asarray(filled, dtype=bool), start, stop)
    return out


def skip_year_old_gaps(y: np.ndarray, filled: np.ndarray | None, path: np.ndarray, freq: str,
                       season: int) -> tuple[np.ndarray, bool]:
    """The yearly naive ``path`` with steps whose source a year back lies in a one-off long gap taken from the
    latest week (daily data) or the latest moving-average level; and whether any step was."""
    if filled is None or season != YEAR_LENGTH[freq] or season <= 1 or len(y) < season:
        return path, False
    closed = np.asarray(filled, dtype=bool)
    if np.nanmedian(y) > 0:  # a series that sells most periods: a long run of zeros is a closure too
        closed = closed | (y == 0)
    gap = unlikely_runs(closed, LONG_GAP_PERIODS[freq])
    steps = np.arange(len(path))
    source = len(y) - season + steps % season
    earlier = source - season
    recurring = np.where(earlier >= 0, gap[np.clip(earlier, 0, None)], False)
    blocked = gap[source] & ~recurring
    if not blocked.any():
        return path, False
    short = SEASON_LENGTH[freq] if SEASON_LENGTH[freq] < season else 0
    if short and len(y) >= short:
        stand_in = y[len(y) - short + steps % short]
    else:
        stand_in = np.full(len(path), float(np.nanmean(y[-MOVING_AVERAGE_WINDOW[freq]:])))
    out = np.asarray(path, dtype=float).copy()
    out[blocked] = stand_in[blocked]
    return out, True


CLOSURE_PERIODS = {"D": 14, "W": 4, "M": 3, "Q": 2}  # no rows this long, inside a steady seller: a closure
SELLS_MOST = 0.9  # share of its rows with a sale for a series to count as trading steadily


def one_off_closures(ids: np.ndarray, y: np.ndarray, filled: np.ndarray, freq: str,
                     shut: np.ndarray | None = None) -> np.ndarray:
    """True on periods of long runs with no row inside a series that sells in nine rows out of ten, that do
    not recur a year before or after, that rows follow and that as long a trading spell precedes (a store
    shut for a refit and reopened; not a launch after a stray early row, nor a lumpy seller's quiet months).
    Set to 0 sales, they taught the trees' yearly lags that the same weeks sell nothing next year (a store 22
    days shut last summer: WAPE 32.7 against 5.1 with the days read as missing). Runs at a series' end stay zero sales:
    a product that stopped selling has stopped. Rows of 0 on a closing weekday (``shut``: a Rossmann store's
    Sundays) do not count against the nine in ten: a store closed on Sundays sells on 6 rows of 7, and its six
    months shut for a refit had been read as six months of no demand (LightGBM's backtest at -22 % bias)."""
    y, filled = np.asarray(y, dtype=float), np.asarray(filled, dtype=bool)
    counted = ~filled if shut is None else ~filled & ~np.asarray(shut, dtype=bool)
    out = np.zeros(len(y), dtype=bool)
    season = YEAR_LENGTH[freq]
    for rows in pd.Series(np.arange(len(y))).groupby(np.asarray(ids), sort=False).indices.values():
        gap, seen = filled[rows], y[rows][counted[rows]]
        if not len(seen) or (seen > 0).mean() < SELLS_MOST or not gap.any():
            continue  # a slow or lumpy seller's months without rows are months without sales
        long = long_runs(gap, CLOSURE_PERIODS[freq])
        runs = long.copy()
        runs[np.flatnonzero(~gap).max() + 1:] = False  # the series' end: no row after it
        if not runs.any():
            continue
        # A long gap a year before or after is a season, not a refit; but only one unlikely by chance (a steady
        # weekly seller with 30 % of its weeks missing has chance runs of 4 that blocked a real 12-week closure).
        closed = unlikely_runs(gap, CLOSURE_PERIODS[freq])
        recurs = np.zeros(len(runs), dtype=bool)
        if len(closed) > season:
            recurs[season:] |= closed[:-season]
            recurs[:-season] |= closed[season:]
        end = int(np.flatnonzero(~gap).max()) + 1
        for start, stop in _spans(runs):
            before = int((~gap[:start]).sum())  # trading before it as long as it lasted: not a launch
            if not recurs[start:stop].any() and before >= stop - start and _unlikely(gap[:end], start, stop):
                out[rows[start:stop]] = True
    return out


CLOSURE_CHANCE = 0.01  # a run of gaps this likely (or more) by chance at the series' own gap rate is not a closure


def _unlikely(gap: np.ndarray, start: int, stop: int) -> bool:
    """Whether a run of ``stop - start`` gaps is unlikely by chance: rate^length × possible starts <
    ``CLOSURE_CHANCE``, the rate being the series' share of gaps outside the run (up to its last row). A
    Walmart-like weekly file with 30 % of its weeks missing at random had chance runs of 4 weeks read as
    closures in 80 of 168 series (0.3^4 × 140 starts ≈ 1.1: about one such run per series)."""
    length = stop - start
    outside = len(gap) - length
    rate = (int(gap.sum()) - length) / outside if outside > 0 else 0.0
    return rate ** length * (len(gap) - length + 1) < CLOSURE_CHANCE


def _spans(mask: np.ndarray) -> list[tuple[int, int]]:
    edges = np.diff(np.r_[0, mask.astype(int), 0])
    return list(zip(np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)))


CLOSED_WEEKS = 8  # a weekday with 0 sales in each of a series' last this many weeks (and nearly always) is shut
CLOSED_SHARE = 0.9  # ... 0 on at least this share of all its occurrences, while selling on this share of other days


def closed_weekday_zeros(ids: np.ndarray, ds: pd.Series, y: np.ndarray, filled: np.ndarray, freq: str) -> np.ndarray:
    """Daily data: True on a series' rows of 0 sales on its closing weekday (a Rossmann store's Sundays, written
    as rows of 0): a weekday with 0 sales in each of its last 8 weeks and in 90 % of all its weeks, while the
    series sold on 90 % of its other days. Read as sales, these zeros fed the lags and rolling means (Monday's
    sales 1 day before, a 7-day mean with a zero in it): a store's Saturdays were forecast 8-12 % low. Shares count
    the rows the file has: a store shut six months for a refit (no rows) still closes on Sundays."""
    out = np.zeros(len(y), dtype=bool)
    if freq != "D" or not len(y):
        return out
    y, filled = np.asarray(y, dtype=float), np.asarray(filled, dtype=bool)
    frame = pd.DataFrame({"id": np.asarray(ids), "day": pd.DatetimeIndex(ds).dayofweek, "zero": ~filled & (y == 0),
                          "sold": ~filled & (y != 0) & np.isfinite(y)})
    frame["seen"] = ~filled
    days = frame.groupby(["id", "day"], sort=False).agg(zero=("zero", "sum"), sold=("sold", "sum"),
                                                         size=("seen", "sum"))
    recent = frame.groupby(["id", "day"], sort=False).tail(CLOSED_WEEKS).groupby(["id", "day"], sort=False)["zero"]
    days["recent_all"], days["recent_size"] = recent.all(), recent.size()
    totals = days.groupby(level="id", sort=False)[["sold", "size"]].transform("sum")
    other_share = (totals["sold"] - days["sold"]) / (totals["size"] - days["size"]).clip(lower=1)
    shut = days[days["recent_all"] & (days["recent_size"] >= CLOSED_WEEKS) & (other_share >= CLOSED_SHARE)
                & (days["zero"] >= CLOSED_SHARE * days["size"])]
    if shut.empty:
        return out
    pairs = pd.MultiIndex.from_arrays([frame["id"], frame["day"]])
    return np.asarray(pairs.isin(shut.index) & frame["zero"].to_numpy(), dtype=bool)


CLOSED_DAY_SERIES = 3  # a day with a row of 0 in every one of at least this many series can be a closure
CLOSED_DAY_CHANCE = 0.001  # ... when so many zeros on one day are this unlikely at each series' own share of zeros
CLOSED_DAY_MOST = 0.5  # ... or in this share of the series selling on nearly every day (a few stores open)


def closed_days(ids: np.ndarray, ds: pd.Series, y: np.ndarray, filled: np.ndarray, freq: str) -> np.ndarray:
    """Daily data: True on the rows of 0 of days on which every series with a row sold nothing, at least three of
    them, and that many zeros on one day are unlikely by chance at each series' own share of zero rows (a
    chain's public holidays, written as rows of 0 with Open = 0: Rossmann). Read as sales, they taught the trees'
    day-of-year and yearly lags a closure on the day after (LightGBM forecast 110 a store on the Monday a year
    after Easter Monday, against 7,760 sold); a file of slow sellers' quiet days is not one. So are the rows of 0
    of series selling on nearly every day (``SELLS_MOST`` of their rows) on a day at least half of those sold
    nothing, as unlikely: Favorita's 1 January, with one store open, had LightGBM forecast a tenth of the usual
    sales on the days around it a year later. ``filled`` also masks a series' closing weekday (its Sundays)."""
    out = np.zeros(len(y), dtype=bool)
    if freq != "D" or not len(y):
        return out
    y, seen = np.asarray(y, dtype=float), ~np.asarray(filled, dtype=bool)
    zero = seen & (y == 0)
    frame = pd.DataFrame({"id": np.asarray(ids), "day": pd.DatetimeIndex(ds), "zero": zero, "seen": seen})
    share = frame[seen].groupby("id", sort=False)["zero"].mean().clip(lower=1e-6)
    frame["log_p"] = np.where(seen, np.log(frame["id"].map(share).fillna(1.0).to_numpy()), 0.0)
    frame["steady"] = seen & frame["id"].map(share <= 1 - SELLS_MOST).eq(True).to_numpy(bool)
    frame["steady_zero"] = frame["steady"] & zero
    frame["steady_p"] = np.where(frame["steady_zero"], frame["log_p"], 0.0)
    days = frame.groupby("day", sort=False).agg(zero=("zero", "sum"), seen=("seen", "sum"), log_p=("log_p", "sum"),
                                                steady=("steady", "sum"), steady_zero=("steady_zero", "sum"),
                                                steady_p=("steady_p", "sum"))
    every = days[(days["seen"] >= CLOSED_DAY_SERIES) & (days["zero"] == days["seen"])
                 & (days["log_p"] < np.log(CLOSED_DAY_CHANCE))].index
    most = days[(days["steady_zero"] >= CLOSED_DAY_SERIES) & (days["steady_zero"] >= CLOSED_DAY_MOST * days["steady"])
                & (days["steady_p"] < np.log(CLOSED_DAY_CHANCE))].index
    return (zero & frame["day"].isin(every).to_numpy()) | (frame["steady_zero"] & frame["day"].isin(most)).to_numpy()


def missing_periods(ids: np.ndarray, ds: pd.Series, filled: np.ndarray, freq: str) -> np.ndarray:
    """True on the rows of periods no series has a row (or a quantity) for, at least three series live, that many
    gaps on one period unlikely by chance at each series' own share of gaps (below ``CLOSED_DAY_CHANCE``), and not
    on a weekday with no row on most of its dates (a shop shut on Saturdays: ``retail_adjust.closed_weekdays``). A
    Favorita-like file without 25 December, set to 0 sales, taught LightGBM a closure around it a year later. So
    are the gaps of series with a row on nearly every period (``SELLS_MOST``) on a period at least half of those,
    three or more, have no row for, as unlikely: Favorita's 1 January (a row in one store of 54) had been 0 sales,
    and LightGBM forecast a fifth of the usual on 2 and 3 January a year later."""
    filled = np.asarray(filled, dtype=bool)
    if not filled.any():
        return np.zeros(len(filled), dtype=bool)
    frame = pd.DataFrame({"id": np.asarray(ids), "day": pd.DatetimeIndex(ds), "filled": filled})
    share = frame.groupby("id", sort=False)["filled"].mean().clip(lower=1e-6)
    frame["log_p"] = np.log(frame["id"].map(share).to_numpy(float))
    frame["steady"] = frame["id"].map(share <= 1 - SELLS_MOST).to_numpy(bool)
    frame["steady_gap"] = frame["steady"] & filled
    frame["steady_p"] = np.where(frame["steady_gap"], frame["log_p"], 0.0)
    days = frame.groupby("day").agg(empty=("filled", "all"), live=("filled", "size"), log_p=("log_p", "sum"),
                                    steady=("steady", "sum"), gaps=("steady_gap", "sum"), steady_p=("steady_p", "sum"))
    shut = days["empty"] & (days["live"] >= CLOSED_DAY_SERIES) & (days["log_p"] < np.log(CLOSED_DAY_CHANCE))
    mostly = (days["gaps"] >= CLOSED_DAY_SERIES) & (days["gaps"] >= CLOSED_DAY_MOST * days["steady"])
    most = mostly & (days["steady_p"] < np.log(CLOSED_DAY_CHANCE)) & ~shut
    closing = pd.Series(False, index=days.index)
    if freq == "D":  # a closing weekday is said and forecast at 0 by the weekday rule, its zeros kept
        closing = days["empty"].groupby(days.index.dayofweek).transform("mean") >= 0.5
        shut &= ~closing
        most &= mostly.groupby(days.index.dayofweek).transform("mean") < 0.5
    shut |= _unlikely_empty_runs(days, closing)
    return ((filled & frame["day"].isin(days.index[shut]).to_numpy())
            | (frame["steady_gap"] & frame["day"].isin(days.index[most])).to_numpy())


def _unlikely_empty_runs(days: pd.DataFrame, closing: pd.Series) -> pd.Series:
    """Periods no series has a row for, each likely enough alone at the series' own shares of gaps, in a run of
    such periods that is not (closing weekdays inside it passed over): the run's chance, the product of its
    periods', times the periods it could start on, below ``CLOSED_DAY_CHANCE``. An Online Retail-like file by 4
    countries, three with rows on half the days or fewer, shut from 23 December to 3 January: each day alone had a
    1.7 % chance, so the shut was read as sales of 0 and LightGBM forecast 11–132 a day over the next one."""
    counted = (days["empty"] & (days["live"] >= CLOSED_DAY_SERIES) & ~closing).to_numpy()
    log_p = np.where(counted, days["log_p"].to_numpy(float), 0.0)
    out = np.zeros(len(days), dtype=bool)
    for start, stop in _spans(counted | (days["empty"] & closing).to_numpy()):
        if log_p[start:stop].sum() + np.log(len(days)) < np.log(CLOSED_DAY_CHANCE):
            out[start:stop] = counted[start:stop]
    return pd.Series(out, index=days.index)


def shut_days(ids: np.ndarray, ds: pd.Series, y: np.ndarray, filled: np.ndarray, freq: str,
              notes: list[str]) -> np.ndarray:
    """Rows that are not sales: a series' closing weekday (``closed_weekday_zeros``, noted with its forecast at 0),
    the days the whole business was closed (``closed_days``) and periods no series has a row for
    (``missing_periods``), both noted here."""
    weekday = closed_weekday_zeros(ids, ds, y, filled, freq)
    chain = closed_days(ids, ds, y, np.asarray(filled, dtype=bool) | weekday, freq)
    absent = missing_periods(ids, ds, filled, freq) & ~weekday
    values = np.asarray(y, dtype=float)
    sold = ~np.asarray(filled, dtype=bool) & np.isfinite(values) & (values != 0)
    sold = pd.Series(sold, index=pd.DatetimeIndex(ds)).groupby(level=0).any()
    notes.extend(_closed_days_note(ds, chain, pd.Series(ds).isin(sold.index[sold]).to_numpy() & chain))
    rows = pd.Series(~np.asarray(filled, dtype=bool), index=pd.DatetimeIndex(ds)).groupby(level=0).any()
    notes.extend(_missing_periods_note(ds, absent, pd.Series(ds).isin(rows.index[rows]).to_numpy()))
    return weekday | chain | absent


def _days_listed(ds: pd.Series, mask: np.ndarray, shown: int = 5) -> tuple[int, str]:
    """How many distinct dates the mask picks, and the first few of them written out."""
    days = pd.DatetimeIndex(pd.unique(pd.Series(ds)[mask])).sort_values()
    return len(days), ", ".join(str(d.date()) for d in days[:shown]) + (" …" if len(days) > shown else "")


def _missing_periods_note(ds: pd.Series, absent: np.ndarray, rowed: np.ndarray) -> list[str]:
    """``rowed``: the period has a row in some series (a store open on 1 January)."""
    notes = []
    count, listed = _days_listed(ds, absent & ~rowed)
    if count:
        notes.append(f"No series has a row for {count} period(s) ({listed}): a closure or data missing from the "
                     "export, not sales of 0. They are left out of training and scoring and bridged for the lag "
                     "features, so the forecast a year later does not copy them; a date closed in every year of the "
                     "history (at least two) is forecast at 0.")
    count, listed = _days_listed(ds, absent & rowed)
    if count:
        notes.append(f"Most series with a row on nearly every period have none for {count} period(s) ({listed}), "
                     "while a few have one (stores open): a closure for those series, not sales of 0. Their missing "
                     "rows are left out of training and scoring and bridged for the lag features; a date closed in "
                     "every year of the history (at least two) is forecast at 0 in the series that sold on it in no "
                     "year.")
    return notes


def _closed_days_note(ds: pd.Series, chain: np.ndarray, partly: np.ndarray) -> list[str]:
    count, listed = _days_listed(ds, chain)
    if not count:
        return []
    some, days = _days_listed(ds, partly)
    opened = (f" On {some} of them ({days}) some series sold (stores open): only the rows of 0 of series selling on "
              "nearly every day are read as closed.") if some else ""
    who = "Every series, or most of those selling on nearly every day," if some else "Every series"
    return [f"{who} sold nothing on {count} day(s) ({listed}), a row of 0 in each: the business was "
            "closed then (public holidays). Those rows are not read as sales: left out of training and scoring, "
            "bridged for the lag features. A holiday closed in every year of the history (at least two), on the same "
            "date or as far from Easter, is forecast at 0; one seen once is forecast as an ordinary day unless a "
            f"driver filled on the dates to forecast marks it (an Open flag).{opened}"]

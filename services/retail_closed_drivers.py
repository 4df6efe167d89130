"""Retail: a driver value on which nothing ever sold (``Open`` = 0) is forecast at 0 on the dates it marks, and so
is a date the whole business was closed on in every year of the history (25 December, or Good Friday: the same
distance from Easter each year).

The trees learn a driver's effect only from rows they train on, and the rows it matters most on are not
trained on: a chain's public holidays and a store's closed Sundays are rows of 0 that preparation leaves
out of training (``ml.forecast_gaps``: they are closures, not demand). A Rossmann-shaped file with ``Open``
filled on the dates to forecast then had its holidays ahead forecast as ordinary days (P50 3,897–10,764 a
store with ``Open`` = 0), though the note on closures promised that such a flag marks them.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ml.forecast_gaps import CLOSED_DAY_CHANCE, CLOSED_DAY_MOST, CLOSED_DAY_SERIES, FILLED
from ml.forecast_prep import DS, ID, IMPUTED, Y, Prepared
from services.retail_adjust import FIGURES

MIN_ROWS = 10           # rows with the value in the history: fewer say nothing
MAX_VALUES = 20         # a flag or a code, not a price or a count
MAX_OTHER_ZERO = 0.5    # the column's other values sold on most rows: the value, not a slow seller, explains the 0


def no_sale_values(prepared: Prepared, drivers: tuple[str, ...]) -> dict[str, list]:
    """Per driver column, the values every history row holding them sold nothing on (at least ``MIN_ROWS``
    rows), while the column's other values sold on most of theirs. Rows read from the file only: a gap has no
    driver value of its own; a closure's rows of 0, left out of training, count as the 0 they were."""
    data = prepared.frame
    filled = data[FILLED].to_numpy(bool) if FILLED in data.columns else np.zeros(len(data), dtype=bool)
    imputed = data[IMPUTED].to_numpy(bool) if IMPUTED in data.columns else np.zeros(len(data), dtype=bool)
    seen = ~filled
    no_sale = pd.Series(imputed | (data[Y].fillna(0).to_numpy(float) == 0), index=data.index)[seen]
    found: dict[str, list] = {}
    for column in drivers:
        values = data.loc[seen, column]
        if not pd.api.types.is_numeric_dtype(values) or values.nunique() > MAX_VALUES:
            continue
        share = no_sale.groupby(values).agg(["mean", "size"])
        for value, row in share.iterrows():
            others = no_sale[values != value]
            if row["mean"] == 1.0 and row["size"] >= MIN_ROWS and len(others) and others.mean() < MAX_OTHER_ZERO:
                found.setdefault(column, []).append(value)
    return found


def at_zero(prepared: Prepared, forecast: pd.DataFrame, future: pd.DataFrame | None, drivers: tuple[str, ...],
            notes: list[str]) -> pd.DataFrame:
    """Forecast rows whose filled driver value never sold in the history are set to 0, band included."""
    if future is None or future.empty or not drivers or forecast.empty:
        return forecast
    found = no_sale_values(prepared, tuple(c for c in drivers if c in future.columns))
    if not found:
        return forecast
    marked = np.zeros(len(future), dtype=bool)
    for column, values in found.items():
        marked |= future[column].isin(values).to_numpy(bool)
    dates = pd.MultiIndex.from_arrays([future.loc[marked, ID], pd.to_datetime(future.loc[marked, DS])])
    out = forecast.copy()
    figures = [c for c in FIGURES if c in out.columns]
    # Rows already 0 (a closing weekday, a stopped series) are said by their own note.
    hit = pd.MultiIndex.from_arrays([out[ID], pd.to_datetime(out[DS])]).isin(dates) & out[figures].ne(0).any(axis=1)
    if not hit.any():
        return forecast
    out.loc[hit, figures] = 0.0
    said = "; ".join(f"{column} = {', '.join(_plain(v, prepared.codes.get(column, {})) for v in values)}"
                     for column, values in found.items())
    notes.append(f"{int(hit.sum())} forecast rows are set to 0, band included, because the driver value filled on "
                 f"them never came with a sale in the history ({said}: a closed store or day). Closures are left "
                 "out of training, so the model could not learn this from them.")
    return out


def _plain(value, labels: dict) -> str:
    if value in labels:  # a text code read as a number (StateHoliday 'b' = 2) is named as written
        return repr(labels[value])
    number = float(value)
    return str(int(number)) if number.is_integer() else str(value)


MIN_YEARS = 2  # a date closed in every year of the history, at least this many, is closed again next year


def on_closed_dates(prepared: Prepared, forecast: pd.DataFrame, notes: list[str]) -> pd.DataFrame:
    """Daily data: forecast dates whose day and month no series sold on in every year of the history that holds
    them, at least two (no row, or a row of 0 read as a closure: every series left out of training there), are
    set to 0, band included. A year whose date fell on a weekday the business is shut on counts as closed, but
    not alone. So are dates of a holiday that moves (``_same_holiday``: as far from Easter, or the same weekday of
    the month) closed in every year, at least two. A date closed in one year only (an outage, or a holiday seen
    once) is named."""
    data = prepared.frame
    if prepared.freq != "D" or IMPUTED not in data.columns or forecast.empty:
        return forecast
    closed, weekly = _closed_dates(data)
    if not closed:
        return forecast
    first, last = data[DS].min(), data[DS].max()
    # A date too few series had reached cannot show a closure: Favorita's first day, 1 January 2013, has a row in
    # one store only, open; it had counted as a year the business opened on 1 January.
    live = data.groupby(DS).size()
    zero, once, moving = {}, [], {}
    for day in sorted(pd.to_datetime(forecast[DS]).unique()):
        day = pd.Timestamp(day)
        years = [day - pd.DateOffset(years=k) for k in range(1, day.year - first.year + 1)]
        years = [d for d in years if first <= d <= last and not (day.month == 2 and day.day == 29)
                 and live.get(d, 0) >= CLOSED_DAY_SERIES]
        shut = [d for d in years if d in closed and not _moves(d, closed, first, last)]
        holidays = [days for days in _same_holiday(day, first, last) if _moved_closure(days, closed, weekly)]
        if shut and len(years) >= MIN_YEARS and all(d in shut or d.dayofweek in weekly for d in years):
            zero[day] = set().union(*(closed[d] for d in shut))
        elif holidays:
            moving[day] = set().union(*(closed[d] for d in holidays[0] if d in closed))
        elif len(shut) == len(years) == 1:
            once.append(day)
    if once:
        notes.append(f"{_days(once)}: no series had a row a year before (a closure or an outage, seen once): "
                     "forecast as ordinary days. If the business closes on those dates every year, plan them at 0.")
    on = _closed_rows(forecast, zero, "that date", notes) | _closed_rows(forecast, moving, "the same holiday", notes)
    if not on.any():
        return forecast
    out = forecast.copy()
    out.loc[on, [c for c in FIGURES if c in out.columns]] = 0.0
    return out


def _closed_rows(forecast: pd.DataFrame, found: dict, what: str, notes: list[str]) -> np.ndarray:
    """The forecast rows on the closed dates ``found`` (each with the series that sold on it: left as they are),
    with one note per set of such series."""
    dates, ids = pd.to_datetime(forecast[DS]).to_numpy(), forecast[ID].astype(str)
    on = np.zeros(len(forecast), dtype=bool)
    groups: dict[frozenset, list] = {}
    for day, opened in found.items():
        hit = (dates == np.datetime64(day)) & ~ids.isin(opened).to_numpy()
        if hit.any():
            on |= hit
            groups.setdefault(frozenset(opened), []).append(day)
    notes.extend(_closed_note(sorted(days), what, opened) for opened, days in groups.items())
    return on


def _closed_note(days: list, what: str, opened: frozenset) -> str:
    if what != "that date":
        what += " (the same distance from Easter, or the same weekday of the month: Good Friday and Thanksgiving move)"
    if not opened:
        return (f"{_days(days)}: no series sold on {what} in any year of the history (no row, or a row of 0 in "
                "each): the business closes then, and it is forecast at 0, band included.")
    return (f"{_days(days)}: the business closed on {what} in every year of the history (no row, or a row of 0, in "
            f"most series): forecast at 0, band included, except in the {len(opened)} series that sold on it in a "
            f"year ({', '.join(sorted(opened)[:5])}{' …' if len(opened) > 5 else ''}).")


EASTER_REACH = 63  # days from Easter Sunday a holiday tied to it falls on: Carnival (-48) to Corpus Christi (+60)


def easter(year: int) -> pd.Timestamp:
    """Western (Gregorian) Easter Sunday: the anonymous Gregorian computus."""
    a, b, c = year % 19, year // 100, year % 100
    h = (19 * a + b - b // 4 - (b - (b + 8) // 25 + 1) // 3 + 15) % 30
    weekday = (32 + 2 * (b % 4) + 2 * (c // 4) - h - c % 4) % 7
    m = (a + 11 * h + 22 * weekday) // 451
    month, day = divmod(h + weekday - 7 * m + 114, 31)
    return pd.Timestamp(year, month, day + 1)


def _same_holiday(day: pd.Timestamp, first: pd.Timestamp, last: pd.Timestamp) -> list[list[pd.Timestamp]]:
    """Per kind of holiday that moves, the day in each earlier year of the history that would be the same holiday:
    as far from Easter (Good Friday, Whit Monday), the same n-th or last weekday of the month (Thanksgiving)."""
    years = range(first.year, day.year)
    kinds = []
    offset = (day - easter(day.year)).days
    if abs(offset) <= EASTER_REACH:
        kinds.append([easter(y) + pd.Timedelta(days=offset) for y in years])
    nth = (day.day - 1) // 7
    kinds.append([_weekday_of_month(y, day.month, day.dayofweek, nth) for y in years])
    if (day + pd.Timedelta(days=7)).month != day.month:
        kinds.append([_weekday_of_month(y, day.month, day.dayofweek, -1) for y in years])
    return [[d for d in kind if first <= d <= last] for kind in kinds]


def _weekday_of_month(year: int, month: int, weekday: int, nth: int) -> pd.Timestamp:
    """The ``nth`` (0-based; -1: the last) given weekday of a month."""
    if nth < 0:
        end = pd.Timestamp(year, month, 1) + pd.offsets.MonthEnd(0)
        return end - pd.Timedelta(days=(end.dayofweek - weekday) % 7)
    first = pd.Timestamp(year, month, 1)
    day = first + pd.Timedelta(days=(weekday - first.dayofweek) % 7 + 7 * nth)
    return day if day.month == month else pd.Timestamp.max


def _moved_closure(days: list[pd.Timestamp], closed: set, weekly: set) -> bool:
    """The holiday was closed in every year of the history that holds it, at least two, on dates that are not a
    closure on the same day and month of another year (25 and 26 December make no fourth Thursday of December)."""
    if len(days) < MIN_YEARS or not all(d in closed or d.dayofweek in weekly for d in days):
        return False
    moved = [d for d in days if d in closed and not _closed_on_date(d, closed)]
    return len(moved) >= MIN_YEARS


def _moves(day: pd.Timestamp, closed: set, first: pd.Timestamp, last: pd.Timestamp) -> bool:
    """Whether a closed date is a holiday tied to Easter, closed as far from Easter in another year too (Easter
    Monday on 21 April 2014 and 1 April 2013): no evidence that the business closes on 21 April."""
    offset = (day - easter(day.year)).days
    others = [easter(y) + pd.Timedelta(days=offset) for y in range(first.year, last.year + 1) if y != day.year]
    return abs(offset) <= EASTER_REACH and any(d in closed and not _closed_on_date(d, closed) for d in others)


def _closed_on_date(day: pd.Timestamp, closed: set) -> bool:
    """Whether another year was closed on the same day and month."""
    return any(d != day and d.month == day.month and d.day == day.day for d in closed)


def _closed_dates(data: pd.DataFrame) -> tuple[dict, set]:
    """(the dates most series were left out of training on, as in preparation, each with the series that had a
    row read as sales on it (stores open on 1 January): at least three series shut, half of those with a row, and
    that many unlikely at each series' own rate; weekdays with no sale on most of their dates: shut on Sundays, or
    on Saturdays with no row, dealt with by the weekday rules)."""
    imputed = data[IMPUTED].astype(bool)
    absent = imputed | (data[FILLED].astype(bool) if FILLED in data.columns else False)
    share = imputed.groupby(data[ID], sort=False).transform("mean").clip(lower=1e-6)
    log_p = np.where(imputed, np.log(share), 0.0)
    by_day = pd.DataFrame({"shut": imputed, "absent": absent, "log_p": log_p}).groupby(data[DS]).agg(
        shut=("shut", "sum"), absent=("absent", "mean"), size=("shut", "size"), log_p=("log_p", "sum"))
    shut = ((by_day["shut"] >= CLOSED_DAY_SERIES) & (by_day["shut"] >= CLOSED_DAY_MOST * by_day["size"])
            & (by_day["log_p"] < np.log(CLOSED_DAY_CHANCE)))
    share_by_weekday = (by_day["absent"] >= CLOSED_DAY_MOST).groupby(by_day.index.dayofweek).mean()
    weekly = set(share_by_weekday.index[share_by_weekday >= 0.5])
    days = by_day.index[shut & ~by_day.index.dayofweek.isin(weekly)]
    kept = data[data[DS].isin(days) & ~imputed & (data[Y] != 0)]
    opened = kept.groupby(DS)[ID].agg(lambda ids: set(map(str, ids)))
    return {day: opened.get(day, set()) for day in days}, weekly


def _days(days: list) -> str:
    return ", ".join(str(pd.Timestamp(d).date()) for d in days[:5]) + (" …" if len(days) > 5 else "")

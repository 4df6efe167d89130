"""Retail: a driver value on which nothing ever sold (``Open`` = 0) is forecast at 0 on the dates it marks, and so
is a date the whole business was closed on in every year of the history (25 December).

The trees learn a driver's effect only from rows they train on, and the rows it matters most on are not
trained on: a chain's public holidays and a store's closed Sundays are rows of 0 that preparation leaves
out of training (``ml.forecast_gaps``: they are closures, not demand). A Rossmann-shaped file with ``Open``
filled on the dates to forecast then had its holidays ahead forecast as ordinary days (P50 3,897–10,764 a
store with ``Open`` = 0), though the note on closures promised that such a flag marks them.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ml.forecast_gaps import CLOSED_DAY_CHANCE, CLOSED_DAY_SERIES, FILLED
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
    said = "; ".join(f"{column} = {', '.join(_plain(v) for v in values)}" for column, values in found.items())
    notes.append(f"{int(hit.sum())} forecast rows are set to 0, band included, because the driver value filled on "
                 f"them never came with a sale in the history ({said}: a closed store or day). Closures are left "
                 "out of training, so the model could not learn this from them.")
    return out


def _plain(value) -> str:
    number = float(value)
    return str(int(number)) if number.is_integer() else str(value)


MIN_YEARS = 2  # a date closed in every year of the history, at least this many, is closed again next year


def on_closed_dates(prepared: Prepared, forecast: pd.DataFrame, notes: list[str]) -> pd.DataFrame:
    """Daily data: forecast dates whose day and month no series sold on in every year of the history that holds
    them, at least two (no row, or a row of 0 read as a closure: every series left out of training there), are
    set to 0, band included. A year whose date fell on a weekday the business is shut on counts as closed, but
    not alone. A date closed in one year only (an outage, or a holiday seen once) is named."""
    data = prepared.frame
    if prepared.freq != "D" or IMPUTED not in data.columns or forecast.empty:
        return forecast
    closed, weekly = _closed_dates(data)
    if not closed:
        return forecast
    first, last = data[DS].min(), data[DS].max()
    zero, once = [], []
    for day in sorted(pd.to_datetime(forecast[DS]).unique()):
        day = pd.Timestamp(day)
        years = [day - pd.DateOffset(years=k) for k in range(1, day.year - first.year + 1)]
        years = [d for d in years if first <= d <= last and not (day.month == 2 and day.day == 29)]
        shut = [d for d in years if d in closed]
        if len(shut) == len(years) == 1:
            once.append(day)
        elif shut and len(years) >= MIN_YEARS and all(d in closed or d.dayofweek in weekly for d in years):
            zero.append(day)
    if once:
        notes.append(f"{_days(once)}: no series had a row a year before (a closure or an outage, seen once): "
                     "forecast as ordinary days. If the business closes on those dates every year, plan them at 0.")
    if not zero:
        return forecast
    out = forecast.copy()
    on = pd.to_datetime(out[DS]).isin(zero).to_numpy()
    out.loc[on, [c for c in FIGURES if c in out.columns]] = 0.0
    notes.append(f"{_days(zero)}: no series sold on that date in any year of the history (no row, or a row of 0 "
                 "in each): the business closes then, and it is forecast at 0, band included.")
    return out


def _closed_dates(data: pd.DataFrame) -> tuple[set, set]:
    """(dates every series was left out of training on, as in preparation: at least three series, and that many
    on one date unlikely at each series' own rate; weekdays with no sale on most of their dates: shut on Sundays,
    or on Saturdays with no row, dealt with by the weekday rules)."""
    imputed = data[IMPUTED].astype(bool)
    absent = imputed | (data[FILLED].astype(bool) if FILLED in data.columns else False)
    share = imputed.groupby(data[ID], sort=False).transform("mean").clip(lower=1e-6)
    by_day = pd.DataFrame({"all": imputed, "absent": absent, "log_p": np.log(share)}).groupby(data[DS]).agg(
        all=("all", "all"), absent=("absent", "all"), size=("all", "size"), log_p=("log_p", "sum"))
    shut = by_day["all"] & (by_day["size"] >= CLOSED_DAY_SERIES) & (by_day["log_p"] < np.log(CLOSED_DAY_CHANCE))
    share_by_weekday = by_day["absent"].groupby(by_day.index.dayofweek).mean()
    weekly = set(share_by_weekday.index[share_by_weekday >= 0.5])
    return set(by_day.index[shut & ~by_day.index.dayofweek.isin(weekly)]), weekly


def _days(days: list) -> str:
    return ", ".join(str(pd.Timestamp(d).date()) for d in days[:5]) + (" …" if len(days) > 5 else "")

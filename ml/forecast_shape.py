"""A table's shape before it is read as series: a wide table (one column per period), a key holding quantities,
columns asked for that are missing; each said with the reshape that makes the table long."""
from __future__ import annotations

import re

import pandas as pd

from ml.numbers import to_numeric

WIDE_MIN_PERIODS = 12   # this many columns named like periods (d_1, 2019-01-07, Jan 2019) make a wide table
_PERIOD_NAME = re.compile(r"^(d|day|w|wk|week|m|month)[_ ]?\d+$", re.IGNORECASE)


def wide_table_message(frame: pd.DataFrame) -> str | None:
    """A table with one column per period (M5's d_1 … d_1941, a pivot with a date per column): said as such,
    with the line that makes it long, instead of a list of its hundreds of columns."""
    periods = period_columns(frame)
    if len(periods) < WIDE_MIN_PERIODS:
        return None
    keys = [str(c) for c in frame.columns if str(c) not in set(periods)]
    numbered = all(_PERIOD_NAME.match(p.strip()) for p in periods)
    var = "d" if numbered else "date"
    dates = (f"; then map the {var} values to dates (M5's calendar.csv gives each d_… its date) and forecast with "
             f"--date date" if numbered else "; then forecast with --date date")
    return (f"The table is wide: {len(periods)} columns ({periods[0]} … {periods[-1]}) each hold one period. "
            "The desk reads a long table, one row per series and date, with a date column and a quantity "
            f"column: reshape it first, e.g. in pandas: frame.melt(id_vars={keys[:6]}, var_name={var!r}, "
            f"value_name='quantity'){dates} --target quantity --series {(keys or ['series'])[0]} (the columns "
            "that name a series).")


def period_columns(frame: pd.DataFrame) -> list[str]:
    """Columns named like a period: d_1, week 3, 2019-01-07, Jan 2019."""
    return [str(c) for c in frame.columns if _PERIOD_NAME.match(str(c).strip()) or _is_date_name(str(c))]


def chose_period_column(frame: pd.DataFrame, date: str, target: str) -> bool:
    """A date or quantity chosen among a wide table's period columns (--date d_1 --target d_2)."""
    periods = period_columns(frame)
    return len(periods) >= WIDE_MIN_PERIODS and bool({date, target} & set(periods))


def quantities_as_keys(frame: pd.DataFrame, series: tuple[str, ...], date: str, target: str) -> str | None:
    """A series key holding decimals nearly all different (N02BA's weekly sales in a file with one column per
    drug), or holding the counts of a table with one row per date and a column per product, is a quantity, not a
    series name: the table has a column per series. A message with the reshape, or None. Run on it, the desk made
    205 'series' of sales values and filled 35,365 gaps with zeros (67 'series' of one product's daily counts)."""
    per_series = series_columns(frame, date)
    for key in series:
        values = to_numeric(frame[key], errors="coerce").dropna()
        if len(values) < 10 or len(values) < 0.9 * frame[key].notna().sum():
            continue
        decimals = (values != values.round()).mean() >= 0.5 and values.nunique() >= 0.5 * len(values)
        if decimals or (key in per_series and values.nunique() > 1):
            numeric = [str(c) for c in frame.columns if c != date and pd.api.types.is_numeric_dtype(frame[c])]
            shown = ", ".join(numeric[:6]) + (" …" if len(numeric) > 6 else "")
            what = "decimal numbers that are nearly all different" if decimals else "counts in a table with one row " \
                "per date, like the quantities beside it"
            return (f"Series key {key!r} holds {what} ({values.nunique():,} values), not names of series: does the "
                    f"table have one column per series ({shown})? "
                    f"R{_melt(date, 'quantity' if target in per_series else target, 'series')[1:]}")
    return None


def series_columns(frame: pd.DataFrame, date: str) -> list[str]:
    """The numeric columns of a table with one row per date (no date twice) and at least two such columns: one
    column per series (a product's daily sales in each), or []."""
    if date not in frame.columns or len(frame) < 10 or frame[date].nunique() < len(frame):
        return []
    numeric = [c for c in frame.columns if c != date and pd.api.types.is_numeric_dtype(frame[c])
               and not pd.api.types.is_bool_dtype(frame[c])]
    return numeric if len(numeric) >= 2 else []


def missing_columns_message(frame: pd.DataFrame, missing: list[str], date: str, target: str) -> str:
    """Columns asked for that the table lacks; for a wide table, how to make it long. A file with one row per date
    and a column per product, run with --series product, had stopped on a KeyError."""
    wide = wide_table_message(frame)
    if wide:
        return wide
    said = f"Columns not in the table: {', '.join(missing)}."
    numeric = series_columns(frame, date)
    if len(numeric) >= 3:
        shown = ", ".join(map(str, numeric[:4])) + (" …" if len(numeric) > 4 else "")
        key = next((str(c) for c in missing if c not in (date, target)), "series")
        return (f"{said} The table has one row per date and {len(numeric)} numeric columns ({shown}): if each holds "
                f"one series, {_melt(date, target if target in missing else 'quantity', key)}")
    return f"{said} Available: {', '.join(map(str, frame.columns))}."


def _melt(date: str, target: str, key: str) -> str:
    return (f"reshape it to one row per date and series first, e.g. in pandas: frame.melt(id_vars=[{date!r}], "
            f"var_name={key!r}, value_name={target!r}); then forecast with --target {target} --series {key}.")


def _is_date_name(name: str) -> bool:
    if not re.search(r"\d", name) or len(name) < 6:
        return False
    return not pd.isna(pd.to_datetime(name, errors="coerce", format="mixed"))

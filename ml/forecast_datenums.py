"""Date columns written as numbers: Unix times (Retail Rocket's ``events.csv`` stamps each event in milliseconds
since 1970) and counts of days or weeks from a start the file does not give (Dunnhumby's ``DAY`` 1 … 711).

Unix times are read as dates, with a note: they had been refused with "not a date column …
use one format such as 2024-01-31", which no format of the file could satisfy. Day or week numbers are refused,
since their first date is not in the file, with the line that maps them to dates.
"""
from __future__ import annotations

import re

import numpy as np
import pandas as pd

from ml.forecast_weeklabels import fiscal_periods

# Unix times between 2000 and 2040: seconds and milliseconds. No 8-digit date (≤ 21001231) or day count reaches them.
EPOCH_SECONDS = (946_684_800, 2_208_988_800)
UNITS = {"s": EPOCH_SECONDS, "ms": (EPOCH_SECONDS[0] * 1000, EPOCH_SECONDS[1] * 1000)}
UNIT_WORDS = {"s": "seconds", "ms": "milliseconds"}
# Excel's serial dates (days since 1899-12-30) from 1990 to 2049, as a sheet's date cells are written without their
# format: no Unix time, 8-digit date, yyyymm or day count of a few years reaches them.
EXCEL_DAYS, EXCEL_ORIGIN = (32_874, 54_788), "1899-12-30"


def numbers_as_dates(values: pd.Series, column: str, notes: list[str]) -> pd.Series:
    """Whole numbers that are Unix times, as dates and times in UTC, or Excel serial dates (44200, a date cell saved
    without its format: it had been refused as a count of weeks from a start, to be mapped from 'the first period's
    real date'), as dates; other columns unchanged (8-digit dates such as 20150603 are read by ``pd.to_datetime`` as
    they are)."""
    if not pd.api.types.is_numeric_dtype(values) or pd.api.types.is_bool_dtype(values):
        return values
    present = pd.to_numeric(values, errors="coerce").dropna()
    if present.empty or not bool(np.isfinite(present).all() & (present == present.round()).all()):
        return values
    low, high = float(present.min()), float(present.max())
    example = int(present.iloc[0])
    for unit, (start, end) in UNITS.items():
        if start <= low and high <= end:
            dates = pd.to_datetime(values, unit=unit, errors="coerce")
            notes.append(f"Column {column!r} holds Unix times in {UNIT_WORDS[unit]} (such as {example} = "
                         f"{pd.to_datetime(example, unit=unit)} UTC): read as dates and times in UTC.")
            return pd.Series(dates, index=values.index, name=values.name)
    if EXCEL_DAYS[0] <= low and high <= EXCEL_DAYS[1]:
        dates = pd.to_datetime(values, unit="D", origin=EXCEL_ORIGIN, errors="coerce")
        notes.append(f"Column {column!r} holds Excel serial dates, days counted from 1899-12-30 (such as {example} = "
                     f"{pd.to_datetime(example, unit='D', origin=EXCEL_ORIGIN).date()}): read as dates.")
        return pd.Series(dates, index=values.index, name=values.name)
    return values


def period_numbers(column: str, values: pd.Series) -> str | None:
    """Why a column of whole numbers (day or week counts) cannot be the date column, with the mapping to dates."""
    present = pd.to_numeric(values, errors="coerce").dropna() if pd.api.types.is_numeric_dtype(values) else None
    if present is None or present.empty or not bool((present == present.round()).all()):
        return None
    unit = "W" if "week" in column.lower() else "D"
    return (f"Column {column!r} holds numbers ({int(present.min())} to {int(present.max())}), not dates. If they "
            f"count {'weeks' if unit == 'W' else 'days'} from a start (like Dunnhumby's DAY and WEEK_NO), add a "
            f"column of their dates to the file first (the first period's real date plus {column} - 1 "
            f"{'weeks' if unit == 'W' else 'days'}) and forecast by it (--date COLUMN; 'Date column' on the page).")


def not_dates(column: str, values: pd.Series) -> str:
    """Why a date column was refused; period numbers (M5's d_1, d_2 … in a long table) are named as such."""
    sample = values.dropna().astype(str).head(50)
    if len(sample) and sample.str.fullmatch(r"[A-Za-z]{1,6}_?\d+").all():
        return (f"Column {column!r} holds period numbers such as {sample.iloc[0]!r}, not dates (like M5's day "
                "index d_1, d_2 …): map them to their dates first (M5's calendar.csv gives each d_… its date).")
    return fiscal_periods(column, values) or period_numbers(column, values) or (
        f"Column {column!r} is not a date column (or mixes date formats); use one format such as 2024-01-31.")


_PART_NAMES = {"year": r"(?i)^(fiscal_?|calendar_?)?(year|yr|ano|año|jahr|annee|année)s?$",
               "month": r"(?i)^(month|mon|mth|mes|monat|mois)(_?(no|num|number|of_?year))?$",
               "week": r"(?i)^(week|wk|woche|semana)(_?(no|num|number|of_?year))?$"}
_PART_RANGES = {"year": (1900, 2100), "month": (1, 12), "week": (1, 53)}


def _date_part(name: str, values: pd.Series) -> str | None:
    """'year', 'month' or 'week' for a column of whole numbers named and ranged like that part of a date."""
    part = next((p for p, pattern in _PART_NAMES.items() if re.match(pattern, name.strip())), None)
    if part is None or not pd.api.types.is_numeric_dtype(values) or pd.api.types.is_bool_dtype(values):
        return None
    present, (low, high) = values.dropna(), _PART_RANGES[part]
    whole = not present.empty and bool((present == present.round()).all())
    return part if whole and low <= present.min() and present.max() <= high else None


def split_date(frame: pd.DataFrame, column: str) -> str | None:
    """Why a year or a month (week) number cannot be the date column when the table holds the other part, with
    the line that combines them. Montgomery County's warehouse and retail sales file has YEAR and MONTH: YEAR was
    read as 1 January of each year (then stopped as repeated dates), MONTH as a count of days from a start."""
    part = _date_part(str(column), frame[column])
    if part is None:  # the usual case: a date column
        return None
    parts = {p: str(c) for c in frame.columns if (p := _date_part(str(c), frame[c])) and p != part}
    year, other = (column, parts.get("month") or parts.get("week")) if part == "year" else (parts.get("year"), column)
    if year is None or other is None:
        return None
    other_part = _date_part(str(other), frame[other])
    if other_part == "month":
        line = f"frame['date'] = pd.to_datetime(dict(year=frame['{year}'], month=frame['{other}'], day=1))"
    else:
        line = (f"frame['date'] = pd.to_datetime(frame['{year}'].astype(str) + '-W' + frame['{other}'].astype(str)"
                ".str.zfill(2) + '-1', format='%G-W%V-%u')")
    return (f"Columns {year!r} and {other!r} hold the year and the {other_part} number of "
            f"each row: neither is a date alone. Combine them into a date column first, e.g. {line}, then forecast by "
            "it (--date date; 'Date column' on the page).")

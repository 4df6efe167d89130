"""Quarters: labels written as text ('1998 Q1', 'Q1-2019'), quarterly spacing of dates and their anchor.

The file reader reads ISO weeks ('2019-W05') and months ('2019-01', '03/1985') as dates, but leaves a
column of quarters as text: it is read here, each label as the first day of its quarter, and said so (and weeks
written 'Wk 7 2023', by ``ml.forecast_weeklabels``, and dates with two-digit years, by ``ml.forecast_shortyears``).
Quarterly dates are quarter starts or quarter ends, on calendar quarters or on a fiscal year's quarters
(starting February, May, August, November); any other day is put on the start of its calendar quarter.
"""
from __future__ import annotations

import re

import pandas as pd

from ml.forecast_datenums import numbers_as_dates
from ml.forecast_shortyears import short_year_dates
from ml.forecast_weeklabels import week_labels_as_dates

QUARTER = re.compile(r"^(\d{4})\s*[-/]?\s*Q([1-4])$|^Q([1-4])\s*[-/]?\s*(\d{4})$", re.IGNORECASE)
LABEL_SHARE = 0.95  # of the non-empty cells: the column is written as quarter labels
QUARTER_DAYS = (89, 92)  # a quarter is 89-92 days long
ON_DAY_SHARE = 0.9  # dates are quarter starts (ends) when this share of them fall on a month's first (last) day
MONTHS = ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")


def quarter_labels_as_dates(values: pd.Series, column: str, notes: list[str]) -> pd.Series:
    """A text column (nearly) all quarter labels as the first day of each quarter, or all week labels as the Monday
    of each ISO week, or dates with two-digit years ('04-30-22'); numbers that are Unix times as dates
    (``ml.forecast_datenums``); other columns unchanged.
    Cells that are no quarter become blank (left out, with the note on rows without a date)."""
    if pd.api.types.is_numeric_dtype(values):
        return numbers_as_dates(values, column, notes)  # Unix times (Retail Rocket)
    if pd.api.types.is_datetime64_any_dtype(values):
        return values
    text = values.astype("string").str.strip()
    parts = text.str.extract(QUARTER)
    present = (text.notna() & (text != "")).fillna(False).astype(bool)
    if not present.any() or (parts[0].notna() | parts[2].notna())[present].mean() < LABEL_SHARE:
        for reader in (week_labels_as_dates, short_year_dates):  # 'Wk 7 2023'; '04-30-22'
            dates = reader(text, column, notes)
            if dates is not None:
                return dates
        return values
    year = parts[0].fillna(parts[3])
    quarter = parts[1].fillna(parts[2]).astype("Float64")
    month = ((quarter - 1) * 3 + 1).astype("Int64").astype("string").str.zfill(2)
    dates = pd.to_datetime(year + "-" + month + "-01", format="%Y-%m-%d", errors="coerce")
    notes.append(f"Column {column!r} holds quarters written as text (such as {text[present].iloc[0]!r}): each was "
                 "read as the first day of its quarter.")
    return pd.Series(dates, index=values.index, name=values.name)


def is_quarterly(steps: pd.Series, step_days: float) -> bool:
    """Distinct dates a quarter apart, or whole quarters apart where no series has a row (89-92 days each)."""
    if not QUARTER_DAYS[0] <= step_days <= 2 * QUARTER_DAYS[1] or steps.empty:
        return False
    quarters = (steps / 91.3).round().clip(lower=1)
    whole = steps.between(QUARTER_DAYS[0] * quarters, QUARTER_DAYS[1] * quarters)
    return float(whole.mean()) >= ON_DAY_SHARE


def quarter_anchor(dates: pd.Series) -> str:
    """pandas' frequency of quarterly dates: QS-JAN (calendar quarter starts), QS-FEB or QS-MAR (fiscal
    ones), QE-DEC (calendar quarter ends), QE-NOV or QE-OCT; QS-JAN for dates within a month."""
    dates = pd.Series(pd.to_datetime(dates.unique()))
    phase = int(((dates.dt.month - 1) % 3).mode().iloc[0])  # 0: Jan, Apr, Jul, Oct; 1: Feb, May, …
    if float(dates.dt.is_month_end.mean()) >= ON_DAY_SHARE:
        return f"QE-{MONTHS[9 + phase]}"
    if float((dates.dt.day == 1).mean()) >= ON_DAY_SHARE:
        return f"QS-{MONTHS[phase]}"
    return "QS-JAN"


def period_alias(pandas_freq: str) -> str:
    """The pandas period (Q-DEC: quarters ending March, June, …) whose starts or ends are ``pandas_freq``."""
    month = MONTHS.index(pandas_freq.split("-")[1]) if "-" in pandas_freq else 0
    return f"Q-{MONTHS[month - 1] if pandas_freq.startswith('QS') else MONTHS[month]}"


def on_quarters(dates: pd.Series, pandas_freq: str) -> pd.Series:
    """Each date on its quarter's start (QS) or last day (QE)."""
    periods = dates.dt.to_period(period_alias(pandas_freq))
    return periods.dt.end_time.dt.normalize() if pandas_freq.startswith("QE") else periods.dt.start_time


def quarter_description(pandas_freq: str) -> str:
    """'quarterly (quarter start)', or the months of a fiscal year's quarters."""
    if pandas_freq in ("QS-JAN", "QE-DEC"):
        return f"quarterly (quarter {'start' if pandas_freq.startswith('QS') else 'end'})"
    month = MONTHS.index(pandas_freq.split("-")[1])
    months = ", ".join(MONTHS[m].title() for m in sorted((month + 3 * k) % 12 for k in range(4)))
    return f"quarterly (quarters {'starting' if pandas_freq.startswith('QS') else 'ending'} {months})"

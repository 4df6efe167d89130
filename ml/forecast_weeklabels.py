"""Weeks and fiscal periods written as text, as ERP and POS extracts label them.

The file reader reads ISO weeks written '2023-W07' as dates, but an extract labelled 'Wk 7 2023', 'W07/2023' or
'2023 Week 7' stayed text and was refused as "not a date column (or mixes date formats); use one format such as
2024-01-31", which no week label can meet. Such labels are read here as the Monday of their ISO week, and said so.
Fiscal periods ('FY23 P04', 'P4 FY2023', 'FY23 Wk 07') cannot be read: which days they cover depends on the
company's fiscal calendar, which the file does not give; they are refused with what to add.
"""
from __future__ import annotations

import re

import pandas as pd

_WEEK_WORD = r"(?:wk|week|w)\.?\s*"
_YEAR = r"(\d{4}|'?\d{2})"
WEEK_FIRST = re.compile(rf"^{_WEEK_WORD}(\d{{1,2}})\s*[-/,.]?\s*{_YEAR}$", re.IGNORECASE)  # Wk 7 2023, W07/2023
YEAR_FIRST = re.compile(rf"^(\d{{4}})\s*[-/,.]?\s*{_WEEK_WORD}(\d{{1,2}})$", re.IGNORECASE)  # 2023 Wk 7, 2023-W7
FISCAL = re.compile(r"^(?:FY\s*'?\d{2,4}\s*[-/,.]?\s*(?:p|per|period|m|w|wk|week)\.?\s*\d{1,2}"
                    r"|(?:p|per|period)\.?\s*\d{1,2}\s*[-/,.]?\s*(?:FY\s*)?'?\d{2,4}"
                    r"|\d{4}\s*[-/,.]?\s*(?:p|per|period)\.?\s*\d{1,2})$", re.IGNORECASE)
LABEL_SHARE = 0.95  # of the non-empty cells: the column is written as week labels


def week_labels_as_dates(text: pd.Series, column: str, notes: list[str]) -> pd.Series | None:
    """A text column (nearly) all week labels as the Monday of each ISO week; None for any other column.
    A label naming no ISO week (week 53 of a 52-week year, week 0) becomes blank, like a cell that is no date."""
    present = (text.notna() & (text != "")).fillna(False).astype(bool)
    first, last = text.str.extract(WEEK_FIRST), text.str.extract(YEAR_FIRST)
    if not present.any() or (first[0].notna() | last[0].notna())[present].mean() < LABEL_SHARE:
        return None
    week = first[0].fillna(last[1]).astype("Float64")
    year = first[1].fillna(last[0]).str.lstrip("'")
    year = year.where(year.str.len() == 4, "20" + year).astype("Float64")
    labels = year.astype("Int64").astype("string") + "-W" + week.astype("Int64").astype("string").str.zfill(2) + "-1"
    dates = pd.Series(pd.to_datetime(labels, format="%G-W%V-%u", errors="coerce"), index=text.index)
    iso = dates.dt.isocalendar()
    named = (iso["week"].astype("Float64") == week) & (iso["year"].astype("Float64") == year)
    dates = dates.where(named.fillna(False).astype(bool))  # pandas rolls '2021-W53' over to 2022's week 1
    notes.append(f"Column {column!r} holds weeks written as text (such as {text[present].iloc[0]!r}): each was read "
                 "as the Monday of that ISO week (weeks run Monday to Sunday; week 1 holds the year's first "
                 "Thursday). If the file numbers its weeks another way (a retail calendar, weeks from Sunday), add a "
                 "column with each week's first date and forecast by it.")
    return pd.Series(dates, index=text.index, name=text.name)


def fiscal_periods(column: str, values: pd.Series) -> str | None:
    """Why a column of fiscal period labels ('FY23 P04') cannot be the date column, with what to add."""
    sample = values.dropna().astype(str).str.strip()
    sample = sample[sample != ""].head(200)
    if sample.empty or sample.str.fullmatch(FISCAL).mean() < LABEL_SHARE:
        return None
    return (f"Column {column!r} holds fiscal periods such as {sample.iloc[0]!r}, not dates: the days a fiscal period "
            "covers depend on the company's calendar (the month its year starts in; 12 months, 13 periods of four "
            "weeks or a 4-4-5 pattern), which the file does not give. Add a column with each period's first day "
            "from that calendar and forecast by it (--date COLUMN; 'Date column' on the page).")

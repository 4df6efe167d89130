"""Dates in loan files, however they are written: ISO dates, '28-Feb-97' (SBA), quarters 'Q3 2013' (Prosper).

A date column left as text becomes a category with thousands of levels that reasons cite ("Disbursement
date of 11-Jul-94 raised the risk"); read as dates, it is handled like every other date column.
"""
from __future__ import annotations

import re
import warnings

import pandas as pd

DATE_SHARE = 0.95  # share of non-empty text cells that must read as dates for a text column to be dates
_SAMPLE = 2000
_QUARTER = re.compile(r"(?i)^\s*(?:q([1-4])[\s/_-]*(\d{4})|(\d{4})[\s/_-]*q([1-4]))\s*$")
# What a date written as text shows: a four-digit year, a month's name, or day/month/two-digit year.
_DATE_LIKE = re.compile(r"\d{4}|[A-Za-z]{3}|^\d{1,2}[-/.]\d{1,2}[-/.]\d{2}$")
_NUMBER = re.compile(r"\d+([.,]\d+)?[A-Za-z]?")
_TWO_DIGIT_YEAR = re.compile(r"(?:^|\D)\d{2}\s*$")


def as_dates(series: pd.Series) -> pd.Series:
    """Dates from dates or text in any common format, quarters as their first day; what does not read as one
    is missing (no warning). A two-digit year ('01-Jan-68') is never read as a future date (2068): a loan
    book's dates are past ones."""
    if pd.api.types.is_datetime64_any_dtype(series):
        return pd.to_datetime(series)
    text = series.astype("string").str.strip()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # "could not infer format": each value is parsed alone
        dates = pd.to_datetime(series, errors="coerce")
    quarters = text.str.extract(_QUARTER)
    if quarters.notna().any().any():
        year = quarters[1].fillna(quarters[2])
        quarter = quarters[0].fillna(quarters[3])
        first = pd.to_datetime(year + "-" + ((quarter.astype(float) - 1) * 3 + 1).astype("Int64").astype("string")
                               + "-01", errors="coerce")
        dates = dates.where(first.isna(), first)
    future = dates > pd.Timestamp.now() + pd.DateOffset(years=1)
    short = text.str.contains(_TWO_DIGIT_YEAR).fillna(False) & ~text.str.contains(r"\d{4}").fillna(False)
    return dates.where(~(future & short), dates - pd.DateOffset(years=100))


def reads_as_dates(series: pd.Series) -> bool:
    """A text column whose values (nearly) all read as dates: '28-Feb-97', 'Q3 2013', '2019-01-31'. Numbers,
    months alone ('May') and ranges ('1-2') do not count."""
    if pd.api.types.is_datetime64_any_dtype(series) or pd.api.types.is_numeric_dtype(series) \
            or pd.api.types.is_bool_dtype(series):
        return False
    present = series.dropna().astype(str).str.strip()
    present = present[present != ""].head(_SAMPLE)
    if len(present) == 0 or present.str.contains(_DATE_LIKE).mean() < DATE_SHARE \
            or present.str.fullmatch(_NUMBER).mean() >= 0.5:  # years or amounts as text (SBA's ApprovalFY '1976A')
        return False
    return bool(as_dates(present).notna().mean() >= DATE_SHARE)


def read_text_dates(frame: pd.DataFrame) -> tuple[pd.DataFrame, dict[str, str]]:
    """Text columns that are dates, converted; with an example of how each was written (for a note)."""
    found = {str(c): str(frame[c].dropna().iloc[0]) for c in frame.columns if reads_as_dates(frame[c])}
    return (frame.assign(**{c: as_dates(frame[c]) for c in found}) if found else frame), found

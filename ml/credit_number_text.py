"""Numbers written as text in loan files: '1,250.50', '$900', '12%', a decimal comma ('16.168,00 €'), a decimal
slash (Thera Bank's '1/60'), a duration in years and months (the Vehicle Loan book's '1yrs 11mon'). Kept apart
from ml/credit_features.py, which decides each column's kind with them."""
from __future__ import annotations

import re

import pandas as pd

from ml.numbers import to_numeric

# A trailing underscore is a typing slip on a number (Kaggle's Credit Score Classification book: Annual_Income
# '34847.84_', Age '28_'); a value wrapped in them ('__10000__') is a placeholder and stays unread.
_NUMBER_NOISE = re.compile(r"[\s,$€£¥%]|^\+|(?<=\d)_+$")
_SLASH_DECIMAL = re.compile(r"^-?\d{1,3}/\d{2}$")  # 1/60: a decimal written with a slash
# '1yrs 11mon', '2 years 3 months', '22 Years and 1 Months', '0y 7m', '14 months': years and/or months, each whole.
_DURATION = re.compile(r"(?i)^\s*(?:(\d+)\s*(?:y|yrs?|years?)(?![a-z]))?[\s,]*(?:(?<=\s)and\s+)?"
                       r"(?:(\d+)\s*(?:m|mo|mons?|mths?|months?)(?![a-z]))?\s*$")
DURATION_MIN_DISTINCT = 13  # fewer (a term of '36 months' or '60 months') read well enough as categories


def parse_numeric_text(series: pd.Series, *, decimal_comma: bool = False) -> pd.Series:
    """'1,250.50', '$900', '12%' → numbers (with ``decimal_comma``: '16.168,00 €', '12,7 %'); else NaN."""
    text = series.astype("string").str.strip()
    if decimal_comma:
        # Per value, as a file may mix styles: the last of ',' and '.' is the decimal mark ('16.168,00',
        # '1,200.50'); a lone ',' is decimal here; dots alone are thousands only in groups of three
        # ('16.168', '1.000.000'), else a decimal point ('12.7', '16168.00').
        bare = text.str.replace(r"[\s$€£¥%+]", "", regex=True)
        comma_last = bare.str.rfind(",") > bare.str.rfind(".")
        dot_groups = ~bare.str.contains(",", regex=False) & bare.str.match(r"^-?\d{1,3}(\.\d{3})+$")
        european = text.str.replace(".", "", regex=False).str.replace(",", ".", regex=False)
        text = european.where(comma_last.fillna(False), text.str.replace(".", "", regex=False).where(
            dot_groups.fillna(False), text))
    text = text.str.replace(_NUMBER_NOISE, "", regex=True)
    return to_numeric(text.replace("", pd.NA), errors="coerce").astype(float)


_COMMA_DECIMALS = re.compile(r",\d{1,2}$|,\d{4,}$|\.\d{3},")   # 12,7 · 0,12345 · 16.168,00
_POINT_DECIMALS = re.compile(r"\.\d{1,2}$|\.\d{4,}$|,\d{3}\.")   # 12.7 · 0.12345 · 16,168.00


def writes_decimal_comma(series: pd.Series) -> bool:
    """Text numbers with a decimal comma (European exports): some value shows it, none shows a decimal point."""
    if pd.api.types.is_numeric_dtype(series) or pd.api.types.is_bool_dtype(series):
        return False
    text = series.dropna().astype(str).str.strip().str.replace(r"[\s$€£¥%+-]", "", regex=True)
    return bool(text.str.contains(_COMMA_DECIMALS).any()) and not bool(text.str.contains(_POINT_DECIMALS).any())


def writes_slash_decimal(present: pd.Series) -> bool:
    """Every value a number with '/' for its decimal mark (Thera Bank's CCAvg '1/60' for 1.60), not a month and
    year (some value starts with 0 or above 12): read as text, it had been a category of a hundred values."""
    if pd.api.types.is_numeric_dtype(present) or present.empty:
        return False
    distinct = pd.Series(present.astype(str).str.strip().unique())
    if not distinct.str.match(_SLASH_DECIMAL).all():
        return False
    whole = distinct.str.split("/").str[0].astype(int).abs()
    return bool(((whole == 0) | (whole > 12)).any())


def writes_percent(present: pd.Series) -> bool:
    """Text numbers nearly all written with a % sign (Lending Club's int_rate '13.56%'): reasons say 13.56 %."""
    if pd.api.types.is_numeric_dtype(present) or pd.api.types.is_bool_dtype(present):
        return False
    sample = present.head(1000).astype(str).str.strip()
    return bool(sample.str.endswith("%").mean() >= 0.9)


def duration_months(series: pd.Series) -> pd.Series:
    """'1yrs 11mon' → 23.0 (months), '2 years' → 24.0, '7 months' → 7.0, a bare number ('23', typed in the what-if)
    as months; anything else NaN."""
    text = series.astype("string")
    parts = text.str.extract(_DURATION)
    months = to_numeric(parts[0], errors="coerce").fillna(0) * 12 + to_numeric(parts[1], errors="coerce").fillna(0)
    bare = to_numeric(text.str.strip(), errors="coerce").astype(float)
    return months.where(parts.notna().any(axis=1)).astype(float).fillna(bare)


def writes_duration(present: pd.Series) -> bool:
    """Every value a duration in years and months (the Vehicle Loan book's AVERAGE.ACCT.AGE and
    CREDIT.HISTORY.LENGTH, '1yrs 11mon'), of many values: read as text, each was a category of hundreds, and one
    not seen in training ('1yrs 4mon') was scored as missing."""
    if pd.api.types.is_numeric_dtype(present) or pd.api.types.is_bool_dtype(present) or present.empty:
        return False
    distinct = pd.Series(present.astype(str).unique())
    return len(distinct) >= DURATION_MIN_DISTINCT and bool(distinct.str.contains(r"\d\s*[a-zA-Z]").all()) \
        and bool(duration_months(distinct).notna().all())  # each with a unit: numbers alone are read as numbers

"""The failure model's input table: the chosen columns under LightGBM-safe names, with dates, yes/no words and
numbers written as text ('47.0%', '$1,200', '12,7 %') turned into numbers the trees can split on."""
from __future__ import annotations

import pandas as pd

from ml.failure import lightgbm_safe_names


def model_frame(data: pd.DataFrame, features: list[str]) -> pd.DataFrame:
    """Model input: the chosen columns under LightGBM-safe names (the original names are shown to users)."""
    X = data[features].copy()
    X.columns = list(lightgbm_safe_names(features).values())
    for column in X.columns:  # datetimes become numbers (days since epoch) for the trees
        if pd.api.types.is_datetime64_any_dtype(X[column]):
            X[column] = (X[column] - pd.Timestamp("1970-01-01")).dt.days.astype(float)
        elif X[column].dtype == object or pd.api.types.is_string_dtype(X[column]):
            X[column] = _flags_in_text(X[column])
            X[column] = _numbers_in_text(X[column])
    return X


FLAG_WORDS = {"true": 1.0, "false": 0.0, "yes": 1.0, "no": 0.0}


def _flags_in_text(values: pd.Series) -> pd.Series:
    """A True/False column with one odd cell ("maybe") arrives as text: its True/False cells stay 1/0 and
    only the odd one is missing, rather than the whole column."""
    present = values.dropna()
    words = present.astype(str).str.strip().str.lower()
    if present.empty or words.isin(list(FLAG_WORDS)).mean() < 0.9:
        return values
    return values.astype(str).str.strip().str.lower().map(FLAG_WORDS).where(values.notna())


def _numbers_in_text(values: pd.Series) -> pd.Series:
    """Text such as '47.0%', '$1,200' or '12,7 %' becomes numbers when nearly every cell reads as one (the
    finance desk's reader); other text stays text, a category."""
    from ml.credit_features import NUMERIC_TEXT_SHARE, parse_numeric_text, writes_decimal_comma

    present = values.dropna()
    if present.empty:
        return values
    parsed = parse_numeric_text(values, decimal_comma=writes_decimal_comma(present))
    return parsed if parsed[present.index].notna().mean() >= NUMERIC_TEXT_SHARE else values

"""Period labels written as text that the desk cannot forecast at: quarters ('2019 Q1', 'Q1-2019').

The file reader already reads ISO weeks ('2019-W05') and months ('2019-01', '03/1985') as dates; a
column of quarters stays text and is refused in words that say what it holds, not "not a date column".
"""
from __future__ import annotations

import re

import pandas as pd

from ml.forecast_columns import ForecastInputError

QUARTER = re.compile(r"^(\d{4})[-\s/]?Q([1-4])$|^Q([1-4])[-\s/]?(\d{4})$", re.IGNORECASE)
LABEL_SHARE = 0.95  # of the non-empty cells: the column is written as quarter labels


def refuse_quarter_labels(values: pd.Series, column: str) -> None:
    """ForecastInputError naming the quarters when a text column is (nearly) all quarter labels."""
    if pd.api.types.is_numeric_dtype(values) or pd.api.types.is_datetime64_any_dtype(values):
        return
    text = values.dropna().astype(str).str.strip()
    if len(text) and text.str.match(QUARTER).mean() >= LABEL_SHARE:
        raise ForecastInputError(f"Column {column!r} holds quarters (such as {text.iloc[0]!r}): the desk forecasts "
                                 "daily, weekly or monthly data; give it rows at one of those frequencies.")

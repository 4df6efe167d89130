"""Text read as numbers without crashing the process.

pandas 2.3's ``to_numeric`` dies with a segmentation fault on text whose exponent overflows a 32-bit integer
('6E51116685127', '1E2147483648A'): ids such as Prosper's hexadecimal ListingKey hold such runs, and one
such key in a column took a whole `finance train` down with no message (exit code 139). No number is written
with an exponent of five digits or more, so such text is not read as one.
"""
from __future__ import annotations

import re

import pandas as pd

LONG_EXPONENT = re.compile(r"[eE][+-]?\d{5,}")


def to_numbers(values: pd.Series) -> pd.Series:
    """``pd.to_numeric(values, errors="coerce")``, with text that has an exponent of five digits or more missing."""
    if values.dtype == object or isinstance(values.dtype, pd.StringDtype):
        risky = values.astype("string").str.contains(LONG_EXPONENT).fillna(False).to_numpy(bool)
        if risky.any():
            values = values.where(~risky)
    return pd.to_numeric(values, errors="coerce")

"""``pandas.to_numeric`` that cannot take the process down.

pandas before 3.0 dies with a segmentation fault (no exception, no message: the server or the CLI just
ends) on text whose exponent overflows a 32-bit integer in its C parser: '8e2569614270f3d8b9e7038efac9f116'
(an MD5 hash that starts like 8e2569614270), Prosper's hexadecimal ListingKey '6E51116685127A62574'. Any id,
hash or free-text column may hold one, and every desk reads columns as numbers. No number is written with an
exponent of five digits or more (a double stops at e308), so such text is read as no number, as pandas 3 does.
"""
from __future__ import annotations

import re

import numpy as np
import pandas as pd

LONG_EXPONENT = re.compile(r"[eE][+-]?\d{5,}")


def _risky(values: pd.Series) -> np.ndarray:
    if values.dtype != object and not isinstance(values.dtype, pd.StringDtype):
        return np.zeros(len(values), bool)
    return values.astype("string").str.contains(LONG_EXPONENT).fillna(False).to_numpy(bool)


def to_numeric(values, errors: str = "raise", **kwargs):
    """``pd.to_numeric(values, errors=…)``; text with a five-digit exponent is not a number: missing with
    ``errors="coerce"``, a ValueError naming it with ``errors="raise"`` (as any other unreadable text)."""
    if isinstance(values, str):
        risky = LONG_EXPONENT.search(values) is not None
        if risky and errors == "raise":
            raise ValueError(f'Unable to parse string "{values}"')
        return np.nan if risky else pd.to_numeric(values, errors=errors, **kwargs)
    if isinstance(values, pd.Series):
        risky = _risky(values)
        if risky.any():
            if errors == "raise":
                raise ValueError(f'Unable to parse string "{values[risky].iloc[0]}"')
            values = values.where(~risky)
        return pd.to_numeric(values, errors=errors, **kwargs)
    if isinstance(values, (list, tuple, np.ndarray, pd.Index)) and np.asarray(values).dtype == object:
        cleaned = to_numeric(pd.Series(np.asarray(values, dtype=object)), errors=errors, **kwargs)
        return pd.Index(cleaned) if isinstance(values, pd.Index) else cleaned.to_numpy()
    return pd.to_numeric(values, errors=errors, **kwargs)

"""Numbers written ten times too big on some rows: the Kaggle Bank Loan Status export holds credit scores of 585-751
and, on some loans, 5,850-7,510 (7,230 for 723), with nothing in between. Left as they are, the trees learn the slip
(there it marks charged-off loans) and reasons cite "Credit score of 7,230"; read as the number meant, they do not.
The range is found on the training rows and kept in the plan, so scoring files are read the same way."""
from __future__ import annotations

import numpy as np
import pandas as pd

MIN_ROWS = 5        # slipped values needed to call it a slip
MAX_SHARE = 0.25    # ... at most this share of the filled rows (more is a second population, not a slip)
GAP = 3.0           # the smallest slipped value at least this many times the largest of the rest: nothing between


def tenfold_range(values: pd.Series) -> list[float] | None:
    """[lowest, highest] of the column's values as written right, when the others lie within ten times that range
    and far from it (a positive scale such as a credit score); None otherwise (amounts, counts from 0, codes)."""
    filled = values[np.isfinite(values.to_numpy(float))]
    if filled.empty or float(filled.min()) <= 0:
        return None
    low = float(filled.min())
    slipped, rest = filled[filled >= 10 * low], filled[filled < 10 * low]
    if not MIN_ROWS <= len(slipped) <= MAX_SHARE * len(filled):
        return None
    high = float(rest.max())
    if float(slipped.min()) < GAP * high or float(slipped.max()) > 10 * high:
        return None
    return [low, high]


def slipped_rows(values: pd.Series, bounds: list[float]) -> pd.Series:
    """Rows whose value lies within ten times the range (7,230 in a range of 585-751)."""
    return (values >= 10 * bounds[0]) & (values <= 10 * bounds[1])


def read_tenfold(values: pd.Series, bounds: list[float]) -> pd.Series:
    """The values as meant: those written ten times too big divided by ten (7,230 → 723)."""
    return values.mask(slipped_rows(values, bounds), values / 10)

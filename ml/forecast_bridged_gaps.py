"""Missing periods bridged rather than read as sales of 0 (with --fill zero), and their notes: the long one-off
gaps of a steady seller (``forecast_gaps.one_off_closures``) and single missing periods inside a steady weekly,
monthly or quarterly seller.

An avocado.csv-like file (108 weekly series by region and type) with single weeks missing in 12 steady series:
set to 0, the seasonal index and the trees' yearly lags copied the dips a year later (hold-out WAPE 7.21 against
6.62 with the weeks bridged). A day without a row can be a shut day (a holiday), so daily data keeps its rule.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ml.forecast_cleaning import examples
from ml.forecast_columns import UNITS
from ml.forecast_gaps import CLOSURE_PERIODS, SELLS_MOST

SINGLE_GAP_SHARE = 0.05  # a series missing more of its periods may be a file that leaves out its periods of 0
NEIGHBOUR_LEVEL = 0.5  # both neighbours at least this share of the series' median: well above 0


def single_gaps(ids: np.ndarray, y: np.ndarray, gap: np.ndarray, freq: str) -> np.ndarray:
    """True on periods with no row whose neighbours are rows at half the series' median or more, in a series
    that sells on nine rows out of ten and misses at most ``SINGLE_GAP_SHARE`` of its periods."""
    y, gap = np.asarray(y, dtype=float), np.asarray(gap, dtype=bool)
    out = np.zeros(len(y), dtype=bool)
    if freq == "D":
        return out
    for rows in pd.Series(np.arange(len(y))).groupby(np.asarray(ids), sort=False).indices.values():
        hole, values = gap[rows], y[rows]
        seen = values[~hole & np.isfinite(values)]
        if not hole.any() or hole.mean() > SINGLE_GAP_SHARE or not len(seen) or (seen > 0).mean() < SELLS_MOST:
            continue
        level = NEIGHBOUR_LEVEL * float(np.median(seen))
        high = ~hole & (np.nan_to_num(values, nan=-np.inf) >= level)
        single = np.zeros(len(rows), dtype=bool)
        single[1:-1] = hole[1:-1] & high[:-2] & high[2:]
        out[rows[single]] = True
    return out


def single_gap_note(ids: np.ndarray, single: np.ndarray) -> list[str]:
    if not single.any():
        return []
    named = pd.unique(np.asarray(ids)[single])
    return [f"{int(single.sum())} single missing periods in {len(named)} series that sell steadily, with rows well "
            f"above 0 on both sides: {examples(named)}. They are read as not known, not as sales of 0: bridged for "
            "the lag features, not trained on or scored, so next year's forecast does not copy a dip."]


def closure_note(ids: pd.Series, closed: np.ndarray, freq: str) -> list[str]:
    if not closed.any():
        return []
    named = pd.unique(np.asarray(ids)[closed])
    return [f"{int(closed.sum())} missing periods are long one-off gaps ({CLOSURE_PERIODS[freq]} {UNITS[freq]} or "
            f"more with no row, then rows again) in {len(named)} series that sell steadily, such as a store shut for "
            f"a refit: {examples(named)}. They are read as closed, not as no demand: bridged for the lag features, "
            "not trained on or scored, so next year's forecast does not copy the closure."]

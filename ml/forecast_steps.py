"""A level that stepped up or down (a store opened nearby, a listing gained or lost) is not a trend.

The seasonal index carries a series' own growth (its last-quarter level over its last-year level) forward where
the series departs from the chain. A step a few months back reads as that kind of growth, though the last
quarter, all after the step, is flat: a series whose level rose ×2.4 twenty weeks before the cut was forecast
to keep climbing, +66 % by the thirteenth week ahead. The growth is kept where the last quarter's own slope
agrees with it; where it departs from it by more than its noise explains, the slope is taken instead (none where
the slope is itself within its noise of flat).
"""
from __future__ import annotations

import numpy as np
import pandas as pd

ID = "unique_id"
SLOPE_Z = 2.0  # standard errors between the last quarter's slope and the growth's before the slope is taken
MIN_POINTS = 4  # a slope from fewer periods (a monthly quarter holds 3) says nothing


def supported_growth(quarter: pd.DataFrame, growth: pd.Series, span: float) -> pd.Series:
    """``growth`` (per series, over ``span`` periods) as far as the slope of the log level over the last quarter
    bears it out. ``quarter`` holds ID, ``level`` (deseasonalised) and ``period`` (its position in time)."""
    rows = quarter[(quarter["level"] > 0) & np.isfinite(quarter["level"])]
    if rows.empty:
        return growth
    slope = _slopes(rows[ID], rows["period"].astype(float), np.log(rows["level"].astype(float))).reindex(growth.index)
    rate = np.log(growth.to_numpy(float)) / span
    own = slope["slope"].to_numpy(float)
    error = SLOPE_Z * slope["error"].to_numpy(float)
    taken = np.clip(own, np.minimum(rate, 0.0), np.maximum(rate, 0.0))  # never past the growth, nor reversed
    taken = np.where(np.abs(own) > error, taken, 0.0)  # a slope within its noise of flat is flat
    departs = np.abs(own - rate) > error  # NaN (too few periods): the growth is kept
    cut = np.where(departs, np.exp(taken * span), growth.to_numpy(float))
    return pd.Series(cut, index=growth.index)


def _slopes(ids: pd.Series, t: pd.Series, y: pd.Series) -> pd.DataFrame:
    """Per series, the least-squares slope of ``y`` on ``t`` and its standard error (NaN for too few periods)."""
    count = ids.map(ids.value_counts())
    dt = t - t.groupby(ids).transform("mean")
    dy = y - y.groupby(ids).transform("mean")
    spread = (dt * dt).groupby(ids).sum()
    slope = (dt * dy).groupby(ids).sum() / spread.where(spread > 0)
    residual = (dy - ids.map(slope) * dt) ** 2
    error = np.sqrt(residual.groupby(ids).sum() / (count.groupby(ids).first() - 2) / spread.where(spread > 0))
    enough = count.groupby(ids).first() >= MIN_POINTS
    return pd.DataFrame({"slope": slope.where(enough), "error": error.where(enough)})

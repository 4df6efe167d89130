"""P10/P90 levels for a champion backtested on fewer windows than the other models (finite-sample conformal)."""
from __future__ import annotations

import math

import pandas as pd

from ml.forecast_backtest import ID, QUANTILES


def band_levels(rows: pd.DataFrame, champion: str) -> tuple[float, float]:
    """QUANTILES, or where ``champion`` was backtested on fewer windows than another model (the seasonal index,
    offered from a year of history before the last third of them, ``baselines_for``): the split-conformal levels
    with the finite-sample correction, ⌊(n + 1) · 0.1⌋ / n and ⌈(n + 1) · 0.9⌉ / n, n the champion's (series,
    window) blocks. A block's errors share one missed level, so the blocks, not the dates, are the sample: 10 to
    30 of them on one or two windows, where the plain levels held 68.5–83.1 % of 13 hold-outs (median 75.5 %)
    inside P10–P90; with these 73.1–85.4 % (median 80.4 %; see docs/retail.md, *Seasonal index*)."""
    own = rows[rows["model"] == champion]
    if own.empty or own["window"].nunique() >= rows["window"].nunique():
        return QUANTILES
    n = own.groupby([ID, "window"]).ngroups
    lo, hi = (round((n + 1) * q, 9) for q in QUANTILES)  # 20 × 0.9 is not exactly 18 in floating point
    return math.floor(lo) / n, min(1.0, math.ceil(hi) / n)

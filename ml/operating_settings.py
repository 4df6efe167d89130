"""Operating-setting columns found by what they hold, for histories whose columns carry no telling names.

A raw NASA turbofan file has no header: its altitude, Mach number and throttle columns arrive as
``column_3`` .. ``column_5``. Left among the sensors, the six flight conditions of FD002/FD004 swamp
the wear signal. What gives such columns away is their shape, not their name: an operating setting
sits at a few fixed levels (with at most a little jitter around each), and those levels explain most
of the variation in the sensors. A sensor with a few discrete values (a 0/1 flag, a reading rounded
to whole units) passes the first test but not the second, since the sensors do not follow it.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

SAMPLE_ROWS = 20_000
LEVEL_GAP_RATIO = 10.0   # the narrowest gap between levels over the widest spread within one
MIN_EXPLAINED = 0.5      # median share of the other columns' variance the levels must explain


def levels(values: pd.Series, max_levels: int) -> np.ndarray | None:
    """Level index per value when the column sits at 2..max_levels tight levels, else None."""
    clean = pd.to_numeric(values, errors="coerce").to_numpy(float)
    finite = clean[np.isfinite(clean)]
    unique = np.unique(finite)
    if len(unique) < 2 or len(finite) < len(clean) * 0.95:
        return None
    missing = ~np.isfinite(clean)
    gaps = np.diff(unique)
    order = np.argsort(gaps, kind="stable")[::-1]
    for k in range(2, min(max_levels, len(unique)) + 1):  # the fewest levels that fit
        cuts = np.sort(order[:k - 1])
        edges = np.r_[0, cuts + 1, len(unique)]
        widths = [unique[b - 1] - unique[a] for a, b in zip(edges[:-1], edges[1:])]
        if gaps[cuts].min() >= LEVEL_GAP_RATIO * max(max(widths), 1e-12):
            return np.where(missing, -1, np.searchsorted(unique[cuts + 1], clean, side="right"))
    return None


def explained_share(groups: np.ndarray, frame: pd.DataFrame) -> float:
    """Median over the frame's varying columns of the variance share between the groups (one-way R²)."""
    shares = []
    for column in frame.columns:
        values = pd.to_numeric(frame[column], errors="coerce")
        ok = values.notna().to_numpy() & (groups >= 0)
        series = pd.Series(values.to_numpy(float)[ok])
        total = float(series.var(ddof=0)) if len(series) else 0.0
        if not np.isfinite(total) or total <= 0:
            continue
        between = float(series.groupby(groups[ok]).transform("mean").var(ddof=0))
        shares.append(between / total)
    return float(np.median(shares)) if shares else 0.0


def find_settings(frame: pd.DataFrame, columns: list[str], *, max_levels: int = 8, seed: int = 0) -> list[str]:
    """The columns (of ``columns``) that look like operating settings; [] when none do."""
    sample = frame if len(frame) <= SAMPLE_ROWS else frame.sample(SAMPLE_ROWS, random_state=seed)
    levelled = {}
    for column in columns:
        found = levels(sample[column], max_levels)
        if found is not None:
            levelled[column] = found
    others = sample[[c for c in columns if c not in levelled]]
    if others.empty:
        return []
    return [c for c, groups in levelled.items() if explained_share(groups, others) >= MIN_EXPLAINED]

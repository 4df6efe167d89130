"""The prepared history shape both RUL models read, and the helpers over it.

A prepared history (``ml.rul_history.HistoryPreprocessor.transform``) has one row per reading,
sorted by ``__unit`` then ``__time``, with z-scored sensors. Here: the piecewise-linear training
target, validation cuts that look like a test set, and each unit's last reading.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

UNIT, TIME = "__unit", "__time"


def rul_target(prepared: pd.DataFrame, cap: float) -> pd.Series:
    """Piecewise-linear target: flat at ``cap`` while healthy, then linear down to 0 at the last cycle."""
    last = prepared.groupby(UNIT, sort=False)[TIME].transform("max")
    return (last - prepared[TIME]).clip(upper=cap).astype(float).rename("rul")


def validation_cuts(prepared: pd.DataFrame, *, cuts: int, seed: int, max_rul: int) -> tuple[pd.DataFrame, np.ndarray]:
    """Copies of each (run-to-failure) unit cut at random cycles, like a test set; true RUL at the cut.

    Like the C-MAPSS test sets, cuts leave 0..``max_rul`` readings to go (uniformly), so the score
    weighs the part of life where maintenance decisions are made. Cut copies get unit keys
    ``"<unit>#<k>"`` so their windows never mix.
    """
    rng = np.random.default_rng(seed)
    parts, truth = [], []
    for unit, rows in prepared.groupby(UNIT, sort=False):
        life = len(rows)
        for k in range(cuts):
            cut = life - int(rng.integers(0, min(life - 1, max_rul) + 1))
            part = rows.iloc[:cut].copy()
            part[UNIT] = f"{unit}#{k}"
            parts.append(part)
            truth.append(float(rows[TIME].iloc[-1] - rows[TIME].iloc[cut - 1]))
    return pd.concat(parts, ignore_index=True), np.asarray(truth)


def last_rows(prepared: pd.DataFrame) -> np.ndarray:
    """Positions of each unit's last reading (prepared frames are sorted by unit, then time)."""
    units = prepared[UNIT].to_numpy()
    return np.flatnonzero(np.r_[units[1:] != units[:-1], True]) if len(units) else np.zeros(0, int)

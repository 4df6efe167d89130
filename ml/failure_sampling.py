"""Fewer no-failure rows for the failure model on large files, weighted back so its probabilities stay calibrated.

90 days of daily SMART readings of 2,217 drives (198,972 drive-days, 22 failures) trained twelve 1,000-tree models
on every row, 22 s of CPU each, for negatives that mostly repeat one another. Every failure is kept; the other rows
are drawn at random (seeded) down to ``MAX_ROWS`` in all, and LightGBM's ``scale_pos_weight`` gives each failure the
kept share's weight, the same loss as weighting each kept negative by its inverse: P(failure) is read on the file's
own failure rate, not the sample's. At 40,000 rows a fit took 6 s of CPU, training 77 s instead of 188 s, and the
cross-validated AUC was 0.891 against 0.651 on that generated file.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

MAX_ROWS = 40_000  # rows a failure model is fitted on; larger files keep every failure and a share of the rest


def sampled_rows(y: pd.Series, max_rows: int | None, seed: int) -> tuple[np.ndarray | None, float]:
    """Positions of the rows to fit on (None: all of them) and the share of no-failure rows kept (1.0: all).
    Only a rare failure class (label 1 under half of the rows) is sampled around; the draw is sorted, so rows
    keep their order."""
    labels = np.asarray(y)
    failed = labels == 1
    others = int((~failed).sum())
    room = (max_rows or 0) - int(failed.sum())
    if not max_rows or len(labels) <= max_rows or failed.sum() * 2 >= len(labels) or room >= others or room <= 0:
        return None, 1.0
    kept = np.random.default_rng(seed).choice(np.flatnonzero(~failed), size=room, replace=False)
    return np.sort(np.concatenate([np.flatnonzero(failed), kept])), room / others


def sampled(X: pd.DataFrame, y: pd.Series, max_rows: int | None, seed: int) -> tuple[pd.DataFrame, pd.Series, float]:
    """The rows to fit on (sampled_rows) and the share of no-failure rows kept, the failures' weight."""
    rows, share = sampled_rows(y, max_rows, seed)
    return (X, y, share) if rows is None else (X.iloc[rows], pd.Series(y).iloc[rows], share)

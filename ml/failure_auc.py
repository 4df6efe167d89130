"""How well one column alone ranks failures above the rest: ROC AUC counted from the sorted readings.

The leakage guard scores every column of a file alone, and the history features rank every sensor: sklearn's
``roc_auc_score`` checks its inputs and builds the whole ROC curve each time, 0.2 s per column of a 220,000-reading
pump file (52 sensors: 10 of the guard's 16 s of CPU). Counting, for each failure, the other readings below it
(ties half) gives the same value.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ml.numbers import to_numeric


def rank_auc(labels, scores) -> float:
    """The ROC AUC of ``scores`` for ``labels`` (1 = failure), as roc_auc_score gives it; 0.5 without both classes.
    Scores must have no gaps."""
    failed = np.asarray(labels) == 1
    positives = int(failed.sum())
    negatives = len(failed) - positives
    if positives == 0 or negatives == 0:
        return 0.5
    values = np.asarray(scores, float)
    others = np.sort(values[~failed])  # each failure counted against the others below it, ties half: ranking the
    below = np.searchsorted(others, values[failed], side="left")  # whole column took 0.4 s of 1.5 million readings
    tied = np.searchsorted(others, values[failed], side="right") - below
    return float((below.sum() + 0.5 * tied.sum()) / (positives * negatives))


def single_column_auc(column: pd.Series, y: pd.Series) -> float:
    """How well a column alone separates failures, either direction (text by its values' codes)."""
    numeric = to_numeric(column, errors="coerce")
    if numeric.notna().mean() < 0.9 and column.dtype == object:
        numeric = pd.Series(pd.Categorical(column.astype(str)).codes, index=column.index, dtype=float)
    mask = numeric.notna() & y.notna()
    if mask.sum() < 10 or y[mask].min() == y[mask].max() or numeric[mask].min() == numeric[mask].max():
        return 0.5
    auc = rank_auc(y[mask], numeric[mask])
    return float(max(auc, 1 - auc))

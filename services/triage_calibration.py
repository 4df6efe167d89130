"""Calibration of a run's validation scores: the Brier score and ECE, and the points of its calibration curve.
Kept apart from ``services.triage_training`` so each module stays readable; only the triage services import this."""
from __future__ import annotations

from typing import Any

import numpy as np


def calibration_metrics(p: np.ndarray, positive: np.ndarray) -> dict[str, float]:
    bins = np.minimum((p * 10).astype(int), 9)
    ece = sum(abs(p[bins == b].mean() - positive[bins == b].mean()) * (bins == b).mean()
              for b in range(10) if (bins == b).any())
    return {"val_brier": float(np.mean((p - positive) ** 2)), "val_ece": float(ece)}


CALIBRATION_GROUP = 5  # validation images a calibration point averages at least


def calibration_bins(p: np.ndarray, positive: np.ndarray) -> dict[str, Any]:
    """Up to 10 groups of equal size (quantiles), each of at least 5 images; none under 10 images (ten bins of
    eight images had zig-zagged from 1 to 0)."""
    from sklearn.calibration import calibration_curve

    bins = min(10, len(p) // CALIBRATION_GROUP)
    if bins < 2:
        return {"prob_pred": [], "prob_true": [], "bins": 0}
    prob_true, prob_pred = calibration_curve(positive, p, n_bins=bins, strategy="quantile")
    return {"prob_pred": prob_pred.tolist(), "prob_true": prob_true.tolist(), "bins": len(prob_pred)}

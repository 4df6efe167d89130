"""P(failure) as a real chance: a Platt map fitted on a run's out-of-fold scores, stored in its JSON config.

The failure model's raw scores rank readings well but are overconfident: small trees, many of them, on few
failures push the scores to the ends of the scale. On AI4I the out-of-fold scores averaged 0.0314 for a failure
rate of 0.0339; on generated files the readings scored 0.001–0.01 failed 5–20 times as often as that said. The plan
reads p_failure as the chance of a failure in a period, so the scale matters. The map is σ(a·logit(p) + b) with
a > 0: it moves every score the same way, so the ranking (AUC, PR AUC) and the alerts chosen at the F1-best
threshold are the same; only the numbers change. It is affine in log-odds, so SHAP values map with it exactly.
"""
from __future__ import annotations

import dataclasses
from typing import Any

import numpy as np
from scipy.optimize import brentq
from scipy.special import expit

from ml.credit_scores import platt_fit
from ml.task import Explanation

METHOD = "platt"
_LOWEST = 1e-300  # scores are clipped to (0, 1) before their logit; the credit calibrator's 1e-6 would tie them
_HIGHEST = 1 - 2.0 ** -53
# Out-of-fold scores that separate the failures (a leak, or very few failures) fit a slope of 20 or more, which
# writes 1.0 for any raw score above 0.98 and ties readings the model had ranked; the default 1,000 trees fit 0.5–0.9.
MAX_SLOPE = 4.0


def fit_calibration(y: np.ndarray, scores: np.ndarray) -> dict[str, Any] | None:
    """The Platt map of out-of-fold scores onto the failures seen (JSON-ready), or None where it would not keep the
    ranking (a slope that is not positive: scores that do not rank failures) or where it is not defined."""
    y = np.asarray(y, int)
    if len(np.unique(y)) < 2:
        return None
    z = _logit(scores)
    slope, intercept = platt_fit(z, y)
    if not (np.isfinite(slope) and np.isfinite(intercept) and slope > 0):
        return None
    if slope > MAX_SLOPE:  # scores that separate the failures: the intercept that keeps the failure rate
        slope = MAX_SLOPE
        intercept = float(brentq(lambda b: expit(slope * z + b).sum() - y.sum(), -1e4, 1e4))
    return {"method": METHOD, "coef": float(slope), "intercept": intercept}


def calibrated(scores: np.ndarray, calibration: dict[str, Any] | None) -> np.ndarray:
    """Scores on the calibrated scale; unchanged without a calibration (runs stored before it score as before)."""
    scores = np.asarray(scores, float)
    if not calibration:
        return scores
    return expit(float(calibration["coef"]) * _logit(scores) + float(calibration["intercept"]))  # a gap stays one


def calibrated_explanation(explanation: Explanation, calibration: dict[str, Any] | None) -> Explanation:
    """SHAP values in the calibrated log-odds, so the base value plus the contributions is the logit of the scored
    p_failure (the explanation's caption turns that sum into the chance of failure beside the run's threshold)."""
    if not calibration:
        return explanation
    slope, intercept = float(calibration["coef"]), float(calibration["intercept"])
    return dataclasses.replace(explanation, values=np.asarray(explanation.values) * slope,
                               base_value=float(explanation.base_value) * slope + intercept)


def _logit(scores: np.ndarray) -> np.ndarray:
    p = np.clip(np.asarray(scores, float), _LOWEST, _HIGHEST)
    return np.log(p) - np.log1p(-p)

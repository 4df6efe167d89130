"""From member scores to probabilities of default: log-odds blending and calibration.

The credit task, the out-of-fold evaluation and the finance service all do this arithmetic on
plain arrays; it needs neither LightGBM nor a fitted task, so it lives apart from the task class.
The calibrator is stored as JSON inside a saved credit model (see ``Calibrator.to_json``).
"""
from __future__ import annotations

from typing import Any

import numpy as np

from ml.task import NotFittedError

_EPS = 1e-6


class Calibrator:
    """Maps raw model scores to calibrated PDs: 'platt' (logistic on the logit) or 'isotonic'."""

    def __init__(self, method: str = "platt") -> None:
        if method not in ("platt", "isotonic", "none"):
            raise ValueError(f"Unknown calibration {method!r}")
        self.method = method

    def fit(self, scores: np.ndarray, bad: np.ndarray) -> "Calibrator":
        scores, bad = np.asarray(scores, float), np.asarray(bad, int)
        if self.method == "platt":
            from sklearn.linear_model import LogisticRegression

            model = LogisticRegression(C=1e6, max_iter=1000).fit(_logit(scores)[:, None], bad)
            self.coef_, self.intercept_ = float(model.coef_[0, 0]), float(model.intercept_[0])
        elif self.method == "isotonic":
            from sklearn.isotonic import IsotonicRegression

            model = IsotonicRegression(out_of_bounds="clip", y_min=0.0, y_max=1.0).fit(scores, bad)
            self.x_, self.y_ = model.X_thresholds_.tolist(), model.y_thresholds_.tolist()
        self.fitted_ = True
        return self

    def transform(self, scores: np.ndarray) -> np.ndarray:
        if not hasattr(self, "fitted_"):
            raise NotFittedError("Calibrator used before fit.")
        scores = np.asarray(scores, float)
        if self.method == "platt":
            out = 1.0 / (1.0 + np.exp(-(self.coef_ * _logit(scores) + self.intercept_)))
        elif self.method == "isotonic":
            out = np.interp(scores, self.x_, self.y_)
        else:
            out = scores
        return np.clip(out, 0.0, 1.0)

    def to_json(self) -> dict[str, Any]:
        payload: dict[str, Any] = {"method": self.method}
        if self.method == "platt":
            payload.update(coef=self.coef_, intercept=self.intercept_)
        elif self.method == "isotonic":
            payload.update(x=self.x_, y=self.y_)
        return payload

    @classmethod
    def from_json(cls, payload: dict[str, Any]) -> "Calibrator":
        calibrator = cls(payload["method"])
        if calibrator.method == "platt":
            calibrator.coef_, calibrator.intercept_ = float(payload["coef"]), float(payload["intercept"])
        elif calibrator.method == "isotonic":
            calibrator.x_, calibrator.y_ = list(payload["x"]), list(payload["y"])
        calibrator.fitted_ = True
        return calibrator


def _logit(p: np.ndarray) -> np.ndarray:
    p = np.clip(p, _EPS, 1 - _EPS)
    return np.log(p / (1 - p))


def blend_logit(tree: np.ndarray, linear: np.ndarray, weight: float) -> np.ndarray:
    """weight × LightGBM log-odds + (1 − weight) × logistic log-odds: a two-member champion's raw score."""
    return mix_logit({"lightgbm": tree, "logistic": linear}, {"lightgbm": weight, "logistic": 1 - weight})


def mix_logit(scores: dict[str, np.ndarray], weights: dict[str, float]) -> np.ndarray:
    """Σ weight × log-odds over the members with a positive weight (weights sum to 1)."""
    used = [(name, float(w)) for name, w in weights.items() if float(w) > 1e-9]
    return sum(w * _logit(np.asarray(scores[name], float)) for name, w in used)


MEMBERS = ("lightgbm", "forest", "logistic")


def champion_name(weights: dict[str, float]) -> str:
    """The member's name when one member carries all the weight, else 'blend'."""
    used = [name for name in MEMBERS if float(weights.get(name, 0)) > 1e-9]
    return used[0] if len(used) == 1 else "blend"

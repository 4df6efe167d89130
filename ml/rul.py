"""Remaining useful life with LightGBM: window features, the task, intervals, the blend and the scores.

Reads histories already prepared by ``ml.rul_history`` (``__unit``, ``__time``, z-scored sensors);
the cleaning and regime handling live there because the sequence model in ``ml.rul_sequence``
shares them.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, ClassVar

import numpy as np
import pandas as pd

from ml.artifacts import read_metadata, write_metadata
from ml.rul_health import health_direction, with_health_index
from ml.rul_shape import TIME, UNIT
from ml.task import Explanation, NotFittedError, register_task


def nasa_score(actual: np.ndarray, predicted: np.ndarray) -> float:
    """PHM08 asymmetric score: late predictions (d > 0) are punished harder than early ones."""
    d = np.asarray(predicted, float) - np.asarray(actual, float)
    return float(np.sum(np.where(d < 0, np.exp(-d / 13.0) - 1, np.exp(d / 10.0) - 1)))


def rmse(actual: np.ndarray, predicted: np.ndarray) -> float:
    return float(np.sqrt(np.mean((np.asarray(predicted, float) - np.asarray(actual, float)) ** 2)))


def window_features(prepared: pd.DataFrame, window: int) -> pd.DataFrame:
    """Per row: each sensor's value, and its mean, std and slope over the last ``window`` readings of its unit.

    Vectorised with cumulative sums restarted at each unit: one running total over the whole file made a unit's
    window sums differences of totals that held every unit before it, so its statistics (``__std30`` by up to
    3e-7) and its RUL (37.87 alone, 37.81 after 11 other units) depended on the units ahead of it in the file.
    Units shorter than the window use what they have.
    """
    sensors = [c for c in prepared.columns if c not in (UNIT, TIME)]
    x = prepared[sensors].to_numpy(float)
    n = len(x)
    idx = np.arange(n)
    units = prepared[UNIT].to_numpy()
    first = np.r_[True, units[1:] != units[:-1]] if n else np.zeros(0, bool)
    unit_start = np.maximum.accumulate(np.where(first, idx, 0))
    start = np.maximum(unit_start, idx - window + 1)
    count = (idx - start + 1).astype(float)[:, None]
    t = (idx - unit_start).astype(float)[:, None]

    segment = np.cumsum(first)

    def window_sum(values: np.ndarray) -> np.ndarray:
        total = pd.DataFrame(values).groupby(segment, sort=False).cumsum().to_numpy(float)
        before = np.where((start > unit_start)[:, None], total[np.maximum(start - 1, 0)], 0.0)
        return total - before

    mean = window_sum(x) / count
    std = np.sqrt(np.clip(window_sum(x * x) / count - mean**2, 0, None))
    mean_t = window_sum(t) / count
    var_t = window_sum(t * t) / count - mean_t**2
    slope = np.where(var_t > 1e-9, (window_sum(x * t) / count - mean * mean_t) / np.maximum(var_t, 1e-9), 0.0)
    parts = {"cycle": (t[:, 0] + 1)}
    for j, name in enumerate(sensors):
        parts[f"{name}__last"] = x[:, j]
        parts[f"{name}__mean{window}"] = mean[:, j]
        parts[f"{name}__std{window}"] = std[:, j]
        parts[f"{name}__slope{window}"] = slope[:, j]
    return pd.DataFrame(parts, index=prepared.index)


SHORT_WINDOW = 10
LONG_WINDOW = 60
EWM_ALPHAS = (0.1, 0.3)
BASELINE_READINGS = 20


def rul_features(prepared: pd.DataFrame, window: int) -> pd.DataFrame:
    """The LightGBM model's inputs: ``window_features`` over ``window`` readings, mean and slope over the
    last 10 and over the last 60 (a slow drift's trend, read through 60 readings of noise rather than 30),
    exponentially weighted means (alpha 0.1 and 0.3: smoothed level, noise averaged out) and
    the drift of the smoothed level from the unit's own first 20 readings (removes unit-to-unit offsets).
    Names: ``<sensor>__mean10``, ``__slope10``, ``__mean60``, ``__slope60``, ``__ewm0.1``, ``__ewm0.3``, ``__drift``.
    """
    sensors = [c for c in prepared.columns if c not in (UNIT, TIME)]
    parts = [window_features(prepared, window)]
    for other in [w for w, wanted in ((SHORT_WINDOW, SHORT_WINDOW < window), (LONG_WINDOW, LONG_WINDOW > window))
                  if wanted]:
        stats = window_features(prepared, other)
        parts.append(stats[[f"{c}__{k}{other}" for c in sensors for k in ("mean", "slope")]])
    groups = prepared.groupby(UNIT, sort=False)[sensors]
    smooth = {}
    for alpha in EWM_ALPHAS:
        ewm = groups.transform(lambda col, a=alpha: col.ewm(alpha=a).mean())
        smooth[alpha] = ewm
        parts.append(ewm.rename(columns={c: f"{c}__ewm{alpha}" for c in sensors}))
    position = prepared.groupby(UNIT, sort=False).cumcount().to_numpy()
    early = prepared[sensors].where(np.repeat((position < BASELINE_READINGS)[:, None], len(sensors), axis=1))
    baseline = early.groupby(prepared[UNIT].to_numpy(), sort=False).transform(
        lambda col: col.expanding().mean().ffill())
    drift = smooth[EWM_ALPHAS[0]].to_numpy() - baseline.to_numpy()
    parts.append(pd.DataFrame(drift, columns=[f"{c}__drift" for c in sensors], index=prepared.index))
    return pd.concat(parts, axis=1)


PER_BIN = 100  # residuals per predicted-RUL bin (ten units' cuts): fewer give quantiles too noisy to trust


class ResidualIntervals:
    """Prediction intervals from validation residuals, binned by predicted RUL (errors grow with RUL, and near
    failure they are a few cycles). Up to eight bins of at least 100 residuals: three bins of a 100-unit fleet's
    cuts put units 5 and 50 cycles from failure under one offset, too wide for the first and too narrow for the
    second (generated FD001-like fleets, 2,500 test units: within 20 cycles of failure 90 % inside a 16-cycle
    band, 40-60 cycles away 68 %; with eight bins 80 % inside 12 cycles, and 74 %)."""

    def __init__(self, *, low: float = 0.1, high: float = 0.9, bins: int = 8) -> None:
        self.low, self.high, self.bins = low, high, bins

    def fit(self, predicted: np.ndarray, actual: np.ndarray) -> "ResidualIntervals":
        predicted, residual = np.asarray(predicted, float), np.asarray(actual, float) - np.asarray(predicted, float)
        bins = max(1, min(self.bins, len(predicted) // PER_BIN))
        self.edges_ = np.quantile(predicted, np.linspace(0, 1, bins + 1))[1:-1].tolist()
        codes = np.searchsorted(self.edges_, predicted)
        self.offsets_ = [list(self._offsets(residual[codes == b])) for b in range(bins)]
        return self

    def _offsets(self, residual: np.ndarray) -> tuple[float, float]:
        """Split-conformal quantiles: the (n + 1) correction keeps the coverage promised on new units, where
        the plain quantiles of a few dozen residuals fell short (65 % inside a P10-P90 band on 60 units)."""
        n = len(residual)
        if n == 0:
            return 0.0, 0.0
        low = np.floor(self.low * (n + 1)) / n
        high = np.ceil(self.high * (n + 1)) / n
        return (float(np.quantile(residual, low, method="lower")) if low > 0 else float(residual.min()),
                float(np.quantile(residual, high, method="higher")) if high < 1 else float(residual.max()))

    def apply(self, predicted: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        predicted = np.asarray(predicted, float)
        offsets = np.asarray(self.offsets_)[np.searchsorted(self.edges_, predicted)]
        low = np.clip(predicted + np.minimum(offsets[:, 0], 0), 0, None)
        return low, predicted + np.maximum(offsets[:, 1], 0)

    def to_json(self) -> dict[str, Any]:
        return {"low": self.low, "high": self.high, "edges": self.edges_, "offsets": self.offsets_}

    @classmethod
    def from_json(cls, payload: dict[str, Any]) -> "ResidualIntervals":
        intervals = cls(low=payload["low"], high=payload["high"], bins=len(payload["offsets"]))
        intervals.edges_, intervals.offsets_ = list(payload["edges"]), [list(o) for o in payload["offsets"]]
        return intervals


class MeanRul:
    """The mean RUL of several fitted models (the desk's "blend" of LightGBM and the sequence model)."""

    def __init__(self, *models) -> None:
        self.models = models

    def predict(self, X: pd.DataFrame, rows: np.ndarray | None = None) -> pd.DataFrame:
        index = X.index if rows is None else X.index[rows]
        return pd.DataFrame({"rul": np.mean([m.predict(X, rows)["rul"].to_numpy() for m in self.models], axis=0)},
                            index=index)


MAX_FIT_ROWS = 300_000  # readings the trees learn from; longer histories give every k-th one


def fit_rows(prepared: pd.DataFrame) -> np.ndarray:
    """Positions of the readings LightGBM learns from: all up to 300,000, else every k-th reading of each unit
    counted back from its last (which is always kept). Neighbouring readings are nearly copies, and the
    window statistics are taken over every reading first, so the thinned rows lose little; 1.5 million
    readings would otherwise take minutes per fit."""
    n = len(prepared)
    if n <= MAX_FIT_ROWS:
        return np.arange(n)
    step = int(np.ceil(n / MAX_FIT_ROWS))
    from_end = prepared.groupby(UNIT, sort=False).cumcount(ascending=False).to_numpy()
    return np.flatnonzero(from_end % step == 0)


def min_leaf_rows(n_rows: int) -> int:
    """Readings per leaf: 1 % of the rows, 10 to 100. Neighbouring readings of a unit are nearly copies,
    so small leaves fit one unit's noise; on real turbofan data (C-MAPSS FD001, one sensor, 5 folds by
    unit) 15 leaves of >= 100 readings gave RMSE 15.8 where 31 leaves of >= 40 gave 16.2."""
    return int(min(100, max(10, n_rows // 100)))


@register_task
class RulLightGBMTask:
    """LightGBM regression on window statistics of prepared histories (``__unit``, ``__time``, sensors)."""

    name: ClassVar[str] = "lightgbm_rul"

    def __init__(self, *, window: int = 30, cap: float = 125.0, n_estimators: int = 400,
                 learning_rate: float = 0.05, num_leaves: int = 15, seed: int = 0) -> None:
        self.window, self.cap, self.n_estimators = window, cap, n_estimators
        self.learning_rate, self.num_leaves, self.seed = learning_rate, num_leaves, seed

    def get_params(self) -> dict[str, Any]:
        return {"window": self.window, "cap": self.cap, "n_estimators": self.n_estimators,
                "learning_rate": self.learning_rate, "num_leaves": self.num_leaves, "seed": self.seed}

    def fit(self, X: pd.DataFrame, y: pd.Series) -> "RulLightGBMTask":
        import lightgbm as lgb

        keep = fit_rows(X)
        target = np.clip(np.asarray(y, float)[keep], 0, self.cap)
        self.health_ = health_direction(X.iloc[keep], target)
        features = self._features(X).iloc[keep]
        params = {"objective": "regression", "learning_rate": self.learning_rate, "num_leaves": self.num_leaves,
                  "min_child_samples": min_leaf_rows(len(features)), "feature_fraction": 0.8,
                  "bagging_fraction": 0.8, "bagging_freq": 1,
                  "max_bin": 63, "seed": self.seed, "verbose": -1, "deterministic": True,
                  # one thread below 50k rows: the pool's overhead (and a busy machine) costs more than it gives
                  "num_threads": 1 if len(features) < 50_000 else 0}
        self.booster_ = lgb.train(params, lgb.Dataset(features, label=target), num_boost_round=self.n_estimators)
        self.feature_names_ = list(features.columns)
        return self

    def _check(self) -> None:
        if not hasattr(self, "booster_"):
            raise NotFittedError(f"{type(self).__name__} must be fitted (or loaded) before use.")

    def _features(self, X: pd.DataFrame) -> pd.DataFrame:
        """The window statistics of the sensors and of their health index (``ml.rul_health``)."""
        return rul_features(with_health_index(X, self.health_), self.window)

    def predict(self, X: pd.DataFrame, rows: np.ndarray | None = None) -> pd.DataFrame:
        """``rul`` per row of X, or only at ``rows`` (positions; the window statistics still read the rows
        before)."""
        self._check()
        features = self._features(X)[self.feature_names_]
        if rows is not None:
            features = features.iloc[np.asarray(rows, dtype=int)]
        raw = self.booster_.predict(features)
        return pd.DataFrame({"rul": np.clip(raw, 0, self.cap)}, index=features.index)

    def explain(self, X: pd.DataFrame) -> Explanation:
        """SHAP in cycles of RUL for the rows of X (windows are taken from X itself)."""
        import shap

        self._check()
        features = self._features(X)[self.feature_names_]
        result = shap.TreeExplainer(self.booster_)(features)
        base = np.ravel(np.asarray(result.base_values))
        return Explanation(base_value=float(base[0]) if base.size else 0.0, values=np.asarray(result.values),
                           feature_names=tuple(self.feature_names_), data=features.reset_index(drop=True),
                           extra={"output": "RUL (cycles)"})

    def save(self, directory: Path) -> None:
        self._check()
        directory = Path(directory)
        directory.mkdir(parents=True, exist_ok=True)
        self.booster_.save_model(str(directory / "model.txt"))
        write_metadata(directory, task=self.name, parameters=self.get_params(), feature_names=self.feature_names_,
                       extra={"health_direction": self.health_})

    @classmethod
    def load(cls, directory: Path) -> "RulLightGBMTask":
        import lightgbm as lgb

        meta = read_metadata(Path(directory), verify=True)
        if meta.get("task") != cls.name:
            raise ValueError(f"{directory} holds a {meta.get('task')!r} model, not {cls.name!r}.")
        task = cls(**meta["parameters"])
        task.feature_names_ = list(meta["feature_names"])
        task.health_ = dict(meta.get("extra", {}).get("health_direction", {}))  # none in models saved before it
        task.booster_ = lgb.Booster(model_file=str(Path(directory) / "model.txt"))
        return task

"""LightGBM classifier task with native categorical handling and SHAP explanations."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any, ClassVar

import numpy as np
import pandas as pd

from ml.artifacts import read_metadata, write_metadata
from ml.numbers import to_numeric
from ml.task import Explanation, NotFittedError, register_task

MODEL_FILE = "model.txt"
ENCODING_FILE = "encoding.json"


class TabularFrameEncoder:
    """Turns text columns into pandas categoricals with the categories seen in training.

    Unseen categories become missing (LightGBM routes them with the missing branch) instead of failing.
    """

    def __init__(self) -> None:
        self.columns_: list[str] | None = None
        self.categories_: dict[str, list[str]] = {}

    def fit(self, X: pd.DataFrame) -> "TabularFrameEncoder":
        self.columns_ = [str(c) for c in X.columns]
        self.categories_ = {}
        for column in X.columns:
            series = X[column]
            if not (pd.api.types.is_numeric_dtype(series) or pd.api.types.is_bool_dtype(series)):
                values = series.dropna().astype(str)
                self.categories_[str(column)] = sorted(values.unique().tolist())
        return self

    def transform(self, X: pd.DataFrame) -> pd.DataFrame:
        if self.columns_ is None:
            raise NotFittedError("Encoder used before fit.")
        missing = [c for c in self.columns_ if c not in X.columns]
        if missing:
            raise KeyError(f"Missing columns: {', '.join(missing)}")
        out: dict[str, Any] = {}  # built whole: inserting hundreds of columns one by one fragments the frame
        for column in self.columns_:
            series = X[column]
            if column in self.categories_:
                text = series.astype("string").astype(object).where(series.notna(), None)
                out[column] = pd.Categorical(text, categories=self.categories_[column])
            elif pd.api.types.is_bool_dtype(series):
                out[column] = series.astype(float).to_numpy()
            else:
                out[column] = to_numeric(series, errors="coerce").replace([np.inf, -np.inf], np.nan).to_numpy(float)
        return pd.DataFrame(out, index=X.index, columns=self.columns_)

    def to_json(self) -> dict[str, Any]:
        return {"columns": self.columns_, "categories": self.categories_}

    @classmethod
    def from_json(cls, payload: dict[str, Any]) -> "TabularFrameEncoder":
        encoder = cls()
        encoder.columns_ = list(payload["columns"])
        encoder.categories_ = {k: list(v) for k, v in payload["categories"].items()}
        return encoder


@register_task
class LightGBMClassifierTask:
    """Binary or multiclass classifier. predict() returns one probability column per class (p_<class>)."""

    name: ClassVar[str] = "lightgbm_classifier"

    def __init__(self, *, n_estimators: int = 200, learning_rate: float = 0.05, num_leaves: int = 31,
                 min_child_samples: int = 20, class_weight: str | None = "balanced", seed: int = 0,
                 monotone_constraints: dict[str, int] | None = None, device: str = "cpu") -> None:
        self.n_estimators = n_estimators
        self.learning_rate = learning_rate
        self.num_leaves = num_leaves
        self.min_child_samples = min_child_samples
        self.class_weight = class_weight
        self.seed = seed
        self.monotone_constraints = monotone_constraints
        self.device = device

    def get_params(self) -> dict[str, Any]:
        return {
            "n_estimators": self.n_estimators, "learning_rate": self.learning_rate, "num_leaves": self.num_leaves,
            "min_child_samples": self.min_child_samples, "class_weight": self.class_weight, "seed": self.seed,
            "monotone_constraints": self.monotone_constraints,
        }

    def _lgb_params(self, n_classes: int) -> dict[str, Any]:
        from ml.device import lightgbm_device_params

        params: dict[str, Any] = {
            "learning_rate": self.learning_rate, "num_leaves": self.num_leaves,
            "min_child_samples": self.min_child_samples, "seed": self.seed, "verbose": -1,
            "deterministic": True, "num_threads": self._threads, **lightgbm_device_params(self.device),
        }
        if n_classes == 2:
            params["objective"] = "binary"
        else:
            params.update(objective="multiclass", num_class=n_classes)
        return params

    _threads = 0

    def fit(self, X: pd.DataFrame, y: pd.Series) -> "LightGBMClassifierTask":
        import lightgbm as lgb

        if len(X) != len(y):
            raise ValueError("X and y have different lengths.")
        labels = pd.Series(y).reset_index(drop=True)
        classes = sorted(labels.dropna().unique().tolist(), key=str)
        if len(classes) < 2:
            raise ValueError("The target has a single class; a classifier needs at least two.")
        self.encoder_ = TabularFrameEncoder().fit(X)
        encoded = self.encoder_.transform(X).reset_index(drop=True)
        index = {c: i for i, c in enumerate(classes)}
        codes = labels.map(index).to_numpy()
        weights = None
        if self.class_weight == "balanced":
            counts = np.bincount(codes, minlength=len(classes))
            weights = (len(codes) / (len(classes) * counts))[codes]
        # Small data: one thread is faster than the thread pool's overhead (and fairer on a busy machine).
        self._threads = 1 if len(encoded) < 20_000 else 0
        params = self._lgb_params(len(classes))
        if self.monotone_constraints:
            params["monotone_constraints"] = [int(self.monotone_constraints.get(c, 0)) for c in self.encoder_.columns_]
        dataset = lgb.Dataset(_positional(encoded), label=codes, weight=weights, free_raw_data=False)
        self.booster_ = lgb.train(params, dataset, num_boost_round=self.n_estimators)
        self.classes_ = classes
        self.feature_names_ = list(self.encoder_.columns_)
        return self

    def _check_fitted(self) -> None:
        if not hasattr(self, "booster_"):
            raise NotFittedError(f"{type(self).__name__} must be fitted (or loaded) before use.")

    def predict(self, X: pd.DataFrame) -> pd.DataFrame:
        self._check_fitted()
        raw = self.booster_.predict(_positional(self.encoder_.transform(X)))
        if len(self.classes_) == 2:
            probs = np.column_stack([1 - raw, raw])
        else:
            probs = np.asarray(raw)
        return pd.DataFrame(probs, columns=[f"p_{c}" for c in self.classes_], index=X.index)

    def explain(self, X: pd.DataFrame) -> Explanation:
        """SHAP values in log-odds for the last class (the positive class for binary problems)."""
        import shap

        self._check_fitted()
        encoded = _positional(self.encoder_.transform(X))
        result = shap.TreeExplainer(self.booster_)(encoded)
        values = np.asarray(result.values)
        base = np.asarray(result.base_values)
        if values.ndim == 3:  # multiclass: (rows, features, classes)
            values, base = values[:, :, -1], base[:, -1]
        return Explanation(
            base_value=float(np.ravel(base)[0]) if base.size else 0.0,
            values=values,
            feature_names=tuple(self.feature_names_),
            data=X.reset_index(drop=True),
            extra={"output": "log-odds", "class": str(self.classes_[-1])},
        )

    def save(self, directory: Path) -> None:
        self._check_fitted()
        directory = Path(directory)
        directory.mkdir(parents=True, exist_ok=True)
        self.booster_.save_model(str(directory / MODEL_FILE))
        payload = {"encoder": self.encoder_.to_json(), "classes": [str(c) for c in self.classes_],
                   "class_types": [type(c).__name__ for c in self.classes_]}
        (directory / ENCODING_FILE).write_text(json.dumps(payload), encoding="utf-8")
        write_metadata(directory, task=self.name, parameters=self.get_params(), feature_names=self.feature_names_)

    @classmethod
    def load(cls, directory: Path) -> "LightGBMClassifierTask":
        import lightgbm as lgb

        directory = Path(directory)
        meta = read_metadata(directory, verify=True)
        if meta.get("task") != cls.name:
            raise ValueError(f"{directory} holds a {meta.get('task')!r} model, not {cls.name!r}.")
        params = dict(meta["parameters"])
        task = cls(**params)
        payload = json.loads((directory / ENCODING_FILE).read_text(encoding="utf-8"))
        task.encoder_ = TabularFrameEncoder.from_json(payload["encoder"])
        task.classes_ = [_restore(value, kind) for value, kind in zip(payload["classes"], payload["class_types"])]
        task.feature_names_ = list(meta["feature_names"])
        task.booster_ = lgb.Booster(model_file=str(directory / MODEL_FILE))
        return task


def _positional(frame: pd.DataFrame) -> pd.DataFrame:
    """LightGBM rejects feature names with JSON characters (e.g. 'Air temperature [K]'): use f0..fn inside."""
    return frame.set_axis([f"f{i}" for i in range(frame.shape[1])], axis=1)


def _restore(value: str, kind: str) -> Any:
    if kind in ("int", "int64", "int32"):
        return int(value)
    if kind in ("float", "float64"):
        return float(value)
    if kind in ("bool", "bool_"):
        return value == "True"
    return value

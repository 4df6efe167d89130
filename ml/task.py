"""One Task shape for every desk's model (scikit-learn estimator contract) and a registry."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar, Protocol, TypeVar, runtime_checkable

import numpy as np
import pandas as pd


class NotFittedError(RuntimeError):
    """predict/explain/save called before fit."""


@dataclass(frozen=True)
class Explanation:
    """Per-row contributions (SHAP values or image attributions) computed once and drawn elsewhere."""

    base_value: float
    values: np.ndarray                      # shape (rows, features) for tabular tasks
    feature_names: tuple[str, ...]
    data: pd.DataFrame | None = None        # the feature values explained, original columns
    kind: str = "shap"
    extra: dict[str, Any] = field(default_factory=dict)

    def global_importance(self) -> pd.Series:
        """Mean absolute contribution per feature, largest first."""
        importance = np.abs(self.values).mean(axis=0)
        return pd.Series(importance, index=list(self.feature_names)).sort_values(ascending=False)

    def top_reasons(self, row: int, k: int = 3) -> list[tuple[str, float]]:
        contributions = self.values[row]
        order = np.argsort(-contributions)[:k]
        return [(self.feature_names[i], float(contributions[i])) for i in order]


@runtime_checkable
class Task(Protocol):
    name: ClassVar[str]

    def fit(self, X: pd.DataFrame, y: pd.Series) -> "Task": ...
    def predict(self, X: pd.DataFrame) -> pd.DataFrame: ...
    def explain(self, X: pd.DataFrame) -> Explanation: ...
    def save(self, directory: Path) -> None: ...
    @classmethod
    def load(cls, directory: Path) -> "Task": ...


T = TypeVar("T")
TASKS: dict[str, type] = {}


def register_task(cls: type[T]) -> type[T]:
    name = getattr(cls, "name", None)
    if not name:
        raise ValueError(f"{cls.__name__} needs a class attribute 'name'")
    TASKS[name] = cls
    return cls


def get_task(name: str) -> type:
    try:
        return TASKS[name]
    except KeyError:
        raise KeyError(f"No task registered as {name!r}; known: {sorted(TASKS)}") from None

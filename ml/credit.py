"""Credit default model: LightGBM with native categoricals, early stopping and a stored calibrator.

The booster ranks applicants; the calibrator (Platt or isotonic, chosen on out-of-fold data by
the service) turns its scores into probabilities of default that cost cut-offs and expected loss
can rely on. Both are saved as text (LightGBM model file + JSON), never pickled. The calibrator
and the log-odds blend arithmetic live in ml/credit_scores.py.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any, ClassVar

import numpy as np
from scipy.special import expit
import pandas as pd

from ml.artifacts import plain, read_metadata, write_metadata
from ml.credit_features import rarely_missing_medians
from ml.credit_forest import ForestScorer, balanced_weights, safe_name
from ml.credit_linear import LogisticScorer
from ml.credit_scores import Calibrator, champion_name
from ml.tabular import TabularFrameEncoder
from ml.task import Explanation, NotFittedError, register_task

MODEL_FILE = "model.txt"
STATE_FILE = "credit.json"
# cat_smooth grows with the fit's rows, one per CAT_SMOOTH_ROWS up to CAT_SMOOTH_CAP: a 50-state addr_state of pure
# noise on a 5,000-row book took 0.156 of the boosted model's SHAP (many-vs-many splits on chance), now 0.054, with its
# out-of-fold AUC 0.628 → 0.640 (seeds 0-2). A German-credit fold (800 rows) keeps its 10.
CAT_SMOOTH_ROWS, CAT_SMOOTH_CAP = 100, 50.0


@register_task
class CreditModelTask:
    """Binary default model. predict() gives ``score`` (raw) and ``pd`` (calibrated when a calibrator is set)."""

    name: ClassVar[str] = "credit_lightgbm"

    def __init__(self, *, n_estimators: int = 2000, learning_rate: float = 0.03, num_leaves: int = 8,
                 min_child_samples: int = 20, feature_fraction: float = 0.7, bagging_fraction: float = 0.8,
                 lambda_l2: float = 5.0, cat_smooth: float = 10.0, max_cat_to_onehot: int = 4, class_weight: str | None = "balanced",
                 monotone_constraints: dict[str, int] | None = None, early_stopping_rounds: int = 100,
                 validation_fraction: float = 0.2, positive: Any = None, seed: int = 0,
                 device: str = "cpu", threads: int | None = None) -> None:
        self.n_estimators = n_estimators
        self.learning_rate = learning_rate
        self.num_leaves = num_leaves
        self.min_child_samples = min_child_samples
        self.feature_fraction = feature_fraction
        self.bagging_fraction = bagging_fraction
        self.lambda_l2 = lambda_l2
        self.cat_smooth = cat_smooth
        self.max_cat_to_onehot = max_cat_to_onehot
        self.class_weight = class_weight
        self.monotone_constraints = monotone_constraints
        self.early_stopping_rounds = early_stopping_rounds
        self.validation_fraction = validation_fraction
        self.positive = positive
        self.seed = seed
        self.device = device
        self.threads = threads  # None: by the rows (one thread for small tables); cross-validation folds: 1

    def get_params(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in (
            "n_estimators", "learning_rate", "num_leaves", "min_child_samples", "feature_fraction",
            "bagging_fraction", "lambda_l2", "cat_smooth", "max_cat_to_onehot", "class_weight", "monotone_constraints",
            "early_stopping_rounds", "validation_fraction", "positive", "seed", "device", "threads")}

    def _threads(self, rows: int) -> int:
        """One thread for small tables: thread start-up costs more than it saves, more so on busy machines."""
        return int(self.threads) if self.threads is not None else 1 if rows < 20_000 else 0

    def _lgb_params(self, columns: list[str], rows: int) -> dict[str, Any]:
        from ml.device import lightgbm_device_params

        params = {
            "objective": "binary", "metric": "binary_logloss", "learning_rate": self.learning_rate,
            "num_leaves": self.num_leaves, "min_child_samples": self.min_child_samples,
            "feature_fraction": self.feature_fraction, "bagging_fraction": self.bagging_fraction,
            "bagging_freq": 1 if self.bagging_fraction < 1 else 0, "lambda_l2": self.lambda_l2,
            "cat_smooth": max(float(self.cat_smooth), min(CAT_SMOOTH_CAP, rows / CAT_SMOOTH_ROWS)),
            "max_cat_to_onehot": self.max_cat_to_onehot, "min_data_per_group": max(5, self.min_child_samples // 2),
            "seed": self.seed, "verbose": -1, "deterministic": True, "num_threads": self._threads(rows),
            **lightgbm_device_params(self.device),
        }
        if self.monotone_constraints:
            params["monotone_constraints"] = [int(self.monotone_constraints.get(c, 0)) for c in columns]
            params["monotone_constraints_method"] = "advanced"
        return params

    def _target(self, y: pd.Series) -> np.ndarray:
        labels = pd.Series(y).reset_index(drop=True)
        classes = sorted(labels.dropna().unique().tolist(), key=str)
        if len(classes) != 2:
            raise ValueError(f"A credit model needs exactly two outcome values; got {len(classes)}.")
        positive = self.positive if self.positive is not None else classes[-1]
        if positive not in classes:
            raise ValueError(f"Positive label {positive!r} is not one of {classes}.")
        self.classes_, self.positive_ = classes, positive
        return (labels == positive).to_numpy().astype(int)

    def fit(self, X: pd.DataFrame, y: pd.Series) -> "CreditModelTask":
        import lightgbm as lgb

        if len(X) != len(y):
            raise ValueError("X and y have different lengths.")
        bad = self._target(y)
        self.encoder_ = TabularFrameEncoder().fit(X)
        encoded = self._encode(X).reset_index(drop=True)
        params = self._lgb_params(self.encoder_.columns_, len(encoded))
        train_idx, valid_idx = self._inner_split(bad)
        weights = balanced_weights(bad) if self.class_weight == "balanced" else np.ones(len(bad))
        train = lgb.Dataset(encoded.iloc[train_idx], bad[train_idx], weight=weights[train_idx], free_raw_data=False)
        if valid_idx is None:
            self.booster_ = lgb.train(params, train, num_boost_round=self.n_estimators)
            self.best_iteration_ = self.n_estimators
        else:
            valid = lgb.Dataset(encoded.iloc[valid_idx], bad[valid_idx], weight=weights[valid_idx], reference=train)
            self.booster_ = lgb.train(params, train, num_boost_round=self.n_estimators, valid_sets=[valid],
                                      callbacks=[lgb.early_stopping(self.early_stopping_rounds, verbose=False)])
            self.best_iteration_ = int(self.booster_.best_iteration or self.booster_.current_iteration())
            # Keep only the trees that are used, so SHAP explains exactly the model that scores.
            self.booster_ = lgb.Booster(model_str=self.booster_.model_to_string(num_iteration=self.best_iteration_))
        self.feature_names_ = list(self.encoder_.columns_)
        self.fills_ = rarely_missing_medians(X, self.encoder_.categories_)
        self.calibrator_ = None
        self.linear_, self.forest_ = None, None
        self.blend_weights_ = {"lightgbm": 1.0, "forest": 0.0, "logistic": 0.0}
        return self

    def _encode(self, X: pd.DataFrame) -> pd.DataFrame:
        """Encoded frame under safe column names: LightGBM rejects names with JSON characters ("Temp [K]")."""
        encoded = self.encoder_.transform(X)
        encoded.columns = [safe_name(i, c) for i, c in enumerate(encoded.columns)]
        return encoded

    def _inner_split(self, bad: np.ndarray) -> tuple[np.ndarray, np.ndarray | None]:
        """Early stopping watches a stratified slice of the training rows, never the rows being scored."""
        everything = np.arange(len(bad))
        minority = min(int(bad.sum()), int(len(bad) - bad.sum()))
        if not self.early_stopping_rounds or self.validation_fraction <= 0 or minority * self.validation_fraction < 2:
            return everything, None
        from sklearn.model_selection import StratifiedShuffleSplit

        split = StratifiedShuffleSplit(n_splits=1, test_size=self.validation_fraction, random_state=self.seed)
        train_idx, valid_idx = next(split.split(everything, bad))
        return np.sort(train_idx), np.sort(valid_idx)

    def set_calibrator(self, calibrator: Calibrator | None) -> "CreditModelTask":
        self._check_fitted()
        self.calibrator_ = calibrator
        return self

    def set_blend(self, linear: LogisticScorer | None, weight: float, *, forest: ForestScorer | None = None,
                  forest_weight: float = 0.0) -> "CreditModelTask":
        """Score as weight × LightGBM + forest_weight × forest + the rest × logistic, in log-odds.

        weight 1 is LightGBM alone; the logistic share is 1 − weight − forest_weight.
        """
        self._check_fitted()
        weight, forest_weight = float(weight), float(forest_weight)
        linear_weight = round(1.0 - weight - forest_weight, 9)
        if min(weight, forest_weight, linear_weight) < 0 or (linear is None and linear_weight > 0) \
                or (forest is None and forest_weight > 0):
            raise ValueError("A blend needs weights between 0 and 1 that sum to 1, and a fitted model for "
                             "every member with a share.")
        for member in (linear, forest):
            columns = list(member.kinds) if isinstance(member, LogisticScorer) else \
                list(member.encoder_.columns_) if member is not None else None
            if columns is not None and columns != list(self.encoder_.columns_):
                raise ValueError("A blend member was fitted on other columns than the LightGBM model.")
        self.linear_ = linear if linear_weight > 0 else None
        self.forest_ = forest if forest_weight > 0 else None
        self.blend_weights_ = {"lightgbm": weight, "forest": forest_weight, "logistic": linear_weight}
        return self

    @property
    def blend_weight_(self) -> float:
        """LightGBM's share of the champion (1: LightGBM alone)."""
        return self.blend_weights_["lightgbm"]

    @property
    def champion_(self) -> str:
        self._check_fitted()
        return champion_name(self.blend_weights_)

    def _check_fitted(self) -> None:
        if not hasattr(self, "booster_"):
            raise NotFittedError(f"{type(self).__name__} must be fitted (or loaded) before use.")

    def _filled(self, X: pd.DataFrame) -> pd.DataFrame:
        """A number (almost) never missing in training, missing now, is scored at its training median: the
        trees would read it as 0 (an interest rate of 0 %), which turned declines into approvals, or send it
        where a handful of missing training rows went (15 repaid loans made 'missing' look safest)."""
        fills = {c: v for c, v in getattr(self, "fills_", {}).items() if c in X.columns}
        return X.fillna(fills) if fills and X[list(fills)].isna().any().any() else X

    def score(self, X: pd.DataFrame) -> np.ndarray:
        """Raw probability (before calibration) for the positive class: one member or their blend."""
        self._check_fitted()
        X = self._filled(X)
        weights = self.blend_weights_
        if weights["lightgbm"] >= 1:
            return np.asarray(self.booster_.predict(self._encode(X)))
        logit = np.zeros(len(X))
        if weights["lightgbm"] > 0:
            logit += weights["lightgbm"] * np.asarray(self.booster_.predict(self._encode(X), raw_score=True))
        if weights["forest"] > 0:
            logit += weights["forest"] * self.forest_.logit(X)
        if weights["logistic"] > 0:
            logit += weights["logistic"] * self.linear_.logit(X)
        return expit(logit)

    def predict(self, X: pd.DataFrame) -> pd.DataFrame:
        raw = self.score(X)
        calibrated = self.calibrator_.transform(raw) if self.calibrator_ is not None else raw
        return pd.DataFrame({"score": raw, "pd": calibrated}, index=X.index)

    def explain(self, X: pd.DataFrame) -> Explanation:
        """Contributions in log-odds of default per original column, adding up to the raw score's logit.

        LightGBM and the forest: TreeSHAP values (native categoricals, so no one-hot names). Logistic:
        its exact linear contributions. A blend: each member's, weighted by its share, as the blend's
        log-odds are.
        """
        self._check_fitted()
        X = self._filled(X)
        weights = self.blend_weights_
        base, values = 0.0, np.zeros((len(X), len(self.feature_names_)))
        if weights["lightgbm"] > 0:
            tree_base, tree_values = self._tree_shap(X)
            base, values = base + weights["lightgbm"] * tree_base, values + weights["lightgbm"] * tree_values
        if weights["forest"] > 0:
            base += weights["forest"] * self.forest_.base_value_
            values = values + weights["forest"] * self.forest_.contributions(X)
        if weights["logistic"] > 0:
            base += weights["logistic"] * self.linear_.base_value_
            values = values + weights["logistic"] * self.linear_.contributions(X)
        return Explanation(base_value=float(base), values=values, feature_names=tuple(self.feature_names_),
                           data=X.reset_index(drop=True),
                           extra={"output": "log-odds of default", "class": str(self.positive_),
                                  "model": self.champion_, "blend_weight": self.blend_weight_,
                                  "blend_weights": dict(weights)})

    def _tree_shap(self, X: pd.DataFrame) -> tuple[float, np.ndarray]:
        """LightGBM's own exact TreeSHAP (``pred_contrib``): the values shap's TreeExplainer returns for a LightGBM
        model, which calls the same, without importing shap (2-3 s per command) or parsing every tree in Python;
        the base value is the contributions' last column, as shap takes it for models with categorical splits."""
        phi = np.asarray(self.booster_.predict(self._encode(X), num_iteration=-1, pred_contrib=True), float)
        if phi.shape[1] != len(self.feature_names_) + 1:  # a multi-output layout: the default class's block
            phi = phi.reshape(len(X), -1, len(self.feature_names_) + 1)[:, -1, :]
        return float(phi[0, -1]), phi[:, :-1]

    @property
    def categories_(self) -> dict[str, list[str]]:
        self._check_fitted()
        return dict(self.encoder_.categories_)

    def save(self, directory: Path) -> None:
        self._check_fitted()
        directory = Path(directory)
        directory.mkdir(parents=True, exist_ok=True)
        self.booster_.save_model(str(directory / MODEL_FILE))
        state = {"encoder": self.encoder_.to_json(), "classes": [plain(c) for c in self.classes_],
                 "positive": plain(self.positive_), "best_iteration": self.best_iteration_,
                 "calibrator": self.calibrator_.to_json() if self.calibrator_ is not None else None,
                 "blend_weight": self.blend_weight_, "blend_weights": self.blend_weights_,
                 "linear": self.linear_.to_json() if self.linear_ is not None else None,
                 "forest": self.forest_.to_json() if self.forest_ is not None else None, "fills": self.fills_}
        if self.forest_ is not None:
            self.forest_.save_models(directory)
        (directory / STATE_FILE).write_text(json.dumps(state), encoding="utf-8")
        write_metadata(directory, task=self.name, parameters={k: plain(v) for k, v in self.get_params().items()},
                       feature_names=self.feature_names_)

    @classmethod
    def load(cls, directory: Path) -> "CreditModelTask":
        import lightgbm as lgb

        directory = Path(directory)
        meta = read_metadata(directory, verify=True)
        if meta.get("task") != cls.name:
            raise ValueError(f"{directory} holds a {meta.get('task')!r} model, not {cls.name!r}.")
        task = cls(**meta["parameters"])
        state = json.loads((directory / STATE_FILE).read_text(encoding="utf-8"))
        task.encoder_ = TabularFrameEncoder.from_json(state["encoder"])
        task.classes_, task.positive_ = state["classes"], state["positive"]
        task.best_iteration_ = int(state["best_iteration"])
        task.feature_names_ = list(meta["feature_names"])
        task.booster_ = lgb.Booster(model_file=str(directory / MODEL_FILE))
        task.calibrator_ = Calibrator.from_json(state["calibrator"]) if state["calibrator"] else None
        weight = float(state.get("blend_weight", 1.0))  # runs stored before the forest member had two
        task.blend_weights_ = {k: float(v) for k, v in state.get(
            "blend_weights", {"lightgbm": weight, "forest": 0.0, "logistic": 1.0 - weight}).items()}
        task.fills_ = {str(k): float(v) for k, v in state.get("fills", {}).items()}  # none in older runs
        task.linear_ = LogisticScorer.from_json(state["linear"]) if state.get("linear") else None
        task.forest_ = (ForestScorer.from_json(state["forest"], directory)
                        if state.get("forest") else None)
        return task

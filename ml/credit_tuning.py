"""Optional, time-boxed hyper-parameter search (Optuna) on the same folds as the final model."""
from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

SEARCH_SPACE = {"learning_rate": (0.01, 0.1), "num_leaves": (4, 31), "min_child_samples": (5, 60),
                "feature_fraction": (0.4, 1.0), "lambda_l2": (0.0, 20.0)}


def tune(X: pd.DataFrame, y: pd.Series, splits: list[tuple[np.ndarray, np.ndarray]], base: dict[str, Any], *,
         seconds: float, seed: int, on_trial: Callable[[int, float], None] | None = None
         ) -> tuple[dict[str, Any], dict[str, float]]:
    """Parameters with the best mean fold AUC found within ``seconds`` (the base ones are tried first)."""
    import optuna
    from sklearn.metrics import roc_auc_score

    from ml.credit import CreditModelTask

    optuna.logging.set_verbosity(optuna.logging.WARNING)
    positive = base.get("positive")
    bad = (y == positive).to_numpy().astype(int)

    def objective(trial: "optuna.Trial") -> float:
        params = {**base,
                  "learning_rate": trial.suggest_float("learning_rate", *SEARCH_SPACE["learning_rate"], log=True),
                  "num_leaves": trial.suggest_int("num_leaves", *SEARCH_SPACE["num_leaves"]),
                  "min_child_samples": trial.suggest_int("min_child_samples", *SEARCH_SPACE["min_child_samples"]),
                  "feature_fraction": trial.suggest_float("feature_fraction", *SEARCH_SPACE["feature_fraction"]),
                  "lambda_l2": trial.suggest_float("lambda_l2", *SEARCH_SPACE["lambda_l2"])}
        aucs = []
        for train_idx, test_idx in splits:
            model = CreditModelTask(**params).fit(X.iloc[train_idx], y.iloc[train_idx])
            aucs.append(roc_auc_score(bad[test_idx], model.score(X.iloc[test_idx])))
        value = float(np.mean(aucs))
        if on_trial is not None:
            on_trial(trial.number, value)
        return value

    study = optuna.create_study(direction="maximize", sampler=optuna.samplers.TPESampler(seed=seed))
    study.enqueue_trial({k: base[k] for k in SEARCH_SPACE if k in base})
    deadline = time.monotonic() + max(1.0, float(seconds))
    study.optimize(objective, timeout=max(1.0, float(seconds)), n_trials=500,
                   callbacks=[lambda s, t: s.stop() if time.monotonic() > deadline else None])
    return {**base, **study.best_params}, {"tuning_trials": len(study.trials), "tuning_auc": float(study.best_value)}

"""Failure risk with machine history: the second model on the readings alone, and the choice between the two.

A run with history features also trains a model on the readings alone, cross-validated on the same folds: it scores
machines a file gives no history of (a daily job sending each machine's latest reading), and it replaces the history
model when it ranks failures better on those folds. History features do not always help: on a Backblaze-shaped file
(daily SMART readings of 2,217 drives, 22 failures) the history model's cross-validated AUC was 0.891 and the
readings alone's 0.983, and every drive sent with its history was scored by the weaker model.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ml import failure, failure_calibration, failure_folds, failure_scores, unit_history
from ml.failure_inputs import shared_columns

if TYPE_CHECKING:
    from services.maintenance import FailureSetup


@dataclass(frozen=True)
class Fitted:
    """The model a run keeps, with the setup, columns and out-of-fold scores it was judged on."""

    setup: FailureSetup
    X: pd.DataFrame
    scores: np.ndarray
    model: Any = None  # fitted on every row already (the readings-alone model); None: fit it
    notes: tuple[str, ...] = ()


def snapshot_fallback(X: pd.DataFrame, y: pd.Series, setup: FailureSetup, make, *, folds: int, seed: int,
                      groups: pd.Series | None, progress) -> tuple[Any, dict[str, Any], np.ndarray]:
    """A model on the readings alone, for machines a scored file gives no history of: a daily job sending each
    machine's latest reading had every history feature read as 'no drift', and 0 of 536 failure hours alerted.
    Cross-validated on the same folds, with its own calibration and threshold; its raw out-of-fold scores come third
    (the run calibrates them itself when this model becomes its own)."""
    raw = readings_alone(setup)
    columns_ = _model_columns(setup, raw)
    alone = shared_columns(X, columns_)
    scores = failure_scores.out_of_fold(alone, y, make, folds=folds, seed=seed, progress=progress, groups=groups)
    calibration = failure_calibration.fit_calibration(y.to_numpy(), scores)  # its own: its threshold on its scale
    chances = failure_calibration.calibrated(scores, calibration)
    threshold, _ = failure_scores.best_f1_threshold(y.to_numpy(), chances)
    metrics = failure_scores.classification_metrics(y.to_numpy(), chances, threshold)
    return make().fit(alone, y), {"features": raw, "threshold": threshold, "cv_auc": metrics["cv_auc"],
                                  "cv_f1": metrics["cv_f1"], "calibration": calibration}, scores


def readings_alone(setup: FailureSetup) -> list[str]:
    return [f for f in setup.features if f not in (setup.history.names() if setup.history else [])]


def _model_columns(setup: FailureSetup, features: list[str]) -> list[str]:
    safe = failure.lightgbm_safe_names(list(setup.features))
    return [safe[f] for f in features]


def chosen(X: pd.DataFrame, y: pd.Series, setup: FailureSetup, scores: np.ndarray,
           snapshot: tuple[Any, dict[str, Any], np.ndarray] | None, *, folds: int, seed: int,
           groups: pd.Series | None) -> Fitted:
    """The history model, unless the readings alone rank failures better on the same folds: a higher ROC AUC with
    any one fold left out too, and a PR AUC no lower (failure_folds.steady_winner). Then the readings-alone model is
    the run's model, scored as a snapshot model (no history needed in a file to score)."""
    kept = Fitted(setup, X, scores)
    if snapshot is None or setup.history is None:
        return kept
    splits = failure_folds.fold_splits(X, y, folds=folds, seed=seed, groups=groups)
    numbers = failure_folds.fold_numbers(splits, len(y))
    if not failure_folds.steady_winner(y.to_numpy(), numbers, snapshot[2], scores):
        return kept
    raw = readings_alone(setup)
    history_auc, history_pr = failure_folds.ranking(y.to_numpy(), scores)
    alone_auc, alone_pr = failure_folds.ranking(y.to_numpy(), snapshot[2])
    note = (f"History features per {setup.history.unit!r} were built and left out: the readings alone ranked failures "
            f"better on the same folds (cross-validated AUC {alone_auc:.3f} against {history_auc:.3f} with them, PR "
            f"AUC {alone_pr:.3f} against {history_pr:.3f}; the AUC with any one fold left out too), so the model reads "
            "each reading on its own, and a file to score needs no earlier readings of each machine.")
    return Fitted(replace(setup, features=tuple(raw), history=None), shared_columns(X, _model_columns(setup, raw)),
                  snapshot[2], snapshot[0], (note,))


def snapshot_notes(snapshot: tuple[Any, dict[str, Any]] | None,
                   history: unit_history.History | None = None) -> list[str]:
    """How machines without history in a scored file are scored, and how well that model does. On a reading
    axis (a cycle column) the short window counts readings: a machine has fewer readings, not a shorter span."""
    if snapshot is None:
        return []
    info = snapshot[1]
    short = (f"with fewer readings in a scored file than the {history.labels()[0]} short window"
             if history is not None and history.axis == unit_history.AXIS else
             "whose readings in a scored file span less than the short window")
    return [f"A machine {short} (each machine's latest "
            f"reading alone, say) is scored by a second model on the readings alone: cross-validated AUC "
            f"{info['cv_auc']:.3f}, F1 {info['cv_f1']:.3f} at its own threshold {info['threshold']:.3g}. Send each "
            "machine's earlier readings too for the figures above."]

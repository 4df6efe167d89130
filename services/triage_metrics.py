"""Figures of a triage model at its operating point: p(abnormal) from class probabilities, the confusion matrix
and the held-out test metrics. Kept apart from services/triage_training.py, which chooses the operating point."""
from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd


def p_abnormal(probs: np.ndarray, classes: list[str], abnormal: str | None, normal: str) -> np.ndarray:
    """p(abnormal) for two classes; 1 − p(normal) for more."""
    if abnormal is not None:
        return probs[:, classes.index(abnormal)]
    return 1.0 - probs[:, classes.index(normal)]


def confusion(labels: pd.Series, predicted: np.ndarray, flagged: np.ndarray, positive: np.ndarray,
              classes: list[str], abnormal: str | None, normal: str) -> dict[str, Any]:
    """Binary: at the operating point; more classes: by the most probable class."""
    if abnormal is not None:
        names = [normal, abnormal]
        matrix = [[int((~positive & ~flagged).sum()), int((~positive & flagged).sum())],
                  [int((positive & ~flagged).sum()), int((positive & flagged).sum())]]
        return {"labels": names, "matrix": matrix, "basis": "operating point"}
    matrix = [[int(((labels == a) & (predicted == b)).sum()) for b in classes] for a in classes]
    return {"labels": classes, "matrix": matrix, "basis": "most probable class"}


def held_out_metrics(task, test: pd.DataFrame, abnormal: str | None, normal: str, threshold: float) -> dict[str, float]:
    from sklearn.metrics import roc_auc_score

    classes = list(task.classes_)
    probs = task.predict(test[["image"]]).to_numpy()
    p, positive = p_abnormal(probs, classes, abnormal, normal), (test["label"] != normal).to_numpy()
    flagged = p >= threshold
    out = {"test_accuracy": float((np.array(classes)[probs.argmax(1)] == test["label"]).mean()),
           "test_images": int(len(test))}
    if positive.any() and not positive.all():
        out.update(test_auc=float(roc_auc_score(positive, p)), test_sensitivity=float(flagged[positive].mean()),
                   test_specificity=float((~flagged[~positive]).mean()))
    return out

"""A cheap yardstick for the triage CNN: a logistic regression on downsampled pixels, fitted on the same
training images and scored on the same validation images.

A CNN that underfits still yields a ranking, thresholds and a worklist, and nothing in its own figures says
it learnt little (validation AUC 0.69 where this baseline reached 1.00). Set beside it, a weak network shows.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ml import images as imaging
from ml.image_split import VAL_FRACTION, stratified_split

BASELINE_PX = 24          # 24 × 24 pixels: enough for a diffuse finding, a second or two to fit
MAX_BASELINE_IMAGES = 5000  # training images the baseline fits on (a random sample of a larger set)


def validation_split(train: pd.DataFrame, valid: pd.DataFrame | None, seed: int) -> tuple[pd.DataFrame,
                                                                                            pd.DataFrame]:
    """(training, validation) frames: the given validation images, or per class the share the CNN task would
    hold out itself (the same function and seed), chosen here so the CNN and the baseline share it."""
    if valid is not None:
        return train, valid
    train_idx, valid_idx = stratified_split(train["label"].astype(str), VAL_FRACTION, seed)
    return train.iloc[train_idx].reset_index(drop=True), train.iloc[valid_idx].reset_index(drop=True)


def pixel_auc(train: pd.DataFrame, valid: pd.DataFrame, normal: str, seed: int = 0) -> float | None:
    """Validation AUC of abnormal (any class but ``normal``) against normal for a logistic regression on
    ``BASELINE_PX``-pixel images, each pixel standardised; None when either side lacks one of the two."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import roc_auc_score
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    if len(train) > MAX_BASELINE_IMAGES:
        train = train.sample(MAX_BASELINE_IMAGES, random_state=seed)
    y_train, y_valid = (train["label"] != normal).to_numpy(), (valid["label"] != normal).to_numpy()
    if len(set(y_train)) < 2 or len(set(y_valid)) < 2:
        return None
    arrays = list(train["image"]) + list(valid["image"])
    pixels = imaging.to_tensor(arrays, BASELINE_PX, imaging.channels_of(arrays)).numpy()
    X = pixels.reshape(len(arrays), -1).astype(np.float32) / 255.0
    model = make_pipeline(StandardScaler(), LogisticRegression(C=0.1, max_iter=1000))
    model.fit(X[:len(train)], y_train)
    return float(roc_auc_score(y_valid, model.predict_proba(X[len(train):])[:, 1]))


def with_baseline(metrics: dict[str, float], baseline_auc: float | None) -> dict[str, float]:
    """The run's metrics with the baseline's AUC and the CNN's lead over it (negative: behind)."""
    if baseline_auc is None:
        return dict(metrics)
    return {**metrics, "baseline_auc": baseline_auc, "auc_vs_baseline": metrics["val_auc"] - baseline_auc}

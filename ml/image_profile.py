"""What the training images looked like to the CNN, kept with the model so a study unlike all of them is told.

A chest X-ray model scored a CT slice, an MR and a nuclear medicine image (0.83, urgent) without a word: colour and
DICOM headers could not tell them apart from its training images. The network's own penultimate-layer features
can. The profile is a PCA of the training images' features (mean, the leading components and their variances,
and each feature's variance left off them), small enough for JSON; a study's distance is its Mahalanobis distance
under it, and the limit is a high quantile of the validation images' distances (images the model never trained on,
as a new study is), with a margin, so that about one chest film in a hundred or fewer is cautioned.
"""
from __future__ import annotations

import numpy as np

MAX_COMPONENTS = 16      # leading directions kept whole; the rest share one variance
LIMIT_QUANTILE = 0.995   # of the validation images' distances
LIMIT_MARGIN = 1.25      # a few hundred validation images set the tail only roughly: stretch it
MIN_REFERENCE = 20       # validation images needed to set a limit at all (two set none worth trusting)


def fit_profile(train: np.ndarray, valid: np.ndarray) -> dict:
    """The profile of ``train`` features (rows are images) and the distance limit set on ``valid`` features;
    {} with too few images to set a limit (no study is then cautioned on it)."""
    train = np.asarray(train, np.float64)
    if len(train) < 4 or len(valid) < MIN_REFERENCE or train.ndim != 2:
        return {}
    mean = train.mean(axis=0)
    _, singular, vt = np.linalg.svd(train - mean, full_matrices=False)
    variances = singular ** 2 / (len(train) - 1)
    k = int(min(MAX_COMPONENTS, len(train) // 4, len(variances) - 1))
    floor = max(float(variances.sum()) / train.shape[1] * 1e-3, 1e-8)  # a dead feature must not divide by ~0
    profile = {"mean": mean.tolist(), "components": vt[:k].tolist(),
               "variances": np.maximum(variances[:k], floor).tolist()}
    rest = _residual(profile, train).var(axis=0, ddof=1)
    profile["rest"] = np.maximum(rest, floor).tolist()
    limit = float(np.quantile(distances(profile, valid), LIMIT_QUANTILE)) * LIMIT_MARGIN
    return {**profile, "limit": limit, "images": int(len(train))}


def _residual(profile: dict, features: np.ndarray) -> np.ndarray:
    """What the leading components leave of each centred row."""
    components = np.asarray(profile["components"]).reshape(-1, len(profile["mean"]))
    centred = np.asarray(features, np.float64) - np.asarray(profile["mean"])
    return centred - centred @ components.T @ components


def distances(profile: dict, features: np.ndarray) -> np.ndarray:
    """Mahalanobis distance of each row of ``features`` under the profile, per feature (so sizes compare): along
    the leading components by their variances, off them by each feature's leftover variance."""
    features = np.asarray(features, np.float64)
    components = np.asarray(profile["components"]).reshape(-1, len(profile["mean"]))
    projected = (features - np.asarray(profile["mean"])) @ components.T
    squared = (projected ** 2 / np.asarray(profile["variances"])).sum(axis=1)
    squared += (_residual(profile, features) ** 2 / np.asarray(profile["rest"])).sum(axis=1)
    return np.sqrt(squared / features.shape[1])


def unlike(profile: dict | None, features: np.ndarray) -> np.ndarray:
    """True per row beyond the profile's limit; all False without a profile (a run stored before it was kept)."""
    if not profile or "limit" not in profile or not len(features):
        return np.zeros(len(features), bool)
    return distances(profile, features) > float(profile["limit"])

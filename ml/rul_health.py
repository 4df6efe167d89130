"""A health index for the LightGBM RUL model: the prepared sensors' first principal direction, one column.

The sensors of a wearing unit drift together, each under its own noise. Their first principal direction (of
the z-scored sensors, learned on the training histories) sums that common drift into one column whose noise
is averaged over all of them; a tree splits on one sensor at a time and cannot add them up itself. The index
then gets the window statistics every sensor gets (``health index__mean30``, ``__slope30``, ``__drift`` …).
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ml.rul_shape import TIME, UNIT

HEALTH_INDEX = "health index"
MIN_SENSORS = 2  # one sensor is its own index


def health_direction(prepared: pd.DataFrame, rul: np.ndarray) -> dict[str, float]:
    """Per sensor, its weight in the index: the first principal direction of the sensors, signed so the index
    rises as the RUL falls. Empty when there are too few sensors (or readings) to combine."""
    sensors = [c for c in prepared.columns if c not in (UNIT, TIME)]
    x = prepared[sensors].to_numpy(float)
    keep = np.isfinite(x).all(axis=1)
    if len(sensors) < MIN_SENSORS or keep.sum() < 2:
        return {}
    x, rul = x[keep], np.asarray(rul, float)[keep]
    centred = x - x.mean(axis=0)
    _, vectors = np.linalg.eigh(centred.T @ centred)
    weights = vectors[:, -1]
    index = centred @ weights
    if np.std(index) > 0 and np.std(rul) > 0 and np.corrcoef(index, rul)[0, 1] > 0:
        weights = -weights
    return {str(c): float(w) for c, w in zip(sensors, weights)}


def with_health_index(prepared: pd.DataFrame, direction: dict[str, float]) -> pd.DataFrame:
    """The prepared history with the index added as one more sensor column (as it is, without a direction)."""
    if not direction or HEALTH_INDEX in prepared.columns:
        return prepared
    weights = np.array(list(direction.values()))
    return prepared.assign(**{HEALTH_INDEX: prepared[list(direction)].to_numpy(float) @ weights})

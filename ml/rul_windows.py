"""Fixed-length windows over prepared run-to-failure histories: what the sequence model reads.

Each row's window holds the readings up to it (the unit's first reading repeated in front of a short start),
with each sensor's smoothed level and its drift from the unit's first readings, and a scaled cycle count.
Windows are built for the rows asked for, batch by batch: all of them at once took 1.6 GiB on 425,000 rows.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ml.rul import BASELINE_READINGS
from ml.rul_shape import TIME, UNIT

CYCLE_SCALE = 100.0
SMOOTH_ALPHA = 0.1


def smoothed_levels(prepared: pd.DataFrame, sensors: list[str], alpha: float = SMOOTH_ALPHA) -> np.ndarray:
    """Per sensor, two channels from the unit's past readings only: the exponentially weighted mean
    (the level), then its drift from the mean of the unit's first readings (unit-to-unit offsets out).

    A window of 30 noisy readings says little about a slow drift; these carry the unit's longer
    history into the window. On real C-MAPSS FD001 with one sensor (3 folds by unit) the CNN's RMSE
    went 20.7 (readings only) → 16.9 (+ level) → 15.5 (+ drift).
    """
    if not sensors or prepared.empty:
        return np.zeros((len(prepared), 2 * len(sensors)), np.float32)
    groups = prepared.groupby(UNIT, sort=False)[sensors]
    level = groups.transform(lambda col: col.ewm(alpha=alpha).mean()).to_numpy(np.float32)
    position = prepared.groupby(UNIT, sort=False).cumcount().to_numpy()
    early = prepared[sensors].where(np.repeat((position < BASELINE_READINGS)[:, None], len(sensors), axis=1))
    baseline = early.groupby(prepared[UNIT].to_numpy(), sort=False).transform(
        lambda col: col.expanding().mean().ffill()).to_numpy(np.float32)
    return np.concatenate([level, level - baseline], axis=1)


class Windows:
    """Windows of a prepared history, built only for the rows asked for: ``windows[rows]`` is (rows, window,
    channels) float32 with the readings up to each row (the unit's first reading repeated in front of a
    short start), with ``smooth`` each sensor's smoothed level and its drift too (``smoothed_levels``), and a
    scaled cycle count. Holding every row's window at once took 1.6 GiB on 425,000 rows, when the
    validation still scored copies of every prefix."""

    def __init__(self, prepared: pd.DataFrame, window: int, *, smooth: bool = True) -> None:
        sensors = [c for c in prepared.columns if c not in (UNIT, TIME)]
        x = prepared[sensors].to_numpy(np.float32)
        if smooth:
            x = np.concatenate([x, smoothed_levels(prepared, sensors)], axis=1)
        n = len(x)
        idx = np.arange(n)
        units = prepared[UNIT].to_numpy()
        first = np.r_[True, units[1:] != units[:-1]] if n else np.zeros(0, bool)
        self.unit_start = np.maximum.accumulate(np.where(first, idx, 0))
        cycle = ((idx - self.unit_start + 1) / CYCLE_SCALE).astype(np.float32)
        self.values = np.concatenate([x, cycle[:, None]], axis=1)
        self.window = window

    def __len__(self) -> int:
        return len(self.values)

    @property
    def channels(self) -> int:
        return int(self.values.shape[1])

    def __getitem__(self, rows) -> np.ndarray:
        rows = np.arange(len(self))[rows] if isinstance(rows, slice) else np.asarray(rows, dtype=int)
        offsets = np.arange(self.window - 1, -1, -1)[None, :]
        return self.values[np.maximum(self.unit_start[rows][:, None], rows[:, None] - offsets)]


def sequence_windows(prepared: pd.DataFrame, window: int, *, smooth: bool = True) -> np.ndarray:
    """Every row's window at once (``Windows`` builds them for chosen rows only)."""
    windows = Windows(prepared, window, smooth=smooth)
    return windows[np.arange(len(windows))]

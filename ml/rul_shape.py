"""The prepared history shape both RUL models read, and the helpers over it.

A prepared history (``ml.rul_history.HistoryPreprocessor.transform``) has one row per reading,
sorted by ``__unit`` then ``__time``, with z-scored sensors. Here: the piecewise-linear training
target, validation cut points that look like a test set, each unit's last reading, and the sensors'
levels at the units' start (healthy in any run-to-failure fleet), to tell a scoring file that starts
elsewhere.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

UNIT, TIME = "__unit", "__time"


def rul_target(prepared: pd.DataFrame, cap: float) -> pd.Series:
    """Piecewise-linear target: flat at ``cap`` while healthy, then linear down to 0 at the last cycle."""
    last = prepared.groupby(UNIT, sort=False)[TIME].transform("max")
    return (last - prepared[TIME]).clip(upper=cap).astype(float).rename("rul")


def cut_points(prepared: pd.DataFrame, *, cuts: int, seed: int, max_rul: int
               ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Random cut points of each (run-to-failure) unit, like a test set: the positions of the last reading
    before each cut, the true RUL there, and keys ``"<unit>#<k>"``.

    Like the C-MAPSS test sets, cuts leave 0..``max_rul`` readings to go (uniformly), so the score weighs
    the part of life where maintenance decisions are made. Both models read only a reading's past, so a
    prediction at a cut position is the prediction for the unit cut there: no copies of the prefixes.
    """
    rng = np.random.default_rng(seed)
    rows, truth, keys = [], [], []
    if prepared.empty:
        return np.zeros(0, int), np.zeros(0), np.zeros(0, object)
    times = prepared[TIME].to_numpy()
    starts = np.r_[0, np.flatnonzero(prepared[UNIT].to_numpy()[1:] != prepared[UNIT].to_numpy()[:-1]) + 1]
    ends = np.r_[starts[1:], len(prepared)]
    for unit, start, end in zip(prepared[UNIT].to_numpy()[starts], starts, ends):
        life = int(end - start)
        for k in range(cuts):
            cut = life - int(rng.integers(0, min(life - 1, max_rul) + 1))
            rows.append(start + cut - 1)
            truth.append(float(times[end - 1] - times[start + cut - 1]))
            keys.append(f"{unit}#{k}")
    return np.asarray(rows, dtype=int), np.asarray(truth), np.asarray(keys, dtype=object)


def last_rows(prepared: pd.DataFrame) -> np.ndarray:
    """Positions of each unit's last reading (prepared frames are sorted by unit, then time)."""
    units = prepared[UNIT].to_numpy()
    return np.flatnonzero(np.r_[units[1:] != units[:-1], True]) if len(units) else np.zeros(0, int)


EARLY_READINGS = 20   # a unit's first readings: healthy in any fleet of run-to-failure histories
SHIFT_LIMIT = 3.0     # standard deviations of the training units' starting levels
MIN_SPREAD = 0.1      # floor of that deviation, in the prepared (z-scored) units


def early_readings(prepared: pd.DataFrame) -> int:
    """How many first readings are a unit's start: 20, or a quarter of the median life of short-lived units
    (tools that wear out in a dozen readings: their first 20 are their whole life, wear and all)."""
    life = float(prepared.groupby(UNIT, sort=False).size().median()) if len(prepared) else EARLY_READINGS
    return int(max(1, min(EARLY_READINGS, life // 4)))


def early_levels(prepared: pd.DataFrame, readings: int = EARLY_READINGS) -> pd.DataFrame:
    """Each unit's mean of each sensor over its first ``readings`` readings (fewer when it has fewer)."""
    sensors = [c for c in prepared.columns if c not in (UNIT, TIME)]
    first = prepared[prepared.groupby(UNIT, sort=False).cumcount().to_numpy() < readings]
    return first.groupby(UNIT, sort=False)[sensors].mean()


def early_reference(prepared: pd.DataFrame, readings: int = EARLY_READINGS) -> dict[str, list[float]]:
    """Per sensor, the mean and standard deviation of the training units' starting levels (JSON-ready)."""
    levels = early_levels(prepared, readings)
    return {str(c): [float(levels[c].mean()), float(levels[c].std(ddof=0))] for c in levels.columns
            if levels[c].notna().any()}


def shifted_sensors(reference: dict[str, list[float]], prepared: pd.DataFrame,
                    unread: dict[str, list] | None = None, readings: int = EARLY_READINGS
                    ) -> dict[str, tuple[float, float]]:
    """Sensors whose starting levels, in the median scoring unit, sit more than 3 standard deviations of the
    training units' from theirs: {sensor: (that distance, the median shift in the sensor's own standard
    deviations, signed)}. Prepared sensors are z-scored, so the shift reads as a recalibration would.
    ``unread``: {sensor: units that gave no value of it} (filled with a median, not a level to judge)."""
    levels = early_levels(prepared, readings)
    for column, units in (unread or {}).items():
        if column in levels.columns:
            levels.loc[levels.index.isin(units), column] = np.nan
    shifted = {}
    for column, (mean, spread) in reference.items():
        if column in levels.columns and levels[column].notna().any():
            gap = levels[column] - mean
            distance = float((gap.abs() / max(spread, MIN_SPREAD)).median())
            if distance > SHIFT_LIMIT:
                shifted[column] = (distance, float(gap.median()))
    return shifted

"""Each unit's history features for failure risk: rolling means, spreads and drifts from its readings in time
order.

A failure-risk model that reads each row on its own sees a vibration of 44 as the same on a machine that
always runs at 44 and on one that ran at 38 last week. Telemetry kept per machine and hour (Azure's
predictive-maintenance set, SCADA exports) carries the slow drift before a failure in the machine's own
history: a short mean against the machine's long mean shows it where one noisy reading cannot. Every feature
here reads only the current and earlier readings of the same unit, so training and scoring see the same thing.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from ml.failure_auc import rank_auc
from ml.numbers import to_numeric
from ml.rul_readings import usual_spacing

# Window lengths a reader knows, shortest first; the data's spacing decides which three are used. Readings every
# second start at 10 seconds: from a 1-hour window, a 100-minute run's means were its running means (AUC 0.72).
WINDOWS = (("10-second", 10), ("1-minute", 60), ("10-minute", 600), ("1-hour", 3_600), ("6-hour", 21_600),
           ("1-day", 86_400), ("1-week", 604_800), ("4-week", 2_419_200), ("13-week", 7_862_400),
           ("1-year", 31_536_000))
MIN_READINGS = 3        # the short window spans at least this many readings
LONG_SECONDS = 604_800  # the long (baseline) window is at least a week: slow drift shows against it
MAX_SENSORS = 12        # sensors given history features (5 each): wide tables stay fast
# Without a timestamp, a whole-number column named like a count of cycles, steps, hours or days orders each unit's
# readings (the Azure template's turbofan 'cycle'): windows are then counts of readings along it.
AXIS = "readings"
AXIS_WORDS = {"cycle", "cycles", "time", "step", "steps", "hour", "hours", "day", "days", "age"}
AXIS_FILLERS = {"in", "of", "no", "nr", "number"}
READING_WINDOWS = (5, 20, 100)  # short, medium and long (the unit's own baseline), in readings
AXIS_ORDERED_SHARE = 0.8        # units whose readings run one way along the column, in the file's order
# A file with a timestamp and no machine column (MetroPT-3: one compressor's readings every 10 seconds) is one
# machine's history: its readings are grouped under this column, added where the history is read, and keyed by
# ONE_MACHINE_KEY in the stored scores, so the plan lists one machine rather than each reading.
ONE_MACHINE = "(one machine)"
ONE_MACHINE_KEY = "the machine"
ONE_MACHINE_DISTINCT = 0.9  # share of distinct timestamps: many machines without a machine column repeat them


@dataclass(frozen=True)
class History:
    """Which unit, time column, sensors and windows (seconds) the history features are built from."""

    unit: str
    time: str
    sensors: tuple[str, ...]
    windows: tuple[int, int, int]  # short, medium, long: seconds, or readings on a reading axis
    step_seconds: float  # usual step between a unit's readings: seconds, or the axis column's own units
    eligible: int = 0  # sensors that could have had history features (more than MAX_SENSORS: the telling ones)
    axis: str = "time"  # "time": a timestamp; AXIS: a whole-number column such as cycle (windows in readings)
    span: float = 0.0  # training units' median span, in the windows' units (unit_spans); 0: a run stored before

    @classmethod
    def from_config(cls, stored: dict[str, Any] | None) -> "History | None":
        """The history a run stored in its JSON config (lists there), or None for a snapshot model."""
        if not stored:
            return None
        return cls(**{**stored, "sensors": tuple(stored["sensors"]), "windows": tuple(stored["windows"])})

    def names(self) -> list[str]:
        return [name for sensor in self.sensors for name in _sensor_names(sensor, self.labels())]

    def labels(self) -> tuple[str, str, str]:
        """The windows in words: '6-hour', '1-day', '1-week'; on a reading axis '5-reading', '20-reading'…"""
        if self.axis == AXIS:
            return tuple(f"{w}-reading" for w in self.windows)  # type: ignore[return-value]
        return tuple(window_label(w) for w in self.windows)  # type: ignore[return-value]


def with_one_machine(frame: pd.DataFrame, history: "History | None") -> pd.DataFrame:
    """The frame with the one machine's column when the history reads a file without a machine column."""
    if history is None or history.unit != ONE_MACHINE or ONE_MACHINE in frame.columns:
        return frame
    return frame.assign(**{ONE_MACHINE: ONE_MACHINE_KEY})


def window_label(seconds: int) -> str:
    return next(label for label, size in WINDOWS if size == seconds)


def _sensor_names(sensor: str, labels: tuple[str, str, str]) -> list[str]:
    """Names a reader follows in a SHAP chart: 'vibration, 1-day mean', 'vibration, reading minus 1-week mean'."""
    short, medium, long = labels
    return [f"{sensor}, {short} mean", f"{sensor}, {medium} mean", f"{sensor}, {medium} std dev",
            f"{sensor}, {short} mean minus {long} mean", f"{sensor}, reading minus {long} mean"]


def choose_windows(step_seconds: float) -> tuple[int, int, int]:
    """Short: the first window holding at least three readings (6 hours for hourly data, 1 hour for every
    10 minutes); medium: the next; long: the one after, and at least a week, the machine's own baseline."""
    sizes = [size for _, size in WINDOWS]
    first = next((i for i, size in enumerate(sizes) if size >= MIN_READINGS * step_seconds), len(sizes) - 3)
    first = min(first, len(sizes) - 3)
    long = next(size for size in sizes[first + 2:] if size >= LONG_SECONDS)
    return sizes[first], sizes[first + 1], long


def usual_step(units: pd.Series, times: pd.Series) -> float:
    """Median seconds between a unit's consecutive readings (computed within each unit, never across two); on a
    reading axis, the median step along it (1 cycle)."""
    if not pd.api.types.is_datetime64_any_dtype(times):
        ordered = pd.DataFrame({"unit": pd.factorize(units)[0], "at": times.to_numpy(dtype=float)}).dropna()
        steps = ordered.sort_values(["unit", "at"], kind="stable").groupby("unit")["at"].diff()
        positive = steps[steps > 0]
        return float(positive.median()) if len(positive) else 1.0
    return usual_spacing(units.reset_index(drop=True), times.reset_index(drop=True))


def reading_axis(frame: pd.DataFrame, unit: str, candidates: list[str]) -> str | None:
    """The first column that reads as each unit's time axis without being a date: named like a count of cycles,
    steps, hours or days ('cycle', 'time_in_cycles'), whole numbers, several readings per unit, and running one
    way, never repeating, within most units in the file's order. A sensor, an hour of the day that wraps round,
    or a machine's age (one value per machine) is not one."""
    units = frame[unit]
    for column in candidates:
        words = set(re.findall(r"[a-z]+", str(column).lower()))
        values = frame[column]
        if not (words & AXIS_WORDS) or not words <= AXIS_WORDS | AXIS_FILLERS or _not_whole(values):
            continue
        known = values.notna() & units.notna()
        by_unit = values[known].groupby(units[known].to_numpy(), sort=False)
        if by_unit.size().median() < MIN_READINGS:
            continue
        steps = by_unit.diff().dropna()
        step_units = units[steps.index].to_numpy()
        ordered = (steps > 0).groupby(step_units).all() | (steps < 0).groupby(step_units).all()
        if len(ordered) and ordered.mean() >= AXIS_ORDERED_SHARE:
            return str(column)
    return None


def _not_whole(values: pd.Series) -> bool:
    if not pd.api.types.is_numeric_dtype(values) or pd.api.types.is_bool_dtype(values):
        return True
    present = values.dropna().to_numpy(dtype=float)
    return len(present) == 0 or not np.all(np.isfinite(present)) or not np.allclose(present, np.round(present))


def unit_spans(history: History | str, units: pd.Series, times: pd.Series) -> pd.Series:
    """Per row, how much of its unit's history the rows hold, in the windows' units: seconds from the unit's first
    to last reading, or on a reading axis (``history`` the run's History or its axis) the unit's readings. NaN for a
    row without a unit or a time."""
    keys = units.reset_index(drop=True).to_numpy()
    times = times.reset_index(drop=True)
    if (history if isinstance(history, str) else history.axis) == AXIS:
        counted = times.notna().groupby(keys).transform("sum").astype(float)
        return counted.where(times.notna() & pd.Series(pd.notna(keys)))
    by_unit = times.groupby(keys)
    return (by_unit.transform("max") - by_unit.transform("min")).dt.total_seconds()


def typical_span(axis: str, units: pd.Series, times: pd.Series) -> float:
    """The median unit's span in training (unit_spans), kept with the run: a scored machine is told short of history
    against it, not only against the long window (90 days of daily drive readings never span the 13-week one)."""
    spans = unit_spans(axis, units, times).groupby(units.reset_index(drop=True).to_numpy()).max().dropna()
    return float(spans.median()) if len(spans) else 0.0


def zero_one(values: pd.Series) -> bool:
    """Only 0s and 1s, blanks aside (a flag): compared as numbers, not hashed (``isin``: 0.09 s a sensor of 1.5
    million readings, twice per sensor in training)."""
    numbers = values.to_numpy(dtype=float, na_value=np.nan)
    numbers = numbers[~np.isnan(numbers)]
    return bool(((numbers == 0) | (numbers == 1)).all())


def sensors_with_history(frame: pd.DataFrame, unit: str, candidates: list[str]) -> list[str]:
    """Numeric columns that change within a unit (not 0/1 flags, not a machine's age or model), in file order."""
    chosen = []
    for column in candidates:
        values = frame[column]
        if not pd.api.types.is_numeric_dtype(values) or pd.api.types.is_bool_dtype(values):
            continue
        by_unit = values.groupby(frame[unit])  # max above min: changes within a unit (nunique took 0.15 s a sensor)
        if zero_one(values) or not (by_unit.max() > by_unit.min()).any():
            continue
        chosen.append(column)
    return chosen


def telling_sensors(frame: pd.DataFrame, unit: str, sensors: list[str], y: pd.Series,
                    limit: int = MAX_SENSORS) -> list[str]:
    """At most ``limit`` sensors, in file order: all when they fit, else those whose readings against their own
    machine's mean tell failures from the rest best (AUC away from 0.5). A 60-sensor export whose failing
    sensors came last got history for the first 12 only: cross-validated AUC 0.83 against 0.97."""
    if len(sensors) <= limit:
        return sensors
    labels = np.asarray(y)
    if len(np.unique(labels)) < 2:
        return sensors[:limit]
    values = frame[sensors].apply(to_numeric, errors="coerce").astype(float)
    apart = values - values.groupby(frame[unit].to_numpy()).transform("mean")
    strength = {s: abs(rank_auc(labels, apart[s].fillna(0.0).to_numpy()) - 0.5) for s in sensors}
    chosen = set(sorted(sensors, key=lambda s: -strength[s])[:limit])
    return [s for s in sensors if s in chosen]


def history_features(frame: pd.DataFrame, history: History, times: pd.Series) -> pd.DataFrame:
    """The history features of every row, in the frame's row order. Windows end at the current reading and
    look back only; a row without a unit or a time is read as a unit's first reading (its own value). Each window's
    statistics go straight into the features' own columns: holding the four windows' tables, their gap-filled copies
    and the features side by side peaked at 1.2 GB above the table on 1.5 million readings of 6 sensors."""
    reads = history.axis == AXIS  # windows count readings; else they span seconds of the timestamp
    short, medium, long = history.windows if reads else (f"{w}s" for w in history.windows)
    known = frame[history.unit].notna().to_numpy() & times.notna().to_numpy()
    sensors = list(history.sensors)
    values = {s: to_numeric(frame[s], errors="coerce").astype(float).to_numpy() for s in sensors}
    keyed = pd.DataFrame({**{s: v[known] for s, v in values.items()},
                          "__unit": pd.factorize(frame[history.unit].to_numpy()[known])[0],
                          "__time": pd.Series(times).to_numpy()[known]})
    keyed = keyed.sort_values(["__unit", "__time"], kind="stable")
    where = np.flatnonzero(known)[keyed.index.to_numpy()]  # each keyed row's position in the frame
    columns: dict[str, np.ndarray] = dict.fromkeys(history.names())
    for window, how in ((short, "mean"), (medium, "mean"), (medium, "std"), (long, "mean")):
        rolled = _rolled(keyed, sensors, window, how, reads)
        for j, sensor in enumerate(sensors):
            column = np.full(len(frame), np.nan)
            column[where] = rolled[:, j]
            if how == "mean":  # a row on its own: its means are its reading, its spread unknown
                column[~known] = values[sensor][~known]
            names = _sensor_names(sensor, history.labels())
            if window == long:
                columns[names[3]] = columns[names[0]] - column
                columns[names[4]] = values[sensor] - column
            else:
                columns[names[0 if window == short else 1 if how == "mean" else 2]] = column
    return pd.DataFrame(columns, index=frame.index, copy=False)


def _rolled(keyed: pd.DataFrame, sensors: list[str], window, how: str, reads: bool) -> np.ndarray:
    """One window's statistic of every sensor, in keyed's (unit, time) order; NaN where no row has both."""
    if keyed.empty:
        return np.full((0, len(sensors)), np.nan)
    on = {} if reads else {"on": "__time"}  # keyed is in (unit, time) order: a count window follows it
    if keyed["__unit"].iat[0] == keyed["__unit"].iat[-1]:  # one machine (MetroPT-3): the same windows without the
        # grouping, which took 7 times as long (2.8 s against 0.4 s a window of 1.5 million readings of 14 sensors)
        return getattr(keyed.rolling(window, min_periods=1, **on)[sensors], how)()[sensors].to_numpy()
    by_unit = keyed.groupby("__unit", sort=False).rolling(window, min_periods=1, **on)[sensors]
    return getattr(by_unit, how)()[sensors].to_numpy()  # rows come back in keyed's (unit, time) order


def joined(frame: pd.DataFrame, features: pd.DataFrame) -> pd.DataFrame:
    """The frame with the history features beside it, sharing both frames' data: pd.concat copied every column into
    one table (0.7 GB on 1.5 million readings)."""
    if not frame.columns.is_unique:
        return pd.concat([frame, features], axis=1)
    return pd.DataFrame({**dict(frame.items()), **dict(features.items())}, copy=False)

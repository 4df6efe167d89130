"""Run-to-failure histories made ready for the RUL models: cleaning, operating regimes, sensor choice.

Histories arrive unsorted, with gaps, flat sensors and several operating regimes. The preprocessor
turns any such table into one shape — ``__unit``, ``__time`` and z-scored sensors — that both RUL
models (the LightGBM task in ``ml.rul`` and the sequence model in ``ml.rul_sequence``) read. Its
fitted state is JSON so scoring applies exactly the training statistics. It lives apart from
``ml.rul`` because it serves both models and knows nothing of either; the helpers over the prepared
shape (target, validation cut points, last readings, starting levels) are in ``ml.rul_shape``, and which sensors
are read (trendless ones left out) and how their gaps are filled in ``ml.rul_sensors``.
"""
from __future__ import annotations

import re
from typing import Any

import numpy as np
import pandas as pd

from ml.leakage import read_dates
from ml.numbers import to_numeric
from ml.operating_settings import assign_regimes, find_settings, fit_regimes, levels, regime_points, settings_notes
from ml.rul_leaks import answer_columns, end_mark, health_end_note
from ml.rul_readings import cycling_time, duration, order_readings, past_midnight, time_unit, usual_spacing
from ml.rul_sensors import fill_within_units, trendless_sensors
from ml.rul_shape import TIME, UNIT
from ml.task import NotFittedError

# Whole words where a longer word would mislead: "mach" not in machine_id, "condition" not in oil_condition.
SETTING_NAME = re.compile(r"setting|op_?set|operating|operational|regime|(?<![a-z])(flight|op)_?cond|"
                          r"^conditions?_?\d*$|"
                          r"(?<![a-z])op_?mode|altitude|(?<![a-z])mach(?![a-z])|throttle|^tra$|^os_?\d|^op_?\d+$|^alt$",
                          re.I)
MIN_STD = 1e-6


class HistoryError(ValueError):
    """The history table cannot be used; the message says what to fix."""


class HistoryPreprocessor:
    """Sort, impute per unit, drop flat sensors and z-score sensors within operating regimes."""

    def __init__(self, *, unit: str, time: str, settings: list[str] | None = None,
                 sensors: list[str] | None = None, max_regimes: int = 8, seed: int = 0) -> None:
        self.unit, self.time, self.settings, self.sensors = unit, time, settings, sensors
        self.max_regimes, self.seed = max_regimes, seed

    def _base(self, frame: pd.DataFrame, notes: list[str]) -> pd.DataFrame:
        missing = [c for c in (self.unit, self.time) if c not in frame.columns]
        if missing:
            raise HistoryError(f"Columns not in the data: {', '.join(missing)}.")
        data = frame.copy()
        data[self.time] = self._time_values(data, notes)
        bad = data[self.unit].isna() | data[self.time].isna()
        if bad.any():
            notes.append(f"{int(bad.sum())} rows without a unit or a numeric time were left out.")
            data = data[~bad]
        if data.empty:
            raw = frame[self.time].dropna()
            example = f" (e.g. {str(raw.iloc[0])!r})" if len(raw) and frame[self.unit].notna().any() else ""
            raise HistoryError("No rows with both a unit and a numeric time value." + (
                f" Column {self.time!r} holds values that are neither numbers nor dates in a known format{example}: "
                "write them as cycle numbers, or as dates like 2003-10-22 12:06:45." if example else ""))
        units = data[self.unit]
        if pd.api.types.is_float_dtype(units) and (units == units.round()).all():  # a blank cell made 7 into 7.0
            data[self.unit] = units.astype("int64")
        self._check_cycling(data, notes)
        return order_readings(data, self.unit, self.time, notes)

    def _check_cycling(self, data: pd.DataFrame, notes: list[str]) -> None:
        """A time that starts again within every cycle or flight is no age: refused when a column counts the
        cycles (it is the time to give), else said in a note."""
        restarts, counter = cycling_time(data, self.unit, self.time)
        if not restarts:
            return
        said = (f"Time column {self.time!r} starts again about {restarts} times within each unit (in the file's "
                "order): it counts the time within each cycle or flight, not the units' age, so readings of "
                "different cycles would be averaged by their time within the cycle.")
        if counter:
            raise HistoryError(f"{said} Column {counter!r} counts the cycles: give it as the time column "
                               f"(--time {counter}; 'Time / cycle column' on the page); the readings of each "
                               "cycle are then averaged into one.")
        notes.append(f"{said} Give the column that counts the cycles or flights as the time column.")

    def _time_values(self, data: pd.DataFrame, notes: list[str]) -> pd.Series:
        """Cycle numbers as they are; dates and times become steps since the unit's first reading, in the
        usual spacing between readings (learnt at fit), so that RUL counts readings-to-go as for cycles."""
        raw = data[self.time]
        stamps = None
        if pd.api.types.is_datetime64_any_dtype(raw):
            stamps = raw.dt.tz_localize(None) if getattr(raw.dt, "tz", None) is not None else raw
        elif not pd.api.types.is_numeric_dtype(raw) and to_numeric(raw, errors="coerce").notna().mean() < 0.5:
            text = raw.astype("string").str.strip()
            parsed = read_dates(text)
            stamps = parsed if parsed.notna().mean() >= 0.9 else None
            if stamps is not None:
                stamps, passed = past_midnight(text, stamps, data[self.unit])
                notes.extend([f"Time column {self.time!r} holds times of day without a date: {len(passed)} unit(s) "
                              f"pass midnight ({', '.join(map(str, passed[:5]))}{' …' if len(passed) > 5 else ''}); "
                              "a day was added at each midnight, in the file's order."] if passed else [])
        if stamps is None:
            if getattr(self, "time_step_", None) is not None:
                raise HistoryError(f"Time column {self.time!r} held dates and times in training; it does not here.")
            return to_numeric(raw, errors="coerce")
        start = stamps.groupby(data[self.unit].to_numpy(), sort=False).transform("min")
        if getattr(self, "time_step_", None) is None and not getattr(self, "_fitting", False):
            raise HistoryError(f"Time column {self.time!r} held numbers (cycles) in training; here it holds dates.")
        if getattr(self, "time_step_", None) is None:
            self.time_step_ = usual_spacing(data[self.unit], stamps)
            self.time_unit_ = time_unit(self.time_step_)
        unit = getattr(self, "time_unit_", None)  # runs trained before it was kept count in readings' steps
        if unit is None:
            notes.append(f"Time column {self.time!r} holds dates and times: time and RUL are counted in steps of "
                         f"{duration(self.time_step_)} (the usual spacing between readings) from each unit's first "
                         "one.")
            return (stamps - start).dt.total_seconds() / self.time_step_ + 1
        name, seconds = unit
        notes.append(f"Time column {self.time!r} holds dates and times: time and RUL are counted in {name} from each "
                     f"unit's first reading (readings are usually {duration(self.time_step_)} apart).")
        return ((stamps - start).dt.total_seconds() + self.time_step_) / seconds

    def _choose_columns(self, data: pd.DataFrame, notes: list[str]) -> None:
        others = [c for c in data.columns if c not in (self.unit, self.time)]
        settings = self.settings if self.settings is not None else [c for c in others if SETTING_NAME.search(str(c))]
        numeric = [c for c in others if pd.api.types.is_numeric_dtype(data[c]) and c not in settings]
        leaks = answer_columns(data, numeric, self.unit, self.time, notes) if self.sensors is None else []
        sensors = self.sensors if self.sensors is not None else [c for c in numeric if c not in leaks]
        unknown = [c for c in [*settings, *sensors] if c not in data.columns]
        if unknown:
            raise HistoryError(f"Columns not in the data: {', '.join(map(str, unknown))}.")
        if self.settings is None and not settings and self.sensors is None:
            words = [c for c in others if c not in numeric and data[c].nunique() <= self.max_regimes]
            found, followers = find_settings(data, [*sensors, *words], unit=self.unit,
                                             max_levels=self.max_regimes, seed=self.seed)
            notes.extend(settings_notes(found, followers))
            settings = [*found, *followers]
            sensors = [c for c in sensors if c not in settings]
        self.settings_ = [str(c) for c in settings]
        self.sensors_ = [str(c) for c in sensors]

    def fit(self, frame: pd.DataFrame) -> "HistoryPreprocessor":
        notes: list[str] = []
        self.time_step_, self.time_unit_, self._fitting = None, None, True
        try:
            data = self._base(frame, notes)
        finally:
            self._fitting = False
        self.columns_ = [str(c) for c in frame.columns]  # scoring names the columns it ignores, not these
        data = self._failed_only(data, notes)
        self._choose_columns(data, notes)
        values = self._impute(data, notes, fitting=True)
        flat = [c for c in self.sensors_ if values[c].nunique(dropna=True) <= 1]
        if flat:
            notes.append(f"Dropped constant columns (the same value on every reading): {', '.join(flat)}.")
        self.sensors_ = [c for c in self.sensors_ if c not in flat]
        self._fit_regimes(data, notes)
        regimes = self._regimes(data)
        self.stats_ = {}
        within_flat = []
        for column in self.sensors_:
            grouped = values[column].groupby(regimes)
            mean, std = grouped.mean(), grouped.std(ddof=0).fillna(0)
            if float(std.max()) < MIN_STD * max(1.0, float(values[column].abs().mean())):
                within_flat.append(column)
            self.stats_[column] = {"mean": mean.reindex(range(self.n_regimes_)).fillna(values[column].mean()).tolist(),
                                   "std": std.clip(lower=MIN_STD).reindex(range(self.n_regimes_)).fillna(1).tolist()}
        if within_flat:
            notes.append(f"Dropped sensors flat within each operating regime: {', '.join(within_flat)}.")
        self.sensors_ = [c for c in self.sensors_ if c not in within_flat]
        self._drop_trendless(data, values, regimes, notes)
        if not self.sensors_:
            raise HistoryError("No usable sensor columns: every numeric column is constant, a setting or the "
                               "unit/time.")
        self.notes_ = notes
        return self

    def _failed_only(self, data: pd.DataFrame, notes: list[str]) -> pd.DataFrame:
        """Units a status column says were still running are left out (``running_units_``, for the caller's
        prepared rows too), and so is that column: its mark on the last reading is the answer."""
        column, self.running_units_ = end_mark(data, self.unit, self.time)
        if column is None:
            notes.extend(health_end_note(data, self.unit, self.time))  # a battery cycled past its capacity limit
            return data
        running = self.running_units_
        named = ", ".join(map(str, running[:10])) + (" …" if len(running) > 10 else "")
        notes.append(f"Left out {len(running)} unit(s) still running when the file was written ({named}): {column!r} "
                     f"marks each failure on its unit's last reading ({data[self.unit].nunique() - len(running)} "
                     "units), and their last reading has no such mark. RUL reads each history's last reading as its "
                     "failure, so only the failed units train; score the running ones with score-rul.")
        return data[~data[self.unit].isin(running)].drop(columns=column)

    def _drop_trendless(self, data: pd.DataFrame, values: pd.DataFrame, regimes: np.ndarray,
                        notes: list[str]) -> None:
        """Leave out sensors that do not move with wear (ml.rul_sensors.trendless_sensors): such a column only
        gives the trees noise to fit."""
        stats = {c: self.stats_[c] for c in self.sensors_}  # not the sensors flat within a regime, also in stats_
        trendless = trendless_sensors(data, values, regimes, stats, unit=self.unit, time=self.time, notes=notes)
        self.sensors_ = [c for c in self.sensors_ if c not in trendless]
        for column in trendless:
            self.stats_.pop(column)

    def _impute(self, data: pd.DataFrame, notes: list[str], *, fitting: bool) -> pd.DataFrame:
        """Gaps filled within each unit (previous, else next reading); a sensor a unit never read takes the
        training median. ``empty_units_`` (set by each call, not saved): {sensor: units with no value of it}."""
        values = data[self.sensors_].apply(to_numeric, errors="coerce")
        if fitting:
            self.medians_ = {c: float(values[c].median()) if values[c].notna().any() else 0.0 for c in self.sensors_}
        values, self.empty_units_, self.blind_units_ = fill_within_units(values, data[self.unit].to_numpy(),
                                                                         self.medians_, notes)
        return values

    def _fit_regimes(self, data: pd.DataFrame, notes: list[str]) -> None:
        """Regimes from the settings (text settings by value). When the settings together show no regimes,
        those that sit at a few levels are tried alone: one setting that varies continuously (a throttle
        read as a number) would otherwise blur the others' regimes into one."""
        self.n_regimes_, self.centers_, self.scale_ = 1, [], []
        self.regime_settings_, self.setting_categories_ = [], {}
        usable, levelled = [], []
        for column in self.settings_:
            raw = data[column]
            numbers = to_numeric(raw, errors="coerce")
            if numbers.notna().sum() >= 0.5 * raw.notna().sum() > 0:
                usable.append(column)
                if levels(numbers.dropna(), self.max_regimes) is not None:
                    levelled.append(column)
                continue
            values = sorted(raw.dropna().astype(str).unique().tolist())
            if 1 < len(values) <= 4 * self.max_regimes:
                usable.append(column)
                levelled.append(column)
                self.setting_categories_[column] = values
        for columns in (usable, levelled):
            points = regime_points(data, columns, self.setting_categories_)
            found, centres, scale = fit_regimes(points, self.max_regimes, self.seed) if columns else (1, [], [])
            if found > 1:
                break
        if found == 1:
            return
        self.n_regimes_, self.centers_, self.scale_, self.regime_settings_ = found, centres, scale, columns
        notes.append(f"Found {found} operating regimes in {', '.join(columns)}; sensors are compared within "
                     "their regime.")
        loose = [c for c in self.settings_ if c not in columns and data[c].nunique(dropna=True) > 1]
        if loose:
            notes.append(f"Settings {', '.join(loose)} do not sit at a few levels (they vary continuously, or "
                         "hold too many different values), so they do not define the regimes.")
        blanks = int((~np.isfinite(points)).any(axis=1).sum())
        if blanks:
            notes.append(f"{blanks} readings have a blank operating setting: their regime was read from the "
                         "settings they have.")

    def _regimes(self, data: pd.DataFrame) -> np.ndarray:
        if self.n_regimes_ == 1:
            return np.zeros(len(data), dtype=int)
        columns = getattr(self, "regime_settings_", None) or self.settings_  # models saved before: all settings
        points = regime_points(data, columns, getattr(self, "setting_categories_", {}))
        return assign_regimes(points, self.centers_, self.scale_)

    def check(self, frame: pd.DataFrame) -> None:
        """HistoryError for a file it cannot read: no unit or time column, times of the other kind, no rows."""
        self._base(frame, [])

    def transform(self, frame: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
        if not hasattr(self, "stats_"):
            raise NotFittedError("HistoryPreprocessor used before fit.")
        notes: list[str] = []
        data = self._base(frame, notes)
        missing = [c for c in [*self.settings_, *self.sensors_] if c not in data.columns]
        if missing:
            raise HistoryError(f"The data lacks columns the model was trained on: {', '.join(missing)}.")
        values = self._impute(data, notes, fitting=False)
        regimes = self._regimes(data)
        out = pd.DataFrame({UNIT: data[self.unit].to_numpy(), TIME: data[self.time].to_numpy(float)})
        for column in self.sensors_:
            mean = np.asarray(self.stats_[column]["mean"])[regimes]
            std = np.asarray(self.stats_[column]["std"])[regimes]
            out[column] = (values[column].to_numpy(float) - mean) / std
        return out, notes

    def to_json(self) -> dict[str, Any]:
        keys = ("unit", "time", "settings_", "sensors_", "medians_", "n_regimes_", "centers_", "scale_", "stats_",
                "notes_", "regime_settings_", "setting_categories_")
        return {**{k: getattr(self, k) for k in keys},
                **{k: getattr(self, k, None) for k in ("time_step_", "time_unit_", "columns_")}}

    @classmethod
    def from_json(cls, payload: dict[str, Any]) -> "HistoryPreprocessor":
        prep = cls(unit=payload["unit"], time=payload["time"])
        for key, value in payload.items():
            if key.endswith("_"):
                setattr(prep, key, value)
        return prep


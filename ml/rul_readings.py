"""A history's readings put in order: units in natural order, each unit's readings in time order, and one
reading per unit and time step (``ml.rul_history`` then cleans and scales them); and the usual spacing of
dated readings."""
from __future__ import annotations

import numpy as np
import pandas as pd

from ml.numbers import to_numeric
from ml.ordering import natural_key

# At least this share of rows repeating an earlier (unit, time): several readings per time step (N-CMAPSS
# records each flight second by second under one cycle number), not the odd corrected reading.
REPEATED_STEPS = 0.5


def order_readings(data: pd.DataFrame, unit: str, time: str, notes: list[str]) -> pd.DataFrame:
    """Units in natural order (engine_2 before engine_10, 7 before 10 even when read as text), times sorted,
    one row per (unit, time): the mean of several readings per time step, else the last of a repeated one."""
    restarted = restarted_units(data, unit, time)
    if restarted:
        notes.append(f"Time starts again within {len(restarted)} unit(s) ({', '.join(map(str, restarted[:5]))}"
                     f"{' …' if len(restarted) > 5 else ''}): two histories under one id? Each was read as one "
                     "history, in time order; give every history an id of its own.")
    ranks = {u: i for i, u in enumerate(sorted(data[unit].unique(), key=natural_key))}
    ordered = data.assign(__order=data[unit].map(ranks)).sort_values(["__order", time], kind="stable")
    if not ordered.index.equals(data.index) and not grouped_in_time_order(data, unit, time):
        notes.append("The rows were not grouped by unit in time order; the model read them so ordered.")
    data = ordered.drop(columns="__order")
    repeated = data.duplicated([unit, time], keep="last")
    if not repeated.any():
        return data
    if repeated.mean() >= REPEATED_STEPS:
        steps = len(data) - int(repeated.sum())
        notes.append(f"{len(data):,} readings at {steps:,} (unit, time) steps: about {len(data) / steps:.0f} "
                     "readings per step, averaged into one (numbers by their mean, other values the last), so "
                     "RUL is counted in the time column's steps.")
        return _mean_per_step(data, unit, time)
    notes.append(f"{int(repeated.sum())} repeated (unit, time) rows: the last reading was kept.")
    return data[~repeated]


def _clock(values: pd.Series) -> pd.Series:
    """Time values as numbers (dates as nanoseconds), NaN where unreadable."""
    if pd.api.types.is_datetime64_any_dtype(values):
        values = values.astype("int64").where(values.notna())
    return to_numeric(values, errors="coerce")


def restarted_units(data: pd.DataFrame, unit: str, time: str) -> list:
    """Units whose rows, in the file's order, climb in time, then drop back to their first times and climb
    again (a reused id: one engine's second life, a pump rebuilt). A shuffled file drops everywhere: not this."""
    values = _clock(data[time])
    found = []
    for name, v in values.groupby(data[unit].to_numpy(), sort=False):
        v = v.dropna().to_numpy(float)
        if len(v) < 6:
            continue
        steps = np.diff(v)
        drops = np.flatnonzero(steps < 0)
        if 1 <= len(drops) <= 3 and (steps > 0).mean() >= 0.8 and (v[drops + 1] <= np.quantile(v, 0.1)).all():
            found.append(name)
    return found


def history_starts(times: pd.Series) -> list[int]:
    """Row positions at which a time column that mostly climbs drops back to its lowest values: histories one
    after another with no unit column (HNEI's Battery_RUL.csv: Cycle_Index starts again at 1 for each of 14
    batteries, which read as one battery)."""
    v = _clock(times).to_numpy(float)
    steps = np.diff(v)
    known = ~np.isnan(steps)
    if known.sum() < 5 or (steps[known] > 0).mean() < 0.8:
        return []
    return [int(i) + 1 for i in np.flatnonzero((steps < 0) & (v[1:] <= np.nanquantile(v, 0.1)))]


MANY_RESTARTS = 5  # restarts in the median unit from which the time counts within each cycle, not the age


def cycling_time(data: pd.DataFrame, unit: str, time: str) -> tuple[int, str | None]:
    """A time that, in the file's order, climbs and drops back to its lowest values many times in each unit
    (N-CMAPSS-like: the seconds of each flight, under a cycle number): the median unit's restarts (0 when the
    time does not), and the first numeric column that counts them (the same between restarts, higher at each
    one: the cycle), if any. Read as the age, such a time averages each second of flight over all flights."""
    v = _clock(data[time]).to_numpy(float)
    keys = data[unit].to_numpy()
    same = np.r_[False, keys[1:] == keys[:-1]] if len(keys) else np.zeros(0, bool)
    step = np.r_[np.nan, np.diff(v)] if len(v) else np.zeros(0)
    drop, rise = same & (step < 0), same & (step > 0)
    if not drop.any() or rise.sum() < 0.8 * same.sum():  # a shuffled file drops about as often as it climbs
        return 0, None
    low = pd.Series(v).groupby(keys, sort=False).transform("quantile", 0.1).to_numpy()
    restarts = float(pd.Series(drop).groupby(keys, sort=False).sum().median())
    if restarts < MANY_RESTARTS or (v[drop] <= low[drop]).mean() < 0.9:
        return 0, None
    within = same & ~drop
    for column in data.columns:
        if column in (unit, time) or not pd.api.types.is_numeric_dtype(data[column]):
            continue
        d = np.r_[np.nan, np.diff(to_numeric(data[column], errors="coerce").to_numpy(float, na_value=np.nan))]
        if (d[within] == 0).all() and (d[drop] > 0).all():
            return int(restarts), str(column)
    return int(restarts), None


def _mean_per_step(data: pd.DataFrame, unit: str, time: str) -> pd.DataFrame:
    numeric = [c for c in data.columns if c not in (unit, time) and pd.api.types.is_numeric_dtype(data[c])
               and not pd.api.types.is_bool_dtype(data[c])]
    others = [c for c in data.columns if c not in (unit, time, *numeric)]
    grouped = data.groupby([unit, time], sort=False)
    merged = grouped[numeric].mean()
    if others:
        merged = merged.join(grouped[others].last())
    return merged.reset_index()[list(data.columns)]


def grouped_in_time_order(data: pd.DataFrame, unit: str, time: str) -> bool:
    """Each unit's rows together and in time order, whatever the order of the units (ENG-110 before ENG-2)."""
    units = data[unit].to_numpy()
    changes = int((units[1:] != units[:-1]).sum()) if len(units) else 0
    steps = data.groupby(unit, sort=False)[time].diff()
    return changes == data[unit].nunique() - 1 and bool((steps.dropna() >= 0).all())


def usual_spacing(units: pd.Series, stamps: pd.Series) -> float:
    """Median seconds between a unit's consecutive readings (a day when none differ). Units that run at the same
    time interleave in calendar order, so the gaps are taken within each unit, never across two."""
    known = stamps.notna().to_numpy()
    codes = pd.factorize(units[known])[0]
    values = stamps[known].to_numpy(dtype="datetime64[ns]").astype(np.int64)
    order = np.lexsort((values, codes))
    codes, values = codes[order], values[order]
    gaps = np.diff(values)[codes[1:] == codes[:-1]] / 1e9
    positive = gaps[gaps > 0]
    return float(np.median(positive)) if len(positive) else 86_400.0


TIME_UNITS = (("days", 86_400), ("hours", 3_600), ("minutes", 60), ("seconds", 1))


def time_unit(step_seconds: float) -> tuple[str, int]:
    """The unit RUL counts in for dated histories: the largest of days, hours, minutes, seconds not longer than
    the usual spacing (readings 3.68 h apart count in hours, every 10 s in seconds), as an engineer reads it."""
    return next(((name, size) for name, size in TIME_UNITS if step_seconds >= size), TIME_UNITS[-1])


def duration(seconds: float) -> str:
    """'6 hours', '3.68 hours', '10 seconds': a spacing between readings as a note says it."""
    for unit, size in (("day", 86_400), ("hour", 3_600), ("minute", 60)):
        if seconds >= size:
            value = seconds / size
            if value == round(value, 2):
                return f"{value:g} {unit}{'s' if value != 1 else ''}"
            return f"{value:.2f} {unit}s"
    return f"{seconds:g} seconds"


CLOCK_ONLY = r"\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?(\s*[AaPp][Mm])?"  # 23:59:50, 11:59 PM: a time of day, no date
HALF_DAY = 43_200.0  # seconds: a clock that goes back by more has passed midnight


def past_midnight(text: pd.Series, stamps: pd.Series, units: pd.Series) -> tuple[pd.Series, list]:
    """Times of day without a date (a test rig's clock: 23:59:50, then 00:00:00) as one run: a day is added at each
    midnight a unit's readings pass, in the file's order, where its clock goes back by more than half a day and
    nowhere else (a file out of order is left as read). Read as today's times, a bearing run through the night had
    its last, worn readings put first. Returns the times and the units that passed midnight."""
    if not len(text) or text.str.fullmatch(CLOCK_ONLY).fillna(False).mean() < 0.9:
        return stamps, []
    seconds = (stamps - stamps.min()).dt.total_seconds().to_numpy(float)
    days, passed = np.zeros(len(stamps)), []
    for name, rows in pd.Series(np.arange(len(stamps))).groupby(units.to_numpy(), sort=False).indices.items():
        rows = rows[~np.isnan(seconds[rows])]
        steps = np.diff(seconds[rows])
        if not (steps < -HALF_DAY).any() or ((steps < 0) & (steps >= -HALF_DAY)).any():
            continue
        days[rows] = np.concatenate([[0], np.cumsum(steps < -HALF_DAY)])
        passed.append(name)
    return stamps + pd.to_timedelta(days, unit="D"), passed

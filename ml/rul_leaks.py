"""Columns of a run-to-failure table that hold the answer: named like it (RUL, target), counting down as the
time rises (the RUL under another name), or holding each unit's life (a max_cycle merged in to compute the RUL).
A model trained on them scores its validation near zero and then cannot score units still running."""
from __future__ import annotations

import re
from typing import Any

import numpy as np
import pandas as pd

from ml.numbers import to_numeric

LEAK_NAME = re.compile(r"^(rul|remaining|ttf|time_to_failure|target|label)", re.I)
# A time of day split into columns (PRONOSTIA's hour, min, s, µs): each part's name and its largest value
CLOCK_PARTS = ((re.compile(r"^(hours?|hr|hh)$", re.I), 23), (re.compile(r"^(minutes?|min|mm)$", re.I), 59),
               (re.compile(r"^(seconds?|secs?|ss|s)$", re.I), 60),
               (re.compile(r"^(milliseconds?|ms|msec)$", re.I), 999),
               (re.compile(r"^(microseconds?|us|µs|usec)$", re.I), 999_999))


def answer_columns(data: pd.DataFrame, numeric: list, unit: str, time: str, notes: list[str]) -> list:
    """The numeric columns to leave out as the answer, each kind said in a note."""
    leaks = [c for c in numeric if LEAK_NAME.search(str(c))]
    if leaks:
        notes.append(f"Left out {', '.join(map(str, leaks))}: named like the answer (RUL / target).")
    countdowns = [c for c in numeric if c not in leaks and counts_down(data[c], data[unit], data[time])]
    if countdowns:
        notes.append(f"Left out {', '.join(map(str, countdowns))}: falls by as much as the time rises until each "
                     "unit's last reading, so it is the RUL itself under another name.")
    lives = [c for c in numeric if c not in (*leaks, *countdowns) and holds_life(data[c], data[unit], data[time])]
    if lives:
        notes.append(f"Left out {', '.join(map(str, lives))}: each unit's value is its last time or its count of "
                     "readings (its life, as a max_cycle column computed for the RUL), known only once it "
                     "failed; in a file of units still running it is only their age so far.")
    parts = clock_parts(data, [c for c in numeric if c not in (*leaks, *countdowns, *lives)])
    if parts:
        notes.append(f"Left out {', '.join(map(str, parts))}: parts of a time of day, the clock rather than wear (a "
                     "unit started at another hour reads differently); the time column orders the readings.")
    return [*leaks, *countdowns, *lives, *parts]


def clock_parts(data: pd.DataFrame, numeric: list) -> list:
    """Columns named like parts of a time of day whose values stay within the part's range (hour 0–23 …): two or
    more of them, or an hour alone. Kept as sensors, a bearing rig's hour rose with every unit's age and told its
    units apart by when they were started (validation RMSE 209 s against 166 s without them)."""
    found = []
    for column in numeric:
        top = next((most for name, most in CLOCK_PARTS if name.fullmatch(str(column).strip())), None)
        values = to_numeric(data[column], errors="coerce").dropna()
        if top is not None and len(values) and values.min() >= 0 and values.max() <= top:
            found.append(column)
    hour = CLOCK_PARTS[0][0]
    return found if len(found) >= 2 or any(hour.fullmatch(str(c).strip()) for c in found) else []


def holds_life(values: pd.Series, units: pd.Series, time: pd.Series) -> bool:
    """One value per unit, different between units, equal in nearly every unit (90 %) to its last time or to
    its number of readings: the unit's life (a max_cycle column merged in to compute the RUL), not a condition
    of the run. The RUL is that value minus the time, so it must stay out of the model and the settings."""
    numbers = to_numeric(values, errors="coerce")
    keys = units.to_numpy()
    grouped = numbers.groupby(keys, sort=False)
    if len(grouped) < 2 or numbers.nunique(dropna=True) < 2 or (grouped.nunique(dropna=True) > 1).any():
        return False
    value = grouped.first()
    clock = to_numeric(time, errors="coerce").groupby(keys, sort=False)
    ends = [clock.max(), clock.size().astype(float), clock.max() - clock.min()]
    return any(bool((np.isclose(value, end.reindex(value.index), rtol=1e-6, atol=1e-6)).mean() >= 0.9)
               for end in ends)


def counts_down(values: pd.Series, units: pd.Series, time: pd.Series) -> bool:
    """In nearly every unit (90 %) the value falls by exactly what the time (or the reading count) rises, below
    the unit's largest value (a capped RUL is flat at the cap first): the RUL itself under another name
    (``cycles_left``, ``y``), which no scoring file of units still running can hold."""
    numbers = to_numeric(values, errors="coerce").to_numpy(float)
    keys = units.to_numpy()
    ends = pd.Series(numbers).groupby(keys, sort=False).transform("max").to_numpy()
    below = np.isfinite(numbers) & (numbers < ends)
    if below.sum() < 2:
        return False
    clocks = (to_numeric(time, errors="coerce").to_numpy(float),
              pd.Series(keys).groupby(keys, sort=False).cumcount().to_numpy(float))
    for clock in clocks:
        total = pd.Series(numbers + clock)[below].groupby(keys[below], sort=False)
        spread, rows = total.max() - total.min(), total.size()
        steady = (spread <= 1e-6 * max(1.0, float(np.nanmax(np.abs(numbers))))) & (rows >= 2)
        if len(rows) >= 2 and steady.mean() >= 0.9:
            return True
    return False


MIN_FAILED = 4  # as many failed units as RUL needs, else nothing is left out


def end_mark(data: pd.DataFrame, unit: str, time: str) -> tuple[Any, list]:
    """A column that marks each failure on its unit's last reading (a status 'FAILED', an event 1, a failure
    mode), and the units whose last reading lacks the mark: still running when the file was written (censored).
    Read as failures, ten compressors still running among 40 put the validation RMSE at 136 hours (34 without them)
    and scored new units 41 hours off (16). Every other reading holds one value (RUNNING, 0) or none, which the
    running units' last readings hold too: a sensor with levels is no mark."""
    last = ~data[unit].duplicated(keep="last").to_numpy()  # the rows are in unit and time order
    for column in data.columns:
        values = data[column]
        usual = pd.unique(values[~last].dropna())
        if column in (unit, time) or len(usual) > 1:
            continue
        calm = values.isna().to_numpy() if not len(usual) else (values == usual[0]).to_numpy()
        marked = last & ~calm & values.notna().to_numpy()
        if MIN_FAILED <= marked.sum() and (last & calm).any() and (marked | calm).all():
            return column, list(data[unit].to_numpy()[last & calm])
    return None, []


HEALTH_NAME = re.compile(r"capacity|(^|[^a-z])soh([^a-z]|$)|state[ _-]?of[ _-]?health", re.I)
END_SPREAD = 0.1  # units cut at a failure limit end within a few % of one share of their start


def health_end_note(data: pd.DataFrame, unit: str, time: str) -> list[str]:
    """Histories without a failure mark whose capacity (or state of health) falls and ends at levels far apart: the
    cells were cycled past their end of life, or stopped before it, as NASA's battery files are (on a generated
    copy, one cell ran on to 60 % of its first capacity, another stopped at 77 %, the failure being 70 %). Each last
    reading is read as the failure, so the models learnt the life to the end of the record: four cells cut at cycle
    60 were told 76–88 cycles left where they had 42–61 to the limit, every one late."""
    for column in (c for c in data.columns if c not in (unit, time) and HEALTH_NAME.search(str(c))):
        values = to_numeric(data[column], errors="coerce")
        grouped = values.groupby(data[unit].to_numpy(), sort=False)
        start, end = grouped.apply(lambda v: v.dropna().head(3).median()), grouped.apply(
            lambda v: v.dropna().tail(3).median())
        share = (end / start).replace([np.inf, -np.inf], np.nan).dropna()
        if len(share) < 2 or (share < 1).mean() < 0.75 or share.max() - share.min() <= END_SPREAD:
            continue
        return [f"{column!r} falls over the units' lives and ends far apart, at {share.min():.0%} to "
                f"{share.max():.0%} of its first readings ({share.idxmin()}, {share.idxmax()}), and no column marks "
                "the failures: each history's last reading is read as its failure. If a unit fails at a limit (a "
                "cell at 70–80 % of its rated capacity), cut each history at its first reading below it and leave "
                "out units that never reached it: a unit recorded past the limit teaches the life to the end of "
                "its record, not to the limit."]
    return []

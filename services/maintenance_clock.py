"""A clock without a date (a test rig's 23:59:50, then 00:00:00) read as one run per machine for failure risk's
history features, and the note that says which machines passed midnight, as remaining useful life says it; each
reading's place on the history's time axis, and that axis's unit in words."""
from __future__ import annotations

import pandas as pd

from ml import leakage, unit_history
from ml.numbers import to_numeric
from ml.rul_readings import CLOCK_ONLY, past_midnight

SAMPLE = 1_000  # readings looked at before a time column is taken for a clock without a date


def machine_times(name: str, column: pd.Series, units: pd.Series) -> pd.Series | None:
    """Each reading's date and time (``leakage.as_timestamps``), a clock without a date carried past midnight within
    each machine in the file's order: a bearing run through the night had its worn readings put first, so their
    history windows read them as its first ones."""
    times = leakage.as_timestamps(name, column)
    if times is None or pd.api.types.is_numeric_dtype(column) or pd.api.types.is_datetime64_any_dtype(column):
        return times
    return past_midnight(column.astype("string").str.strip(), times, units)[0]


def midnight_note(frame: pd.DataFrame, history: unit_history.History | None, shown: int = 5) -> list[str]:
    """'Time column 'time' holds times of day without a date: 2 machine(s) pass midnight (…)' when the history
    features' clock has no date and some machine's readings pass midnight (a day added there; before, training
    and scoring said nothing of it, where remaining useful life did)."""
    if history is None or history.axis == unit_history.AXIS or history.time not in frame.columns:
        return []
    column = frame[history.time]
    if pd.api.types.is_numeric_dtype(column) or pd.api.types.is_datetime64_any_dtype(column):
        return []
    text = column.astype("string").str.strip()
    if text.head(SAMPLE).str.fullmatch(CLOCK_ONLY).fillna(False).mean() < 0.9:  # dates written: not parsed again
        return []
    times = leakage.as_timestamps(history.time, column)
    one = history.unit == unit_history.ONE_MACHINE or history.unit not in frame.columns
    units = pd.Series(0, index=frame.index) if one else frame[history.unit]
    passed = [] if times is None else past_midnight(text, times, units)[1]
    if not passed:
        return []
    who = ("the readings (one machine's) pass midnight" if one else f"{len(passed)} machine(s) pass midnight "
           f"({', '.join(map(str, passed[:shown]))}{' …' if len(passed) > shown else ''})")
    return [f"Time column {history.time!r} holds times of day without a date: {who}; a day was added at each "
            "midnight, in the file's order."]


def lead_words(history: unit_history.History) -> tuple[str, str]:
    """The data's own unit of time between readings ('hours', 'days'; 'readings' along a cycle column) and the
    history's medium window in words ('day', '4 weeks'): the note said 'the hours before it' of daily SMART
    readings."""
    if history.axis == unit_history.AXIS:
        return "readings", f"{history.windows[1]} readings"
    units = (("weeks", 604_800), ("days", 86_400), ("hours", 3_600), ("minutes", 60))
    unit = next((name for name, size in units if history.step_seconds >= size), "seconds")
    count, name = history.labels()[1].split("-")
    return unit, name if count == "1" else f"{count} {name}s"


def times_along(values: pd.Series, history: unit_history.History) -> pd.Series | None:
    """The time axis as the history features read it, each distinct time parsed once (hourly telemetry of 100
    machines repeats each of its 8,761 hours 100 times)."""
    if history.axis == unit_history.AXIS:
        return to_numeric(values, errors="coerce")
    codes, distinct = pd.factorize(values)  # a dict of 1.5 million distinct times took 17 s and 0.3 GB to map
    parsed = leakage.as_timestamps(history.time, pd.Series(distinct))
    if parsed is None:
        return None
    return pd.Series(parsed.to_numpy()[codes], index=values.index).where(codes >= 0)  # an empty cell: no time

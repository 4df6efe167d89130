"""A clock without a date (a test rig's 23:59:50, then 00:00:00) read as one run per machine for failure risk's
history features, and the note that says which machines passed midnight, as remaining useful life says it."""
from __future__ import annotations

import pandas as pd

from ml import leakage, unit_history
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

"""What scoring failure-risk readings says about the file: machines with little history, gaps, unseen
categories, an empty column, duplicated ids. Every row is still scored; these notes say what the model could
not use as given."""
from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ml import failure, unit_history
from ml.numbers import to_numeric
from ml.rul_readings import duration
from services import datasets
from services.errors import UserFacingError
from services.maintenance_clock import machine_times, midnight_note

USUAL_GAP_MARGIN = 0.05  # in a column with gaps in training, gaps up to its share plus this go without a note
CLEARLY_SHORTER = 0.75  # a scored machine spanning less than this share of training's usual span has less history


def emptied_cells_notes(problems, read) -> list[str]:
    """The reader's notes on cells it emptied in the columns the model reads ('high' or 'OVR' in a torque column
    kept as numbers, 'na'): those readings are scored with a gap there, and training said so where scoring did not.
    Notes on a column the model does not read say nothing about the scores. Headers match as matching does (case,
    spaces)."""
    plain = {str(c).strip().casefold() for c in read if c}
    return datasets.emptied_values_notes([p for p in problems if str(p.get("column") or "").strip().casefold()
                                          in plain])


def history_times(history: unit_history.History, frame: pd.DataFrame) -> pd.Series | None:
    """What orders each machine's readings: dates and times, or numbers on a whole-number axis such as cycle."""
    if history.time not in frame.columns:
        raise UserFacingError(f"The readings lack the column {history.time!r} that orders each machine's readings "
                              "for this run's history features: score a file with that column.")
    if history.axis != unit_history.AXIS:
        units = frame[history.unit] if history.unit in frame.columns else pd.Series(0, index=frame.index)
        return machine_times(history.time, frame[history.time], units)
    numbers = to_numeric(frame[history.time], errors="coerce")
    return numbers if numbers.notna().any() else None


def history_notes(frame: pd.DataFrame, history: unit_history.History | None,
                  alone: np.ndarray | None = None) -> list[str]:
    """Machines with less history in the scored file than the long window: their baseline rests on fewer readings
    than in training. With ``alone`` (rows scored on their readings alone), those machines are named as such;
    without it (a run stored before), one reading alone is scored as a machine's first. A clock without a date that
    passes midnight is said first (``midnight_note``)."""
    if history is None:
        return []
    times, units = history_times(history, frame), frame[history.unit].to_numpy()
    spans = times.groupby(units).agg(["count"])
    seconds = unit_history.unit_spans(history, frame[history.unit], times).groupby(units).max().reindex(spans.index)
    single = int((spans["count"] <= 1).sum()) if alone is None else int((seconds < history.windows[0]).sum())
    short = int((seconds < short_of(history)).sum()) - single
    if not single and short <= 0:
        return midnight_note(frame, history)
    first = history.labels()[0]
    parts = [f"{single} have a single reading (scored as a machine's first reading, without history)"] if single else []
    if alone is not None and single:
        reach = "fewer readings than" if history.axis == unit_history.AXIS else "readings spanning less than"
        parts = [f"{single} have {reach} the {first} "
                 f"window ({int(alone.sum())} row(s), scored by the run's model on readings alone, with its own "
                 "threshold)"]
    parts += [_short_words(history, short)] if short > 0 else []
    whose = "as one machine's (no machine column)" if history.unit == unit_history.ONE_MACHINE else \
        f"per {history.unit!r}"
    return [*midnight_note(frame, history),
            f"History features come from this file's own readings {whose}: of {len(spans)} machine(s), "
            f"{' and '.join(parts)}. Include each machine's earlier readings to score it as in training."]


def short_of(history: unit_history.History) -> float:
    """The span under which a scored machine has less history than in training: the long window, or clearly less
    than the training machines' usual span when that was shorter than the window (each drive's 90 days of daily
    SMART readings, never the 13-week window's 91: every scored drive was told its baseline was short). Runs
    stored before the span was kept: the long window."""
    long = float(history.windows[2])
    return CLEARLY_SHORTER * history.span if 0 < history.span < long else long


def _short_words(history: unit_history.History, short: int) -> str:
    if short_of(history) >= history.windows[2]:
        return f"{short} cover less than the {history.labels()[2]} baseline window"
    share = f"{CLEARLY_SHORTER:.0%} of training's usual"
    if history.axis == unit_history.AXIS:
        return f"{short} have fewer readings than {share} {history.span:g} per machine"
    return f"{short} span less than {share} {duration(history.span)} per machine"


def gap_notes(gaps: list[tuple[str, int]], shown: int = 5) -> list[str]:
    """One note per column with gaps, or one for them all when there are many (a 590-sensor file)."""
    if len(gaps) <= shown:
        return [f"Column {c!r} has {n} empty or unreadable value(s); they were scored as missing." for c, n in gaps]
    worst = sorted(gaps, key=lambda g: -g[1])[:shown]
    listed = ", ".join(f"{c!r} ({n})" for c, n in worst)
    return [f"{len(gaps)} columns have empty or unreadable values, scored as missing; most in {listed} …"]


def empty_notes(empty: list[str], shown: int = 5) -> list[str]:
    """One note per column empty on every scored row, or one for them all when there are many (a one-row file of
    a 590-sensor SECOM-like table got 48 notes, one per empty sensor)."""
    said = "every reading was scored without {} (as missing)."
    if len(empty) <= shown:
        return [f"Column {c!r} is empty in this file: " + said.format("it") for c in empty]
    listed = ", ".join(repr(c) for c in empty[:shown])
    return [f"{len(empty)} columns are empty in this file ({listed} …): " + said.format("them")]


def score_notes(frame: pd.DataFrame, X: pd.DataFrame, model, config: dict[str, Any],
                 id_column: str | None) -> tuple[str, ...]:
    """What in the file the model could not use as given: every row is still scored."""
    notes = []
    names = {safe: original for original, safe in failure.lightgbm_safe_names(config["features"]).items()}
    for safe, known in getattr(getattr(model, "encoder_", None), "categories_", {}).items():
        if safe not in X.columns:
            continue
        values = X[safe].dropna().astype(str)
        unseen = sorted(set(values) - set(known))
        if unseen:
            shown = ", ".join(repr(v) for v in unseen[:3]) + (" …" if len(unseen) > 3 else "")
            notes.append(f"Column {names.get(safe, safe)!r} has values not seen in training ({shown}, "
                         f"{int(values.isin(unseen).sum())} rows); they were scored as missing.")
    categorical = set(getattr(getattr(model, "encoder_", None), "categories_", {}))
    gaps, empty, usual = [], [], {**config.get("text_empty_share", {}), **config.get("empty_share", {})}
    for safe, column in names.items():
        if safe not in X.columns or column not in frame.columns:
            continue
        values = X[safe] if safe in categorical else to_numeric(X[safe], errors="coerce")  # "ERR" → missing
        blank = int(values.isna().sum())
        if blank == len(frame):
            empty.append(column)
        elif blank and (not usual.get(column) or blank / len(frame) > usual[column] + USUAL_GAP_MARGIN):
            gaps.append((column, blank))  # gaps as common as in training are how this sensor is: no note
    notes += empty_notes(empty) + gap_notes(gaps)
    # a machine id repeats on every reading of its machine; only a reading id's repeats are worth a note
    ids = frame[id_column].dropna() if id_column in frame.columns else None  # blanks are not one repeated id
    if ids is not None and ids.duplicated().any() and ids.nunique() > 0.5 * len(frame):
        notes.append(f"Id column {id_column!r} has {int(ids.duplicated().sum())} duplicated value(s); "
                     "every row was still scored.")
    return tuple(notes)

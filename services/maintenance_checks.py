"""What failure-risk training must keep together in a fold and what it should say beyond its metrics.

Rows of one machine, or of one stretch of time, on both sides of a fold make cross-validated figures
look better than new machines or a later period will; a near-chance model or a handful of failures
deserve a word. Both read the leakage guard's verdict (``FailureSetup.flags``). The columns a run reads from a
file (checked, gaps filled) are in services/maintenance_inputs.py.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ml import failure, failure_inputs, leakage, unit_history
from ml.numbers import to_numeric
from ml.rul_leaks import clock_parts
from services.datasets import NamesCheck
from services.errors import UserFacingError
from services.maintenance_clock import lead_words, machine_times, midnight_note, times_along
from services.maintenance_inputs import check_columns

if TYPE_CHECKING:
    from services.maintenance import FailureSetup

NEAR_PERFECT_AUC = 0.999  # a cross-validated AUC this high usually means a column carries the answer
WEAK_AUC = 0.6  # below this a model left without its strongest columns is worth a word
FEW_FAILURES = 20  # fewer failures make every cross-validated figure a rough guess
BLOCKS_PER_FOLD = 4  # periods of consecutive readings per fold when folds follow time
NAMED_MODE = "named like a failure-mode flag"
CLOCK_PART = ("part of a time of day, as the time column: the model would learn when failures happened (a rig's "
              "hour rose with every unit's age), not the machine's condition")
OUTCOME_REASONS = ("sub-label", "parent label", "sibling label", NAMED_MODE, "named like a record made with or after")
MODE_LIFT = 1.5  # a flag excluded on its name must mark readings that fail at least this much more often
ISOLATED = 0.9  # share of failures marked on one reading alone that says the label marks the moment, not a span
MODE_EVIDENCE = 5  # failures expected on a flag's readings (at the overall rate) before its rate can clear it
__all__ = ["check_columns", "columns_check"]  # read by commands/maintenance.py; see services/maintenance_inputs.py


def columns_check(target: str, **options) -> NamesCheck:
    """check_columns for an import: it reads the column names alone, so the table is not converted for it."""
    return NamesCheck(lambda frame: check_columns(frame, target, **options))


def unlinked_mode_names(data: pd.DataFrame, flags: dict[str, str], y: pd.Series) -> tuple[dict[str, str], list[str]]:
    """The guard's flags without those excluded on their name alone whose readings fail no more often than the
    others, and a note naming them. The hydraulic rig's stable_flag, set on 30 % of cycles (32 % of them failures
    against 34 % of the rest), was left out as a failure mode. A flag on too few readings to tell (AI4I's RNF, on
    19 of 10,000, where 0.6 failures were to be expected) is judged by its name, as before."""
    kept, notes = {}, []
    for column, reason in flags.items():
        rates = failure.flag_failure_rates(data[column], y) if reason == NAMED_MODE else None
        if rates is None or _too_rare(data[column], y) or rates[0] >= MODE_LIFT * rates[1]:
            kept[column] = reason
            continue
        notes.append(f"{column!r} is named like a failure-mode flag but was kept as a feature: its readings fail no "
                     f"more often than the others ({rates[0]:.1%} against {rates[1]:.1%}), so it does not mark "
                     f"failures. Leave it out with --exclude {column} (or untick it on the page).")
    return kept, notes


def fold_groups(data: pd.DataFrame, setup: FailureSetup, id_column: str | None, folds: int,
                y: pd.Series | None = None) -> tuple[pd.Series | None, list[str]]:
    """What must stay together in one fold. A machine: the id column, else a column the leakage guard left out
    as a machine identifier, when it repeats over enough machines. Else a period: with a timestamp the guard
    left out, runs of consecutive readings, so that one failure episode's hours are not on both sides. With ``y``,
    a grouping that holds every failure in one group is passed over: the fold holding it trained without a failure,
    and one air-leak hour marked in a compressor's 10-second readings stopped training with a traceback ("The target
    has a single class")."""
    failed, passed = (None if y is None else np.asarray(y) == 1), []
    for groups, note, what in _groupings(data, setup, id_column, folds):
        if failed is None or groups[failed].nunique() >= 2:
            return groups, [note]
        passed.append(what)
    return None, [f"Every failure falls within one {' and within one '.join(passed)}: folds that keep it together "
                  "would train without a failure, so the folds are by row, with neighbouring readings of the failure "
                  "on both sides, and the cross-validated figures are optimistic. Mark more failures (episodes, "
                  "machines) for figures that hold on new ones."] if passed else []


def _groupings(data: pd.DataFrame, setup: FailureSetup, id_column: str | None, folds: int):
    """(groups, note, what a group is) for the machines, then the periods, where the table has them."""
    named = [c for c, why in setup.flags.items() if why.startswith("machine identifier")]
    for column in [*([setup.history.unit] if setup.history else []), *([id_column] if id_column else []), *named]:
        machines = data[column].nunique(dropna=True)
        if folds <= machines <= len(data) / 2:
            yield (data[column].astype(str), f"Cross-validation keeps each {column!r} value's readings in one fold "
                   f"({machines} machines): the figures are for machines the model has not seen.",
                   f"machine ({column!r})")
            break
    stamps = [c for c, why in setup.flags.items() if why.startswith("timestamp") and c in data.columns]
    if id_column and pd.api.types.is_datetime64_any_dtype(data[id_column]):  # the timestamp chosen as the id
        stamps.insert(0, id_column)
    blocks = folds * BLOCKS_PER_FOLD
    times = leakage.as_timestamps(str(stamps[0]), data[stamps[0]]) if stamps else None  # Unix, Excel, mixed text
    if times is not None and len(data) >= blocks * 10:
        order = pd.Series(times).rank(method="first", na_option="bottom")
        period = ((order - 1) * blocks // len(data)).astype(int)
        yield (period.astype(str), f"Cross-validation folds are periods of {stamps[0]!r} ({blocks} runs of "
               f"consecutive readings, {folds} folds): neighbouring readings of one failure episode stay on one side.",
               f"run of consecutive readings of {stamps[0]!r} (of {blocks})")


def with_history(data: pd.DataFrame, flags: dict[str, str], features: list[str], id_column: str | None,
                 y: pd.Series | None = None) -> tuple[pd.DataFrame, unit_history.History | None]:
    """The table with each machine's history features when it holds a machine column (the id column, else one the
    guard left out as a machine identifier) and a timestamp; unchanged for snapshots such as AI4I, one reading per
    row id. Only features the guard let through get a history: an excluded column never comes back rolled. With
    more sensors than get a history, ``y`` picks those that tell failures apart."""
    found = _unit_and_time(data, flags, id_column, features)
    if found is None:
        return data, None
    unit, time, times, axis = found
    if unit == unit_history.ONE_MACHINE:
        data = data.copy(deep=False)  # the readings' columns shared, not copied (0.3 GB on 1.5 million readings)
        data[unit] = unit_history.ONE_MACHINE_KEY
    sensors = unit_history.sensors_with_history(data, unit, [c for c in features if c not in (unit, time)])
    if not sensors:
        return data, None
    step = unit_history.usual_step(data[unit], times)
    chosen = sensors[:unit_history.MAX_SENSORS] if y is None else unit_history.telling_sensors(data, unit, sensors, y)
    windows = unit_history.READING_WINDOWS if axis == unit_history.AXIS else unit_history.choose_windows(step)
    history = unit_history.History(str(unit), str(time), tuple(chosen), windows, step, len(sensors), axis,
                                   unit_history.typical_span(axis, data[unit], times))
    clash = [n for n in history.names() if n in data.columns]
    if clash:
        raise UserFacingError(f"Column names needed for history features are taken: {', '.join(clash)}.")
    return unit_history.joined(data, unit_history.history_features(data, history, times)), history


def clock_flags(data: pd.DataFrame, candidates: list, flags: dict[str, str]) -> dict[str, str]:
    """The guard's flags with the parts of a time of day split into columns (PRONOSTIA's hour, min, s, µs), left out
    as RUL leaves them out: kept, a bearing's hour and its history features were the model's first features."""
    numeric = [c for c in candidates if pd.api.types.is_numeric_dtype(data[c])]
    return {**{c: CLOCK_PART for c in clock_parts(data, numeric)}, **flags}


def _unit_and_time(data: pd.DataFrame, flags: dict[str, str], id_column: str | None, features: list[str]):
    """(machine column, time column, its dates and times, axis): a machine column that repeats, and a timestamp
    that changes within a machine, else a whole-number column read as its time axis (the turbofan's 'cycle', the
    feature or a counter the guard left out as an id; unit_history.reading_axis); None for a snapshot."""
    named = [c for c, why in flags.items() if why.startswith("machine identifier")]
    units = [c for c in [id_column, *named] if c and c in data.columns and 2 <= data[c].nunique() <= len(data) / 2]
    stamps = [c for c, why in flags.items() if c in data.columns and (why.startswith("timestamp") or c == id_column)]
    for time in (c for c in stamps if units and c != units[0]):
        times = machine_times(str(time), data[time], data[units[0]])
        if times is not None and times.groupby(data[units[0]].to_numpy()).nunique().max() >= 2:
            return units[0], time, times, "time"
    if not units:
        return _one_machine(data, stamps)
    counters = [*features, *(c for c, why in flags.items() if why.startswith("identifier") and c != id_column)]
    axis = unit_history.reading_axis(data, units[0], [c for c in counters if c != units[0]]) if units else None
    return None if axis is None else (units[0], axis, to_numeric(data[axis]), unit_history.AXIS)


def _one_machine(data: pd.DataFrame, stamps: list):
    """A timestamp that hardly repeats and no machine column: one machine's readings over time, given history
    features as one machine (a compressor logged every 10 seconds had none, and its slow drift went unread)."""
    for time in stamps:
        times = machine_times(str(time), data[time], pd.Series(0, index=data.index))
        if times is not None and times.nunique() >= unit_history.ONE_MACHINE_DISTINCT * len(data) >= 2:
            return unit_history.ONE_MACHINE, time, times, "time"
    return None


def mode_columns(setup: FailureSetup) -> list[str]:
    """The columns the failure-mode breakdown reads: the guard's sub-labels and, when several values of the target
    are failures, the target itself, one mode per value (Azure's 'comp1' … 'comp4' had no breakdown at all)."""
    return [*setup.modes, *([setup.target] if len(setup.positive.split(", ")) > 1 else [])]


def isolated_failures_note(data: pd.DataFrame, y: pd.Series, history: unit_history.History | None) -> list[str]:
    """A note when nearly every failure is marked on one reading alone, the machine's readings before and after it
    not failures: a failure log joined to hourly telemetry (Azure's, 'comp1' on the failure hour only) trained to a
    cross-validated AUC of 0.49, where the same readings marked over the 24 hours before each failure gave 0.97."""
    failures = int(y.sum())
    if history is None or failures == 0:
        return []
    clock = times_along(data[history.time], history)
    if clock is None:
        return []
    order = pd.DataFrame({"unit": data[history.unit].astype(str).to_numpy(), "time": clock.to_numpy(),
                          "y": y.to_numpy()}).sort_values(["unit", "time"], kind="stable")
    failed = order["y"].eq(1)
    neighbour = ((failed.shift(1, fill_value=False) & order["unit"].eq(order["unit"].shift(1)))
                 | (failed.shift(-1, fill_value=False) & order["unit"].eq(order["unit"].shift(-1))))
    if (failed & ~neighbour).sum() < ISOLATED * failures:
        return []
    unit, lead = lead_words(history)
    return [f"Each failure is marked on one reading alone ({failures:,} of {len(y):,}; the readings just before it are "
            f"not failures): the model must tell the failure's reading from the {unit} before it, which look alike, "
            f"and cannot warn ahead of it. Mark the readings leading up to each failure as failures too (those of the "
            f"{lead} before it, say: Azure's predictive-maintenance template marks the 24 hours before each failure of "
            "its hourly readings) and train again."]


def history_note(history: unit_history.History) -> str:
    """What the history features are, in the words their names use, and how the windows were chosen."""
    short, medium, long = history.labels()
    left = (f" (the {len(history.sensors)} of {history.eligible} sensors that change over time whose readings, "
            "against their machine's own mean, tell failures apart best)"
            if history.eligible > len(history.sensors) else "")
    counts = ", ".join(map(str, history.windows[:2])) + f" and {history.windows[2]}"
    spacing = (f"{history.time!r} has no dates, so the windows count each machine's last {counts} readings along it"
               if history.axis == unit_history.AXIS else f"readings are usually {_spacing(history.step_seconds)} "
               f"apart, so the windows are {short}, {medium} and {long}")
    whose = (f"from the file's readings as one machine's (it has no machine column), in the order of "
             f"{history.time!r}" if history.unit == unit_history.ONE_MACHINE
             else f"per {history.unit!r} in the order of {history.time!r}")
    numbered = any(str(s).replace(".", "", 1).isdigit() for s in history.sensors)  # SECOM's '21': a name, quoted
    names = ", ".join(map(repr if numbered else str, history.sensors))
    return (f"History features {whose}: {spacing}. For "
            f"{names}{left}: the {short} and {medium} means, the {medium} std dev, "
            f"and the {short} mean and the reading minus the {long} mean (the machine's own baseline). Each uses only "
            "that machine's current and earlier readings; scoring computes them from the scored file's own readings "
            "per machine.")


def _spacing(seconds: float) -> str:
    from ml.rul_readings import duration

    text = duration(seconds)
    return "1 second" if text == "1 seconds" else text  # a PLC logging every second


def without_after_failure(frame: pd.DataFrame, target: str, positive: str | None) -> tuple[pd.DataFrame, list[str]]:
    """Readings labelled with the state after a failure (a pump's RECOVERING) left out as rows without a label, with a
    note: counted as no failure, 14,477 readings of a stopped pump taught the model that a stopped pump is healthy."""
    values = failure_inputs.after_failure_values(frame[target], positive)
    if not values:
        return frame, []
    written = frame[target].map(str).str.strip()
    after = frame[target].notna() & written.isin(values)
    shown = ", ".join(f"{v!r} ({int((written[after] == v).sum()):,} rows)" for v in values)
    return frame.assign(**{target: frame[target].mask(after)}), [
        f"{shown} of {target!r} name the machine's state after a failure (being repaired or restarted): neither a "
        "healthy reading nor a failure, so those rows were left out of training. To count them as no failure, write "
        "them as the healthy value in the file; to count them as failures, name them with --positive ('Failure "
        "value' on the page)."]


def training_notes(frame: pd.DataFrame, setup: FailureSetup, metrics: dict[str, float]) -> list[str]:
    """What the user should know about the training that the metrics do not say."""
    notes = list(setup.label_notes)
    if setup.history:
        notes.extend([history_note(setup.history), *midnight_note(frame, setup.history)])
    outcome = [c for c, why in setup.flags.items() if why.startswith(OUTCOME_REASONS) and c not in setup.features]
    if outcome:
        notes.append(f"Left out as records of the outcome, written with or after a failure (new readings will not "
                     f"have them): {', '.join(map(repr, outcome))}. Each one's reason is with the excluded columns.")
    filled = failure_inputs.blanks_as_no_failure(frame[setup.target])  # empty cells read as no failure are labels
    unlabelled = int((frame[setup.target] if filled is None else filled).isna().sum())
    after_values = failure_inputs.after_failure_values(frame[setup.target], setup.positive)  # left out, own note
    after = frame[setup.target].map(str).str.strip().isin(after_values) if after_values else pd.Series([], dtype=bool)
    if unlabelled:
        notes.append(f"{unlabelled} row(s) without a value in {setup.target!r} were left out of training.")
    separating = [c for c, reason in setup.flags.items()  # kept with --keep: in the "kept although flagged" note
                  if reason.startswith("separates the target alone") and c not in setup.features]
    if separating and metrics["cv_auc"] < WEAK_AUC:
        notes.append(f"The model is barely better than chance (cross-validated AUC {metrics['cv_auc']:.2f}) without "
                     f"{', '.join(map(repr, separating))}, which the leakage guard left out because each alone "
                     "separates failures. If they are measured before a failure happens, keep them (--keep NAME, "
                     "or tick them on the page).")
    elif separating:
        notes.append(_separating_note(setup.flags, separating))
    elif metrics["cv_auc"] < WEAK_AUC:
        notes.append(f"The model is barely better than chance, or worse (cross-validated AUC "
                     f"{metrics['cv_auc']:.2f}): its alerts are not to be trusted as they stand.")
    kept = [c for c in setup.flags if c in setup.features]
    if kept:
        notes.append("Warning: kept although the leakage guard flagged them: " + "; ".join(
            f"{c!r} ({setup.flags[c]})" for c in kept) + ". Every file to score must carry them too, and if one is "
            "recorded with or after a failure, new readings will not have it.")
    if metrics["cv_auc"] >= NEAR_PERFECT_AUC:
        notes.append(f"The cross-validated AUC is {metrics['cv_auc']:.3f}, near perfect: check that no feature is "
                     "recorded with or after the failure (a mode flag, a repair or downtime record).")
    failures = int(round(metrics["positive_rate"] * (len(frame) - unlabelled - int(after.sum()))))
    if failures < FEW_FAILURES:
        notes.append(f"Only {failures} failures to learn from: the cross-validated figures rest on a handful of "
                     "readings and may be far off on new data.")
    return notes


def _too_rare(column: pd.Series, y: pd.Series) -> bool:
    """Set on so few readings that fewer than ``MODE_EVIDENCE`` failures were to be expected there."""
    coded = failure.as_flag(column)
    return float((coded == 1).sum()) * float(np.mean(np.asarray(y) == 1)) < MODE_EVIDENCE


def _separating_note(flags: dict[str, str], separating: list[str]) -> str:
    """How to keep columns left out for separating the target alone: a real sensor (a cooler's efficiency that
    falls as it fails) can do that, and the guard cannot tell it from a record of the failure."""
    named = ", ".join(f"{c!r} ({flags[c].removeprefix('separates the target alone ').strip('()')})"
                      for c in separating)
    keep = f"--keep {separating[0]}" + (" (one --keep per column)" if len(separating) > 1 else "")
    return (f"Left out because each alone separates failures from the rest: {named}. A record made with or after "
            "the failure does that, but so can a sensor that reads the fault itself. If they are measured before a "
            f"failure happens, keep them: {keep}, or tick them on the page.")

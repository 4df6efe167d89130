"""Maintenance desk, remaining useful life: scoring histories with a stored RUL run.

The champion of ``services.maintenance_rul`` (LightGBM, the sequence model or their mean) predicts the RUL
at every reading with its interval; the scored file keeps each unit's last reading, in input order. The
notes say how the file was read: columns matched, gaps filled, units shorter than the window.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from ml import artifacts
from ml.device import select_device
from ml.rul import MeanRul, ResidualIntervals, RulLightGBMTask
from ml.rul_history import HistoryError, HistoryPreprocessor
from ml.rul_leaks import LEAK_NAME
from ml.rul_shape import EARLY_READINGS, TIME, UNIT, last_rows, shifted_sensors
from services import columns, datasets
from services.errors import UserFacingError
from services.maintenance import maintenance_run, read_json
from services.maintenance_headers import positional_names, training_kinds
from services.maintenance_rul import BLEND, CONFIG_FILE, RUL_TASK, history_error
from services.maintenance_rul_notes import prep_word, rul_ignored_note, usual_step
from services.maintenance_rul_validation import history_limit
from services.maintenance_store import DESK, import_input
from services.maintenance_words import at_cap_words
from services.runtime import Runtime


@dataclass(frozen=True)
class RulScore:
    frame: pd.DataFrame          # unit, rul, rul_low, rul_high (last cycle of each unit)
    notes: tuple[str, ...]
    dataset_id: int
    short_units: tuple = ()      # units scored on too few readings (the note's): shown as unknown, not a number


def load_champion(runtime: Runtime, run) -> tuple[dict[str, Any], Any]:
    config = read_json(runtime, run, CONFIG_FILE)
    folder = runtime.artifacts_dir / (run.artifact_dir or "")
    artifacts.read_metadata(folder)  # verifies every file's hash before anything is loaded
    if config["champion"] in ("sequence", BLEND):
        from ml.rul_sequence import RulSequenceTask

        sequence = RulSequenceTask.load(folder / "sequence", device=select_device(runtime.device))
        if config["champion"] == "sequence":
            return config, sequence
        return config, MeanRul(RulLightGBMTask.load(folder / "lightgbm"), sequence)
    return config, RulLightGBMTask.load(folder / "lightgbm")


def predict_histories(runtime: Runtime, run_id: int, frame: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    """RUL at every reading (for trend charts) with the interval; columns unit, time, rul, rul_low, rul_high."""
    run = maintenance_run(runtime, run_id, RUL_TASK)
    config, model = load_champion(runtime, run)
    prep = HistoryPreprocessor.from_json(config["preprocess"])
    trained = [prep.unit, prep.time, *prep.settings_, *prep.sensors_]
    # a file without a header row (NASA's test_FD001.txt converted as it is) takes the training names by position
    frame, positional = _by_position(frame, prep, training_kinds(runtime, run))
    # "RMS" for "rms": another export may change only the case or spacing of a header, as for failure risk
    frame, matched = columns.match_names(frame, trained)
    try:
        prepared, notes = prep.transform(frame)
    except HistoryError as exc:
        raise UserFacingError(history_error(exc, frame, trained, getattr(prep, "columns_", None))) from None
    known = getattr(prep, "columns_", None)  # runs trained before it was kept: no note
    notes = [*positional, *matched, *rul_ignored_note(frame, known, trained), *notes,
             *_short_history_notes(prepared, int(config["window"]), config.get("median_life"), float(config["cap"])),
             *_older_note(prepared, config.get("longest_life")),
             *_shifted_note(shifted_sensors(config.get("early_levels", {}), prepared, prep.empty_units_,
                                            int(config.get("early_readings", EARLY_READINGS))))]
    blind = getattr(prep, "blind_units_", [])
    if blind and len(blind) == prepared[UNIT].nunique():
        raise UserFacingError("No unit in the file has a single sensor reading: there is nothing to estimate a "
                              f"RUL from (sensors: {', '.join(prep.sensors_)}).")
    rul = model.predict(prepared)["rul"].to_numpy(float)  # float64: a float32 RUL could sit outside its own band
    short = prepared[UNIT].isin(_short_units(prepared, int(config["window"]), config.get("median_life")).index)
    low, high = _band(rul, ResidualIntervals.from_json(config["intervals"]), float(config["cap"]), short.to_numpy())
    unread = prepared[UNIT].isin(blind).to_numpy()  # the training medians' RUL: not an estimate of this unit
    rul, low, high = (np.where(unread, np.nan, v) for v in (rul, low, high))
    out = pd.DataFrame({"unit": prepared[UNIT].to_numpy(), "time": prepared["__time"].to_numpy(), "rul": rul,
                        "rul_low": low, "rul_high": high})
    out.attrs["short_units"] = sorted(set(prepared.loc[short, UNIT].tolist()), key=str)  # whole-range bands
    return out, notes


def _check_columns(frame: pd.DataFrame, prep: HistoryPreprocessor, kinds: dict[str, str] | None = None) -> None:
    """A file without the model's columns is refused (before it is stored), as the preprocessor would."""
    trained = [prep.unit, prep.time, *prep.settings_, *prep.sensors_]
    frame, _ = _by_position(frame, prep, kinds)
    frame, _ = columns.match_names(frame, trained)
    missing = columns.missing_names(frame, [prep.unit, prep.time])
    message = (f"Columns not in the data: {', '.join(missing)}." if missing else
               f"The data lacks columns the model was trained on: {', '.join(columns.missing_names(frame, trained))}.")
    if missing or columns.missing_names(frame, trained):
        raise UserFacingError(history_error(HistoryError(message), frame, trained, getattr(prep, "columns_", None)))
    try:
        prep.check(frame)  # dates where training had cycle numbers (or the other way round): refused unstored
    except HistoryError as exc:
        raise UserFacingError(str(exc)) from None


def _by_position(frame: pd.DataFrame, prep: HistoryPreprocessor,
                 kinds: dict[str, str] | None) -> tuple[pd.DataFrame, list[str]]:
    """A file without a header row with the training file's names, by position (and a note): of the same width, or
    one column short where training had one RUL column the model left out (a test file has no answers)."""
    trained, used = getattr(prep, "columns_", None) or [], [prep.unit, prep.time, *prep.settings_, *prep.sensors_]
    answers = [c for c in trained if LEAK_NAME.search(c) and c not in used]
    return positional_names(frame, trained, used, kinds=kinds, target=answers[0] if len(answers) == 1 else None,
                            role="the answer column")


def _band(rul: np.ndarray, intervals: ResidualIntervals, cap: float, short: np.ndarray) -> tuple[np.ndarray, ...]:
    """The residual interval, within [0, cap] and around the RUL; the whole range [0, cap] for readings of units
    with a short history. The held-out cuts the interval was fitted on were cut from whole histories, so it says
    nothing of a unit seen for ten readings: such a unit read "300 h, 300–300" although it failed 20 h later."""
    low, high = intervals.apply(rul)
    high = np.minimum(high, cap)  # the target never exceeds the cap, nor may its upper bound
    low, high = np.minimum(low, rul), np.maximum(high, rul)
    return np.where(short, 0.0, low), np.where(short, np.maximum(cap, rul), high)


def _short_units(prepared: pd.DataFrame, window: int, median_life: int | None = None) -> pd.Series:
    """Readings per unit, for the units with fewer than the window's (or the training median life's)."""
    sizes = prepared.groupby(UNIT, sort=False).size()
    return sizes[sizes < history_limit(window, median_life)]


def _short_history_notes(prepared: pd.DataFrame, window: int, median_life: int | None = None,
                         cap: float | None = None) -> list[str]:
    """Units with fewer readings than the model's window (or than the training units' median life, where
    they lived shorter than the window): their RUL rests on a short history (one reading says little more
    than 'healthy so far'), so their band is the whole range."""
    sizes = prepared.groupby(UNIT, sort=False).size()
    limit = history_limit(window, median_life)
    short = _short_units(prepared, window, median_life)
    if short.empty:
        return []
    shown = ", ".join(str(u) for u in short.index[:10]) + (" …" if len(short) > 10 else "")
    most = (" If the file holds only each unit's latest readings, give the whole histories: the model measures "
            "wear from each unit's first readings." if len(short) > len(sizes) / 2 else "")
    than = f"the model's {window}-reading window" if limit == window else \
        f"the training units' median life ({limit} readings)"
    band = f"0–{cap:,.4g}" if cap is not None else "0 to the cap"
    named = f"unit{'s' if len(short) > 1 else ''} {shown}"  # a bare "(35; …)" read as a count, not the unit 35
    return [f"{len(short)} unit(s) have fewer readings than {than} ({named}; the "
            f"shortest has {int(short.min())}): their RUL rests on a short history, so their band is the whole "
            f"range {band} (rul_low 0): read them as unknown, not as healthy (the tables say \"unknown (too few "
            f"readings)\"; the file keeps the numbers).{most}"]


def _older_note(prepared: pd.DataFrame, longest: int | None) -> list[str]:
    """Units with more readings than the longest-lived training unit: ages no training unit reached, where the
    band (fitted on units that had all failed by then) promises nothing (1 of 5 such units inside it on a
    generated fleet). Runs trained before the longest life was kept: no note."""
    if not longest:
        return []
    sizes = prepared.groupby(UNIT, sort=False).size()
    older = sizes[sizes > int(longest)]
    if older.empty:
        return []
    shown = ", ".join(str(u) for u in older.index[:10]) + (" …" if len(older) > 10 else "")
    return [f"{len(older)} unit(s) have more readings than the longest-lived training unit ({int(longest)}) "
            f"({shown}; the longest has {int(older.max())}): the model saw no unit this old, so their RUL and band "
            "rest on ages it never learnt. Read them with care: they may be of another kind, or run under lighter "
            "duty."]


def _shifted_note(shifted: dict[str, tuple[float, float]], shown: int = 6) -> list[str]:
    """Sensors whose units start at levels no training unit did: another kind of unit, another calibration,
    or histories that begin late in life (the drift features measure wear from each unit's first readings)."""
    if not shifted:
        return []
    worst = sorted(shifted, key=lambda c: shifted[c][0], reverse=True)
    parts = [f"{c} {shifted[c][1]:+.2g} standard deviations of the sensor ({shifted[c][0]:.0f} × the spread of "
             "the training units' starts)" for c in worst[:shown]]
    named = "; ".join(parts) + (" …" if len(worst) > shown else "")
    return [f"{len(worst)} sensor(s) start at levels the training units did not, in the median unit's first "
            f"{EARLY_READINGS} readings: {named}. The units may be of another kind, the sensors may read "
            "differently, or the histories may begin late in life (give each unit's whole history): read these "
            "RULs with care."]


BAND = ["rul", "rul_low", "rul_high"]


def score_rul(runtime: Runtime, run_id: int, source, *, filename: str, user: str) -> RulScore:
    run = maintenance_run(runtime, run_id, RUL_TASK)
    config, kinds = read_json(runtime, run, CONFIG_FILE), training_kinds(runtime, run)
    prep = HistoryPreprocessor.from_json(config["preprocess"])
    unit_column = prep.unit
    info, frame = import_input(runtime, source, filename=filename, user=user,
                               check=lambda table: _check_columns(table, prep, kinds))  # refused: not stored
    frame, positional = _by_position(frame, prep, kinds)
    every, notes = predict_histories(runtime, run_id, frame)
    notes = [*positional, *notes]
    frame, _ = columns.match_names(frame, [unit_column])  # as predict_histories matched it (and said so)
    last = every.iloc[last_rows(every.rename(columns={"unit": UNIT}))].set_index("unit")
    position = {u: i for i, u in enumerate(pd.unique(frame[unit_column].dropna()))}  # input order of units
    last = last.loc[sorted(last.index, key=lambda u: position.get(u, len(position)))]
    last = last.rename_axis("unit").reset_index()[["unit", "rul", "rul_low", "rul_high"]]
    last[BAND] = last[BAND].astype(float).round(2)  # 15-digit floats in the file said more than the model knows
    step = usual_step(every.rename(columns={"unit": UNIT, "time": TIME}))
    word = prep_word(prep, step)
    notes = [*datasets.scoring_read_notes(info.problems), *notes, *_at_cap_note(last, float(config["cap"]), word)]
    with runtime.uow() as uow:
        owner = uow.users.get_or_create(user)
        short = set(every.attrs.get("short_units", []))
        rows = [(str(r.unit), {"unit": str(r.unit), "rul": _number(r.rul), "rul_low": _number(r.rul_low),
                               "rul_high": _number(r.rul_high), "dataset_id": info.id,
                               "short_history": r.unit in short}) for r in last.itertuples()]
        uow.predictions.add_many(run_id, rows, kind="rul")
        uow.audit.add(user_id=owner.id, action="score", object_type="run", object_id=run_id,
                      details={"desk": DESK, "dataset_id": info.id, "units": len(last), "notes": notes})
        uow.commit()  # the notes: the run's report says them beside the scored units
    return RulScore(last, tuple(notes), info.id,
                    tuple(u for u in last["unit"] if u in short))


def _at_cap_note(last: pd.DataFrame, cap: float, word: str) -> list[str]:
    """Units whose band reaches the cap: the model tells lives apart only up to the cap, so their rul_high is
    the cap, not a bound (a unit at the cap can even get a zero-width band: it reads "the cap or more")."""
    whole_range = (last["rul_low"] <= 0) & (last["rul_high"] >= cap - 1e-9)  # short histories: unknown, said
    at_cap = last[(last["rul_high"] >= cap - 1e-9) & ~whole_range]
    if at_cap.empty:
        return []
    shown = ", ".join(str(u) for u in at_cap["unit"].head(10)) + (" …" if len(at_cap) > 10 else "")
    return [f"{len(at_cap)} unit(s) have a band that reaches the RUL cap of {cap:,.4g} {word} ({shown}): the model "
            f"tells lives apart only up to the cap, so for them the band's high end (\"RUL, high end\") is the cap, "
            "not an upper bound: they may "
            f"last longer. A RUL at the cap itself reads \"{at_cap_words(cap)}\" (healthy so far)."]


def _number(value) -> float | None:
    """A stored RUL: None where none was given (JSON has no NaN)."""
    return None if pd.isna(value) else float(value)

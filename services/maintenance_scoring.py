"""Scoring new readings with a trained failure-risk run, and explaining single readings (the notes on what the
file lacks are in services/maintenance_score_notes.py).

Every row of the file is scored, in input order; what the model could not use as given (unseen
categories, gaps, an empty column, duplicated ids) is said in notes rather than refused.
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from ml import expressions, failure, failure_calibration, leakage, unit_history
from ml.numbers import to_numeric
from services import columns, datasets
from services import maintenance_inputs as inputs
from services.errors import UserFacingError
from services.maintenance import (CONFIG_FILE, FAILURE_TASK, SNAPSHOT_DIR, maintenance_run, model_frame, read_json,
                                  with_derived)
from services.maintenance_headers import positional_names, reversed_header_hint, training_kinds
from services.maintenance_inputs import text_for_numbers
from services.maintenance_score_notes import emptied_cells_notes, history_notes, history_times, score_notes
from services.maintenance_store import DESK, import_input
from services.runtime import Runtime


@dataclass(frozen=True)
class ScoreResult:
    frame: pd.DataFrame
    dataset_id: int
    threshold: float
    notes: tuple[str, ...] = ()


def score_failure(runtime: Runtime, run_id: int, source, *, filename: str, user: str) -> ScoreResult:
    run = maintenance_run(runtime, run_id, FAILURE_TASK)
    folder = runtime.artifacts_dir / (run.artifact_dir or "")
    config = read_json(runtime, run, CONFIG_FILE)
    model = failure.load_classifier(folder)
    id_column = config.get("id_column")
    derived = inputs.used_formulas(config["features"], [expressions.DerivedFeature(**d)  # runs stored before kept
                                                        for d in config.get("derived", [])])  # every formula
    kinds = training_kinds(runtime, run)
    # a file the model cannot read is refused before it is stored
    info, frame = import_input(runtime, source, filename=filename, user=user, keep_blank_rows=True,
                               check=lambda table: _readable(table, config, derived, kinds, rolled=False))
    frame, matched, needed, data, filling = _readable(frame, config, derived, kinds)
    X = model_frame(data, config["features"])
    p = failure_calibration.calibrated(model.predict(X)["p_1"].to_numpy(), config.get("calibration"))
    threshold = float(config["threshold"])
    p, thresholds, alone = _without_history(folder, config, data, p, threshold)
    unread = _unread(frame, needed)
    p = np.where(unread, np.nan, p)  # a row with no reading at all is not a healthy machine: not scored
    numbered = bool(id_column) and id_column not in frame.columns  # not a feature: rows keep their order
    if numbered:
        out = pd.DataFrame({id_column: [""] * len(frame)}, index=frame.index)
        matched = [*matched, columns.missing_id_note(id_column)]
    else:
        out = pd.DataFrame({id_column: columns.ids_as_written(frame[id_column]).array}) if id_column \
            else pd.DataFrame(index=frame.index)
    out["p_failure"], out["alert"] = p, (p >= thresholds).astype(int)
    key = _unit_column(config) or (id_column if not numbered else None)
    keys = _record_keys(frame, key)
    order, ordered = reading_order(frame, keys, time_column(config),
                                   (config.get("history") or {}).get("axis") == unit_history.AXIS)
    no_unit = unread & (_blank(frame[key]).to_numpy() if key else True)  # an empty row, not a machine to plan
    order = order[~no_unit[order]]
    read = {*needed, id_column, *((config.get("history") or {}).get(k) for k in ("unit", "time"))}
    notes = (*datasets.scoring_read_notes(info.problems), *emptied_cells_notes(info.problems, read),
             *_unread_note(unread), *matched, *ordered,
             *inputs.ignored_note(frame.columns, config, read), *filling,
             *history_notes(frame, unit_history.History.from_config(config.get("history")),
                            alone[~unread] if config.get("snapshot") else None),
             *score_notes(frame[~unread], X[~unread], model, config, id_column))
    with runtime.uow() as uow:
        owner = uow.users.get_or_create(user)
        uow.predictions.add_many(run.id, _stored(keys, out, order, info.id, numbered=key is None), kind="score")
        uow.audit.add(user_id=owner.id, action="score", object_type="run", object_id=run.id,
                      details={"desk": DESK, "dataset_id": info.id, "rows": len(out), "notes": list(notes)})
        uow.commit()  # the notes: the run's report says them beside the scored readings, as score-rul's
    return ScoreResult(out.reset_index(drop=True), info.id, threshold, notes)


def _stored(keys: pd.Series, out: pd.DataFrame, order: np.ndarray, dataset_id: int, *, numbered: bool):
    """The scored rows to store, in reading order, made one at a time from arrays: a list of 1.3 million dicts
    built with .iloc per cell had held the whole batch in memory twice over."""
    names, p, alert = keys.to_numpy(), out["p_failure"].to_numpy(float), out["alert"].to_numpy()
    extra = {"numbered": True} if numbered else {}
    for i in order:
        yield names[i], {"p_failure": None if np.isnan(p[i]) else float(p[i]), "alert": int(alert[i]),
                         "dataset_id": dataset_id, **extra}


def _unit_column(config: dict[str, Any]) -> str | None:
    """The machine column a run with history features reads each machine's readings by, else None."""
    return (config.get("history") or {}).get("unit")


def time_column(config: dict[str, Any]) -> str | None:
    """The column the run reads time from: its history's, else the first the guard left out as a timestamp."""
    stamps = (c for c, why in (config.get("excluded") or {}).items() if str(why).startswith("timestamp"))
    return (config.get("history") or {}).get("time") or next(stamps, None)


def _record_keys(frame: pd.DataFrame, key: str | None) -> pd.Series:
    """What each scored row is stored under: the machine (a history run), else the id, else the row number. The
    plan takes each key's newest reading: keyed by a reading id, every reading of a machine was planned apart.
    The scored file keeps its documented columns (the id when given, p_failure, alert)."""
    numbers = pd.Series([str(i + 1) for i in range(len(frame))])
    if key is None:
        return numbers
    keys = pd.Series(columns.ids_as_written(frame[key]).array).astype(str).reset_index(drop=True)
    blank = _blank(frame[key]).to_numpy()  # stored as 'None', 'nan' or '<NA>', all such rows one unit in the plan
    return keys.where(~blank, "row " + numbers)


def _blank(values: pd.Series) -> pd.Series:
    return values.isna() | values.astype(str).str.strip().eq("")


def reading_order(frame: pd.DataFrame, keys: pd.Series, time: str | None = None,
                  counted: bool = False) -> tuple[np.ndarray, list[str]]:
    """Row positions in the order of the run's ``time`` column (else the first of dates; ``counted``: a whole-number
    axis such as cycle), and a note when a machine's readings are not in that order in the file: the plan takes
    each machine's last stored reading, and a SCADA export listed newest first gave it readings 12 days old."""
    rows = np.arange(len(frame))
    dated = [c for c in frame.columns if pd.api.types.is_datetime64_any_dtype(frame[c])]
    stamp = time if time in frame.columns else next(iter(dated), None)
    if counted and time in frame.columns:
        when = to_numeric(frame[time], errors="coerce").fillna(-np.inf)
    else:
        when = leakage.as_timestamps(str(stamp), frame[stamp]) if stamp is not None else None
    if when is None or not keys.duplicated().any():
        return rows, []
    when = when.reset_index(drop=True).fillna(pd.Timestamp.min)
    if (when.groupby(keys.to_numpy()).cummax() == when).all():
        return rows, []  # each machine's readings already oldest first (machine after machine, say)
    order = np.argsort(when.to_numpy(), kind="stable")
    return order, [f"Each machine's readings are taken in the order of {stamp!r}, not the file's: the plan uses "
                   "its newest reading."]


def _unread(frame: pd.DataFrame, needed: list[str]) -> np.ndarray:
    """Rows with no reading at all (a row of empty cells): not scored, and not named again as gaps."""
    return frame[list(needed)].isna().all(axis=1).to_numpy() if needed else np.zeros(len(frame), bool)


def _unread_note(unread: np.ndarray) -> list[str]:
    if not unread.any():
        return []
    rows = np.flatnonzero(unread) + 1
    listed = ", ".join(map(str, rows[:10])) + (" …" if len(rows) > 10 else "")
    return [f"{len(rows)} row(s) hold no reading at all (rows {listed} of the output): they were not scored; their "
            "p_failure is left empty and their alert is 0. Check the export."]


def _readable(frame: pd.DataFrame, config: dict[str, Any], derived: list[expressions.DerivedFeature],
              kinds: dict[str, str] | None = None, rolled: bool = True):
    """The file with the model's columns matched, its formulas computed and gaps filled: (file, match notes, the
    columns read, the model's table, gap notes). A missing column (or id column) is refused here, before
    the file is stored. A file without a header row takes the training file's names by position (``kinds``: the
    training dataset's column kinds, in file order, for runs stored before their columns were kept). Not ``rolled``:
    the file checked before it is stored, without history features (they were computed twice)."""
    id_column, history = config.get("id_column"), unit_history.History.from_config(config.get("history"))
    made = {d.name for d in derived} | set(history.names() if history else [])
    # Every column the model reads: its own features and the inputs of its formulas, checked together, so
    # a missing input is named as a column (not through a formula) and matched across case like the rest.
    inputs = {c: None for d in derived if d.name not in frame.columns for c in expressions.parse(d.formula).columns}
    needed = [c for c in dict.fromkeys([*config["features"], *inputs]) if c not in made]
    keys = [history.unit, history.time] if history else []  # whose readings, and when: the history's order
    trained = config.get("columns") or list(kinds or {})
    frame, positional = positional_names(frame, trained, [*keys, *needed], target=config.get("target"), kinds=kinds)
    frame = unit_history.with_one_machine(frame, history)  # a file of one machine's readings: no machine column
    frame, matched = columns.match_names(frame, list(dict.fromkeys([*([id_column] if id_column else []), *keys,
                                                                    *needed])))
    missing = [c for c in dict.fromkeys([*keys, *needed]) if c not in frame.columns]
    if missing:
        raise UserFacingError(f"The file lacks columns the model needs: {', '.join(map(str, missing))}."
                              + (reversed_header_hint(frame, trained) or _columns_read(frame, needed)))
    numeric = {**config.get("empty_share", {}), **config.get("fill", {})}  # the numeric columns of training
    text_for_numbers(frame, [c for c in needed if c in numeric])
    data, filling = _with_filled_gaps(frame, config.get("fill", {}),
                                      [d for d in derived if d.name not in frame.columns], _unread(frame, needed))
    return frame, [*positional, *matched], needed, _with_history(data, history, rolled), filling


def _columns_read(frame: pd.DataFrame, needed: list[str], shown: int = 8) -> str:
    """The file's own columns when it has none the model reads: a file split at the wrong separator (a semicolon
    file with decimal commas read at its commas) or another file altogether shows itself there."""
    if any(c in frame.columns for c in needed):
        return ""
    names = [str(c) for c in frame.columns]
    more = f" and {len(names) - shown} more" if len(names) > shown else ""
    listed = ", ".join(repr(c) for c in names[:shown]) + more
    return (f" None of them is in the file, whose columns were read as {listed}: check that it is the right file and "
            "that it was split at its separator.")


def _with_history(data: pd.DataFrame, history: unit_history.History | None, rolled: bool = True) -> pd.DataFrame:
    """The model's table with each machine's history features, from this file's own readings of it (not
    ``rolled``: only checked for a time column it can read)."""
    if history is None:
        return data
    times = history_times(history, data)
    if times is None:
        written = "numbers" if history.axis == unit_history.AXIS else "dates and times"
        raise UserFacingError(f"Column {history.time!r} holds no {written} in this file; the model reads each "
                              f"{history.unit!r}'s readings in their time order, as in training.")
    if not rolled:
        return data
    return pd.concat([data.drop(columns=[c for c in history.names() if c in data.columns]),
                      unit_history.history_features(data, history, times)], axis=1)


def _without_history(folder, config: dict[str, Any], data: pd.DataFrame, p: np.ndarray,
                     threshold: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """P(failure), the alert threshold per row, and which rows were scored on their readings alone: a machine whose
    readings here span less than the short window (its latest reading alone) has no history to read, and the
    history model read its 'no drift' as healthy. Runs stored before the fallback score as before."""
    history, snapshot = unit_history.History.from_config(config.get("history")), config.get("snapshot")
    thresholds = np.full(len(p), threshold)
    if history is None or not snapshot:
        return p, thresholds, np.zeros(len(p), bool)
    span = unit_history.unit_spans(history, data[history.unit], history_times(history, data))
    alone = (span < history.windows[0]).fillna(True).to_numpy()  # no machine or no time: read on its own
    if alone.any():
        model = failure.load_classifier(folder / SNAPSHOT_DIR)
        p = p.copy()
        raw = model.predict(model_frame(data[alone], snapshot["features"]))["p_1"].to_numpy()
        p[alone] = failure_calibration.calibrated(raw, snapshot.get("calibration"))  # on its threshold's scale
        thresholds[alone] = float(snapshot["threshold"])
    return p, thresholds, alone


def _with_filled_gaps(frame: pd.DataFrame, fill: dict[str, float], derived: list[expressions.DerivedFeature],
                      unscored: np.ndarray | None = None) -> tuple[pd.DataFrame, list[str]]:
    """The file with its formulas computed, gaps (empty, unreadable, inf) in (almost) never-empty training sensors at
    their training medians, and a note naming them; a sensor empty on every row is refused like a missing
    one. A formula reading a filled sensor takes its own training median on that row: a process temperature
    at its median minus a real air temperature would be a temperature difference no machine had."""
    filled, notes, rows = inputs.fill_gaps(frame, fill, unscored=unscored)
    data = with_derived(filled, derived)
    for feature in derived:
        touched = np.zeros(len(data), dtype=bool)
        for column in expressions.parse(feature.formula).columns:
            touched |= rows.get(column, touched)
        if touched.any() and feature.name in fill:
            data.loc[touched, feature.name] = fill[feature.name]
    return data, notes


def explain_readings(runtime: Runtime, run_id: int, frame: pd.DataFrame, rows: list[int] | None = None):
    """SHAP for a few readings (the page's 'why this reading'); pages never call shap themselves. ``rows``
    (positions) picks them from a whole file, whose earlier readings make each machine's history features."""
    run = maintenance_run(runtime, run_id, FAILURE_TASK)
    config = read_json(runtime, run, CONFIG_FILE)
    model = failure.load_classifier(runtime.artifacts_dir / (run.artifact_dir or ""))
    derived = inputs.used_formulas(config["features"], [expressions.DerivedFeature(**d)
                                                        for d in config.get("derived", [])])
    # read as scoring reads it: a file without the run's columns (scored by another run, say) is refused in words
    _, _, _, data, _ = _readable(frame, config, derived, training_kinds(runtime, run))
    data = data.iloc[list(rows)] if rows is not None else data
    explanation = failure_calibration.calibrated_explanation(model.explain(model_frame(data, config["features"])),
                                                             config.get("calibration"))  # sums to p_failure's logit
    return dataclasses.replace(explanation, feature_names=tuple(config["features"]),
                               data=data[config["features"]].reset_index(drop=True))

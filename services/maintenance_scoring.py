"""Scoring new readings with a trained failure-risk run, and explaining single readings.

Every row of the file is scored, in input order; what the model could not use as given (unseen
categories, gaps, an empty column, duplicated ids) is said in notes rather than refused.
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from ml import expressions, failure, leakage, unit_history
from ml.numbers import to_numeric
from services import columns, datasets
from services import maintenance_inputs as inputs
from services.errors import UserFacingError
from services.maintenance import (CONFIG_FILE, DESK, FAILURE_TASK, SNAPSHOT_DIR, import_input, maintenance_run,
                                  model_frame, read_json, with_derived)
from services.runtime import Runtime


USUAL_GAP_MARGIN = 0.05  # in a column with gaps in training, gaps up to its share plus this go without a note


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
    derived = [expressions.DerivedFeature(**d) for d in config.get("derived", [])]
    info, frame = import_input(runtime, source, filename=filename, user=user, keep_blank_rows=True,
                               check=lambda table: _readable(table, config, derived))  # refused: not stored
    frame, matched, needed, data, filling = _readable(frame, config, derived)
    X = model_frame(data, config["features"])
    p = model.predict(X)["p_1"].to_numpy()
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
    order, ordered = reading_order(frame, keys, _time_column(config),
                                   (config.get("history") or {}).get("axis") == unit_history.AXIS)
    no_unit = unread & (_blank(frame[key]).to_numpy() if key else True)  # an empty row, not a machine to plan
    order = order[~no_unit[order]]
    with runtime.uow() as uow:
        owner = uow.users.get_or_create(user)
        uow.predictions.add_many(run.id, [(keys.iloc[i], {"p_failure": None if np.isnan(out["p_failure"].iloc[i])
                                                          else float(out["p_failure"].iloc[i]),
                                                          "alert": int(out["alert"].iloc[i]), "dataset_id": info.id,
                                                          **({"numbered": True} if key is None else {})})
                                          for i in order], kind="score")
        uow.audit.add(user_id=owner.id, action="score", object_type="run", object_id=run.id,
                      details={"desk": DESK, "dataset_id": info.id, "rows": len(out)})
        uow.commit()
    read = {*needed, id_column, *((config.get("history") or {}).get(k) for k in ("unit", "time"))}
    return ScoreResult(out.reset_index(drop=True), info.id, threshold,
                       (*datasets.scoring_read_notes(info.problems), *_unread_note(unread), *matched, *ordered,
                        *inputs.ignored_note(frame.columns, config, read), *filling,
                        *history_notes(frame, unit_history.History.from_config(config.get("history")),
                                       alone[~unread] if config.get("snapshot") else None),
                        *score_notes(frame[~unread], X[~unread], model, config, id_column)))


def _unit_column(config: dict[str, Any]) -> str | None:
    """The machine column a run with history features reads each machine's readings by, else None."""
    return (config.get("history") or {}).get("unit")


def _time_column(config: dict[str, Any]) -> str | None:
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


def _readable(frame: pd.DataFrame, config: dict[str, Any], derived: list[expressions.DerivedFeature]):
    """The file with the model's columns matched, its formulas computed and gaps filled: (file, match note, the
    columns read, the model's table, gap notes). A missing column (or id column) is refused here, before
    the file is stored."""
    id_column, history = config.get("id_column"), unit_history.History.from_config(config.get("history"))
    made = {d.name for d in derived} | set(history.names() if history else [])
    # Every column the model reads: its own features and the inputs of its formulas, checked together, so
    # a missing input is named as a column (not through a formula) and matched across case like the rest.
    inputs = {c: None for d in derived if d.name not in frame.columns for c in expressions.parse(d.formula).columns}
    needed = [c for c in dict.fromkeys([*config["features"], *inputs]) if c not in made]
    keys = [history.unit, history.time] if history else []  # whose readings, and when: the history's order
    frame, matched = columns.match_names(frame, list(dict.fromkeys([*([id_column] if id_column else []), *keys,
                                                                    *needed])))
    missing = [c for c in dict.fromkeys([*keys, *needed]) if c not in frame.columns]
    if missing:
        raise UserFacingError(f"The file lacks columns the model needs: {', '.join(map(str, missing))}."
                              + _columns_read(frame, needed))
    data, filling = _with_filled_gaps(frame, config.get("fill", {}),
                                      [d for d in derived if d.name not in frame.columns], _unread(frame, needed))
    return frame, matched, needed, _with_history(data, history), filling


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


def _with_history(data: pd.DataFrame, history: unit_history.History | None) -> pd.DataFrame:
    """The model's table with each machine's history features, from this file's own readings of it."""
    if history is None:
        return data
    times = _history_times(history, data)
    if times is None:
        written = "numbers" if history.axis == unit_history.AXIS else "dates and times"
        raise UserFacingError(f"Column {history.time!r} holds no {written} in this file; the model reads each "
                              f"{history.unit!r}'s readings in their time order, as in training.")
    return pd.concat([data.drop(columns=[c for c in history.names() if c in data.columns]),
                      unit_history.history_features(data, history, times)], axis=1)


def _history_times(history: unit_history.History, frame: pd.DataFrame) -> pd.Series | None:
    """What orders each machine's readings: dates and times, or numbers on a whole-number axis such as cycle."""
    if history.axis != unit_history.AXIS:
        return leakage.as_timestamps(history.time, frame[history.time])
    numbers = to_numeric(frame[history.time], errors="coerce")
    return numbers if numbers.notna().any() else None


def _without_history(folder, config: dict[str, Any], data: pd.DataFrame, p: np.ndarray,
                     threshold: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """P(failure), the alert threshold per row, and which rows were scored on their readings alone: a machine whose
    readings here span less than the short window (its latest reading alone) has no history to read, and the
    history model read its 'no drift' as healthy. Runs stored before the fallback score as before."""
    history, snapshot = unit_history.History.from_config(config.get("history")), config.get("snapshot")
    thresholds = np.full(len(p), threshold)
    if history is None or not snapshot:
        return p, thresholds, np.zeros(len(p), bool)
    span = unit_history.unit_spans(history, data[history.unit], _history_times(history, data))
    alone = (span < history.windows[0]).fillna(True).to_numpy()  # no machine or no time: read on its own
    if alone.any():
        model = failure.load_classifier(folder / SNAPSHOT_DIR)
        p = p.copy()
        p[alone] = model.predict(model_frame(data[alone], snapshot["features"]))["p_1"].to_numpy()
        thresholds[alone] = float(snapshot["threshold"])
    return p, thresholds, alone


def history_notes(frame: pd.DataFrame, history: unit_history.History | None,
                  alone: np.ndarray | None = None) -> list[str]:
    """Machines with less history in the scored file than the long window: their baseline rests on fewer readings
    than in training. With ``alone`` (rows scored on their readings alone), those machines are named as such;
    without it (a run stored before), one reading alone is scored as a machine's first."""
    if history is None:
        return []
    times, units = _history_times(history, frame), frame[history.unit].to_numpy()
    spans = times.groupby(units).agg(["count"])
    seconds = unit_history.unit_spans(history, frame[history.unit], times).groupby(units).max().reindex(spans.index)
    single = int((spans["count"] <= 1).sum()) if alone is None else int((seconds < history.windows[0]).sum())
    short = int((seconds < history.windows[2]).sum()) - single
    if not single and short <= 0:
        return []
    first, _, long = history.labels()
    parts = [f"{single} have a single reading (scored as a machine's first reading, without history)"] if single else []
    if alone is not None and single:
        reach = "fewer readings than" if history.axis == unit_history.AXIS else "readings spanning less than"
        parts = [f"{single} have {reach} the {first} "
                 f"window ({int(alone.sum())} row(s), scored by the run's model on readings alone, with its own "
                 "threshold)"]
    parts += [f"{short} cover less than the {long} baseline window"] if short > 0 else []
    return [f"History features come from this file's own readings per {history.unit!r}: of {len(spans)} machine(s), "
            f"{' and '.join(parts)}. Include each machine's earlier readings to score it as in training."]


def _with_filled_gaps(frame: pd.DataFrame, fill: dict[str, float], derived: list[expressions.DerivedFeature],
                      unscored: np.ndarray | None = None) -> tuple[pd.DataFrame, list[str]]:
    """The file with its formulas computed, gaps (empty, unreadable, inf) in never-empty training sensors at
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


def gap_notes(gaps: list[tuple[str, int]], shown: int = 5) -> list[str]:
    """One note per column with gaps, or one for them all when there are many (a 590-sensor file)."""
    if len(gaps) <= shown:
        return [f"Column {c!r} has {n} empty or unreadable value(s); they were scored as missing." for c, n in gaps]
    worst = sorted(gaps, key=lambda g: -g[1])[:shown]
    listed = ", ".join(f"{c!r} ({n})" for c, n in worst)
    return [f"{len(gaps)} columns have empty or unreadable values, scored as missing; most in {listed} …"]


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
    gaps, usual = [], config.get("empty_share", {})
    for safe, column in names.items():
        if safe not in X.columns or column not in frame.columns:
            continue
        values = X[safe] if safe in categorical else to_numeric(X[safe], errors="coerce")  # "ERR" → missing
        blank = int(values.isna().sum())
        if blank == len(frame):
            notes.append(f"Column {column!r} is empty in this file: every reading was scored without it (as missing).")
        elif blank and (not usual.get(column) or blank / len(frame) > usual[column] + USUAL_GAP_MARGIN):
            gaps.append((column, blank))  # gaps as common as in training are how this sensor is: no note
    notes += gap_notes(gaps)
    # a machine id repeats on every reading of its machine; only a reading id's repeats are worth a note
    ids = frame[id_column].dropna() if id_column in frame.columns else None  # blanks are not one repeated id
    if ids is not None and ids.duplicated().any() and ids.nunique() > 0.5 * len(frame):
        notes.append(f"Id column {id_column!r} has {int(ids.duplicated().sum())} duplicated value(s); "
                     "every row was still scored.")
    return tuple(notes)


def explain_readings(runtime: Runtime, run_id: int, frame: pd.DataFrame, rows: list[int] | None = None):
    """SHAP for a few readings (the page's 'why this reading'); pages never call shap themselves. ``rows``
    (positions) picks them from a whole file, whose earlier readings make each machine's history features."""
    run = maintenance_run(runtime, run_id, FAILURE_TASK)
    config = read_json(runtime, run, CONFIG_FILE)
    model = failure.load_classifier(runtime.artifacts_dir / (run.artifact_dir or ""))
    derived = [expressions.DerivedFeature(**d) for d in config.get("derived", [])]
    data, _ = _with_filled_gaps(frame, config.get("fill", {}), [d for d in derived if d.name not in frame.columns])
    data = _with_history(data, unit_history.History.from_config(config.get("history")))
    data = data.iloc[list(rows)] if rows is not None else data
    explanation = model.explain(model_frame(data, config["features"]))
    return dataclasses.replace(explanation, feature_names=tuple(config["features"]),
                               data=data[config["features"]].reset_index(drop=True))

"""Maintenance desk, failure risk: train a leakage-guarded LightGBM on snapshot telemetry and score readings.

RUL lives in ``services.maintenance_rul`` and the plan in ``services.maintenance_plan``; every maintenance run is
stored by ``services.maintenance_store.store_run`` (artifacts renamed in, then run, predictions and audit in one
transaction).
"""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from domain.loan_labels import label_text
from domain.maintenance import is_failure_label
from ml import (artifacts, expressions, failure, failure_calibration, failure_modes, failure_scores, leakage,
                unit_history)
from ml.device import select_device
from ml.failure_inputs import NO_FAILURE, blanks_as_no_failure, labelled_rows, model_frame
from services import columns, datasets, runs
from services import maintenance_checks as checks
from services import maintenance_history_choice as choice
from services import maintenance_inputs as inputs
from services.errors import UserFacingError
from services.jobs import Progress
from services.maintenance_store import DESK, OOF_FILE, out_of_fold_rows, store_run
from services.maintenance_words import failure_share_note, model_name_words
from services.results import RunInfo
from services.runtime import Runtime

FAILURE_TASK = "failure_risk"
FAILURE_HANDLER = "services.maintenance:train_failure_job"
CONFIG_FILE = "failure.json"
EXPLANATION_FILE = "explanation.json"
SNAPSHOT_DIR = "snapshot"
MAX_EXPLAIN_ROWS = 1000


class LeakageOnlyError(UserFacingError):
    """Every candidate column was excluded as an id or a sub-label of the target."""


@dataclass(frozen=True)
class FailureSetup:
    """What training would use, shown before training so the user can override the guard."""

    target: str
    positive: str
    flags: dict[str, str]
    derived: tuple[expressions.DerivedFeature, ...]   # typed by the user plus accepted suggestions
    features: tuple[str, ...]
    modes: tuple[str, ...] = field(default_factory=tuple)
    label_notes: tuple[str, ...] = ()                 # target spellings read as one label
    history: unit_history.History | None = None           # per-machine rolling features, when readings are over time


def failure_params(dataset_id: int, target: str, *, id_column: str | None = None, positive: str | None = None,
                   derived: list[str] | None = None, use_suggestions: bool = True, keep: list[str] | None = None,
                   exclude: list[str] | None = None, folds: int = 5, n_estimators: int = 1000,
                   seed: int = 0) -> dict[str, Any]:
    if int(folds) < 2:
        raise UserFacingError(f"Cross-validation needs at least 2 folds (got {folds}).")
    if int(n_estimators) < 1:
        raise UserFacingError(f"The model needs at least 1 tree (got {n_estimators}).")
    _not_the_target(target, id_column)
    return {"dataset_id": int(dataset_id), "target": target, "id_column": id_column, "positive": positive,
            "derived": list(derived or []), "use_suggestions": bool(use_suggestions), "keep": list(keep or []),
            "exclude": list(exclude or []), "folds": int(folds), "n_estimators": int(n_estimators), "seed": int(seed)}


def _not_the_target(target: str, id_column: str | None) -> None:
    if id_column is not None and id_column == target:
        raise UserFacingError(f"{target!r} is the target and cannot be the id column too: scoring would write "
                              "the label it predicts as each row's id. Name the machine or reading id column.")


def _derived(frame: pd.DataFrame, specs: list[str], use_suggestions: bool) -> list[expressions.DerivedFeature]:
    try:
        chosen = [expressions.parse_feature(s) for s in specs if s.strip()]
    except expressions.ExpressionError as exc:
        raise UserFacingError(str(exc)) from None
    if use_suggestions:
        names = {d.name for d in chosen}
        chosen += [s for s in expressions.suggest_features(frame) if s.name not in names]
    clash = [d.name for d in chosen if d.name in frame.columns]
    if clash:
        raise UserFacingError(f"Derived feature names already used by columns: {', '.join(clash)}.")
    return chosen


def looks_like_telemetry(roles: dict[str, str]) -> bool:
    """A stored table whose guessed target is named like a failure: the failure-risk form opens on such a table."""
    return any(role == "target" and is_failure_label(c) for c, role in roles.items())


def suggested_features(frame: pd.DataFrame) -> list[str]:
    """'name = formula' lines the page pre-fills (temperature difference, power, wear × torque…)."""
    return [f"{d.name} = {d.formula}" for d in expressions.suggest_features(frame)]


def with_derived(frame: pd.DataFrame, derived: list[expressions.DerivedFeature]) -> pd.DataFrame:
    try:
        return expressions.add_features(frame, derived)
    except expressions.ExpressionError as exc:
        raise UserFacingError(str(exc)) from None


def inspect_failure_data(frame: pd.DataFrame, target: str, *, kinds: dict[str, str] | None = None,
                         id_column: str | None = None, positive: str | None = None, derived: list[str] | None = None,
                         use_suggestions: bool = True, keep: list[str] | None = None,
                         exclude: list[str] | None = None) -> tuple[FailureSetup, pd.DataFrame, pd.Series]:
    """Target, derived features and the leakage guard's verdict, without training anything."""
    _not_the_target(target, id_column)
    inputs.check_columns(frame, target, id_column=id_column, keep=keep, exclude=exclude)
    blanks = _blank_labels_note(frame[target])
    if blanks:
        frame = frame.assign(**{target: blanks_as_no_failure(frame[target])})
    frame, after = checks.without_after_failure(frame, target, positive)
    blanks.extend(after)
    labelled = labelled_rows(frame, target)
    folded, spelled = columns.fold_label_spellings(labelled[target], target)
    spelled[:0] = blanks
    labelled[target] = folded
    try:
        y, chosen = failure.binarise(labelled[target], positive)
    except failure.TargetError as exc:
        raise UserFacingError(str(exc)) from None
    pairs = pd.DataFrame({"value": labelled[target], "y": y}).drop_duplicates()  # not row by row: 1.5 s on MetroPT-3
    written = pairs["value"].map(lambda v: label_text(v).strip())  # as binarise reads it: 1, not 1.0; yes
    failed, others = sorted(set(written[pairs["y"] == 1])), sorted(set(written[pairs["y"] == 0]))
    if len(others) > 1 or len(failed) > 1:
        spelled.append(f"Target {target!r} has {len(others) + len(failed)} values: {', '.join(map(repr, failed))} "
                       f"{'is the failure' if len(failed) == 1 else 'count as failures'} and "
                       f"{', '.join(map(repr, others))} {'counts' if len(others) == 1 else 'count'} as no failure.")
    share = failure_share_note(float(y.mean()), failed, others)  # most rows failures, or a healthy class failing
    spelled.extend([share] if share else [])
    derived_features = _derived(labelled, derived or [], use_suggestions)
    data = with_derived(labelled, derived_features)
    candidates = [c for c in data.columns if c not in (target, id_column)]
    flags = {f.column: f.reason for f in leakage.find_leakage(data[candidates], y, kinds, data[target])}
    flags, unlinked = checks.unlinked_mode_names(data, flags, y)
    spelled.extend(unlinked)
    formulas = {d.name for d in derived_features}
    for column in candidates:  # nothing to learn from: said, not silently kept
        present = data[column].dropna()
        if present.empty and column in formulas:  # `Torque [Nm]` / 0: inf on every row, read as a gap
            flags.setdefault(column, "formula gives no number on any row")
            spelled.append(f"Derived feature {column!r} is infinite or empty on every row (division by zero?) and "
                           "was left out.")
        elif present.empty or (present.nunique() if pd.api.types.is_numeric_dtype(present)  # text of 220k floats: 13 s
                               or present.dtype.kind == "M" else present.astype(str).nunique()) <= 1:  # times: 3 s
            flags.setdefault(column, "empty column" if present.empty else "constant column (one value only)")
    flags = checks.clock_flags(data, candidates, flags)
    if id_column:
        flags[id_column] = "identifier (chosen as the id column)"
    excluded = (set(flags) - set(keep or [])) | set(exclude or [])
    features = [c for c in candidates if c not in excluded]
    if not features:
        raise LeakageOnlyError(inputs.nothing_left(candidates, flags))
    data, history = checks.with_history(data, flags, features, id_column, y)
    modes = [c for c, reason in flags.items()  # a formula left out (TWF + HDF) is no failure mode of the file
             if reason.startswith(("sub-label", "named like")) and c not in formulas]
    setup = FailureSetup(target, chosen, flags, tuple(derived_features),
                         tuple([*features, *(history.names() if history else [])]), tuple(modes), tuple(spelled),
                         history)
    return setup, data, y


def _blank_labels_note(target: pd.Series) -> list[str]:
    """A note when the label's empty cells mean no failure (a failure log joined to the readings); else none."""
    filled = blanks_as_no_failure(target)
    if filled is None:
        return []
    blank, words = filled != target, target[filled == target].map(label_text).str.strip()
    if filled[blank].iloc[0] != NO_FAILURE:  # the label's own word for none: 'none', 'no failure' …
        word = filled[blank].iloc[0]
        named = sorted(set(words[words.str.lower() != str(word).lower()]))
        shown = ", ".join(map(repr, named[:6])) + ("…" if len(named) > 6 else "")
        return [f"{int(blank.sum()):,} empty cells of {target.name!r} were read as {word!r} (no failure): the column "
                f"writes no failure as {word!r} and names the failures ({shown}), so an empty cell says no failure "
                "too. If they are readings without a label, leave those rows out of the file."]
    named = sorted(set(words))
    shown = ", ".join(map(repr, named[:6])) + ("…" if len(named) > 6 else "")
    return [f"{int(blank.sum()):,} empty cells of {target.name!r} were read as no failure: most rows are "
            f"empty and the filled ones name failures ({shown}), as in a failure log joined to the readings."]


def train_failure_job(runtime: Runtime, params: dict[str, Any], progress: Progress) -> int:
    progress(0.02, "Loading the dataset")
    info = datasets.get_dataset(runtime, params["dataset_id"])
    frame = datasets.load_pandas(runtime, info.id)
    setup, data, y = inspect_failure_data(
        frame, params["target"], kinds=info.schema, id_column=params.get("id_column"), positive=params.get("positive"),
        derived=params.get("derived"), use_suggestions=params.get("use_suggestions", True),
        keep=params.get("keep"), exclude=params.get("exclude"))
    folds, seed = int(params.get("folds", 5)), int(params.get("seed", 0))
    if int(y.sum()) < folds or int((1 - y).sum()) < folds:
        raise UserFacingError(f"{folds}-fold cross-validation needs at least {folds} failures and {folds} "
                              f"non-failures; the data has {int(y.sum())} failures.")
    X = model_frame(data, list(setup.features))
    # few, small leaves and fine bins: failures are rare (3 %) and sit beyond sharp limits (bench/maintenance_bench.py)
    model_params = failure.model_settings(int(params.get("n_estimators", 1000)), seed=seed,
                                          device=select_device(runtime.device), failures=int(y.sum()))
    groups, grouping = checks.fold_groups(data, setup, params.get("id_column"), folds, y=y)
    scores = failure_scores.out_of_fold(X, y, lambda: failure.FailureClassifierTask(**model_params), folds=folds,
                                        seed=seed, progress=lambda f, m: progress(0.05 + 0.7 * f / folds, m),
                                        groups=groups)
    snapshot = choice.snapshot_fallback(
        X, y, setup, lambda: failure.FailureClassifierTask(**model_params), folds=folds, seed=seed, groups=groups,
        progress=lambda f, m: progress(0.75, f"Machines without history: {m.lower()}")) if setup.history else None
    built = setup.history  # the readings alone may rank failures better: then the run reads no history
    fitted = choice.chosen(X, y, setup, scores, snapshot, folds=folds, seed=seed, groups=groups)
    setup, X, scores = fitted.setup, fitted.X, fitted.scores
    calibration = failure_calibration.fit_calibration(y.to_numpy(), scores)  # p_failure a chance, the threshold too
    scores = failure_calibration.calibrated(scores, calibration)
    snapshot = snapshot if setup.history else None  # the readings alone chosen: the run's model, no fallback
    threshold, _ = failure_scores.best_f1_threshold(y.to_numpy(), scores)
    metrics = {**failure_scores.classification_metrics(y.to_numpy(), scores, threshold),
               "cv_f1_nested": failure_scores.nested_f1(y.to_numpy(), scores, folds=folds, seed=seed)}
    moded = checks.mode_columns(setup)  # with the target when several of its values fail (comp1 … comp4)
    modes = failure_modes.mode_breakdown(data[moded], y.to_numpy(), scores, threshold) if moded else None
    progress(0.8, "Fitting the final model on all rows")
    final = fitted.model if fitted.model is not None else failure.FailureClassifierTask(**model_params).fit(X, y)
    progress(0.88, "Explaining the model (SHAP)")
    sample = X.sample(min(len(X), MAX_EXPLAIN_ROWS), random_state=seed)
    explanation = final.explain(sample)
    original = dict(zip(X.columns, setup.features))
    importance = explanation.global_importance().rename(index=original)
    sample.columns = list(setup.features)
    rolled = setup.history.names() if setup.history else []  # computed at scoring, never read from the file
    used = inputs.used_formulas(setup.features, setup.derived)  # a formula left out is not computed at scoring
    read = [c for c in inputs.input_columns(setup.features, tuple(used)) if c not in rolled]
    fill, empty_share = inputs.gap_fill(data, read)
    excluded = {c: why for c, why in setup.flags.items() if c not in setup.features}
    excluded.update({c: "excluded by the user" for c in params.get("exclude") or [] if c not in excluded})
    config = {"target": setup.target, "positive": setup.positive, "id_column": params.get("id_column"),
              "features": list(setup.features), "derived": [d.__dict__ for d in used],
              "threshold": threshold, "excluded": excluded, "modes": list(setup.modes),
              "history": asdict(setup.history) if setup.history else None,
              "snapshot": snapshot[1] if snapshot else None, "calibration": calibration,
              "fill": fill, "empty_share": empty_share, "text_empty_share": inputs.text_gap_shares(data, read),
              "columns": [str(c) for c in frame.columns],  # a scoring file without a header row takes these by position
              "notes": [*datasets.reading_notes(info.problems), *grouping,
                        *checks.training_notes(frame, setup, metrics), *fitted.notes, *choice.snapshot_notes(
                            snapshot, setup.history), *checks.isolated_failures_note(data, y, built)]}
    files = {CONFIG_FILE: config, EXPLANATION_FILE: {
        "global_importance": importance.to_dict(), "base_value": explanation.base_value,
        "values": np.round(explanation.values, 5).tolist(), "data": sample.astype(object).where(sample.notna(), None)
        .to_dict(orient="list"), "modes": None if modes is None else modes.to_dict(orient="records")}}
    keys = data[params["id_column"]].astype(str).to_numpy() if params.get("id_column") else np.arange(1, len(data) + 1)
    oof, rows = out_of_fold_rows(keys, y, scores, threshold)  # all in the run's folder, the first 500 stored
    run_params = {**params, "threshold": threshold, "positive": setup.positive, "excluded": sorted(excluded),
                  "feature_words": model_name_words(config)}  # the report's feature list, from the model's names
    return store_run(runtime, progress, task=FAILURE_TASK, info=info, params=run_params, metrics=metrics,
                     write=lambda staging: _write_failure(staging, final, X, files, snapshot and snapshot[0], oof),
                     predictions=[("oof", rows)])


def _write_failure(staging: Path, final: failure.FailureClassifierTask, X: pd.DataFrame, files: dict[str, Any],
                   snapshot: failure.FailureClassifierTask | None = None, oof: pd.DataFrame | None = None) -> None:
    final.save(staging)
    if oof is not None:
        oof.to_parquet(staging / OOF_FILE, index=False)
    if snapshot is not None:  # scores machines a file gives no history of (services.maintenance_scoring)
        snapshot.save(staging / SNAPSHOT_DIR)
    for name, payload in files.items():
        (staging / name).write_text(json.dumps(payload, default=str))
    artifacts.write_metadata(staging, task=final.name, parameters=final.get_params(), feature_names=list(X.columns),
                             extra={"desk": DESK})


def maintenance_run(runtime: Runtime, run_id: int, task: str) -> RunInfo:
    run = runs.get_run(runtime, run_id)
    if run.desk != DESK or run.task != task:
        kind = "failure-risk" if task == FAILURE_TASK else "RUL"
        if run.desk == DESK:  # it read "Run 1 is a maintenance failure_risk run": say which command scores it
            stored, command = ("an RUL", "score-rul") if task == FAILURE_TASK else ("a failure-risk", "score")
            raise UserFacingError(f"Run {run_id} is {stored} run, not {'an' if kind == 'RUL' else 'a'} {kind} run: "
                                  f"score it with `maintenance {command}`.")
        raise UserFacingError(f"Run {run_id} is a {run.desk} {run.task} run, not a maintenance {kind} run.")
    return run


def read_json(runtime: Runtime, run: RunInfo, name: str) -> dict[str, Any]:
    path = runtime.artifacts_dir / (run.artifact_dir or "") / name
    return json.loads(path.read_text()) if path.is_file() else {}


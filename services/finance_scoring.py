"""Scoring new applicants with a stored finance run: schema check, PD, grade, decision, reasons, PSI."""
from __future__ import annotations

import dataclasses
import json
import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from domain import finance as rules
from domain import finance_text as wording
from domain import finance_columns
from domain.data_dictionary import Glossary
from ml.credit import CreditModelTask
from ml.credit_categories import match_categories
from ml.credit_features import FeaturePlan, align
from ml.credit_ratios import fold_ratios
from ml.numbers import to_numeric
from services import columns, datasets, runs
from services.errors import UserFacingError
from services import finance_batches as batches
from services import finance_bytes, finance_dates, finance_psi, finance_reasons
from services import finance_score_notes as score_notes
from services.finance_errors import MissingColumnsError
from services.finance_store import EVALUATION_FILE, REFERENCE_FILE, SHAP_FILE
from services.results import RunInfo
from services.runtime import Runtime


@dataclass(frozen=True)
class ScoreResult:
    run_id: int
    frame: pd.DataFrame              # one row per input row, input order: [id], pd, grade, decision, reasons
    notes: tuple[str, ...]
    psi: pd.DataFrame                # feature, psi, band (the score is the row named "(score)")
    stored: int
    batch: int | None = None         # the audit event of this batch; None when nothing was stored
    keys: tuple[str, ...] = ()       # each row's record key: its id, else its row number
    ids: bool = False                # the keys are the file's ids


@dataclass(frozen=True)
class WhatIfResult:
    pd: float
    grade: str
    decision: str
    reasons: tuple[str, ...]
    base_value: float
    contributions: tuple[tuple[str, float], ...]
    notes: tuple[str, ...] = ()   # values outside the training range
    expected_loss: float | None = None  # PD × LGD × EAD when the run maps an exposure column


@dataclass(frozen=True)
class _Loaded:
    task: CreditModelTask
    plan: FeaturePlan
    reference: dict[str, Any]


def finance_run(runtime: Runtime, run_id: int) -> RunInfo:
    run = runs.get_run(runtime, run_id)
    if run.desk != "finance" or not run.artifact_dir:
        raise UserFacingError(f"Run {run_id} is not a finance run (it is a {run.desk!r} run).")
    return run


def _load(runtime: Runtime, run: RunInfo) -> _Loaded:
    directory = runtime.artifacts_dir / run.artifact_dir
    if not directory.is_dir():
        raise UserFacingError(f"The model files of run {run.id} are missing from the state folder.")
    return _load_cached(str(directory), directory.joinpath("metadata.json").stat().st_mtime_ns)


@lru_cache(maxsize=8)
def _load_cached(directory: str, _mtime: int) -> _Loaded:
    path = Path(directory)
    reference = json.loads((path / REFERENCE_FILE).read_text(encoding="utf-8"))
    return _Loaded(CreditModelTask.load(path), FeaturePlan.load(path), reference)


def score(runtime: Runtime, run_id: int, frame: pd.DataFrame, *, user: str, store: bool = True,
          source: str = "") -> ScoreResult:
    """Score every row in input order; missing model columns are an error, extra ones a note."""
    run = finance_run(runtime, run_id)
    loaded = _load(runtime, run)
    if frame.empty:
        raise UserFacingError("The scoring file has no rows.")
    id_column = run.parameters.get("id_column")
    needed = [*loaded.plan.features, *([id_column] if id_column else [])]
    frame, notes = columns.match_names(frame, [*needed, *([loaded.plan.anchor] if loaded.plan.anchor else [])])
    frame = finance_bytes.for_model(frame, loaded.task.categories_)  # b'A11' as training read it
    frame, read_years = finance_dates.with_full_years(frame)  # '22-11-53', which the reader takes for the year 53
    notes += read_years
    missing = columns.missing_names(frame, loaded.plan.features)
    if missing:
        raise _missing_columns(frame.columns, missing, [*needed, *([loaded.plan.anchor] if loaded.plan.anchor else [])])
    numbered = bool(id_column) and bool(columns.missing_names(frame, [id_column]))
    if numbered:  # not a feature: the rows are scored in input order, the id cells left empty
        frame = frame.assign(**{id_column: pd.Series([None] * len(frame), index=frame.index, dtype=object)})
        notes.append(columns.missing_id_note(id_column))
    notes += score_notes.leak_notes(run) + score_notes.schema_notes(frame, loaded, run, id_column)
    X, matched = match_categories(align(frame, loaded.plan), loaded.task.categories_)
    score_notes.check_unusable(frame, X, loaded)
    notes += matched + score_notes.value_notes(frame, X, loaded, run)
    out = _score_frame(loaded, run, frame, X, id_column)
    if id_column and out.columns[0] != id_column:  # written under another name: one named like an output
        notes.append(f"Id column {id_column!r} shares its name with an output column of the scored file: the ids are "
                     f"written as {out.columns[0]!r}.")
        id_column = str(out.columns[0])
    psi = finance_psi.psi_table(loaded.reference, X, out["pd"])
    notes += score_notes.training_rows(X, out, loaded, run)
    keys = out[id_column].map(str).tolist() if id_column and not numbered else [str(i + 1) for i in range(len(out))]
    notes += finance_psi.size_notes(loaded.reference["__score__"]["counts"], len(out))
    notes += score_notes.duplicate_ids(out[id_column], id_column) if id_column and not numbered else []
    blank_ids = int(out[id_column].isna().sum() + (out[id_column] == "").sum()) if id_column and not numbered else 0
    if blank_ids:
        notes.append(f"{blank_ids} row(s) have no value in id column {id_column!r}: they were scored in place, with "
                     "an empty id.")
    ids = bool(id_column) and not numbered
    stored, batch = batches.store(runtime, run.id, keys, out, user=user, source=source, psi=psi, notes=tuple(notes),
                                  ids=ids) if store else (0, None)
    return ScoreResult(run.id, out, tuple(notes), psi, stored, batch, tuple(keys), ids)


def _score_frame(loaded: _Loaded, run: RunInfo, frame: pd.DataFrame, X: pd.DataFrame,
                 id_column: str | None) -> pd.DataFrame:
    params, cutoff = run.parameters, float(run.metrics["cutoff"])
    bounds = tuple(params.get("grade_bounds") or rules.DEFAULT_GRADE_BOUNDS)
    pds, sparse = _too_empty(loaded.task.predict(X)["pd"].to_numpy(), X, run)
    out = pd.DataFrame(index=range(len(frame)))
    if id_column:
        out[id_output_name(id_column)] = columns.ids_as_written(frame[id_column]).array
    out["pd"] = np.round(pds, 6)
    out["grade"] = [rules.grade(float(p), bounds) for p in pds]
    out["decision"] = [rules.decide(float(p), cutoff) for p in pds]  # a sparse row too: its PD is floored
    glossary = Glossary.from_dict(params.get("glossary"))
    inputs = X[loaded.plan.features]  # the file's fields, not the ratios made of them
    reasons = finance_reasons.reason_codes(loaded, frame, X, declined=(out["decision"] == "decline").tolist(),
                                           codes=params.get("codes"), glossary=glossary)
    for row in np.flatnonzero(sparse):
        reasons[row] = [rules.sparse_reason(int(inputs.iloc[row].isna().sum()), inputs.shape[1], _floor(run),
                                            out["decision"].iloc[row] == rules.DECLINE), "", ""]
    for k in range(3):
        out[f"reason_{k + 1}"] = [r[k] for r in reasons]
    losses = expected_losses(frame, pds, params)
    if losses is not None:
        out["expected_loss"] = losses
    return out


def id_output_name(id_column: str) -> str:
    """The id column's name in the scored file: its own, unless an output column has it (an id named 'grade' or
    'decision' was overwritten by the output): then 'input_<name>'."""
    return f"input_{id_column}" if finance_columns.is_scored_name(id_column) else str(id_column)


def expected_losses(frame: pd.DataFrame, pds, params: dict[str, Any]) -> list[float | None] | None:
    """PD × LGD × EAD per row when the run maps an exposure column the rows hold (LGD from its column, else
    the run's default); None without one."""
    exposure, lgd_column = params.get("exposure_column"), params.get("lgd_column")
    if not exposure or exposure not in frame.columns:
        return None
    ead = to_numeric(frame[exposure], errors="coerce").to_numpy(float)
    lgd = (to_numeric(frame[lgd_column], errors="coerce").to_numpy(float)
           if lgd_column and lgd_column in frame.columns else np.full(len(frame), np.nan))
    default = float(params.get("default_lgd", rules.DEFAULT_LGD))
    return [rules.expected_loss(float(p), float(e), float(g), default) for p, e, g in zip(pds, ead, lgd)]


def _missing_columns(file_columns, missing: list[str], needed: list[str]) -> MissingColumnsError:
    """The columns the model needs and the file lacks, beside the file's columns the model does not use: a Taiwan
    card file whose PAY_0 was renamed PAY_1 (as many copies of that book have it) had been told only 'PAY_0'."""
    unused = [str(c) for c in file_columns if str(c) not in set(map(str, needed))]
    hint = (f" The file's columns the model does not use: {columns.listed(unused)}; if one of them is "
            f"{missing[0]!r} under another name, rename it to {missing[0]!r}." if unused else "")
    return MissingColumnsError(f"The scoring file lacks column(s) the model needs: {', '.join(map(repr, missing))}."
                               + hint)


def _too_empty(pds: np.ndarray, X: pd.DataFrame, run: RunInfo) -> tuple[np.ndarray, np.ndarray]:
    """An application with most fields empty tells the model almost nothing (a rare missing pattern once
    scored as the safest of all): its PD is at least the book's default rate, then decided at the cut-off."""
    sparse = score_notes.sparse_rows(X, run)
    return np.where(sparse, np.maximum(pds, _floor(run) or 0.0), pds), sparse


def _floor(run: RunInfo) -> float | None:
    rate = run.metrics.get("default_rate")
    return None if rate is None else float(rate)


def score_upload(runtime: Runtime, run_id: int, source: bytes | str | os.PathLike, *, filename: str,
                 user: str) -> tuple[ScoreResult, pd.DataFrame]:
    """Score a file as uploaded, with the reader's notes; blank rows inside it stay rows (declined for lack
    of information), so that the output lines up with the file. Returns (result, the table read)."""
    from services.finance import read_upload

    frame, problems = read_upload(source, filename=filename, max_bytes=runtime.max_upload_bytes, with_problems=True,
                                  keep_blank_rows=True)
    result = score(runtime, run_id, frame, user=user, source=filename, store=False)
    run = finance_run(runtime, run_id)
    used = score_notes.used_columns(_load(runtime, run), run)
    emptied = datasets.emptied_values_notes([p for p in problems if score_notes.concerns(p, used, frame.columns)])
    notes = (*datasets.scoring_read_notes(problems), *emptied, *result.notes)
    sha256 = batches.digest(source)
    repeat = batches.repeated(runtime, run.id, sha256)  # a second click on the same file: its batch, not a copy
    if repeat is not None:
        notes = (batches.repeat_note(repeat, run.id), *notes)
        return dataclasses.replace(result, notes=notes, batch=repeat.batch), frame
    stored, batch = batches.store(runtime, run.id, list(result.keys), result.frame, user=user, source=filename,
                                  psi=result.psi, notes=notes, ids=result.ids, sha256=sha256)
    return dataclasses.replace(result, notes=notes, stored=stored, batch=batch), frame


def score_file(runtime: Runtime, run_id: int, path: str | os.PathLike, *, user: str) -> ScoreResult:
    path = Path(path)
    if not path.is_file():
        raise UserFacingError(f"No file {path}.")
    return score_upload(runtime, run_id, path, filename=path.name, user=user)[0]


def export_scored(frame: pd.DataFrame, fmt: str, *, excel: bool = False) -> bytes:
    from reports.export_xlsx import export_frame_xlsx
    from reports.exporters import export_csv

    if fmt == "csv":
        return export_csv(frame, excel=excel)
    if fmt == "xlsx":
        return export_frame_xlsx(frame, sheet="scores")
    raise UserFacingError(f"Unknown output format {fmt!r}; use .csv or .xlsx.")


def what_if(runtime: Runtime, run_id: int, applicant: dict[str, Any]) -> WhatIfResult:
    """One edited applicant: PD, grade, decision, reasons and the SHAP contributions for a waterfall."""
    run = finance_run(runtime, run_id)
    loaded = _load(runtime, run)
    anchor = [loaded.plan.anchor] if loaded.plan.anchor in applicant else []  # the application's date, if given
    frame = finance_bytes.for_model(pd.DataFrame([{c: applicant.get(c) for c in [*loaded.plan.features, *anchor]}]),
                                    loaded.task.categories_)
    frame = finance_dates.with_full_years(frame)[0]
    X, _ = match_categories(align(frame, loaded.plan), loaded.task.categories_)
    pds, sparse_rows = _too_empty(loaded.task.predict(X)["pd"].to_numpy(), X, run)
    p, sparse = float(pds[0]), bool(sparse_rows[0])
    explanation = fold_ratios(loaded.task.explain(X), loaded.plan.ratios)
    shown = finance_reasons.shown_values(frame, X, loaded.plan, loaded.task.categories_, run.parameters.get("codes"))
    shown = finance_reasons.at_median(shown, X, loaded)
    contributions = [(n, float(explanation.values[0, j])) for j, n in enumerate(explanation.feature_names)]
    decision = rules.decide(p, float(run.metrics["cutoff"]))
    glossary = Glossary.from_dict(run.parameters.get("glossary"))
    reasons = wording.top_reasons([(n, v, shown[n][0]) for n, v in contributions], 3, raising_only=decision == "decline",
                                glossary=glossary, scales=loaded.plan.scales)
    if sparse:
        reasons = [rules.sparse_reason(int(X[loaded.plan.features].iloc[0].isna().sum()), len(loaded.plan.features),
                                       _floor(run), decision == rules.DECLINE),
                   "", ""]
    bounds = tuple(run.parameters.get("grade_bounds") or rules.DEFAULT_GRADE_BOUNDS)
    losses = expected_losses(pd.DataFrame([applicant]), [p], run.parameters)
    return WhatIfResult(p, rules.grade(p, bounds), decision, tuple(reasons),
                        explanation.base_value, tuple(contributions),
                        tuple(score_notes.outside_training(X, loaded, glossary)), losses[0] if losses else None)


def load_evaluation(runtime: Runtime, run: RunInfo) -> dict[str, Any]:
    return _artifact_json(runtime, run, EVALUATION_FILE)


def load_shap_sample(runtime: Runtime, run: RunInfo) -> dict[str, Any]:
    return _artifact_json(runtime, run, SHAP_FILE)


def _artifact_json(runtime: Runtime, run: RunInfo, name: str) -> dict[str, Any]:
    path = runtime.artifacts_dir / (run.artifact_dir or "") / name
    if not path.is_file():
        raise UserFacingError(f"Run {run.id} has no {name}; was it trained by the finance desk?")
    return json.loads(path.read_text(encoding="utf-8"))

"""Finance desk use cases: train a credit-default model, then score, explain and check applicants.

Training runs as a job (a worker in the app, inline in the CLI): validate → cross-validate the
boosted LightGBM model, a LightGBM random forest and a logistic baseline on the same folds → choose
the champion (one of them or a log-odds blend, shares chosen on out-of-fold scores with nested folds)
→ calibrate on out-of-fold scores → choose the cost-minimising cut-off → refit on all rows → explain → store.
"""
from __future__ import annotations

import json
import math
import os
import time
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from data import ingest
from domain import finance as rules
from domain.data_dictionary import Glossary
from ml import artifacts
from ml.credit import CreditModelTask
from ml.credit_forest import ForestScorer
from ml.credit_linear import LogisticScorer
from ml.credit_ratios import fold_ratios
from ml.credit_scores import Calibrator
from ml.device import select_device
from services import columns, datasets, jobs
from services import finance_bytes, finance_checked, finance_cv, finance_dates
from services import finance_left_out as left
from services import finance_report  # noqa: F401 - registers the finance report sections
from services.errors import UserFacingError
from services.finance_leakage import LEAKAGE_AUC, model_leak_warning
from services.finance_leakage import post_outcome_columns  # noqa: F401 - for the page
from services.finance_picks import looks_like_loans, outcome_guess  # noqa: F401 - for the page
from services.finance_errors import (  # noqa: F401 - re-exported for pages, CLI and tests
    CreditDataError, DuplicateIdError, MissingColumnsError, TargetError, TooFewRowsError,
)
from services.finance_prepare import Prepared, prepare  # noqa: F401 - re-exported for pages, CLI and tests
from services.finance_scoring import (  # noqa: F401 - one module for pages and tests to patch
    ScoreResult, WhatIfResult, export_scored, load_evaluation, load_shap_sample, score, score_file, score_upload,
    what_if,
)
from services.finance_fairness import (  # noqa: F401 - re-exported for the page
    MIN_GROUP, FairnessResult, batch_fairness, fairness, first_sensitive, is_protected_pick, ratio_text,
    suggested_columns)
from services.finance_width import check_width
from services.finance_store import EVALUATION_FILE, REFERENCE_FILE, SHAP_FILE, save_artifacts, store_run
from services.glossary import fit_glossary
from services.jobs import Progress
from services.results import DatasetInfo, JobInfo, RunInfo
from services.runtime import Runtime

DESK = "finance"
TASK = CreditModelTask.name
HANDLER = "services.finance:train_credit_job"
KIND = "finance.train"
MAX_SHAP_ROWS = 500
# The CLI checks a file before storing it, then trains on it inline in the same process: its job takes that check's
# table and preparation (same bytes, same parameters) instead of reading the stored copy and preparing it again
# (a Santander-shaped 200,000 x 200 book: 2 x 52 s of preparation, and two copies of the table held at once).
_CHECKED: dict[str, tuple[pd.DataFrame, Prepared]] = {}


def credit_params(dataset_id: int, target: str, *, positive: str | None = None, id_column: str | None = None,
                  cost_bad_approved: float = 5.0, cost_good_declined: float = 1.0,
                  grade_bounds: tuple[float, ...] = rules.DEFAULT_GRADE_BOUNDS, monotone: dict[str, int] | None = None,
                  tune_seconds: float = 0.0, exposure_column: str | None = None, lgd_column: str | None = None,
                  default_lgd: float = rules.DEFAULT_LGD, exclude: tuple[str, ...] = (), folds: int = 5,
                  seed: int = 0, model: dict[str, Any] | None = None, glossary: Glossary | None = None,
                  glossary_notes: tuple[str, ...] = (), keep: tuple[str, ...] = ()) -> dict[str, Any]:
    """JSON-serialisable job parameters; the rules are checked here so a bad setting fails before the job.
    ``glossary``: a data dictionary's names for columns and coded values, used in the reasons;
    ``glossary_notes``: what reading its file noted (repeated entries), kept with the run's notes;
    ``keep``: columns named like records made after the outcome that are known at application time."""
    if not all(math.isfinite(float(c)) for c in (cost_bad_approved, cost_good_declined, tune_seconds)):
        raise UserFacingError("Costs and the tuning time must be finite numbers.")
    if int(folds) < 2:
        raise UserFacingError(f"Cross-validation needs at least 2 folds (got {folds}).")
    if float(tune_seconds) < 0:
        raise UserFacingError(f"The tuning time cannot be negative (got {tune_seconds}).")
    try:
        rules.CostMatrix(float(cost_bad_approved), float(cost_good_declined))
        rules.check_grade_bounds(grade_bounds)
    except rules.DecisionRuleError as exc:
        raise UserFacingError(str(exc)) from None
    if not 0 <= float(default_lgd) <= 1:
        raise UserFacingError(f"Default LGD must be between 0 and 1; got {default_lgd}.")
    return {"dataset_id": int(dataset_id), "target": target, "positive": positive, "id_column": id_column or None,
            "cost_bad_approved": float(cost_bad_approved), "cost_good_declined": float(cost_good_declined),
            "grade_bounds": [float(b) for b in grade_bounds],
            "monotone": {k: int(v) for k, v in (monotone or {}).items()},
            "tune_seconds": float(tune_seconds), "exposure_column": exposure_column or None,
            "lgd_column": lgd_column or None, "default_lgd": float(default_lgd), "exclude": list(exclude),
            "folds": int(folds), "seed": int(seed), "model": dict(model or {}),
            "glossary": glossary.to_dict() if glossary else None,
            "glossary_notes": list(glossary_notes) if glossary else [], "keep": list(keep)}


def _prepare_params(frame: pd.DataFrame, params: dict[str, Any], schema: dict[str, str] | None = None) -> Prepared:
    exposure = params.get("exposure_column")
    if exposure and exposure not in frame.columns:
        raise MissingColumnsError(f"Column(s) not in the file: {exposure!r} (the exposure column). "
                                  f"Columns present: {columns.listed(frame.columns)}.")
    lgd = params.get("lgd_column")
    exclude = tuple(c for c in (*params.get("exclude", ()), lgd) if c)
    check_width(frame, params["target"], id_column=params.get("id_column"), exclude=exclude)
    frame, read_bytes = finance_bytes.unwrapped(frame)
    frame, read_years = finance_dates.with_full_years(frame)
    positive = params.get("positive")
    positive = ",".join(str(finance_bytes.unwrapped_value(v)) for v in str(positive).split(",")) if read_bytes \
        and positive else positive
    data = prepare(frame, params["target"], positive=positive, id_column=params.get("id_column"),
                   folds=int(params.get("folds", 5)), exclude=exclude, monotone=params.get("monotone") or None,
                   identifiers=tuple(c for c, kind in (schema or {}).items() if kind == "identifier"),
                   keep=tuple(params.get("keep", ())))
    if lgd and lgd not in params.get("exclude", ()):
        data.left_out = left.relabel(data.left_out, lgd, "lgd")
    data.notes[:0] = [*read_bytes, *read_years]
    return data


def train_credit_job(runtime: Runtime, params: dict[str, Any], progress: Progress) -> int:
    started = time.monotonic()
    progress(0.02, "Loading and checking the data")
    info = datasets.get_dataset(runtime, params["dataset_id"])
    frame, data = _CHECKED.pop(_checked_key(info.sha256, params), None) or (None, finance_checked.take(
        runtime.state_dir, _page_key(info, params)))  # the CLI's check, else the page's
    if data is None:
        frame = datasets.load_pandas(runtime, info.id)
        data = _prepare_params(frame, params, info.schema)
    data.notes[:0] = datasets.reading_notes(info.problems)
    if params.get("glossary"):  # kept as the data spells its columns and codes
        frame = datasets.load_pandas(runtime, info.id) if frame is None else frame
        glossary, notes = fit_glossary(Glossary.from_dict(params["glossary"]), frame, data.plan.features)
        params = {**params, "glossary": glossary.to_dict()}
        data.notes.extend([*notes, *params.get("glossary_notes", [])])
    cv = finance_cv.cross_validated(data, params, _model_params(select_device(runtime.device), params, data), progress)
    model_params, oof_pd = cv["model_params"], cv["oof_pd"]
    progress(0.72, "Fitting the final model on all rows")
    final = CreditModelTask(**{**model_params, "n_estimators": max(10, int(np.median(cv["iterations"]))),
                               "early_stopping_rounds": 0}).fit(data.X, data.labels)
    weights = cv["weights"]
    if weights["lightgbm"] < 1:
        seed, class_weight = int(params.get("seed", 0)), model_params.get("class_weight", "balanced")
        fold_rows = int(np.median([len(train_idx) for train_idx, _ in cv["splits"]]))  # its scale: the folds'
        forest = (ForestScorer(seed=seed, class_weight=class_weight, sized_as=fold_rows).fit(data.X, data.bad)
                  if weights["forest"] > 0 else None)
        linear = (LogisticScorer(data.plan.model_kinds, codes=data.codes).fit(data.X, data.bad)
                  if weights["logistic"] > 0 else None)
        final.set_blend(linear, weights["lightgbm"], forest=forest, forest_weight=weights["forest"])
    final.set_calibrator(Calibrator(cv["method"]).fit(cv["scores"], data.bad))
    progress(0.82, "Explaining the model (SHAP)")
    explanation = fold_ratios(final.explain(_sample(data.X, MAX_SHAP_ROWS, int(params.get("seed", 0)))),
                              data.plan.ratios)
    if cv["metrics"]["oof_auc"] >= LEAKAGE_AUC:  # the columns warned of may not be all: combinations leak too
        data.warnings.append(model_leak_warning(cv["metrics"]["oof_auc"], explanation.global_importance()))
    metrics = {**cv["metrics"], "train_seconds": round(time.monotonic() - started, 2)}
    staging = artifacts.staging_dir(runtime.artifacts_dir)
    try:
        save_artifacts(staging, final, data, explanation, cv["results"]["evaluation"], oof_pd,
                       extra={"dataset_sha256": info.sha256, "positive_label": str(data.positive),
                              "cutoff": metrics["cutoff"]})
        progress(0.95, "Saving results")
        check = getattr(progress, "check", None)
        if check is not None:
            check()
        run_id = store_run(runtime, DESK, TASK, info, _run_parameters(params, data, model_params), metrics,
                           data, oof_pd, staging)
    except BaseException:
        artifacts.discard(staging)
        raise
    progress(1.0, "Done")
    return run_id


def _model_params(device: str, params: dict[str, Any], data: Prepared) -> dict[str, Any]:
    return {**params.get("model", {}), "positive": artifacts.plain(data.positive), "seed": int(params.get("seed", 0)),
            "monotone_constraints": params.get("monotone") or None, "device": device}


def _sample(X: pd.DataFrame, n: int, seed: int) -> pd.DataFrame:
    return X.sample(n, random_state=seed) if len(X) > n else X


def _run_parameters(params: dict[str, Any], data: Prepared, model_params: dict[str, Any]) -> dict[str, Any]:
    return {**params, "positive_label": artifacts.plain(data.positive), "positive_label_rule": data.positive_rule,
            "features": data.plan.features, "feature_kinds": data.plan.kinds,
            "dropped": left.as_mapping(data.left_out), "left_out": data.left_out,
            "folds_used": data.folds, "model": {k: artifacts.plain(v) for k, v in model_params.items()},
            "notes": data.notes, "warnings": data.warnings, "codes": data.codes,
            "leak_columns": left.leak_columns(data.left_out, data.leaks),
            "ratios": data.plan.ratios,
            "usual_empty_share": float(np.quantile(data.X[data.plan.features].isna().mean(axis=1), 0.99))}


def evaluate_frame(frame: pd.DataFrame, target: str, *, device: str = "cpu", **options: Any) -> dict[str, Any]:
    """Cross-validated metrics only (nothing stored, no final model): for the benchmark and quick checks."""
    params = credit_params(0, target, **options)
    data = _prepare_params(frame, params)
    return finance_cv.cross_validated(data, params, _model_params(device, params, data), lambda *_: None)["metrics"]


def read_upload(source: bytes | str | os.PathLike, *, filename: str, max_bytes: int, with_problems: bool = False,
                keep_blank_rows: bool = False):
    """The same validation as dataset uploads; problems become one user-facing message. With
    ``with_problems``: (frame, the reader's notes). ``keep_blank_rows`` for files to score (one output row each)."""
    result = _read_table(source, filename=filename, max_bytes=max_bytes, keep_blank_rows=keep_blank_rows)
    return (result.frame.to_pandas(), list(result.problems)) if with_problems else result.frame.to_pandas()


def _read_table(source: bytes | str | os.PathLike, *, filename: str, max_bytes: int,
                keep_blank_rows: bool = False) -> ingest.IngestResult:
    """As dataset uploads read it, with the column kinds the stored dataset gets (ids found by the upload are never
    risk factors); problems become one user-facing message."""
    try:
        return ingest.read_table(source, filename=filename, max_bytes=max_bytes, keep_blank_rows=keep_blank_rows)
    except ingest.IngestError as exc:
        raise datasets.DatasetRejected(f"Nothing was stored. {exc}", ingest.problems_to_json(exc.problems)) from exc


def train_from_file(runtime: Runtime, path: str | os.PathLike, *, target: str, user: str, echo: Progress | None = None,
                    **options: Any) -> tuple[JobInfo, RunInfo]:
    """The CLI path: check the file first (nothing stored if bad), store it as a dataset, train inline."""
    from services import runs

    path = Path(path)
    if not path.is_file():
        raise UserFacingError(f"No file {path}.")
    read = _read_table(path, filename=path.name, max_bytes=runtime.max_upload_bytes)
    frame = read.frame.to_pandas()
    checked = _prepare_params(frame, credit_params(0, target, **options), read.schema)  # fails before storing
    info = datasets.import_or_reuse(runtime, path, user=user)
    params = credit_params(info.id, target, **options)
    key = _checked_key(info.sha256, params)
    if dict(info.schema) == dict(read.schema):  # a stored copy re-typed on the page is prepared as stored
        _CHECKED[key] = (frame, checked)
    del frame, checked, read
    try:
        job = jobs.run_inline(runtime, kind=KIND, desk=DESK, handler=HANDLER, params=params, user=user, echo=echo)
    finally:
        _CHECKED.pop(key, None)
    if job.status != "succeeded" or job.run_id is None:
        raise UserFacingError(job.message or "Training failed.")
    return job, runs.get_run(runtime, job.run_id)


def _checked_key(sha256: str, params: dict[str, Any]) -> str:
    """The file's bytes and every parameter but the dataset's id (the check runs before it is stored)."""
    return json.dumps([sha256, {k: v for k, v in params.items() if k != "dataset_id"}], sort_keys=True, default=str)


def _page_key(info: DatasetInfo, params: dict[str, Any]) -> str:
    """As ``_checked_key``, and the column kinds the table was prepared with (re-typed on the page: prepared again)."""
    return _checked_key(info.sha256, params) + json.dumps(dict(info.schema), sort_keys=True)


def check_training(runtime: Runtime, params: dict[str, Any]) -> Prepared:
    """The job's own checks, run before submitting so the page can show a problem at once. The preparation is kept
    for the job, which runs in another process: it had prepared the table again (a 50,000-row book: see
    docs/finance.md)."""
    info = datasets.get_dataset(runtime, params["dataset_id"])
    data = _prepare_params(datasets.load_pandas(runtime, info.id), params, info.schema)
    finance_checked.keep(runtime.state_dir, _page_key(info, params), data)
    return data


def list_runs(runtime: Runtime) -> list[RunInfo]:
    from services import runs

    return runs.list_runs(runtime, desk=DESK)


def training_rows(runtime: Runtime, run: RunInfo) -> pd.DataFrame:
    """The training table as stored, bytes literals (b'A11') read as the model reads them (for picking an applicant
    to explore in the what-if panel)."""
    return finance_dates.with_full_years(finance_bytes.unwrapped(datasets.load_pandas(runtime, run.dataset_id))[0])[0]


__all__ = ["DESK", "TASK", "HANDLER", "KIND", "credit_params", "train_credit_job", "train_from_file", "read_upload",
           "looks_like_loans", "outcome_guess",
           "check_training", "list_runs", "training_rows", "evaluate_frame",
           "score", "score_file", "score_upload", "what_if", "fairness", "suggested_columns", "first_sensitive",
           "is_protected_pick",
           "export_scored",
           "load_evaluation", "load_shap_sample", "MIN_GROUP", "batch_fairness", "ratio_text",
           "ScoreResult", "WhatIfResult", "FairnessResult", "EVALUATION_FILE", "REFERENCE_FILE", "SHAP_FILE"]

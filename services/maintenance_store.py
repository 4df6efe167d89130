"""Maintenance desk, storing runs and inputs: every maintenance run is stored the same way (artifacts renamed in,
then run, predictions and audit in one transaction), and every file the desk reads is validated and stored as a
dataset first. Failure risk (``services.maintenance``) and RUL (``services.maintenance_rul``) train through here.
"""
from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any, BinaryIO

import numpy as np
import pandas as pd

from data.ingest import BLANK_ROWS, EXCEL_EXTENSIONS, KEPT_BLANK_ROWS, TRAILING_BLANK_ROWS
from data.records import RunRecord
from ml import artifacts
from services import datasets
from services.jobs import Progress
from services.results import DatasetInfo
from services.runtime import Runtime

DESK = "maintenance"
OOF_FILE = "oof.parquet"  # every training reading's out-of-fold score, in the run's folder
OOF_STORED = 500  # out-of-fold rows stored as predictions: the report's table shows the first 500


def store_run(runtime: Runtime, progress: Progress, *, task: str, info: DatasetInfo, params: dict[str, Any],
              metrics: dict[str, float], write, predictions: list[tuple[str, Iterable]]) -> int:
    """Write artifacts to staging, rename them in, then run + predictions + audit in one transaction."""
    staging = artifacts.staging_dir(runtime.artifacts_dir)
    try:
        write(staging)
        progress(0.95, "Saving results")
        check = getattr(progress, "check", None)
        if check is not None:
            check()  # a cancel that arrived during the last step must still win
    except BaseException:
        artifacts.discard(staging)
        raise
    final_dir = runtime.artifacts_dir / f"run-{staging.name.removeprefix('.tmp-')}"
    artifacts.promote(staging, final_dir)
    try:
        with runtime.uow() as uow:
            owner = uow.users.get_or_create(runtime.user)
            run = uow.runs.add(RunRecord(desk=DESK, task=task, dataset_id=info.id, parameters=params, metrics=metrics,
                                         status="succeeded", artifact_dir=final_dir.name,
                                         artifact_hashes=artifacts.file_hashes(final_dir), owner_id=owner.id))
            for kind, rows in predictions:
                uow.predictions.add_many(run.id, rows, kind=kind)
            uow.audit.add(user_id=owner.id, action="train", object_type="run", object_id=run.id,
                          details={"desk": DESK, "task": task, "dataset_id": info.id, "metrics": metrics})
            uow.commit()
            run_id = run.id
    except BaseException:
        artifacts.discard(final_dir)
        raise
    progress(1.0, "Done")
    return run_id



def out_of_fold_rows(keys: np.ndarray, y: pd.Series, scores: np.ndarray,
                     threshold: float) -> tuple[pd.DataFrame, Iterable]:
    """Each training reading's out-of-fold score as a table (the run's ``oof.parquet``; ``keys`` the id column's
    values, else row numbers from 1), and its first rows as stored predictions, the report's table. Every row went
    into the database, one JSON object each, for a report that reads 500: 13 s of a 500,000-reading file."""
    table = pd.DataFrame({"record_key": keys, "actual": np.asarray(y, dtype=int), "p_failure": scores,
                          "alert": (scores >= threshold).astype(int)})
    rows = ((str(k), {"actual": int(a), "p_failure": float(p), "alert": int(alert)})  # a row number as text
            for k, a, p, alert in table.head(OOF_STORED).itertuples(index=False))
    return table, rows


def import_input(runtime: Runtime, source: bytes | str | os.PathLike | BinaryIO, *, filename: str,
                 user: str, check=None, keep_blank_rows: bool = False) -> tuple[DatasetInfo, pd.DataFrame]:
    """Every file the desk reads is validated and stored as a dataset first (DatasetRejected otherwise);
    ``check`` refuses a file the model cannot read before it is stored. The same bytes stored before are read from
    there (``stored_copy``): a file scored twice was stored twice under one name (#8, #9, #13)."""
    info = stored_copy(runtime, source, filename)
    if info is not None:
        frame = datasets.load_pandas(runtime, info.id)
        if check is not None:
            check(frame)
        return info, frame
    info = datasets.import_dataset(runtime, source, filename=filename, user=user, check=check,
                                   keep_blank_rows=keep_blank_rows)
    return info, datasets.load_pandas(runtime, info.id)


def stored_copy(runtime: Runtime, source, filename: str) -> DatasetInfo | None:
    """The newest stored dataset of the same bytes (sha256) when reading it again would give the same table: not a
    workbook (a stored copy may hold another sheet), and without blank rows (a file to score keeps them, a
    training file drops them)."""
    if not isinstance(source, bytes) or Path(filename).suffix.lower() in EXCEL_EXTENSIONS:
        return None
    digest = hashlib.sha256(source).hexdigest()
    blank = (BLANK_ROWS, KEPT_BLANK_ROWS, TRAILING_BLANK_ROWS)
    return next((info for info in sorted(datasets.list_datasets(runtime), key=lambda d: -d.id)
                 if info.sha256 == digest and not any(word in str(problem.get("problem", ""))
                                                      for problem in info.problems for word in blank)), None)

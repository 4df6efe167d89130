"""A finance run's scored batches as stored: each kept with what the Score tab shows of it (notes, PSI), so that a
reload shows the latest batch again; the same file scored again unchanged, with no batch between, is not stored
twice (each click of "Score applicants" had stored another identical batch: four in the report for one file)."""
from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pandas as pd

from domain import finance as rules
from services import runs
from services.results import RunInfo
from services.runtime import Runtime

OUTPUT_COLUMNS = ("pd", "grade", "decision", "reason_1", "reason_2", "reason_3", "expected_loss")


@dataclass(frozen=True)
class Batch:
    batch: int                       # the audit event that records the batch
    scored_at: datetime
    user: str
    source: str                      # the file's name
    rows: int
    details: dict


@dataclass(frozen=True)
class StoredBatch:
    """What the Score tab shows, read back: as a fresh score's result, with the batch's file, time and user."""
    run_id: int
    frame: pd.DataFrame              # [id], pd, grade, decision, reasons, [expected_loss], in the file's order
    notes: tuple[str, ...]
    psi: pd.DataFrame                # feature, psi, band ("(score)" only for batches stored before it kept them)
    about: Batch


def digest(source: bytes | str | os.PathLike) -> str:
    return hashlib.sha256(source if isinstance(source, bytes) else Path(source).read_bytes()).hexdigest()


def store(runtime: Runtime, run_id: int, keys: list[str], out: pd.DataFrame, *, user: str, source: str,
          psi: pd.DataFrame, notes: tuple[str, ...] = (), ids: bool = True, sha256: str = "") -> tuple[int, int]:
    """Every scored batch is kept: its rows carry the id of the audit event that records the batch (who, when,
    which file, how many rows, score PSI, and the notes, PSI table and columns a reload shows). ``ids``: the keys
    are the file's ids, not row numbers. Returns (rows stored, batch id)."""
    records = out[[c for c in out.columns if c in OUTPUT_COLUMNS]].to_dict("records")
    details = {"rows": len(out), "source": source,
               "score_psi": float(psi.loc[psi["feature"] == "(score)", "psi"].iloc[0]), "sha256": sha256,
               "notes": list(notes), "psi": psi.to_dict("records"), "columns": [str(c) for c in out.columns],
               "ids": ids}
    with runtime.uow() as uow:
        owner = uow.users.get_or_create(user)
        event = uow.audit.add(user_id=owner.id, action="score", object_type="run", object_id=run_id, details=details)
        count = uow.predictions.add_many(run_id, zip(keys, ({**r, "batch": event.id} for r in records)), kind="score")
        uow.commit()
        return count, event.id


def batch_info(runtime: Runtime, run_id: int, batch: int | None = None) -> Batch | None:
    """The run's batch ``batch`` (who, when, which file), or its latest."""
    with runtime.uow() as uow:
        found = uow.audit.find(action="score", object_type="run", object_id=str(run_id),
                               limit=1 if batch is None else None)
        event, user = next(((e, u) for e, u in found if batch is None or e.id == batch), (None, ""))
        if event is None:
            return None
        details = dict(event.details or {})
        return Batch(event.id, event.created_at, user, str(details.get("source") or ""), int(details.get("rows") or 0),
                     details)


def about(runtime: Runtime, result) -> Batch | None:
    """Which batch a result shown on the Score tab is (file, time, user); None for a result not stored."""
    if isinstance(result, StoredBatch):
        return result.about
    return batch_info(runtime, result.run_id, result.batch) if result.batch is not None else None


def repeated(runtime: Runtime, run_id: int, sha256: str) -> Batch | None:
    """The run's latest batch when it is this very file (same bytes): scored again with no other batch between, it
    would store the same rows again. After another batch it is stored anew: the latest row per applicant wins."""
    batch = batch_info(runtime, run_id)
    return batch if batch is not None and batch.details.get("sha256") == sha256 else None


def repeat_note(batch: Batch, run_id: int) -> str:
    return (f"This file ({batch.source}) was scored with run {run_id} at {batch.scored_at:%Y-%m-%d %H:%M} UTC by "
            f"{batch.user or 'someone'}, with no other file since: these are that batch's scores, not stored again.")


def latest_batch(runtime: Runtime, run: RunInfo) -> StoredBatch | None:
    """The run's latest scored batch as the Score tab showed it (a reload had shown none); batches stored before
    the notes were kept come back without them, and their PSI with the score's alone."""
    batch = batch_info(runtime, run.id)
    if batch is None:
        return None
    stored = runs.predictions_frame(runtime, run.id, kind="score")
    stored = stored[stored["batch"] == batch.batch] if "batch" in stored.columns else stored.iloc[:0]
    details = batch.details
    columns = details.get("columns") or [c for c in OUTPUT_COLUMNS if c in stored.columns]
    frame = stored.reindex(columns=[c for c in columns if c in OUTPUT_COLUMNS]).reset_index(drop=True)
    id_column = next((c for c in columns if c not in OUTPUT_COLUMNS), None) or run.parameters.get("id_column")
    if id_column:
        keys = stored["record_key"].tolist() if details.get("ids", True) else [None] * len(stored)
        frame.insert(0, id_column, keys)
    score_psi = details.get("score_psi")
    psi = pd.DataFrame(details.get("psi") or [{"feature": "(score)", "psi": score_psi, "band": rules.psi_band(
        float(score_psi), batch.rows) if score_psi is not None else None}])
    return StoredBatch(run.id, frame, tuple(details.get("notes") or ()), psi, batch)

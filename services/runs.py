"""Run use cases shared by all desks: list, show, pick the champion."""
from __future__ import annotations

from services.errors import NotFoundError
from services.results import RunInfo
from services.runtime import Runtime


def list_runs(runtime: Runtime, desk: str | None = None, limit: int = 200) -> list[RunInfo]:
    with runtime.uow() as uow:
        return [RunInfo.from_record(run) for run in uow.runs.list(desk=desk, limit=limit)]


def get_run(runtime: Runtime, run_id: int) -> RunInfo:
    with runtime.uow() as uow:
        run = uow.runs.get(int(run_id))
        if run is None:
            raise NotFoundError(f"No run {run_id}.")
        return RunInfo.from_record(run)


def set_champion(runtime: Runtime, run_id: int, *, user: str) -> RunInfo:
    with runtime.uow() as uow:
        if uow.runs.get(int(run_id)) is None:
            raise NotFoundError(f"No run {run_id}.")
        uow.runs.set_champion(int(run_id))
        owner = uow.users.get_or_create(user)
        uow.audit.add(user_id=owner.id, action="set_champion", object_type="run", object_id=run_id)
        uow.commit()
        return RunInfo.from_record(uow.runs.get(int(run_id)))


def predictions_frame(runtime: Runtime, run_id: int, kind: str | None = None, limit: int | None = None):
    import pandas as pd

    with runtime.uow() as uow:
        rows = uow.predictions.outputs(int(run_id), kind=kind, limit=limit)
    return pd.DataFrame([{"record_key": key, **outputs} for key, outputs in rows])


def with_predictions(runtime: Runtime, run_ids, kinds) -> set[int]:
    """The runs among ``run_ids`` that stored predictions of one of ``kinds`` (a scored file, RUL estimates)."""
    with runtime.uow() as uow:
        return {int(run_id) for run_id in run_ids if uow.predictions.has_any(int(run_id), kinds)}


def latest_predictions(runtime: Runtime, run_id: int, kind: str):
    """One row per record: the most recently stored one. Scored batches are kept, not replaced, so a
    record scored twice (an applicant re-scored, a unit with newer readings) appears once, as it is now."""
    frame = predictions_frame(runtime, run_id, kind)
    if frame.empty:
        return frame
    return frame.drop_duplicates("record_key", keep="last").reset_index(drop=True)

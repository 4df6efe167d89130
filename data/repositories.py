"""Repositories: the only code that queries the tables. All SQL goes through the ORM (parametrised). The audit
trail, reviews and chats are in data/repositories_activity.py (re-exported here for the unit of work)."""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from itertools import islice
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from data.records import (
    DatasetRecord,
    JobRecord,
    PredictionRecord,
    ReportRecord,
    RunRecord,
    UserRecord,
    utcnow,
)
from data.repositories_activity import AuditRepository, ChatRepository, ReviewRepository

__all__ = [
    "AuditRepository", "ChatRepository", "DatasetRepository", "JobRepository", "PredictionRepository",
    "ReportRepository", "ReviewRepository", "RunRepository", "UserRepository",
]  # fmt: skip

INSERT_CHUNK = 20_000  # stored predictions per INSERT statement
_UPSERTS = {"sqlite": sqlite_insert, "postgresql": postgresql_insert}  # inserts that can skip an existing row

class UserRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def get_or_create(self, name: str) -> UserRecord:
        """The user's row, added when missing. Two commands started together on a new database had both found no
        row and both inserted it: one stopped with "UNIQUE constraint failed: users.name". The insert now leaves an
        existing row alone (ON CONFLICT DO NOTHING on SQLite and PostgreSQL), then the row is read."""
        user = self._named(name)
        if user is not None:
            return user
        insert = _UPSERTS.get(self.session.get_bind().dialect.name)
        if insert is None:  # another database: a plain insert, as before
            user = UserRecord(name=name)
            self.session.add(user)
            self.session.flush()
            return user
        self.session.execute(insert(UserRecord).values(name=name).on_conflict_do_nothing(index_elements=["name"]))
        return self._named(name)

    def _named(self, name: str) -> UserRecord | None:
        return self.session.scalar(select(UserRecord).where(UserRecord.name == name))

    def get(self, user_id: int) -> UserRecord | None:
        return self.session.get(UserRecord, user_id)


class DatasetRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, record: DatasetRecord) -> DatasetRecord:
        self.session.add(record)
        self.session.flush()
        return record

    def get(self, dataset_id: int) -> DatasetRecord | None:
        return self.session.get(DatasetRecord, dataset_id)

    def by_name(self, name: str) -> DatasetRecord | None:
        """Latest dataset stored under that name."""
        stmt = select(DatasetRecord).where(DatasetRecord.name == name).order_by(DatasetRecord.id.desc()).limit(1)
        return self.session.scalar(stmt)

    def list(self) -> Sequence[DatasetRecord]:
        return self.session.scalars(select(DatasetRecord).order_by(DatasetRecord.id.desc())).all()

    def same_file(self, sha256: str, name: str) -> Sequence[DatasetRecord]:
        """Datasets stored from the same bytes under the same name, newest first."""
        stmt = select(DatasetRecord).where(DatasetRecord.sha256 == sha256, DatasetRecord.name == name)
        return self.session.scalars(stmt.order_by(DatasetRecord.id.desc())).all()

    def count(self) -> int:
        return self.session.scalar(select(func.count(DatasetRecord.id))) or 0


class RunRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, record: RunRecord) -> RunRecord:
        self.session.add(record)
        self.session.flush()
        return record

    def get(self, run_id: int) -> RunRecord | None:
        return self.session.get(RunRecord, run_id)

    def list(self, desk: str | None = None, limit: int = 200) -> Sequence[RunRecord]:
        stmt = select(RunRecord).order_by(RunRecord.id.desc()).limit(limit)
        if desk:
            stmt = stmt.where(RunRecord.desk == desk)
        return self.session.scalars(stmt).all()

    def set_champion(self, run_id: int) -> None:
        """One champion per (desk, task)."""
        run = self.session.get(RunRecord, run_id)
        if run is None:
            raise KeyError(run_id)
        self.session.execute(
            update(RunRecord).where(RunRecord.desk == run.desk, RunRecord.task == run.task).values(champion=False)
        )
        run.champion = True
        self.session.flush()

    def referenced_artifact_dirs(self) -> set[str]:
        rows = self.session.scalars(select(RunRecord.artifact_dir).where(RunRecord.artifact_dir.is_not(None)))
        return set(rows)


class JobRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, record: JobRecord) -> JobRecord:
        self.session.add(record)
        self.session.flush()
        return record

    def get(self, job_id: int) -> JobRecord | None:
        return self.session.get(JobRecord, job_id)

    def list(self, limit: int = 50) -> Sequence[JobRecord]:
        return self.session.scalars(select(JobRecord).order_by(JobRecord.id.desc()).limit(limit)).all()

    def unfinished(self) -> Sequence[JobRecord]:
        return self.session.scalars(select(JobRecord).where(JobRecord.status.in_(("queued", "running")))).all()

    def newest_unfinished(self, kind: str, owner: str) -> JobRecord | None:
        """The newest queued or running job of ``kind`` submitted by the user named ``owner``."""
        return self.session.scalars(
            select(JobRecord).join(UserRecord, JobRecord.owner_id == UserRecord.id)
            .where(JobRecord.kind == kind, UserRecord.name == owner, JobRecord.status.in_(("queued", "running")))
            .order_by(JobRecord.id.desc()).limit(1)).first()

    def set_progress(self, job_id: int, progress: float, message: str) -> str | None:
        """Update progress of a running job; returns the job's current status (to notice cancellation)."""
        self.session.execute(
            update(JobRecord)
            .where(JobRecord.id == job_id, JobRecord.status == "running")
            .values(progress=progress, message=message)
        )
        return self.session.scalar(select(JobRecord.status).where(JobRecord.id == job_id))

    def transition(self, job_id: int, status: str, *, allowed_from: Iterable[str], **values: Any) -> bool:
        """Compare-and-set status change, so a cancelled job is never overwritten as succeeded."""
        stamp: dict[str, datetime] = {}
        if status == "running":
            stamp["started_at"] = utcnow()
        elif status in ("succeeded", "failed", "cancelled"):
            stamp["finished_at"] = utcnow()
        result = self.session.execute(
            update(JobRecord)
            .where(JobRecord.id == job_id, JobRecord.status.in_(tuple(allowed_from)))
            .values(status=status, **stamp, **values)
        )
        return result.rowcount == 1


class PredictionRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add_many(self, run_id: int, rows: Iterable[tuple[str, dict[str, Any]]], kind: str = "prediction") -> int:
        """Rows inserted a chunk at a time, in the caller's transaction: one statement over 1.3 million scored
        readings held every parameter set at once (a 4 GB peak)."""
        count, rows = 0, iter(rows)
        while payload := [{"run_id": run_id, "kind": kind, "record_key": key, "outputs": outputs}
                          for key, outputs in islice(rows, INSERT_CHUNK)]:
            self.session.execute(PredictionRecord.__table__.insert(), payload)
            count += len(payload)
        return count

    def list(self, run_id: int, kind: str | None = None, limit: int | None = None) -> Sequence[PredictionRecord]:
        stmt = select(PredictionRecord).where(PredictionRecord.run_id == run_id).order_by(PredictionRecord.id)
        if kind:
            stmt = stmt.where(PredictionRecord.kind == kind)
        if limit:
            stmt = stmt.limit(limit)
        return self.session.scalars(stmt).all()

    def outputs(self, run_id: int, kind: str | None = None, limit: int | None = None) -> list[tuple[str, dict]]:
        """(record_key, outputs) per stored row, in storing order: the columns only, without building an ORM
        object per row (a 60,000-row run's out-of-fold rows load in a fraction of the time)."""
        stmt = (select(PredictionRecord.record_key, PredictionRecord.outputs)
                .where(PredictionRecord.run_id == run_id).order_by(PredictionRecord.id))
        if kind:
            stmt = stmt.where(PredictionRecord.kind == kind)
        if limit:
            stmt = stmt.limit(limit)
        return [(key, outputs) for key, outputs in self.session.execute(stmt)]

    def has_any(self, run_id: int, kinds: Iterable[str]) -> bool:
        """Whether the run stored a row of one of ``kinds`` (one row looked up, not counted)."""
        stmt = (select(PredictionRecord.id).where(PredictionRecord.run_id == run_id,
                                                  PredictionRecord.kind.in_(tuple(kinds))).limit(1))
        return self.session.scalar(stmt) is not None

    def count(self, run_id: int) -> int:
        stmt = select(func.count(PredictionRecord.id)).where(PredictionRecord.run_id == run_id)
        return self.session.scalar(stmt) or 0


class ReportRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, record: ReportRecord) -> ReportRecord:
        self.session.add(record)
        self.session.flush()
        return record

    def get(self, report_id: int) -> ReportRecord | None:
        return self.session.get(ReportRecord, report_id)

    def list(self, run_id: int | None = None, limit: int = 100) -> Sequence[ReportRecord]:
        stmt = select(ReportRecord).order_by(ReportRecord.id.desc()).limit(limit)
        if run_id is not None:
            stmt = stmt.where(ReportRecord.run_id == run_id)
        return self.session.scalars(stmt).all()

"""Frozen result objects returned by services (never ORM rows or sessions)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any


@dataclass(frozen=True)
class DatasetInfo:
    id: int
    name: str
    original_filename: str
    sha256: str
    size_bytes: int
    rows: int
    columns: int
    schema: dict[str, str]
    roles: dict[str, str]
    profile: list[dict[str, Any]]
    problems: list[dict[str, Any]]
    source_format: dict[str, Any]
    created_at: datetime
    owner: str
    reused: bool = False  # an import of a file stored before under its name: that dataset, no copy stored

    @classmethod
    def from_record(cls, record, owner: str = "") -> "DatasetInfo":
        return cls(record.id, record.name, record.original_filename, record.sha256, record.size_bytes, record.rows,
                   record.columns, dict(record.schema), dict(record.roles), list(record.profile),
                   list(record.problems or []), dict(record.source_format or {}), record.created_at, owner)


@dataclass(frozen=True)
class RunInfo:
    id: int
    desk: str
    task: str
    dataset_id: int | None
    parameters: dict[str, Any]
    metrics: dict[str, Any]
    status: str
    artifact_dir: str | None
    champion: bool
    created_at: datetime

    @classmethod
    def from_record(cls, record) -> "RunInfo":
        return cls(record.id, record.desk, record.task, record.dataset_id, dict(record.parameters or {}),
                   dict(record.metrics or {}), record.status, record.artifact_dir, record.champion, record.created_at)


@dataclass(frozen=True)
class JobInfo:
    id: int
    kind: str
    desk: str
    status: str
    progress: float
    message: str
    run_id: int | None
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None

    @property
    def finished(self) -> bool:
        return self.status in ("succeeded", "failed", "cancelled")

    @classmethod
    def from_record(cls, record) -> "JobInfo":
        return cls(record.id, record.kind, record.desk, record.status, float(record.progress or 0.0),
                   record.message or "", record.run_id, record.created_at, record.started_at, record.finished_at)


@dataclass(frozen=True)
class ReportInfo:
    id: int
    run_id: int
    format: str
    file_path: str
    sha256: str
    created_at: datetime

"""Process-wide collaborators (engine, session factory, folders) built once from the settings."""
from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from data import migrate
from data.db import build_engine, build_session_factory
from data.uow import UnitOfWork


@dataclass(frozen=True)
class Runtime:
    database_url: str
    state_dir: Path
    datasets_dir: Path
    artifacts_dir: Path
    reports_dir: Path
    max_upload_bytes: int
    device: str
    workers: int
    user: str
    engine: Engine
    session_factory: sessionmaker[Session]

    def uow(self) -> UnitOfWork:
        return UnitOfWork(self.session_factory)


_CACHE: dict[tuple, Runtime] = {}
_LOCK = threading.Lock()


def build_runtime(settings, *, migrate_schema: bool = True) -> Runtime:
    """Cached per (database, state folder) so reruns and pages share one engine."""
    key = (settings.resolved_database_url, str(Path(settings.state_dir).resolve()))
    with _LOCK:
        runtime = _CACHE.get(key)
        if runtime is None:
            state_dir = Path(settings.state_dir).resolve()
            for folder in (state_dir, settings.datasets_dir, settings.artifacts_dir, settings.reports_dir):
                Path(folder).mkdir(parents=True, exist_ok=True)
            engine = build_engine(settings.resolved_database_url)
            if migrate_schema:
                migrate.upgrade(engine)
            runtime = Runtime(
                database_url=settings.resolved_database_url,
                state_dir=state_dir,
                datasets_dir=Path(settings.datasets_dir).resolve(),
                artifacts_dir=Path(settings.artifacts_dir).resolve(),
                reports_dir=Path(settings.reports_dir).resolve(),
                max_upload_bytes=settings.max_upload_bytes,
                device=settings.device,
                workers=settings.workers,
                user=settings.user,
                engine=engine,
                session_factory=build_session_factory(engine),
            )
            _CACHE[key] = runtime
        return runtime


def runtime_from_values(*, database_url: str, state_dir: Path, device: str = "auto", workers: int = 1,
                        user: str = "analyst", max_upload_bytes: int = 1024**3) -> Runtime:
    """Rebuild a runtime inside a worker process from plain values (engines don't cross processes)."""
    class _Values:
        pass

    values = _Values()
    values.resolved_database_url = database_url
    values.state_dir = Path(state_dir)
    values.datasets_dir = Path(state_dir) / "datasets"
    values.artifacts_dir = Path(state_dir) / "artifacts"
    values.reports_dir = Path(state_dir) / "reports"
    values.max_upload_bytes = max_upload_bytes
    values.device = device
    values.workers = workers
    values.user = user
    return build_runtime(values, migrate_schema=False)


def runtime_values(runtime: Runtime) -> dict:
    return {"database_url": runtime.database_url, "state_dir": str(runtime.state_dir), "device": runtime.device,
            "workers": runtime.workers, "user": runtime.user, "max_upload_bytes": runtime.max_upload_bytes}

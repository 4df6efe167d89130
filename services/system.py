"""Start-up housekeeping and facts about the machine shown on the home page."""
from __future__ import annotations

from dataclasses import dataclass

from ml import artifacts
from ml.device import DeviceInfo, describe_device
from services.jobs import recover_orphaned_jobs
from services.runtime import Runtime


@dataclass(frozen=True)
class StartupReport:
    failed_jobs: list[int]
    removed_artifact_dirs: int


def startup(runtime: Runtime) -> StartupReport:
    """Fail jobs whose worker is gone; remove artifact folders no run refers to (only when nothing runs)."""
    failed = recover_orphaned_jobs(runtime)
    removed = 0
    with runtime.uow() as uow:
        running = any(job.status == "running" for job in uow.jobs.unfinished())
        referenced = uow.runs.referenced_artifact_dirs()
    if not running:
        removed = len(artifacts.clean_orphans(runtime.artifacts_dir, referenced))
    return StartupReport(failed_jobs=failed, removed_artifact_dirs=removed)


def device_info(runtime: Runtime) -> DeviceInfo:
    return describe_device(runtime.device)  # type: ignore[arg-type]

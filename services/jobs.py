"""Background jobs: a job row tracks work done in a worker process; results commit once at the end."""
from __future__ import annotations

import atexit
import importlib
import os
import socket
import threading
import time
from collections.abc import Callable, Collection
from concurrent.futures import Future
from typing import Any

import psutil

from domain import jobs as rules
from data.records import JobRecord
from services.errors import JobCancelled, NotFoundError, UserFacingError
from services.executor import Executor, LocalProcessPool
from services.results import JobInfo
from services.runtime import Runtime, runtime_from_values, runtime_values

Progress = Callable[[float, str], None]
Handler = Callable[[Runtime, dict[str, Any], Progress], "int | None"]

APP_STOPPED = "The app stopped while this job was running; nothing was saved. Start it again."
NEVER_STARTED = "The app restarted before this job started; nothing was saved. Start it again."


def _resolve(handler_path: str) -> Handler:
    module_name, _, attribute = handler_path.partition(":")
    if not module_name.startswith("services.") or not attribute:
        raise ValueError(f"job handler must be 'services.<module>:<function>', got {handler_path!r}")
    return getattr(importlib.import_module(module_name), attribute)


class ProgressReporter:
    """Writes progress to the job row and turns a cancelled row into JobCancelled inside the worker."""

    def __init__(self, runtime: Runtime, job_id: int, echo: Progress | None = None, min_interval_s: float = 0.25):
        self.runtime = runtime
        self.job_id = job_id
        self.echo = echo
        self.min_interval_s = min_interval_s
        self._last = 0.0

    def __call__(self, progress: float, message: str) -> None:
        progress = rules.clamp_progress(progress)
        if self.echo:
            self.echo(progress, message)
        now = time.monotonic()
        if now - self._last < self.min_interval_s and progress < 1.0:
            return
        self._last = now
        with self.runtime.uow() as uow:
            status = uow.jobs.set_progress(self.job_id, progress, message)
            uow.commit()
        if status == rules.CANCELLED:
            raise JobCancelled(f"job {self.job_id} was cancelled")

    def check(self) -> None:
        """Raise JobCancelled if the job was cancelled (call before the final commit)."""
        with self.runtime.uow() as uow:
            job = uow.jobs.get(self.job_id)
            if job is not None and job.status == rules.CANCELLED:
                raise JobCancelled(f"job {self.job_id} was cancelled")


def _finish(runtime: Runtime, job_id: int, status: str, message: str, run_id: int | None = None) -> bool:
    values: dict[str, Any] = {"message": message[:4000]}
    if run_id is not None:
        values["run_id"] = run_id
    if status == rules.SUCCEEDED:
        values["progress"] = 1.0
    with runtime.uow() as uow:
        changed = uow.jobs.transition(job_id, status, allowed_from=rules.sources_for(status), **values)
        uow.commit()
    return changed


def _watch_parent(runtime: Runtime, job_id: int, parent_pid: int) -> None:
    """If the app process dies, fail the job and exit rather than finish as an orphan."""
    while True:
        time.sleep(1.0)
        if os.getppid() != parent_pid:
            try:
                _finish(runtime, job_id, rules.FAILED, APP_STOPPED)
            finally:
                os._exit(1)


def run_job(values: dict[str, Any], job_id: int, handler_path: str, params: dict[str, Any],
            parent_pid: int | None = None, echo: Progress | None = None) -> int | None:
    """Worker entry point (also used inline by the CLI). Returns the run id on success."""
    runtime = runtime_from_values(**values)
    with runtime.uow() as uow:
        started = uow.jobs.transition(job_id, rules.RUNNING, allowed_from=rules.sources_for(rules.RUNNING),
                                      worker_pid=os.getpid(), worker_host=socket.gethostname(),
                                      message="Started")
        uow.commit()
    if not started:
        return None
    if parent_pid is not None and parent_pid != os.getpid():  # only a separate worker process watches its parent
        threading.Thread(target=_watch_parent, args=(runtime, job_id, parent_pid), daemon=True).start()
    reporter = ProgressReporter(runtime, job_id, echo=echo)
    try:
        run_id = _resolve(handler_path)(runtime, params, reporter)
    except JobCancelled:
        _finish(runtime, job_id, rules.CANCELLED, "Cancelled by user; nothing was saved.")
        return None
    except UserFacingError as exc:
        _finish(runtime, job_id, rules.FAILED, str(exc))
        raise
    except Exception as exc:
        _finish(runtime, job_id, rules.FAILED, f"{type(exc).__name__}: {exc}")
        raise
    _finish(runtime, job_id, rules.SUCCEEDED, "Done", run_id=run_id)
    return run_id


NOT_STORED = "(not stored)"


def stored_parameters(params: dict[str, Any], private: Collection[str] = ()) -> dict[str, Any]:
    """What the jobs table keeps: `private` keys (file paths that may name a patient, say) are blanked.

    The worker still gets the full parameters; only the row other users can list is redacted.
    """
    return {k: (NOT_STORED if k in private and v is not None else v) for k, v in params.items()}


def create_job(runtime: Runtime, *, kind: str, desk: str, params: dict[str, Any], user: str,
               private: Collection[str] = ()) -> int:
    with runtime.uow() as uow:
        owner = uow.users.get_or_create(user)
        job = uow.jobs.add(JobRecord(kind=kind, desk=desk, status=rules.QUEUED, progress=0.0,
                                     message="Waiting for a worker", parameters=stored_parameters(params, private), owner_id=owner.id,
                                     submitter_pid=os.getpid(), worker_host=socket.gethostname()))
        uow.audit.add(user_id=owner.id, action="submit", object_type="job", object_id=job.id,
                      details={"kind": kind, "desk": desk})
        uow.commit()
        return job.id


def run_inline(runtime: Runtime, *, kind: str, desk: str, handler: str, params: dict[str, Any], user: str,
               echo: Progress | None = None, private: Collection[str] = ()) -> JobInfo:
    """Run a job in this process (the CLI): same job row, same handler, same single final transaction."""
    job_id = create_job(runtime, kind=kind, desk=desk, params=params, user=user, private=private)
    try:
        run_job(runtime_values(runtime), job_id, handler, params, None, echo)
    except UserFacingError:
        pass
    return get_job(runtime, job_id)


def get_job(runtime: Runtime, job_id: int) -> JobInfo:
    with runtime.uow() as uow:
        job = uow.jobs.get(job_id)
        if job is None:
            raise NotFoundError(f"No job {job_id}.")
        return JobInfo.from_record(job)


def active_job(runtime: Runtime, *, kind: str, user: str) -> tuple[JobInfo, int | None] | None:
    """``user``'s newest queued or running job of ``kind`` and the dataset it works on (its ``dataset_id``
    parameter), or None: a desk page reloaded, or opened in a new tab, shows that job again and starts no second
    one beside it (a page had lost a running job on reload, and a second Train had queued another)."""
    with runtime.uow() as uow:
        job = uow.jobs.newest_unfinished(kind, user)
        if job is None:
            return None
        dataset = (job.parameters or {}).get("dataset_id")
        return JobInfo.from_record(job), dataset if isinstance(dataset, int) else None


def list_jobs(runtime: Runtime, limit: int = 50) -> list[JobInfo]:
    with runtime.uow() as uow:
        return [JobInfo.from_record(job) for job in uow.jobs.list(limit)]


def _alive_here(pid: int | None, host: str | None) -> bool:
    if not pid or host != socket.gethostname():
        return False
    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.Error:
        return False


def recover_orphaned_jobs(runtime: Runtime) -> list[int]:
    """At start-up: jobs whose worker is gone are marked failed with a reason."""
    failed: list[int] = []
    with runtime.uow() as uow:
        for job in uow.jobs.unfinished():
            if job.status == rules.QUEUED:
                if _alive_here(job.submitter_pid, job.worker_host):
                    continue  # another live process (app or CLI) queued it
                reason = NEVER_STARTED
            elif not _alive_here(job.worker_pid, job.worker_host):
                reason = APP_STOPPED
            else:
                continue
            if uow.jobs.transition(job.id, rules.FAILED, allowed_from=(job.status,), message=reason):
                failed.append(job.id)
        uow.commit()
    return failed


class JobManager:
    """Submits jobs to an executor and cancels them; one per app process."""

    def __init__(self, runtime: Runtime, executor: Executor | None = None) -> None:
        self.runtime = runtime
        self.executor = executor or LocalProcessPool(max_workers=runtime.workers)
        self._futures: dict[int, Future] = {}
        atexit.register(self.shutdown)

    def submit(self, *, kind: str, desk: str, handler: str, params: dict[str, Any], user: str,
               private: Collection[str] = ()) -> int:
        _resolve(handler)  # fail fast on a typo, in the caller's process
        job_id = create_job(self.runtime, kind=kind, desk=desk, params=params, user=user, private=private)
        future = self.executor.submit(run_job, runtime_values(self.runtime), job_id, handler, params, os.getpid())
        self._futures[job_id] = future
        future.add_done_callback(lambda _f, j=job_id: self._futures.pop(j, None))
        return job_id

    def cancel(self, job_id: int, user: str) -> bool:
        with self.runtime.uow() as uow:
            job = uow.jobs.get(job_id)
            if job is None:
                raise NotFoundError(f"No job {job_id}.")
            if not rules.can_cancel(job.status):
                return False
            changed = uow.jobs.transition(job_id, rules.CANCELLED, allowed_from=rules.ACTIVE,
                                          message="Cancelled by user; nothing was saved.")
            owner = uow.users.get_or_create(user)
            uow.audit.add(user_id=owner.id, action="cancel", object_type="job", object_id=job_id)
            uow.commit()
        future = self._futures.get(job_id)
        terminate = getattr(self.executor, "terminate", None)
        if future is not None:
            if terminate is not None:
                terminate(future)
            else:
                future.cancel()
        return changed

    def wait(self, job_id: int, timeout: float | None = None) -> JobInfo:
        future = self._futures.get(job_id)
        if future is not None:
            try:
                future.result(timeout)
            except Exception:  # noqa: BLE001 - the job row holds the outcome
                pass
        return get_job(self.runtime, job_id)

    def shutdown(self) -> None:
        shutdown = getattr(self.executor, "shutdown", None)
        if shutdown is not None:
            try:
                shutdown(wait=False, cancel_running=True)
            except TypeError:
                shutdown()

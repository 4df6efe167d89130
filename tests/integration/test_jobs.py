"""Background jobs end to end: worker processes, progress, cancel, and recovery after the app dies."""
import os
import signal
import subprocess
import sys
import textwrap
import time

import pytest

from services import diagnostics, jobs
from services.executor import LocalProcessPool
from tests.support import make_runtime


def _wait_for(predicate, timeout=60.0, interval=0.1):
    deadline = time.time() + timeout
    while time.time() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError("condition not reached in time")


@pytest.fixture
def runtime(tmp_path):
    return make_runtime(tmp_path / "var")


@pytest.fixture
def manager(runtime):
    manager = jobs.JobManager(runtime, LocalProcessPool(max_workers=1))
    yield manager
    manager.shutdown()


def test_progress_is_reported_and_job_succeeds(runtime, manager):
    job_id = manager.submit(kind="diag", desk="system", handler=diagnostics.HANDLER, params={"seconds": 1.5},
                            user="tester")
    seen = set()

    def progressed():
        job = jobs.get_job(runtime, job_id)
        seen.add(round(job.progress, 1))
        return job.finished and job

    job = _wait_for(progressed)
    assert job.status == "succeeded" and job.progress == 1.0 and job.started_at and job.finished_at
    assert len(seen) >= 2  # intermediate progress was visible while it ran


def test_cancel_stops_the_worker_process(runtime, manager):
    job_id = manager.submit(kind="diag", desk="system", handler=diagnostics.HANDLER, params={"seconds": 60},
                            user="tester")
    job = _wait_for(lambda: (j := jobs.get_job(runtime, job_id)).status == "running" and j.progress > 0 and j)
    with runtime.uow() as uow:
        pid = uow.jobs.get(job_id).worker_pid
    assert manager.cancel(job_id, "tester")
    import psutil

    _wait_for(lambda: not psutil.pid_exists(pid) or psutil.Process(pid).status() == psutil.STATUS_ZOMBIE, 20)
    job = jobs.get_job(runtime, job_id)
    assert job.status == "cancelled" and "nothing was saved" in job.message
    assert not manager.cancel(job_id, "tester")  # a finished job cannot be cancelled twice


def test_unknown_handler_is_refused_before_queueing(runtime, manager):
    with pytest.raises(ValueError, match="services"):
        manager.submit(kind="x", desk="d", handler="os:system", params={}, user="tester")
    assert jobs.list_jobs(runtime) == []


APP_SCRIPT = textwrap.dedent("""
    import sys, time
    sys.path.insert(0, {root!r})
    from services import diagnostics, jobs
    from services.executor import LocalProcessPool
    from services.runtime import runtime_from_values
    rt = runtime_from_values(database_url={url!r}, state_dir={state!r}, device="cpu")
    manager = jobs.JobManager(rt, LocalProcessPool(max_workers=1))
    job_id = manager.submit(kind="diag", desk="system", handler=diagnostics.HANDLER, params={{"seconds": 120}},
                            user="tester")
    print(job_id, flush=True)
    time.sleep(600)
""")


def test_killing_the_app_fails_the_job_with_a_reason(runtime, tmp_path):
    root = os.getcwd()
    script = APP_SCRIPT.format(root=root, url=runtime.database_url, state=str(runtime.state_dir))
    app = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True, cwd=root)
    try:
        job_id = int(app.stdout.readline())
        _wait_for(lambda: jobs.get_job(runtime, job_id).status == "running", 60)
        with runtime.uow() as uow:
            worker_pid = uow.jobs.get(job_id).worker_pid
    finally:
        app.send_signal(signal.SIGKILL)
        app.wait(10)
    import psutil

    # the orphaned worker notices its parent is gone, fails the job and exits
    _wait_for(lambda: not psutil.pid_exists(worker_pid)
              or psutil.Process(worker_pid).status() == psutil.STATUS_ZOMBIE, 30)
    from services import system

    system.startup(runtime)  # what the next app start does
    job = jobs.get_job(runtime, job_id)
    assert job.status == "failed"
    assert "app stopped" in job.message
    with runtime.uow() as uow:
        assert uow.runs.list() == []


def test_startup_fails_jobs_whose_worker_is_gone(runtime):
    dead_pid = 2**22 + 12345
    queued = jobs.create_job(runtime, kind="k", desk="d", params={}, user="tester")
    running = jobs.create_job(runtime, kind="k", desk="d", params={}, user="tester")
    alive_queued = jobs.create_job(runtime, kind="k", desk="d", params={}, user="tester")
    with runtime.uow() as uow:
        uow.jobs.get(queued).submitter_pid = dead_pid
        uow.jobs.transition(running, "running", allowed_from=("queued",), worker_pid=dead_pid)
        uow.commit()
    assert sorted(jobs.recover_orphaned_jobs(runtime)) == sorted([queued, running])
    assert jobs.get_job(runtime, queued).message == jobs.NEVER_STARTED
    assert jobs.get_job(runtime, running).message == jobs.APP_STOPPED
    assert jobs.get_job(runtime, alive_queued).status == "queued"  # its submitter (this process) is alive

import os
import time

import pytest

from services.executor import LocalProcessPool, TaskTerminated, WorkerCrashed


def _square(x):
    return x * x


def _pid():
    return os.getpid()


def _boom():
    raise ValueError("bad input")


def _sleep(seconds):
    time.sleep(seconds)
    return "woke"


def _die():
    os._exit(3)


@pytest.fixture
def pool():
    executor = LocalProcessPool(max_workers=2)
    yield executor
    executor.shutdown(wait=False, cancel_running=True)


def test_submit_runs_in_another_process(pool):
    assert pool.submit(_square, 7).result(60) == 49
    assert pool.submit(_pid).result(60) != os.getpid()


def test_errors_come_back_with_their_message(pool):
    with pytest.raises(RuntimeError, match="ValueError: bad input"):
        pool.submit(_boom).result(60)


def test_terminate_really_stops_a_running_task(pool):
    future = pool.submit(_sleep, 60)
    deadline = time.time() + 30
    while pool.pid(future) is None and time.time() < deadline:
        time.sleep(0.05)
    pid = pool.pid(future)
    assert pid is not None
    started = time.time()
    assert pool.terminate(future)
    with pytest.raises(TaskTerminated):
        future.result(30)
    assert time.time() - started < 20
    import psutil

    assert not psutil.pid_exists(pid) or psutil.Process(pid).status() == psutil.STATUS_ZOMBIE


def test_queued_task_is_cancelled_before_it_starts():
    executor = LocalProcessPool(max_workers=1)
    try:
        first = executor.submit(_sleep, 2)
        second = executor.submit(_square, 3)
        assert executor.terminate(second)
        assert second.cancelled()
        assert first.result(60) == "woke"
    finally:
        executor.shutdown(wait=False, cancel_running=True)


def test_a_crashed_worker_is_reported(pool):
    with pytest.raises(WorkerCrashed, match="exit code 3"):
        pool.submit(_die).result(60)


def test_a_task_that_cannot_start_fails_and_the_pool_lives_on():
    """A function that cannot be sent to a new process (here a lambda) used to kill the dispatcher thread: that
    task stayed 'running' and every later task waited for ever."""
    executor = LocalProcessPool(max_workers=1)
    try:
        with pytest.raises(WorkerCrashed, match="could not start"):
            executor.submit(lambda: 1).result(60)
        assert executor.submit(_square, 4).result(60) == 16
    finally:
        executor.shutdown(wait=False, cancel_running=True)


def test_a_reimported_function_is_sent_as_its_module_now_holds_it(monkeypatch):
    """Streamlit re-imports a changed module; the old function object pickles as the new one (by name)."""
    import sys
    import types

    from services import executor

    fresh = types.ModuleType(_square.__module__)
    fresh._square = lambda x: x  # noqa: E731 - stands for the re-imported function
    monkeypatch.setitem(sys.modules, _square.__module__, fresh)
    assert executor._current(_square) is fresh._square
    assert executor._current(_boom) is _boom  # not in the new module: kept as it is

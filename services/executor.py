"""A pool of local worker processes with the ``submit(fn, *args) -> Future`` shape of a Dask client.

Each task runs in its own spawned process, so a running task can really be stopped (``terminate``),
which neither ``concurrent.futures.ProcessPoolExecutor`` nor a thread can do. A Dask
``distributed.Client`` satisfies the same ``submit``/``Future`` interface; the job service falls
back to cooperative cancellation (the job row) when the executor has no ``terminate``.
"""
from __future__ import annotations

import multiprocessing as mp
import queue
import threading
import traceback
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass, field
from typing import Any, Protocol


class Executor(Protocol):
    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future: ...


class TaskTerminated(RuntimeError):
    """The worker process was stopped on request."""


class WorkerCrashed(RuntimeError):
    """The worker process ended without returning a result (killed, out of memory, segfault)."""


def _child_main(conn, fn, args, kwargs) -> None:  # runs in the worker process
    try:
        result = fn(*args, **kwargs)
        conn.send(("ok", result))
    except BaseException as exc:  # noqa: BLE001 - everything must reach the parent
        conn.send(("error", f"{type(exc).__name__}: {exc}", traceback.format_exc()))
    finally:
        conn.close()


def _current(fn):
    """The function as its module now holds it. Streamlit re-imports a module whose file changed; a pool made
    before holds the old function object, which pickle refuses ("not the same object as ...") by name."""
    import sys

    module = sys.modules.get(getattr(fn, "__module__", None) or "")
    found = getattr(module, getattr(fn, "__qualname__", ""), None) if module is not None else None
    return found if callable(found) else fn


_MAIN_LOCK = threading.Lock()


def _start_without_main(process) -> None:
    """Start a spawned process without re-running ``__main__`` in it.

    Streamlit runs each page as a module named ``__main__``; a spawned child would otherwise execute
    the app script (multiprocessing re-imports the parent's main module by path).
    """
    import sys
    import types

    with _MAIN_LOCK:
        original = sys.modules.get("__main__")
        sys.modules["__main__"] = types.ModuleType("__main__")
        try:
            process.start()
        finally:
            if original is not None:
                sys.modules["__main__"] = original


@dataclass
class _Item:
    future: Future
    fn: Callable[..., Any]
    args: tuple
    kwargs: dict
    process: Any = None
    conn: Any = None
    terminated: bool = False
    lock: threading.Lock = field(default_factory=threading.Lock)


class LocalProcessPool:
    def __init__(self, max_workers: int = 2, context: str = "spawn") -> None:
        self.max_workers = max(1, int(max_workers))
        self._ctx = mp.get_context(context)
        self._queue: queue.Queue[_Item | None] = queue.Queue()
        self._slots = threading.Semaphore(self.max_workers)
        self._items: dict[int, _Item] = {}
        self._closed = False
        self._dispatcher = threading.Thread(target=self._dispatch, name="dd-dispatch", daemon=True)
        self._dispatcher.start()

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future:
        if self._closed:
            raise RuntimeError("executor is shut down")
        future: Future = Future()
        item = _Item(future, fn, args, kwargs)
        self._items[id(future)] = item
        self._queue.put(item)
        return future

    def terminate(self, future: Future) -> bool:
        """Stop a queued or running task. Returns True if it was stopped before finishing."""
        item = self._items.get(id(future))
        if item is None:
            return False
        with item.lock:
            item.terminated = True
            if future.cancel():
                return True
            process = item.process
        if process is not None and process.is_alive():
            process.terminate()
            process.join(5)
            if process.is_alive():
                process.kill()
            return True
        return False

    def pid(self, future: Future) -> int | None:
        item = self._items.get(id(future))
        return item.process.pid if item and item.process else None

    def shutdown(self, wait: bool = True, cancel_running: bool = False) -> None:
        self._closed = True
        if cancel_running:
            for item in list(self._items.values()):
                self.terminate(item.future)
        self._queue.put(None)
        if wait:
            self._dispatcher.join(30)

    def _dispatch(self) -> None:
        while True:
            item = self._queue.get()
            if item is None:
                return
            self._slots.acquire()
            with item.lock:
                if item.terminated or not item.future.set_running_or_notify_cancel():
                    self._slots.release()
                    self._items.pop(id(item.future), None)
                    continue
                parent, child = self._ctx.Pipe(duplex=False)
                item.conn = parent
                item.process = self._ctx.Process(target=_current(_child_main),
                                                 args=(child, _current(item.fn), item.args, item.kwargs), daemon=False)
                try:
                    _start_without_main(item.process)
                except Exception as exc:  # noqa: BLE001 - the task fails; the dispatcher must live on
                    self._failed_start(item, exc, parent, child)
                    continue
                child.close()
            threading.Thread(target=self._watch, args=(item,), daemon=True).start()

    def _failed_start(self, item: _Item, exc: Exception, *pipes) -> None:
        """A task whose process could not start (its function or arguments cannot be sent to a new process):
        the task fails with the reason; the slot is freed for the next one."""
        for end in pipes:
            end.close()
        item.process = None
        item.future.set_exception(WorkerCrashed(f"the worker process could not start: {type(exc).__name__}: {exc}"))
        self._slots.release()
        self._items.pop(id(item.future), None)

    def _watch(self, item: _Item) -> None:
        try:
            message = None
            try:
                if item.conn.poll(None):
                    message = item.conn.recv()
            except (EOFError, OSError):
                message = None
            item.process.join()
            if message and message[0] == "ok":
                item.future.set_result(message[1])
            elif message and message[0] == "error":
                item.future.set_exception(RuntimeError(message[1]))
            elif item.terminated:
                item.future.set_exception(TaskTerminated("stopped on request"))
            else:
                item.future.set_exception(
                    WorkerCrashed(f"worker process ended with exit code {item.process.exitcode}")
                )
        finally:
            self._slots.release()
            self._items.pop(id(item.future), None)

"""Maintenance desk, remaining useful life: the validation's fits side by side, one per core.

The GRU's steps are small: one fit kept one core busy while the other idled, and five folds of two models took
most of train-rul's time. Fits run in threads (torch and LightGBM release the GIL in their work), each with one
torch thread; their results come back in the order asked, so they are those of one fit after another
(``ml.rul_networks`` seeds each network's dropout itself, not through torch's shared generator).
"""
from __future__ import annotations

import os
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Callable

from services.jobs import Progress

Fit = Callable[[Progress], Any]  # a fit, given its own progress (0-1 of its work)


def cores() -> int:
    """The cores this process may run on (a container's share, not the machine's)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - macOS, Windows
        return os.cpu_count() or 1


class _Shares:
    """Progress of fits running together as one figure that only grows (their mean), each reporting its own 0-1:
    two fits' epochs, reported as they came, ran the bar back and forth."""

    def __init__(self, progress: Progress, start: float, span: float, count: int) -> None:
        self.progress, self.start, self.span = progress, start, span
        self.done, self.lock = [0.0] * count, threading.Lock()

    def of(self, k: int) -> Progress:
        def report(fraction: float, message: str) -> None:
            with self.lock:
                self.done[k] = max(self.done[k], min(1.0, fraction))
                self.progress(self.start + self.span * sum(self.done) / len(self.done), message)
        return report


def run_fits(fits: list[Fit], progress: Progress, start: float, span: float, workers: int) -> list[Any]:
    """Each fit's result, in the order given, ``workers`` at a time (the longest first, from the caller: the
    last one started should be short). One worker: one after another, in this thread, as before."""
    shares = _Shares(progress, start, span, len(fits))
    workers = max(1, min(int(workers), len(fits)))
    if workers == 1:
        return [fit(shares.of(k)) for k, fit in enumerate(fits)]
    from ml.rul_sequence import torch_threads

    with torch_threads(1), ThreadPoolExecutor(workers, thread_name_prefix="rul-fit") as pool:
        futures = [pool.submit(fit, shares.of(k)) for k, fit in enumerate(fits)]
        try:
            return [future.result() for future in futures]
        except BaseException:  # a failed or cancelled fit: the ones not started are dropped
            for future in futures:
                future.cancel()
            raise

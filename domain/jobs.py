"""Job lifecycle rules: which status changes are allowed."""
from __future__ import annotations

QUEUED, RUNNING, SUCCEEDED, FAILED, CANCELLED = "queued", "running", "succeeded", "failed", "cancelled"
FINISHED = frozenset({SUCCEEDED, FAILED, CANCELLED})
ACTIVE = frozenset({QUEUED, RUNNING})

ALLOWED = {
    QUEUED: frozenset({RUNNING, CANCELLED, FAILED}),
    RUNNING: frozenset({SUCCEEDED, FAILED, CANCELLED}),
    SUCCEEDED: frozenset(),
    FAILED: frozenset(),
    CANCELLED: frozenset(),
}


class InvalidJobTransition(ValueError):
    pass


def sources_for(target: str) -> frozenset[str]:
    """Statuses from which a job may move to ``target``."""
    if target not in ALLOWED:
        raise InvalidJobTransition(f"unknown job status {target!r}")
    return frozenset(source for source, targets in ALLOWED.items() if target in targets)


def clamp_progress(value: float) -> float:
    if value != value:  # NaN
        return 0.0
    return min(1.0, max(0.0, float(value)))


def can_cancel(status: str) -> bool:
    return status in ACTIVE

"""A diagnostic job that only waits and reports progress: checks that workers, progress and cancel work."""
from __future__ import annotations

import time
from typing import Any

from services.jobs import Progress
from services.runtime import Runtime

HANDLER = "services.diagnostics:wait_job"


def wait_job(runtime: Runtime, params: dict[str, Any], progress: Progress) -> None:
    seconds = float(params.get("seconds", 5))
    steps = max(1, int(seconds / 0.2))
    for step in range(steps):
        progress(step / steps, f"Waiting ({step + 1}/{steps})")
        time.sleep(seconds / steps)
    return None

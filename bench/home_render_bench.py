"""Home page first render with a warm process: AppTest timing, median of N runs (target < 1 s).

Usage: python -m bench.home_render_bench [--runs 10]
Uses a temporary state folder with the bundled samples loaded, so the page has data to show.
"""
from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from pathlib import Path

APP = Path(__file__).resolve().parents[1] / "app.py"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    os.environ["DD_STATE_DIR"] = tempfile.mkdtemp(prefix="dd-bench-")
    os.environ.pop("DD_DATABASE_URL", None)
    from streamlit.testing.v1 import AppTest

    started = time.perf_counter()
    warm = AppTest.from_file(str(APP), default_timeout=120).run()  # process warm-up: imports, migrations, samples
    cold = time.perf_counter() - started
    assert not warm.exception, warm.exception
    timings = []
    for _ in range(args.runs):
        at = AppTest.from_file(str(APP), default_timeout=60)
        started = time.perf_counter()
        at.run()
        timings.append(time.perf_counter() - started)
        assert not at.exception, at.exception
    print(f"{'measure':<40}{'seconds':>10}")
    print(f"{'first render, cold process':<40}{cold:>10.3f}")
    print(f"{'first render, warm process (median)':<40}{statistics.median(timings):>10.3f}")
    print(f"{'first render, warm process (max)':<40}{max(timings):>10.3f}")
    print(f"runs: {args.runs}; target: median < 1 s")


if __name__ == "__main__":
    main()

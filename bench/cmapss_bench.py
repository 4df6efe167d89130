"""The RUL desk on NASA's C-MAPSS turbofan files, through the desk's own CLI, as a user would run it.

    python -m bench.cmapss_bench --data FOLDER [--subset FD001] [--seeds 0 1 2] [--epochs 30]

FOLDER holds NASA's files as published (train_FD001.txt, test_FD001.txt, RUL_FD001.txt: runs of spaces, no header
row). They are not shipped here and the bench never downloads them. For each seed it runs, in a fresh state folder,
`maintenance train-rul --data train_FDxxx.txt --unit column_1 --time column_2 --seed S --json`, then `maintenance
score-rul` on test_FDxxx.txt, and compares each test unit's `rul` (its last cycle) with RUL_FDxxx.txt.

The test RMSE is printed twice: against the true RUL capped at the cap (`--cap`, 125 by default; the piecewise target
the models learn; C-MAPSS reports use either) and against the true RUL as given. Target (the
maintenance issue): RMSE ≤ 11.5; published on FD001: DCNN 12.61, MS-DCNN 11.44.
"""
from __future__ import annotations

import argparse
import csv
import json
import math
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def nasa(errors: list[float]) -> float:
    """PHM08's asymmetric score: late predictions (positive error) cost more than early ones."""
    return sum(math.exp(-e / 13) - 1 if e < 0 else math.exp(e / 10) - 1 for e in errors)


def figures_against(scores: list[dict], truth: list[int], cap: float | None) -> dict[str, float]:
    """RMSE, NASA score and band coverage of the scored test units (rows of unit, rul, rul_low, rul_high)
    against the true RUL of units 1 … n, capped at ``cap`` when given."""
    by_unit = {int(float(r["unit"])): r for r in scores}
    missing = [u for u in range(1, len(truth) + 1) if u not in by_unit]
    if missing:
        raise SystemExit(f"score-rul left out test units {missing[:10]}")
    errors, inside, widths = [], 0, []
    for unit, actual in enumerate(truth, 1):
        row = by_unit[unit]
        actual = min(actual, cap) if cap else actual
        errors.append(float(row["rul"]) - actual)
        inside += float(row["rul_low"]) <= actual <= float(row["rul_high"])
        widths.append(float(row["rul_high"]) - float(row["rul_low"]))
    return {"rmse": math.sqrt(sum(e * e for e in errors) / len(errors)), "nasa": nasa(errors),
            "inside": inside / len(truth), "width": sorted(widths)[len(widths) // 2],
            "bias": sum(errors) / len(errors)}


def run_seed(folder: Path, subset: str, seed: int, epochs: int | None, cap: float) -> dict:
    with tempfile.TemporaryDirectory(prefix="cmapss-bench-") as state:
        env = {**os.environ, "DD_STATE_DIR": state, "DD_LOAD_SAMPLES": "false"}
        cli = [sys.executable, str(ROOT / "cli.py"), "maintenance"]
        train = [*cli, "train-rul", "--data", str(folder / f"train_{subset}.txt"), "--unit", "column_1",
                 "--time", "column_2", "--seed", str(seed), "--cap", f"{cap:g}", "--json",
                 *(["--epochs", str(epochs)] if epochs else [])]
        start = time.perf_counter()
        done = subprocess.run(train, env=env, capture_output=True, text=True, check=True, cwd=ROOT)
        seconds = time.perf_counter() - start
        run = json.loads(done.stdout)
        out = Path(state) / "scores.csv"
        subprocess.run([*cli, "score-rul", "--run", str(run["run_id"]), "--data", str(folder / f"test_{subset}.txt"),
                        "--out", str(out)], env=env, capture_output=True, text=True, check=True, cwd=ROOT)
        with out.open(newline="") as handle:
            scores = list(csv.DictReader(handle))
    truth = [int(v) for v in (folder / f"RUL_{subset}.txt").read_text().split()]
    return {"run": run, "seconds": seconds, "capped": figures_against(scores, truth, cap),
            "uncapped": figures_against(scores, truth, None)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, required=True, help="folder with NASA's train_/test_/RUL_ files")
    parser.add_argument("--subset", default="FD001", help="FD001 … FD004 (default FD001)")
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2], help="model seeds (default 0 1 2)")
    parser.add_argument("--epochs", type=int, help="sequence-model epochs (default: the desk's)")
    parser.add_argument("--cap", type=float, default=125, help="RUL cap passed to train-rul (default 125)")
    args = parser.parse_args()
    print(f"\n| {args.subset} seed | champion | validation RMSE | test RMSE (true RUL capped) | NASA | inside band "
          "| band width | test RMSE (true RUL as given) | train s |\n|---|---|---|---|---|---|---|---|---|")
    rmses = []
    for seed in args.seeds:
        r = run_seed(args.data, args.subset, seed, args.epochs, args.cap)
        c, u = r["capped"], r["uncapped"]
        rmses.append((c["rmse"], u["rmse"]))
        print(f"| {seed} | {r['run']['champion']} | {r['run']['rmse']:.2f} | {c['rmse']:.2f} | {c['nasa']:.0f} "
              f"| {c['inside']:.0%} | {c['width']:.1f} | {u['rmse']:.2f} | {r['seconds']:.0f} |")
    if len(rmses) > 1:
        print(f"| mean | | | {sum(c for c, _ in rmses) / len(rmses):.2f} | | | | "
              f"{sum(u for _, u in rmses) / len(rmses):.2f} | |")


if __name__ == "__main__":
    main()

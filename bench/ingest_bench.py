"""Ingest speed and memory against a bare `polars.read_csv` of the same file.

    python bench/ingest_bench.py [--big-mb 150] [--repeats 3] [--keep]

Each measurement runs in a fresh subprocess that reports its own ru_maxrss, so peak memory is
not polluted by earlier runs (RUSAGE_CHILDREN would only give the maximum over all children);
the parent stays small (it even generates the big CSV in a subprocess) because a child starts
with its parent's peak. Runs alternate bare/floor/ingest so background load hits all alike.
Times are the best of `--repeats` (medians and CPU seconds are printed too).

"ingest" = read_table (sniff, read, validate, type, profile, sha256) + write_parquet_atomic;
"floor" = pl.read_csv + write_parquet with no checks: the least any ingest that stores parquet
can cost.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
STORE_ITEM = SHARED_DATA / "store_item_demand" / "train.csv"


def child(mode: str, path: Path, out_dir: Path) -> None:
    """Runs inside the subprocess: import first, then measure only the work."""
    import polars as pl

    if mode != "bare":
        sys.path.insert(0, str(ROOT))
        from data.ingest import read_table
        from data.storage import write_parquet_atomic
    before = resource.getrusage(resource.RUSAGE_SELF)
    start = time.perf_counter()
    parts: dict[str, float] = {}
    if mode == "bare":
        frame = pl.read_csv(path)
    elif mode == "floor":  # no validation at all: the least any read-then-store ingest can cost
        from data.storage import PARQUET_COMPRESSION, PARQUET_COMPRESSION_LEVEL

        frame = pl.read_csv(path)
        frame.write_parquet(
            out_dir / "floor.parquet", compression=PARQUET_COMPRESSION, compression_level=PARQUET_COMPRESSION_LEVEL
        )
    else:
        result = read_table(path, filename=path.name)
        parts["read_table"] = time.perf_counter() - start
        write_parquet_atomic(result.frame, out_dir / "out.parquet")
        parts["write_parquet"] = time.perf_counter() - start - parts["read_table"]
        frame = result.frame
    seconds = time.perf_counter() - start
    usage = resource.getrusage(resource.RUSAGE_SELF)
    cpu = usage.ru_utime + usage.ru_stime - before.ru_utime - before.ru_stime
    print(json.dumps({
        "seconds": seconds, "parts": parts, "rows": frame.height, "cpu_s": cpu,
        "baseline_mb": before.ru_maxrss / 1024, "peak_mb": usage.ru_maxrss / 1024,
    }))  # fmt: skip


def run_child(mode: str, path: Path, out_dir: Path) -> dict:
    cmd = [sys.executable, __file__, "--child", mode, str(path), str(out_dir)]
    done = subprocess.run(cmd, capture_output=True, text=True, check=False, cwd=ROOT)
    if done.returncode != 0:
        raise RuntimeError(f"{mode} run failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def generate_csv(path: Path, target_mb: float, seed: int = 7) -> int:
    """Mixed numeric, categorical, date, boolean and free-text columns, ~target_mb on disk."""
    import numpy as np
    import polars as pl

    def build(n: int) -> pl.DataFrame:
        rng = np.random.default_rng(seed)
        regions = np.array(["North", "South", "East", "West", "Central", "Overseas"])
        words = np.array("fast slow late damaged fine great poor ok returned early broken perfect".split())
        return pl.DataFrame({
            "order_id": np.arange(1, n + 1),
            "order_date": (np.datetime64("2015-01-01") + rng.integers(0, 3650, n)).astype("datetime64[D]"),
            "store": rng.integers(1, 51, n),
            "region": regions[rng.integers(0, len(regions), n)],
            "product_code": np.char.add("P", rng.integers(0, 800, n).astype(str)),
            "price": np.round(rng.gamma(2.0, 20.0, n), 2),
            "quantity": rng.poisson(4, n),
            "discount": np.where(rng.random(n) < 0.1, np.nan, np.round(rng.random(n) * 0.3, 3)),
            "is_promo": rng.random(n) < 0.2,
            "comment": np.char.add(
                np.char.add(words[rng.integers(0, 12, n)], " delivery, ticket "),
                rng.integers(0, 10_000_000, n).astype(str),
            ),
        }).with_columns(pl.col("order_date").cast(pl.Date), pl.col("discount").fill_nan(None))  # fmt: skip

    probe = path.with_suffix(".probe.csv")
    build(20_000).write_csv(probe)
    bytes_per_row = probe.stat().st_size / 20_000
    probe.unlink()
    n = int(target_mb * 1024 * 1024 / bytes_per_row)
    build(n).write_csv(path)
    return n


def measure(label: str, path: Path, repeats: int, work: Path) -> dict:
    bare, floor, ingest = [], [], []
    for _ in range(repeats):
        bare.append(run_child("bare", path, work))
        floor.append(run_child("floor", path, work))
        ingest.append(run_child("ingest", path, work))
    size_mb = path.stat().st_size / 1024**2
    best_bare = min(r["seconds"] for r in bare)
    best = min(ingest, key=lambda r: r["seconds"])
    return {
        "cpu_bare_s": min(r["cpu_s"] for r in bare),
        "cpu_floor_s": min(r["cpu_s"] for r in floor),
        "cpu_ingest_s": min(r["cpu_s"] for r in ingest),
        "floor_s": min(r["seconds"] for r in floor),
        "floor_ratio": best_bare / min(r["seconds"] for r in floor),
        "cpu_ratio": min(r["cpu_s"] for r in bare) / min(r["cpu_s"] for r in ingest),
        "bare_baseline_mb": min(r["baseline_mb"] for r in bare),
        "label": label,
        "size_mb": size_mb,
        "rows": best["rows"],
        "bare_s": best_bare,
        "bare_median_s": statistics.median(r["seconds"] for r in bare),
        "ingest_s": best["seconds"],
        "ingest_median_s": statistics.median(r["seconds"] for r in ingest),
        "read_table_s": best["parts"]["read_table"],
        "write_s": best["parts"]["write_parquet"],
        "ratio": best_bare / best["seconds"],
        "ratio_median": statistics.median(r["seconds"] for r in bare) / statistics.median(r["seconds"] for r in ingest),
        "bare_peak_mb": max(r["peak_mb"] for r in bare),
        "peak_mb": max(r["peak_mb"] for r in ingest),
        "baseline_mb": min(r["baseline_mb"] for r in ingest),
    }


def print_table(rows: list[dict]) -> None:
    header = (
        f"{'dataset':<20}{'MB':>7}{'rows':>11}{'bare s':>8}{'floor s':>8}{'ingest s':>9}{' = read':>8}"
        f"{' + write':>9}{'ratio':>7}{'(med)':>7}{'(cpu)':>7}{'(floor)':>8}{'bare pk':>9}{'peak':>7}"
        f"{'pk/file':>8}{'Δbare':>7}{'Δingest':>8}"
    )
    print(header)
    print("-" * len(header))
    for r in rows:
        size = r["size_mb"]
        bare_delta = (r["bare_peak_mb"] - r["bare_baseline_mb"]) / size
        ingest_delta = (r["peak_mb"] - r["baseline_mb"]) / size
        print(
            f"{r['label']:<20}{size:>7.1f}{r['rows']:>11,}{r['bare_s']:>8.3f}{r['floor_s']:>8.3f}"
            f"{r['ingest_s']:>9.3f}{r['read_table_s']:>8.3f}{r['write_s']:>9.3f}{r['ratio']:>7.2f}"
            f"{r['ratio_median']:>7.2f}{r['cpu_ratio']:>7.2f}{r['floor_ratio']:>8.2f}{r['bare_peak_mb']:>9.0f}"
            f"{r['peak_mb']:>7.0f}{r['peak_mb'] / size:>8.2f}{bare_delta:>7.2f}{ingest_delta:>8.2f}"
        )
    print(f"\n{'CPU seconds (best)':<20}{'bare':>8}{'floor':>8}{'ingest':>8}{'ratio':>7}{'floor':>7}")
    for r in rows:
        print(
            f"{r['label']:<20}{r['cpu_bare_s']:>8.3f}{r['cpu_floor_s']:>8.3f}{r['cpu_ingest_s']:>8.3f}"
            f"{r['cpu_bare_s'] / r['cpu_ingest_s']:>7.2f}{r['cpu_bare_s'] / r['cpu_floor_s']:>7.2f}"
        )
    print(
        "\nratio = bare pl.read_csv seconds / ingest seconds, best of runs (target >= 0.70); (med) uses\n"
        "medians, (cpu) uses CPU seconds of the measured section (steadier on a busy machine).\n"
        "floor = pl.read_csv + write_parquet with no checks at all; (floor) = bare / floor is the best\n"
        "ratio any ingest that stores parquet could reach on this machine.\n"
        "bare pk / peak = max RSS (MB) of the bare and ingest processes; pk/file = peak / file size\n"
        "(target < 3); Δbare / Δingest = (peak - RSS after imports) / file size."
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--big-mb", type=float, default=150.0, help="size of the generated CSV")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--keep", action="store_true", help="keep the generated CSV and parquet")
    parser.add_argument("--child", nargs=3, metavar=("MODE", "PATH", "OUT"), help=argparse.SUPPRESS)
    parser.add_argument("--generate", nargs=2, metavar=("PATH", "MB"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.generate:
        generate_csv(Path(args.generate[0]), float(args.generate[1]))
        return
    if args.child:
        child(args.child[0], Path(args.child[1]), Path(args.child[2]))
        return
    work = Path(tempfile.mkdtemp(prefix="dd-ingest-bench-"))
    rows = []
    try:
        print(f"machine: {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f}")
        if STORE_ITEM.exists():
            rows.append(measure("store_item_demand", STORE_ITEM, args.repeats, work))
        else:
            print(f"skipping store_item_demand: {STORE_ITEM} not found")
        big = work / f"generated_{int(args.big_mb)}mb.csv"
        start = time.perf_counter()
        # In a subprocess: a child inherits its parent's peak RSS, so the parent must stay small.
        subprocess.run([sys.executable, __file__, "--generate", str(big), str(args.big_mb)], check=True)
        print(f"generated {big.name} ({big.stat().st_size / 1024**2:.0f} MB) in {time.perf_counter() - start:.1f}s")
        rows.append(measure(f"generated {int(args.big_mb)} MB", big, args.repeats, work))
        print_table(rows)
    finally:
        if args.keep:
            print(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()

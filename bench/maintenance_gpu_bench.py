"""Seconds per epoch of the RUL sequence model (the desk's default network, a GRU) on CPU, and on CUDA when present.

    python -m bench.maintenance_gpu_bench

Exits 0 and says so when no CUDA device is visible.
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # also runs as a script

from ml.degradation_sim import simulate_fleet  # noqa: E402
from ml.device import describe_device, select_device  # noqa: E402
from ml.rul_history import HistoryPreprocessor  # noqa: E402
from ml.rul_shape import rul_target  # noqa: E402
from ml.rul_sequence import ARCH, CHANNELS, build_network, train_epoch  # noqa: E402
from ml.rul_windows import sequence_windows  # noqa: E402


def epoch_seconds(kind: str, windows: np.ndarray, target: np.ndarray) -> float:
    import torch

    torch.manual_seed(0)
    network = build_network(windows.shape[2], windows.shape[1], CHANNELS, arch=ARCH).to(torch.device(kind))
    optimizer = torch.optim.AdamW(network.parameters(), lr=2e-3)
    generator = torch.Generator().manual_seed(0)
    train_epoch(network, windows[:2048], target[:2048], optimizer, kind=kind, batch_size=256, generator=generator)
    if kind == "cuda":
        torch.cuda.synchronize()
    start = time.perf_counter()
    train_epoch(network, windows, target, optimizer, kind=kind, batch_size=256, generator=generator)
    if kind == "cuda":
        torch.cuda.synchronize()
    return time.perf_counter() - start


def main() -> int:
    fleet = simulate_fleet(100, 0, regimes=6, seed=0)
    prep = HistoryPreprocessor(unit="unit", time="cycle").fit(fleet.train)
    prepared, _ = prep.transform(fleet.train)
    windows = sequence_windows(prepared, 30)
    target = (rul_target(prepared, 125).to_numpy() / 125).astype(np.float32)
    print(f"{len(windows):,} windows of {windows.shape[1]} × {windows.shape[2]}")
    print(f"cpu : {epoch_seconds('cpu', windows, target):.2f} s/epoch")
    if select_device("auto") != "cuda":
        print("cuda: no CUDA device visible; skipped.")
        return 0
    print(f"cuda: {epoch_seconds('cuda', windows, target):.2f} s/epoch on {describe_device('auto').name} (bf16 autocast)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

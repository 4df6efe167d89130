"""Time one training epoch of the triage CNN on CPU and, when present, on CUDA with and without mixed precision.

Uses the PneumoniaMNIST training split (upsampled to --size) and the desk's own network and training
step. Without CUDA it says so, times the CPU only and exits 0.

    python bench/triage_gpu_bench.py [--size 64] [--rows 4708] [--cpu-rows 1024] [--threads 1]
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "pneumoniamnist" / "pneumoniamnist.npz"


def epoch_seconds(images, labels, *, device: str, amp: bool, size: int, width: int, batch: int) -> tuple[float, float]:
    """(seconds for one epoch after a warm-up batch, peak GPU memory in MiB or 0)."""
    import torch

    from ml import images as imaging
    from ml.networks import build_network, precision_plan

    torch.manual_seed(0)
    net = build_network(1, 2, width, size).to(device)
    optimizer = torch.optim.AdamW(net.parameters(), lr=1e-3)
    plan = precision_plan(device) if amp else precision_plan("cpu")
    scaler = torch.amp.GradScaler("cuda", enabled=plan.scaler)
    x_all, y_all = images.to(device), labels.to(device)
    if device == "cuda":
        torch.cuda.reset_peak_memory_stats()

    def step(index) -> None:
        x = imaging.augment(imaging.normalise(x_all[index], 0.5, 0.25), imaging.Augmentation())
        optimizer.zero_grad(set_to_none=True)
        with torch.autocast(device_type=device, dtype=plan.dtype, enabled=plan.enabled):
            loss = torch.nn.functional.cross_entropy(net(x), y_all[index])
        scaler.scale(loss).backward()
        scaler.step(optimizer)
        scaler.update()

    step(torch.arange(min(batch, len(y_all)), device=device))  # warm-up: kernels, allocator
    if device == "cuda":
        torch.cuda.synchronize()
    started = time.perf_counter()
    for start in range(0, len(y_all), batch):
        step(torch.arange(start, min(start + batch, len(y_all)), device=device))
    if device == "cuda":
        torch.cuda.synchronize()
    peak = torch.cuda.max_memory_allocated() / 1024**2 if device == "cuda" else 0.0
    return time.perf_counter() - started, peak


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=64)
    parser.add_argument("--width", type=int, default=32)
    parser.add_argument("--batch", type=int, default=128)
    parser.add_argument("--rows", type=int, default=4708, help="images per epoch on CUDA (full train split)")
    parser.add_argument("--cpu-rows", type=int, default=1024, help="images timed on CPU (extrapolated to --rows)")
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args(argv)
    import torch

    from ml import images as imaging
    from ml.device import select_device

    torch.set_num_threads(args.threads)
    data = np.load(DATA)
    rows = min(args.rows, len(data["train_images"]))
    images = imaging.to_tensor(list(data["train_images"][:rows]), args.size, 1)
    labels = torch.as_tensor(data["train_labels"][:rows, 0].astype(np.int64))
    settings = dict(size=args.size, width=args.width, batch=args.batch)
    print(f"Triage CNN, one epoch of {rows} images at {args.size} px, width {args.width}, batch {args.batch}")
    cpu_rows = min(args.cpu_rows, rows)
    seconds, _ = epoch_seconds(images[:cpu_rows], labels[:cpu_rows], device="cpu", amp=False, **settings)
    print(f"  CPU ({args.threads} thread(s)): {seconds * rows / cpu_rows:8.2f} s/epoch "
          f"(timed on {cpu_rows} images, scaled)")
    if select_device("auto") != "cuda":
        print("  CUDA: not available on this machine — GPU timings skipped.")
        return 0
    print(f"  GPU: {torch.cuda.get_device_name(0)}")
    for amp in (False, True):
        seconds, peak = epoch_seconds(images, labels, device="cuda", amp=amp, **settings)
        label = "float16 autocast + GradScaler" if amp else "float32"
        print(f"  CUDA {label:30s}: {seconds:8.2f} s/epoch, peak GPU memory {peak:8.1f} MiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())

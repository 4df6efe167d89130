"""Inputs for `bench/gpu_check.sh`: a generated run-to-failure fleet (CSV) and PneumoniaMNIST class folders (PNG).

    python bench/gpu_check_data.py OUT_DIR [--units 100] [--images 1200]

Writes OUT_DIR/fleet_train.csv, OUT_DIR/fleet_test.csv (test units cut before failure) with their true
remaining lives in OUT_DIR/fleet_test_rul.csv,
OUT_DIR/images/train/<class>/*.png and OUT_DIR/images/score/*.png.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

NPZ = ROOT.parent / "shared" / "data" / "pneumoniamnist" / "pneumoniamnist.npz"
CLASSES = {0: "normal", 1: "pneumonia"}


def write_fleet(out: Path, units: int) -> None:
    from ml.degradation_sim import simulate_fleet

    fleet = simulate_fleet(units, units // 2, regimes=6, seed=0)
    fleet.train.to_csv(out / "fleet_train.csv", index=False)
    fleet.test.to_csv(out / "fleet_test.csv", index=False)
    fleet.test_rul.rename_axis("unit").reset_index().to_csv(out / "fleet_test_rul.csv", index=False)
    print(f"fleet: {units} training units ({len(fleet.train):,} readings), {units // 2} test units")


def write_images(out: Path, count: int, npz: Path) -> None:
    from PIL import Image

    data = np.load(npz)
    labels, pictures = data["train_labels"][:count, 0], data["train_images"][:count]
    for i, (code, pixels) in enumerate(zip(labels, pictures)):
        folder = out / "images" / "train" / CLASSES[int(code)]
        folder.mkdir(parents=True, exist_ok=True)
        Image.fromarray(pixels).save(folder / f"{i:05d}.png")
    (out / "images" / "score").mkdir(parents=True, exist_ok=True)
    for i, pixels in enumerate(data["test_images"][:200]):
        Image.fromarray(pixels).save(out / "images" / "score" / f"study_{i:04d}.png")
    print(f"images: {len(labels)} training PNGs ({np.bincount(labels, minlength=2).tolist()} by class), 200 to score")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--units", type=int, default=100)
    parser.add_argument("--images", type=int, default=1200)
    parser.add_argument("--npz", type=Path, default=NPZ)
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    write_fleet(args.out, args.units)
    write_images(args.out, args.images, args.npz)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

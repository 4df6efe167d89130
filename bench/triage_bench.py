"""Triage desk quality on PneumoniaMNIST (MedMNIST v2), official train / val / test split.

Trains the desk's CNN task from scratch at 28 px and at a larger input size (the 28 px images are
upsampled: the file holds 28 px only), with augmentation and test-time augmentation, then an
ensemble of both. Reports test AUC, ACC at 0.5 (the MedMNIST convention) and ACC at a threshold
chosen on validation data, next to the published MedMNIST v2 table.

    nice -n 5 python bench/triage_bench.py --minutes 24 [--sizes 28 64] [--threads 1] [--device auto]
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "pneumoniamnist" / "pneumoniamnist.npz"
CLASSES = {0: "normal", 1: "pneumonia"}
PUBLISHED = [("ResNet-18 (28)", 0.944, 0.854), ("ResNet-50 (28)", 0.948, 0.854), ("ResNet-18 (224)", 0.956, 0.864),
             ("ResNet-50 (224)", 0.962, 0.884), ("auto-sklearn", 0.942, 0.855), ("AutoKeras", 0.947, 0.878),
             ("Google AutoML Vision", 0.991, 0.946)]


def load_split(name: str) -> tuple[pd.DataFrame, pd.Series]:
    from ml.cnn import image_frame

    data = np.load(DATA)
    labels = pd.Series([CLASSES[int(v)] for v in data[f"{name}_labels"][:, 0]])
    return image_frame(list(data[f"{name}_images"])), labels


def best_accuracy_threshold(p: np.ndarray, positive: np.ndarray) -> float:
    candidates = np.unique(np.round(p, 4))
    scores = [((p >= t) == positive).mean() for t in candidates]
    return float(candidates[int(np.argmax(scores))])


def evaluate(p_val: np.ndarray, y_val: np.ndarray, p_test: np.ndarray, y_test: np.ndarray) -> dict[str, float]:
    from sklearn.metrics import roc_auc_score, roc_curve

    from domain.triage import choose_operating_point

    threshold = best_accuracy_threshold(p_val, y_val)
    fpr, tpr, cut = roc_curve(y_val, p_val)
    operating = choose_operating_point(zip(fpr, tpr, np.minimum(cut, 1.0)), 0.95)
    flagged = p_test >= operating.threshold
    return {"test_auc": roc_auc_score(y_test, p_test), "test_acc@0.5": ((p_test >= 0.5) == y_test).mean(),
            "val_threshold": threshold, "test_acc@val_thr": ((p_test >= threshold) == y_test).mean(),
            "op_threshold": operating.threshold, "test_sens@op": flagged[y_test].mean(),
            "test_spec@op": (~flagged[~y_test]).mean()}


def train_one(size: int, minutes: float, epochs: int, width: int, seed: int, device: str = "cpu"):
    from ml.cnn import CNNImageClassifierTask

    X_train, y_train = load_split("train")
    X_val, y_val = load_split("val")
    task = CNNImageClassifierTask(size=size, epochs=epochs, width=width, batch_size=64, learning_rate=3e-3,
                                  patience=epochs, seed=seed, max_minutes=minutes, tta=True,
                                  flip=False, device=device)
    started = time.monotonic()
    task.fit(X_train, y_train, X_val=X_val, y_val=y_val,
             progress=lambda f, m: print(f"  [{size}px] {m}", file=sys.stderr, flush=True))
    return task, (time.monotonic() - started) / 60


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=24.0, help="total training budget, split over sizes")
    parser.add_argument("--sizes", type=int, nargs="+", default=[28, 64])
    parser.add_argument("--epochs", type=int, default=60, help="upper bound; the time budget ends training")
    parser.add_argument("--width", type=int, default=16)
    parser.add_argument("--threads", type=int, default=1,
                        help="1 is fastest on a shared machine (OpenMP threads spin when cores are busy)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--json", type=Path, help="also write the results here")
    parser.add_argument("--device", default="cpu", choices=("auto", "cpu", "cuda"),
                        help="cpu (default, the published figures) or the GPU when present")
    args = parser.parse_args(argv)
    import torch

    from ml.device import select_device

    device = select_device(args.device)
    torch.set_num_threads(args.threads)
    X_val, y_val_labels = load_split("val")
    X_test, y_test_labels = load_split("test")
    y_val, y_test = (y_val_labels == "pneumonia").to_numpy(), (y_test_labels == "pneumonia").to_numpy()
    rows, probs = [], {}
    for size in args.sizes:
        task, used = train_one(size, args.minutes / len(args.sizes), args.epochs, args.width, args.seed, device)
        p_val = task.predict(X_val)["p_pneumonia"].to_numpy()
        p_test = task.predict(X_test)["p_pneumonia"].to_numpy()
        probs[size] = (p_val, p_test)
        rows.append({"model": f"desk CNN {size}px + TTA", "epochs": len(task.history_), "train_min": round(used, 1),
                     **evaluate(p_val, y_val, p_test, y_test)})
    if len(probs) > 1:
        p_val = np.mean([v for v, _ in probs.values()], axis=0)
        p_test = np.mean([t for _, t in probs.values()], axis=0)
        rows.append({"model": "ensemble " + "+".join(map(str, probs)), "epochs": sum(r["epochs"] for r in rows),
                     "train_min": round(sum(r["train_min"] for r in rows), 1),
                     **evaluate(p_val, y_val, p_test, y_test)})
    table = pd.DataFrame(rows)
    published = pd.DataFrame([{"model": f"MedMNIST v2: {m}", "test_auc": a, "test_acc@0.5": c} for m, a, c in PUBLISHED])
    pd.set_option("display.width", 200)
    where = "CPU" if device == "cpu" else torch.cuda.get_device_name(0)
    print(f"\nPneumoniaMNIST test set (624 images); budget {args.minutes} min on {where}, {args.threads} threads\n")
    print(pd.concat([table, published], ignore_index=True).round(3).to_string(index=False))
    print("\nTarget: AUC ≥ 0.98 and ACC ≥ 0.92.")
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2, default=float))
    return 0


if __name__ == "__main__":
    sys.exit(main())

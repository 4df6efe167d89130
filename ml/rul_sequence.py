"""A GRU over fixed-length windows of prepared histories (the second RUL model; windows: ``ml.rul_windows``,
networks: ``ml.rul_networks``). It replaced the 1D CNN, which models saved before still hold (see ``ARCH``).

Windows have a fixed length, so any unit length works: short units are padded at the front with
their first reading, long ones only show their last ``window`` readings.

Every epoch of the cosine schedule runs, on every unit, by default (``patience`` 0; before: early-stopped on
10 % of the units, patience 4). That loss, on 8-10 units, swung by ±2 cycles of RMSE from epoch to epoch while
the learning rate was high: a generated FD001-like fleet stopped after 7 of 30 epochs (best at 3) with a held-out
RMSE of 19.9; with patience 8 a six-regime one kept epoch 2's weights (test RMSE 20.1; 14.2 with all 30 epochs).
Trains on CUDA with bf16 autocast when the device says so; weights are safetensors, never pickle.
"""
from __future__ import annotations

import contextlib
import json
import threading
from pathlib import Path
from typing import Any, ClassVar

import numpy as np
import pandas as pd

from ml.artifacts import read_metadata, write_metadata
from ml.rul_networks import LEGACY_ARCH, build_ensemble, build_network, seed_dropout
from ml.rul_shape import TIME, UNIT
from ml.rul_windows import Windows
from ml.task import Explanation, NotFittedError, register_task

WEIGHTS_FILE = "weights.safetensors"
CONFIG_FILE = "config.json"


def amp_settings(kind: str) -> dict[str, Any]:
    """Mixed precision only on CUDA (bf16 needs no loss scaling); CPU autocast is slower than fp32 here."""
    import torch

    return {"enabled": kind == "cuda", "dtype": torch.bfloat16}


def _autocast(kind: str):
    import torch

    settings = amp_settings(kind)
    return torch.autocast(device_type=kind, **settings) if settings["enabled"] else contextlib.nullcontext()


KERNEL = 9  # the first two convolutions' width in readings (5 before; DCNN on C-MAPSS: 10)
PATIENCE = 0  # > 0: early stopping on 10 % of the units after this many epochs without a better loss
NETS = 1  # networks trained with seeds seed, seed + 1, …; their mean predicts (2: twice the CPU; GRU test RMSE,
# seeds 0-4, generated fleets 13.62 → 13.67, FD001-like 18.41 → 18.02, LightGBM still the better model)
# The network (``ml.rul_networks``) and its width. Test RMSE at the last cycle, seeds 0-4, 100 train / 100 test units:
# the CNN (32 channels) 14.18 on generated fleets, 19.60 on FD001-like ones; a GRU of 32, 48, 64: 13.68, 13.61, 13.26
# and 18.39, 17.99, 18.71; a convolution feeding a GRU of 32: 13.47 and 20.10. A GRU of 48 doubled train-rul's time
# on 2 CPU cores (100 → 213 s); fewer windows per epoch to pay for it lost to the CNN on generated fleets.
ARCH, CHANNELS = "gru", 32


_SEEDING = threading.Lock()  # torch.manual_seed and the initial weights drawn after it, one fit at a time


@contextlib.contextmanager
def torch_threads(count: int):
    """Torch's CPU threads for the block, restored after: fits that run side by side take one each. Two
    threads per GRU fit, on 2 busy cores, made five 3-epoch fits 3x slower than one thread did."""
    import torch

    before = torch.get_num_threads()
    torch.set_num_threads(max(1, int(count)))
    try:
        yield
    finally:
        torch.set_num_threads(before)


def train_epoch(network, windows, target: np.ndarray, optimizer, *, kind: str, batch_size: int,
                generator, max_windows: int | None = None, rows: np.ndarray | None = None) -> float:
    """One pass over (at most ``max_windows``) shuffled windows of ``rows`` (default: all); returns the mean
    squared error (scaled). ``windows``: an array or ``Windows`` (batches are built as they are drawn)."""
    import torch

    device = torch.device(kind)
    network.train()
    rows = np.arange(len(windows)) if rows is None else rows
    order = torch.randperm(len(rows), generator=generator).numpy()[:max_windows]
    total = 0.0
    for start in range(0, len(order), batch_size):
        batch = rows[order[start:start + batch_size]]
        xb = torch.from_numpy(windows[batch]).to(device, non_blocking=True)
        yb = torch.from_numpy(target[batch]).to(device, non_blocking=True)
        optimizer.zero_grad(set_to_none=True)
        with _autocast(kind):
            loss = torch.nn.functional.mse_loss(network(xb).float(), yb)
        loss.backward()
        optimizer.step()
        total += float(loss.detach()) * len(batch)
    return total / max(len(order), 1)


def _early_stopping_split(units: np.ndarray, seed: int, patience: int) -> tuple[np.ndarray, np.ndarray]:
    """Row positions for fitting and for early stopping: 10 % of the units (at least 1) held out, when
    early stopping is on (patience > 0) and there are at least 5 units; else every row fits."""
    distinct = pd.unique(units)
    rows = np.arange(len(units))
    if patience <= 0 or len(distinct) < 5:
        return rows, rows[:0]
    rng = np.random.default_rng(seed + 1)
    held = rng.choice(distinct, max(1, len(distinct) // 10), replace=False)
    mask = np.isin(units, held)
    val = rows[mask]
    if len(val) > 4096:  # enough to rank epochs; keeps each check cheap on CPU
        val = np.sort(rng.choice(val, 4096, replace=False))
    return rows[~mask], val


def _mse(network, windows: np.ndarray, target: np.ndarray, kind: str) -> float:
    import torch

    network.eval()
    with torch.no_grad():
        batch = torch.from_numpy(windows).to(torch.device(kind))
        with _autocast(kind):
            predicted = network(batch).float().cpu().numpy()
    network.train()
    return float(np.mean((predicted - target) ** 2))


@register_task
class RulSequenceTask:
    """A GRU (or the CNN, ``arch``) on windows; predict() gives ``rul`` per row of a prepared history."""

    name: ClassVar[str] = "cnn_rul"

    def __init__(self, *, window: int = 30, cap: float = 125.0, epochs: int = 30, batch_size: int = 256,
                 learning_rate: float = 2e-3, channels: int = CHANNELS, max_windows: int = 8192,
                 patience: int = PATIENCE, seed: int = 0, smooth: bool = True, kernel: int = KERNEL, nets: int = NETS,
                 arch: str = ARCH, device: str = "cpu") -> None:
        self.window, self.cap, self.epochs, self.batch_size = window, cap, epochs, batch_size
        self.learning_rate, self.channels, self.seed, self.device = learning_rate, channels, seed, device
        self.max_windows, self.patience, self.smooth = max_windows, patience, smooth
        self.kernel, self.nets, self.arch = kernel, max(1, int(nets)), arch

    def get_params(self) -> dict[str, Any]:
        return {"window": self.window, "cap": self.cap, "epochs": self.epochs, "batch_size": self.batch_size,
                "learning_rate": self.learning_rate, "channels": self.channels, "max_windows": self.max_windows,
                "patience": self.patience, "seed": self.seed, "smooth": self.smooth,
                "kernel": self.kernel, "nets": self.nets, "arch": self.arch}

    def fit(self, X: pd.DataFrame, y: pd.Series, progress=None) -> "RulSequenceTask":
        windows = Windows(X, self.window, smooth=self.smooth)
        target = (np.clip(np.asarray(y, float), 0, self.cap) / self.cap).astype(np.float32)
        fit_rows, val_rows = _early_stopping_split(X[UNIT].to_numpy(), self.seed, self.patience)
        data = (windows, target, fit_rows, val_rows, windows[val_rows])
        self.losses_, self.val_losses_, members = [], [], []
        for k in range(self.nets):
            done = k / self.nets
            of = f" (network {k + 1} of {self.nets})" if self.nets > 1 else ""  # else the epochs count up again
            members.append(self._fit_one(data, self.seed + k, None if progress is None else
                                         lambda f, m, done=done, of=of: progress(done + f / self.nets, m + of)))
        self.epochs_run_ = len(self.losses_)
        self.network_ = build_ensemble(members).eval()
        self.n_inputs_ = windows.channels
        self.sensors_ = [c for c in X.columns if c not in (UNIT, TIME)]
        return self

    def _fit_one(self, data, seed: int, progress):
        """One network, early-stopped on the held-out units' windows (the best epoch's weights are kept)."""
        import torch

        windows, target, fit_rows, val_rows, val_windows = data
        with _SEEDING:  # the global generator draws the initial weights: no other fit may reseed it meanwhile
            torch.manual_seed(seed)
            network = build_network(windows.channels, self.window, self.channels, self.kernel, self.arch)
        seed_dropout(network, seed)
        network = network.to(torch.device(self.device))
        optimizer = torch.optim.AdamW(network.parameters(), lr=self.learning_rate, weight_decay=1e-4)
        scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=max(self.epochs, 1))
        generator = torch.Generator().manual_seed(seed)
        best, best_state, waited = np.inf, None, 0
        for epoch in range(self.epochs):
            self.losses_.append(train_epoch(network, windows, target, optimizer, kind=self.device,
                                            batch_size=self.batch_size, generator=generator,
                                            max_windows=self.max_windows, rows=fit_rows))
            scheduler.step()
            if progress is not None:
                progress((epoch + 1) / self.epochs, f"Sequence model epoch {epoch + 1} of {self.epochs}")
            if len(val_rows):
                loss = _mse(network, val_windows, target[val_rows], self.device)
                self.val_losses_.append(loss)
                if loss < best - 1e-5:
                    best, waited = loss, 0
                    best_state = {k: v.detach().clone() for k, v in network.state_dict().items()}
                else:
                    waited += 1
                    if waited >= self.patience:
                        break
        if best_state is not None:
            network.load_state_dict(best_state)
        return network

    def _check(self) -> None:
        if not hasattr(self, "network_"):
            raise NotFittedError(f"{type(self).__name__} must be fitted (or loaded) before use.")

    def _windows(self, X: pd.DataFrame) -> Windows:
        missing = [c for c in self.sensors_ if c not in X.columns]
        if missing:
            raise KeyError(f"Missing sensor columns: {', '.join(missing)}")
        return Windows(X[[UNIT, TIME, *self.sensors_]], self.window, smooth=self.smooth)

    def predict(self, X: pd.DataFrame, rows: np.ndarray | None = None) -> pd.DataFrame:
        """``rul`` per row of X, or only at ``rows`` (positions; the windows still read the rows before)."""
        import torch

        self._check()
        windows, out = self._windows(X), []
        rows = np.arange(len(X)) if rows is None else np.asarray(rows, dtype=int)
        device = next(self.network_.parameters()).device
        with torch.no_grad():
            for start in range(0, len(rows), 4096):
                batch = torch.from_numpy(windows[rows[start:start + 4096]]).to(device)
                with _autocast(device.type):
                    out.append(self.network_(batch).float().cpu().numpy())
        raw = np.concatenate(out) if out else np.zeros(0)
        return pd.DataFrame({"rul": np.clip(raw * self.cap, 0, self.cap)}, index=X.index[rows])

    def explain(self, X: pd.DataFrame) -> Explanation:
        """Input × gradient summed over the window: which sensors moved each prediction (cycles of RUL)."""
        import torch

        self._check()
        prepared = self._windows(X)
        windows = torch.from_numpy(prepared[np.arange(len(prepared))]).requires_grad_(True)
        network = self.network_.to("cpu")
        prediction = network(windows) * self.cap
        prediction.sum().backward()
        values = (windows.grad * windows).detach().sum(dim=1).numpy()
        smoothed = [f"{c} ({kind})" for kind in ("smoothed", "drift") for c in self.sensors_] if self.smooth else []
        names = (*self.sensors_, *smoothed, "cycle")
        return Explanation(base_value=0.0, values=values, feature_names=names, kind="gradient",
                           data=pd.DataFrame(windows.detach().numpy()[:, -1, :], columns=list(names)),
                           extra={"output": "RUL (cycles)"})

    def save(self, directory: Path) -> None:
        from safetensors.torch import save_file

        self._check()
        directory = Path(directory)
        directory.mkdir(parents=True, exist_ok=True)
        state = {k: v.detach().cpu().contiguous() for k, v in self.network_.state_dict().items()}
        save_file(state, str(directory / WEIGHTS_FILE))
        (directory / CONFIG_FILE).write_text(json.dumps({"n_inputs": self.n_inputs_, "sensors": self.sensors_}))
        write_metadata(directory, task=self.name, parameters=self.get_params(), feature_names=self.sensors_)

    @classmethod
    def load(cls, directory: Path, device: str = "cpu") -> "RulSequenceTask":
        import torch
        from safetensors.torch import load_file

        directory = Path(directory)
        meta = read_metadata(directory, verify=True)
        if meta.get("task") != cls.name:
            raise ValueError(f"{directory} holds a {meta.get('task')!r} model, not {cls.name!r}.")
        config = json.loads((directory / CONFIG_FILE).read_text())
        # models saved before smoothing, the wider kernel, several networks or the architecture was stored
        defaults = {"smooth": False, "kernel": 5, "nets": 1, "arch": LEGACY_ARCH}
        task = cls(**{**defaults, **meta["parameters"]}, device=device)
        network = build_ensemble([build_network(config["n_inputs"], task.window, task.channels, task.kernel, task.arch)
                                  for _ in range(task.nets)])
        network.load_state_dict(load_file(str(directory / WEIGHTS_FILE)))
        task.network_ = network.to(torch.device(device)).eval()
        task.n_inputs_, task.sensors_ = int(config["n_inputs"]), list(config["sensors"])
        return task

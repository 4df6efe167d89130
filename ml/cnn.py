"""A small ResNet-style image classifier trained from scratch (no pretrained weights can be downloaded).

Follows the one Task shape: X is a DataFrame with an ``image`` column of uint8 arrays (any size,
grayscale or RGB), y the class labels. Mixed precision and the device come from the caller, which got
the device from ml.device. Weights are safetensors; nothing is pickled.
"""
from __future__ import annotations

import copy
import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ml import image_profile
from ml import images as imaging
from ml.artifacts import read_metadata, write_metadata
from ml.cnn_schedule import EARLY_STOP_FROM, TrainingClock, lr_factor, training_plan
from ml.image_split import VAL_FRACTION, stratified_split
from ml.networks import build_network, load_initial_weights, precision_plan, recompute_batch_norms
from ml.task import Explanation, NotFittedError, register_task

WEIGHTS_FILE = "model.safetensors"
CONFIG_FILE = "task.json"
IMAGE_COLUMN = "image"
Progress = Callable[[float, str], None]


def image_frame(arrays: list[np.ndarray], index: Any = None) -> pd.DataFrame:
    """The X a CNN task takes: one object column of uint8 arrays."""
    column = pd.Series(list(arrays), index=index, dtype=object)
    return pd.DataFrame({IMAGE_COLUMN: column})


@dataclass
class _Data:
    images: Any      # uint8 tensor (N, C, S, S)
    codes: Any       # int64 tensor (N,)


@register_task
class CNNImageClassifierTask:
    name = "cnn_image_classifier"

    def __init__(self, *, size: int = 64, epochs: int = 10, batch_size: int = 64, learning_rate: float = 3e-3,
                 weight_decay: float = 5e-4, width: int = 32, depth: int = 1, patience: int = 4,
                 val_fraction: float = VAL_FRACTION, augment: bool = True, flip: bool = False, tta: bool = True,
                 class_weights: bool = True, seed: int = 0, device: str = "cpu", init_weights: str | None = None,
                 max_minutes: float | None = None) -> None:
        self.size, self.epochs, self.batch_size = size, epochs, batch_size
        self.learning_rate, self.weight_decay, self.width, self.depth = learning_rate, weight_decay, width, depth
        self.patience, self.val_fraction, self.augment, self.flip, self.tta = patience, val_fraction, augment, flip, tta
        self.class_weights, self.seed, self.device = class_weights, seed, device
        self.init_weights, self.max_minutes = init_weights, max_minutes

    def get_params(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in (
            "size", "epochs", "batch_size", "learning_rate", "weight_decay", "width", "depth", "patience",
            "val_fraction", "augment", "flip", "tta", "class_weights", "seed", "device", "init_weights",
            "max_minutes")}

    # -- fit ------------------------------------------------------------------------------------
    def fit(self, X: pd.DataFrame, y: pd.Series, *, X_val: pd.DataFrame | None = None,
            y_val: pd.Series | None = None, progress: Progress | None = None) -> "CNNImageClassifierTask":
        """Train with early stopping on the validation loss; the best epoch's weights are kept."""
        import torch

        if not 28 <= int(self.size) <= 224:
            raise ValueError(f"image size must be between 28 and 224 pixels, got {self.size}")
        labels = pd.Series(y).astype(str).reset_index(drop=True)
        classes = sorted(labels.unique())
        if len(classes) < 2:
            raise ValueError(f"y has a single class ({classes[0]!r}); a classifier needs two or more.")
        arrays = list(X[IMAGE_COLUMN])
        if X_val is None:
            train_idx, val_idx = stratified_split(labels, self.val_fraction, self.seed)
            val_arrays, val_labels = [arrays[i] for i in val_idx], labels.iloc[val_idx]
            arrays, labels = [arrays[i] for i in train_idx], labels.iloc[train_idx]
        else:
            val_arrays, val_labels = list(X_val[IMAGE_COLUMN]), pd.Series(y_val).astype(str)
        unknown = sorted(set(val_labels) - set(classes))
        if unknown:
            raise ValueError(f"validation labels not in the training classes: {', '.join(unknown)}")
        torch.manual_seed(int(self.seed))
        self.classes_ = classes
        self.channels_ = imaging.channels_of(arrays + val_arrays)
        train = self._data(arrays, labels)
        valid = self._data(val_arrays, val_labels)
        pixels = train.images.float() / 255.0
        self.mean_, self.std_ = float(pixels.mean()), float(pixels.std().clamp_min(1e-3))
        self.network_ = build_network(self.channels_, len(classes), int(self.width), int(self.size), int(self.depth))
        self.init_tensors_loaded_ = load_initial_weights(self.network_, self.init_weights) if self.init_weights else 0
        self.history_ = self._train(train, valid, progress)
        val_probs = self._probabilities(valid.images)
        self.validation_ = pd.DataFrame(val_probs, columns=self._columns()).assign(label=list(val_labels))
        self.profile_ = image_profile.fit_profile(self._features(train.images), self._features(valid.images))
        return self

    def _data(self, arrays: list[np.ndarray], labels: pd.Series) -> _Data:
        import torch

        codes = torch.tensor([self.classes_.index(c) for c in labels], dtype=torch.long)
        return _Data(imaging.to_tensor(arrays, int(self.size), self.channels_), codes)

    def _train(self, train: _Data, valid: _Data, progress: Progress | None) -> list[dict[str, float]]:
        import torch

        device = torch.device(self.device)
        plan = precision_plan(self.device)
        net = self.network_.to(device)
        optimizer = torch.optim.AdamW(net.parameters(), lr=float(self.learning_rate),
                                      weight_decay=float(self.weight_decay))
        self.batch_size_, passes = training_plan(len(train.codes), int(self.batch_size))
        clock = TrainingClock(int(self.epochs) * -(-passes * len(train.codes) // self.batch_size_), self.max_minutes)
        scaler = torch.amp.GradScaler("cuda", enabled=plan.scaler)
        loss_fn = torch.nn.CrossEntropyLoss(weight=self._class_weights(train.codes).to(device))
        generator = torch.Generator().manual_seed(int(self.seed))
        best, best_loss, waited, history = None, float("inf"), 0, []
        for epoch in range(1, int(self.epochs) + 1):
            started = time.monotonic()
            train_loss = self._epoch(net, train, optimizer, clock, scaler, loss_fn, plan, generator)
            recompute_batch_norms(net, train.images, lambda batch: imaging.normalise(batch, self.mean_, self.std_),
                                  batch_size=self.batch_size_, seed=int(self.seed), plan=plan)
            val_loss = self._validation_loss(net, valid)
            history.append({"epoch": epoch, "train_loss": train_loss, "val_loss": val_loss,
                            "images": passes * len(train.codes), "batch_size": self.batch_size_,
                            "seconds": time.monotonic() - started})
            if progress is not None:
                progress(max(epoch / int(self.epochs), clock.fraction()),
                         f"Epoch {epoch}/{self.epochs}: validation loss {val_loss:.4f}")
            if val_loss < best_loss - 1e-4:
                best, best_loss, waited = copy.deepcopy(net.state_dict()), val_loss, 0
            else:
                waited += 1
            if (waited >= int(self.patience) and clock.fraction() >= EARLY_STOP_FROM) or clock.fraction() >= 1.0:
                break
        if best is not None:
            net.load_state_dict(best)
        net.eval()
        return history

    def _class_weights(self, codes):
        import torch

        counts = torch.bincount(codes, minlength=len(self.classes_)).float().clamp_min(1)
        if not self.class_weights:
            return torch.ones(len(self.classes_))
        return counts.sum() / (len(self.classes_) * counts)

    def _epoch(self, net, train: _Data, optimizer, clock: "TrainingClock", scaler, loss_fn, plan, generator) -> float:
        import torch

        net.train()
        _, passes = training_plan(len(train.codes), self.batch_size_)
        order = torch.cat([torch.randperm(len(train.codes), generator=generator) for _ in range(passes)])
        device, total, seen = next(net.parameters()).device, 0.0, 0
        for start in range(0, len(order), self.batch_size_):
            index = order[start:start + self.batch_size_]
            if len(index) < 2 < len(order):
                break  # BatchNorm cannot train on a lone image: it waits for the next epoch's shuffle
            if clock.budget_s is not None and clock.fraction() >= 1.0:
                break  # the time budget is spent: stop mid-epoch rather than overrun it
            batch = imaging.normalise(train.images[index].to(device), self.mean_, self.std_)
            if self.augment:
                batch = imaging.augment(batch, imaging.Augmentation(flip=bool(self.flip)), generator)
            targets = train.codes[index].to(device)
            for group in optimizer.param_groups:
                group["lr"] = float(self.learning_rate) * lr_factor(clock.fraction())
            optimizer.zero_grad(set_to_none=True)
            with torch.autocast(device_type=plan.device_type, dtype=plan.dtype, enabled=plan.enabled):
                loss = loss_fn(net(batch), targets)
            scaler.scale(loss).backward()
            scaler.step(optimizer)
            scaler.update()
            clock.step()
            total += float(loss.detach()) * len(index)
            seen += len(index)
        return total / max(seen, 1)

    def _validation_loss(self, net, valid: _Data) -> float:
        import torch

        probs = torch.from_numpy(self._probabilities(valid.images, tta=False))
        picked = probs[torch.arange(len(valid.codes)), valid.codes].clamp_min(1e-7)
        return float(-picked.log().mean())

    # -- predict / explain -------------------------------------------------------------------
    def _check_fitted(self) -> None:
        if not hasattr(self, "network_"):
            raise NotFittedError(f"{type(self).__name__} is not fitted; call fit first.")

    def _columns(self) -> list[str]:
        return [f"p_{c}" for c in self.classes_]

    def _probabilities(self, images, tta: bool | None = None) -> np.ndarray:
        import torch

        net, device = self.network_.eval(), next(self.network_.parameters()).device
        plan, out = precision_plan(device.type), []
        use_tta = self.tta if tta is None else tta
        with torch.no_grad():
            for start in range(0, len(images), 256):
                batch = imaging.normalise(images[start:start + 256].to(device), self.mean_, self.std_)
                views = imaging.tta_views(batch, bool(self.flip)) if use_tta else [batch]
                with torch.autocast(device_type=plan.device_type, dtype=plan.dtype, enabled=plan.enabled):
                    probs = torch.stack([net(v).float().softmax(1) for v in views]).mean(0)
                out.append(probs.cpu())
        return torch.cat(out).numpy().astype(np.float64) if out else np.zeros((0, len(self.classes_)))

    def _features(self, images) -> np.ndarray:
        """The penultimate layer (pooled last stage, before dropout and the classifier) per image."""
        import torch

        net, device = self.network_.eval(), next(self.network_.parameters()).device
        out = [np.zeros((0, net.head[-1].in_features))]
        with torch.no_grad():
            for start in range(0, len(images), 256):
                batch = imaging.normalise(images[start:start + 256].to(device), self.mean_, self.std_)
                out.append(net.head[:2](net.last_stage(net.stages(net.stem(batch)))).float().cpu().numpy())
        return np.concatenate(out).astype(np.float64)

    def unlike_training(self, X: pd.DataFrame) -> np.ndarray:
        """True per image whose features lie beyond nearly all validation images' (see ml.image_profile);
        all False for a model saved before the profile was kept."""
        self._check_fitted()
        profile = getattr(self, "profile_", {})
        return image_profile.unlike(profile, self._features(self.tensors(X))) if profile else np.zeros(len(X), bool)

    def tensors(self, X: pd.DataFrame):
        self._check_fitted()
        return imaging.to_tensor(list(X[IMAGE_COLUMN]), int(self.size), self.channels_)

    def predict(self, X: pd.DataFrame) -> pd.DataFrame:
        self._check_fitted()
        return pd.DataFrame(self._probabilities(self.tensors(X)), columns=self._columns(), index=X.index)

    def explain(self, X: pd.DataFrame, targets: list[int] | None = None) -> Explanation:
        """Grad-CAM per image for ``targets`` (class indices; default: each image's predicted class)."""
        from ml.gradcam import grad_cam

        probs = self.predict(X)
        picked = [int(t) for t in (targets if targets is not None else probs.to_numpy().argmax(axis=1))]
        device = next(self.network_.parameters()).device
        batch = imaging.normalise(self.tensors(X).to(device), self.mean_, self.std_)
        maps = np.concatenate([grad_cam(self.network_, self.network_.last_stage, batch[s:s + 128],
                                        picked[s:s + 128], int(self.size)) for s in range(0, len(batch), 128)]
                              ) if len(batch) else np.zeros((0, int(self.size), int(self.size)), np.float32)
        grid = 7
        coarse = _pool(maps, grid)
        names = tuple(f"cell_{r}_{c}" for r in range(grid) for c in range(grid))
        return Explanation(base_value=0.0, values=coarse.reshape(len(maps), -1), feature_names=names, data=None,
                           kind="gradcam", extra={"heatmaps": maps, "targets": picked,
                                                  "probabilities": probs.to_numpy()})

    # -- persistence -------------------------------------------------------------------------
    def save(self, directory: Path) -> None:
        from safetensors.torch import save_file

        self._check_fitted()
        directory = Path(directory)
        directory.mkdir(parents=True, exist_ok=True)
        state = {k: v.detach().cpu().contiguous() for k, v in self.network_.state_dict().items()}
        save_file(state, str(directory / WEIGHTS_FILE))
        config = {"classes": self.classes_, "channels": self.channels_, "mean": self.mean_, "std": self.std_,
                  "feature_profile": getattr(self, "profile_", {})}
        (directory / CONFIG_FILE).write_text(json.dumps(config), encoding="utf-8")
        write_metadata(directory, task=self.name, parameters=self.get_params(), feature_names=[IMAGE_COLUMN])

    @classmethod
    def load(cls, directory: Path, device: str | None = None) -> "CNNImageClassifierTask":
        import torch
        from safetensors.torch import load_file

        directory = Path(directory)
        meta = read_metadata(directory, verify=True)
        if meta.get("task") != cls.name:
            raise ValueError(f"{directory} holds a {meta.get('task')!r} model, not {cls.name!r}.")
        task = cls(**{**meta["parameters"], **({"device": device} if device else {})})
        config = json.loads((directory / CONFIG_FILE).read_text(encoding="utf-8"))
        task.classes_, task.channels_ = list(config["classes"]), int(config["channels"])
        task.mean_, task.std_ = float(config["mean"]), float(config["std"])
        task.profile_ = config.get("feature_profile") or {}  # {}: saved before the profile was kept
        net = build_network(task.channels_, len(task.classes_), int(task.width), int(task.size), int(task.depth))
        net.load_state_dict(load_file(str(directory / WEIGHTS_FILE)), strict=True)
        task.network_ = net.to(torch.device(task.device)).eval()
        return task


def _pool(maps: np.ndarray, grid: int) -> np.ndarray:
    if not len(maps):
        return np.zeros((0, grid, grid), np.float32)
    size = maps.shape[-1]
    edges = np.linspace(0, size, grid + 1).astype(int)
    return np.stack([[[m[edges[r]:edges[r + 1], edges[c]:edges[c + 1]].mean() for c in range(grid)]
                      for r in range(grid)] for m in maps]).astype(np.float32)

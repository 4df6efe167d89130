"""The ResNet-style network, the mixed-precision plan, BatchNorm statistics recomputed after an epoch and
initial weights from a user's file; torch is imported on demand so importing ml.cnn stays cheap."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class PrecisionPlan:
    """How to run a step: autocast to float16 with a gradient scaler on CUDA, plain float32 on CPU."""
    device_type: str
    enabled: bool
    dtype: Any
    scaler: bool


def precision_plan(device_kind: str) -> PrecisionPlan:
    import torch

    if device_kind == "cuda":
        return PrecisionPlan("cuda", True, torch.float16, True)
    return PrecisionPlan("cpu", False, torch.bfloat16, False)


def stem_stride(size: int) -> int:
    """Downsample large inputs early so every size ends with a ~4–7 px map before pooling."""
    return 1 if size < 48 else 2 if size < 112 else 4


def build_network(channels: int, classes: int, width: int, size: int, depth: int = 1):
    """Residual blocks (conv-BN-ReLU-conv-BN + shortcut), four stages, global average pooling."""
    import torch.nn as nn

    class Block(nn.Module):
        def __init__(self, c_in: int, c_out: int, stride: int) -> None:
            super().__init__()
            self.body = nn.Sequential(
                nn.Conv2d(c_in, c_out, 3, stride, 1, bias=False), nn.BatchNorm2d(c_out), nn.ReLU(inplace=True),
                nn.Conv2d(c_out, c_out, 3, 1, 1, bias=False), nn.BatchNorm2d(c_out))
            self.shortcut = (nn.Identity() if stride == 1 and c_in == c_out else
                             nn.Sequential(nn.Conv2d(c_in, c_out, 1, stride, bias=False), nn.BatchNorm2d(c_out)))
            self.relu = nn.ReLU(inplace=True)

        def forward(self, x):
            return self.relu(self.body(x) + self.shortcut(x))

    class ResNet(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            stride = stem_stride(size)
            stem = [nn.Conv2d(channels, width, 3, min(stride, 2), 1, bias=False), nn.BatchNorm2d(width),
                    nn.ReLU(inplace=True)]
            if stride == 4:
                stem.append(nn.MaxPool2d(3, 2, 1))
            self.stem = nn.Sequential(*stem)
            widths, layers, c_in = (width, 2 * width, 4 * width, 8 * width), [], width
            for i, c_out in enumerate(widths):
                blocks = [Block(c_in, c_out, 1 if i == 0 else 2)] + [Block(c_out, c_out, 1) for _ in range(depth - 1)]
                layers.append(nn.Sequential(*blocks))
                c_in = c_out
            self.stages = nn.Sequential(*layers[:-1])
            self.last_stage = layers[-1]  # Grad-CAM reads this layer
            self.head = nn.Sequential(nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Dropout(0.2), nn.Linear(c_in, classes))

        def forward(self, x):
            return self.head(self.last_stage(self.stages(self.stem(x))))

    return ResNet()


NORM_IMAGES = 2048  # training images the BatchNorm statistics are recomputed on after each epoch


def recompute_batch_norms(net, images, prepare: Callable, *, batch_size: int, seed: int, plan: PrecisionPlan) -> None:
    """BatchNorm keeps a moving average of batch statistics (momentum 0.1) that trails the weights by about
    ten steps. On a small set, a few steps an epoch, it describes weights long gone, and every validation
    image came out abnormal (AUC 0.83 against 0.97 with current statistics). They are recomputed over up to
    2,048 of ``images`` (``prepare``-d on the device, not augmented: as the model will see them)."""
    import torch

    norms = [m for m in net.modules() if isinstance(m, torch.nn.modules.batchnorm._BatchNorm)]
    if not norms or not len(images):
        return
    momenta = [m.momentum for m in norms]
    for module in norms:
        module.reset_running_stats()
        module.momentum = None  # a cumulative average over the pass
    net.train()
    device = next(net.parameters()).device
    picked = torch.randperm(len(images), generator=torch.Generator().manual_seed(seed))[:NORM_IMAGES]
    with torch.no_grad():  # a random sample: files often come sorted by class
        for start in range(0, len(picked), batch_size):
            index = picked[start:start + batch_size]
            if len(index) < 2:  # one image has no spread to measure
                continue
            with torch.autocast(device_type=plan.device_type, dtype=plan.dtype, enabled=plan.enabled):
                net(prepare(images[index].to(device)))
    for module, momentum in zip(norms, momenta):
        module.momentum = momentum
    net.eval()


def load_initial_weights(network, path: str) -> int:
    """Copy tensors whose names and shapes match from a user's safetensors file; returns how many."""
    from safetensors.torch import load_file

    try:
        state = load_file(str(path))
    except Exception as exc:  # safetensors raises its own error types for bad files
        raise ValueError(f"cannot read initial weights {Path(path).name}: {exc}") from None
    own = network.state_dict()
    matched = {k: v for k, v in state.items() if k in own and tuple(own[k].shape) == tuple(v.shape)}
    if not matched:
        raise ValueError(f"none of the tensors in {Path(path).name} match this network (names or shapes differ).")
    network.load_state_dict(matched, strict=False)
    return len(matched)

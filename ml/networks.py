"""The ResNet-style network and the mixed-precision plan, built on demand so importing ml.cnn stays cheap."""
from __future__ import annotations

from dataclasses import dataclass
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

"""The sequence model's networks over windows of (readings, channels): a 1D CNN, a GRU, or a convolution feeding a GRU.

The architecture is stored with a saved model (``arch``); models saved before it was stored are CNNs.
The recurrent layer always runs in float32: under CUDA's bf16 autocast the convolutions and the head run in bf16,
while cuDNN's GRU takes bf16 inputs only from cuDNN 9.13 on (older versions raise), so the GRU leaves autocast.
"""
from __future__ import annotations

ARCHITECTURES = ("cnn", "gru", "cnn_gru")
LEGACY_ARCH = "cnn"  # what a model saved without ``arch`` holds


def _head(width: int):
    from torch import nn

    return nn.Sequential(nn.Linear(2 * width, 64), nn.ReLU(), _seeded_dropout(0.1), nn.Linear(64, 1))


def _seeded_dropout(p: float):
    """Dropout drawing its masks from its own generator (``seed_dropout``), not torch's global one: the
    validation folds train side by side in threads, and masks from the shared generator made each fold's
    network depend on how the other folds' steps fell between its own. No weights: saved models load as before."""
    import torch
    from torch import nn

    class SeededDropout(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.p, self.generator = p, torch.Generator().manual_seed(0)

        def forward(self, x: "torch.Tensor") -> "torch.Tensor":
            if not self.training or self.p <= 0:
                return x
            keep = torch.rand(x.shape, generator=self.generator) >= self.p
            return x * keep.to(device=x.device, dtype=x.dtype) / (1 - self.p)

    return SeededDropout()


def seed_dropout(network, seed: int) -> None:
    """Every seeded dropout layer of ``network`` starts its masks from ``seed``."""
    import torch

    for module in network.modules():
        if isinstance(getattr(module, "generator", None), torch.Generator):
            module.generator.manual_seed(seed)


def _last_and_mean(head, h):
    """The head reads the top layer's last step and its mean over the window; ``h`` is (batch, steps, width)."""
    import torch

    return head(torch.cat([h[:, -1], h.mean(dim=1)], dim=1)).squeeze(1)


def build_network(n_inputs: int, window: int, channels: int, kernel: int = 9, arch: str = LEGACY_ARCH):
    """``channels`` is the width of every layer (the GRU's hidden size); ``window`` is kept for callers that
    size a network by it."""
    if arch not in ARCHITECTURES:
        raise ValueError(f"Unknown sequence architecture {arch!r}; one of {', '.join(ARCHITECTURES)}.")
    import torch
    from torch import nn

    def recurrent(x: "torch.Tensor", gru) -> "torch.Tensor":
        with torch.autocast(device_type=x.device.type, enabled=False):
            return gru(x.float())[0]

    class RulCNN(nn.Module):
        """Three convolutions over time, then the last step and the average of the top layer."""

        def __init__(self) -> None:
            super().__init__()
            self.conv = nn.Sequential(
                nn.Conv1d(n_inputs, channels, kernel, padding=kernel // 2), nn.ReLU(),
                nn.Conv1d(channels, channels, kernel, padding=kernel // 2), nn.ReLU(),
                nn.Conv1d(channels, channels, 3, padding=1), nn.ReLU())
            self.head = _head(channels)

        def forward(self, x: "torch.Tensor") -> "torch.Tensor":
            return _last_and_mean(self.head, self.conv(x.transpose(1, 2)).transpose(1, 2))

    class RulGRU(nn.Module):
        """A GRU over the window (after one convolution for ``cnn_gru``), then its last step and its mean."""

        def __init__(self) -> None:
            super().__init__()
            front = channels if arch == "cnn_gru" else n_inputs
            self.front = (nn.Sequential(nn.Conv1d(n_inputs, channels, kernel, padding=kernel // 2), nn.ReLU())
                          if arch == "cnn_gru" else None)
            self.gru = nn.GRU(front, channels, batch_first=True)
            self.head = _head(channels)

        def forward(self, x: "torch.Tensor") -> "torch.Tensor":
            if self.front is not None:
                x = self.front(x.transpose(1, 2)).transpose(1, 2)
            return _last_and_mean(self.head, recurrent(x, self.gru))

    return RulCNN() if arch == "cnn" else RulGRU()


def build_ensemble(members: list):
    """One network as it is; several as the mean of their predictions (one module: saved, moved, explained)."""
    from torch import nn

    if len(members) == 1:
        return members[0]

    class MeanOf(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.members = nn.ModuleList(members)

        def forward(self, x):
            return sum(member(x) for member in self.members) / len(self.members)

    return MeanOf()

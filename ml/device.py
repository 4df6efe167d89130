"""The only place that decides CPU or CUDA. Everything else receives the answer."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Preference = Literal["auto", "cpu", "cuda"]


class DeviceUnavailableError(RuntimeError):
    """The configuration asks for CUDA on a machine that has none."""


@dataclass(frozen=True)
class DeviceInfo:
    kind: str              # "cpu" or "cuda"
    name: str              # human-readable, e.g. "CPU (2 cores)" or "NVIDIA H200"
    cuda_available: bool
    mixed_precision: bool  # use autocast for torch training on this device
    torch_version: str | None


# Signs of an NVIDIA driver: Linux's control device and proc entry, WSL's GPU device; else nvidia-smi on PATH
DRIVER_PATHS = ("/dev/nvidiactl", "/dev/nvidia0", "/proc/driver/nvidia", "/dev/dxg")


def _driver_present() -> bool:
    import os
    import shutil

    return any(os.path.exists(p) for p in DRIVER_PATHS) or shutil.which("nvidia-smi") is not None


def _cuda_available() -> bool:
    """Asked of torch only where a driver shows: importing it costs 3-6 s, which every CPU-only finance or
    failure-risk training paid just to hear 'no'."""
    if not _driver_present():
        return False
    try:
        import torch
    except ImportError:  # pragma: no cover - torch is a dependency
        return False
    return bool(torch.cuda.is_available())


def select_device(preference: Preference = "auto") -> str:
    """'cuda' when asked for or when auto and present; 'cpu' otherwise."""
    if preference not in ("auto", "cpu", "cuda"):
        raise ValueError(f"Unknown device setting {preference!r}; use auto, cpu or cuda.")
    if preference == "cpu":
        return "cpu"
    available = _cuda_available()
    if preference == "cuda" and not available:
        raise DeviceUnavailableError("DD_DEVICE=cuda but no CUDA device is visible; use auto or cpu.")
    return "cuda" if available else "cpu"


def describe_device(preference: Preference = "auto") -> DeviceInfo:
    import os

    import torch

    kind = select_device(preference)
    if kind == "cuda":
        name = torch.cuda.get_device_name(0)
    else:
        name = f"CPU ({os.cpu_count()} cores)"
    return DeviceInfo(
        kind=kind,
        name=name,
        cuda_available=_cuda_available(),
        mixed_precision=kind == "cuda",
        torch_version=torch.__version__,
    )


def torch_device(kind: str):
    """A torch.device for a kind returned by select_device."""
    import torch

    return torch.device(kind)


def lightgbm_device_params(kind: str) -> dict[str, str]:
    """PyPI LightGBM wheels are CPU-only (the CUDA tree learner needs a custom build), so trees stay on CPU."""
    return {"device_type": "cpu"}

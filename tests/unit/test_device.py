import pytest

from ml import device


def test_cpu_setting_never_asks_torch(monkeypatch):
    monkeypatch.setattr(device, "_cuda_available", lambda: pytest.fail("should not probe CUDA"))
    assert device.select_device("cpu") == "cpu"


@pytest.mark.parametrize("available,expected", [(True, "cuda"), (False, "cpu")])
def test_auto_uses_cuda_when_present(monkeypatch, available, expected):
    monkeypatch.setattr(device, "_cuda_available", lambda: available)
    assert device.select_device("auto") == expected


def test_cuda_setting_without_gpu_is_a_clear_error(monkeypatch):
    monkeypatch.setattr(device, "_cuda_available", lambda: False)
    with pytest.raises(device.DeviceUnavailableError, match="no CUDA device"):
        device.select_device("cuda")


def test_unknown_setting_is_rejected():
    with pytest.raises(ValueError, match="auto, cpu or cuda"):
        device.select_device("tpu")  # type: ignore[arg-type]


def test_describe_reports_gpu_name_and_mixed_precision_when_cuda(monkeypatch):
    import torch

    monkeypatch.setattr(device, "_cuda_available", lambda: True)
    monkeypatch.setattr(torch.cuda, "get_device_name", lambda index=0: "NVIDIA Test GPU")
    info = device.describe_device("auto")
    assert (info.kind, info.name, info.mixed_precision) == ("cuda", "NVIDIA Test GPU", True)


def test_describe_on_cpu(monkeypatch):
    monkeypatch.setattr(device, "_cuda_available", lambda: False)
    info = device.describe_device("auto")
    assert info.kind == "cpu" and info.name.startswith("CPU") and not info.mixed_precision


@pytest.mark.parametrize("given,expected", [(None, "PASSIVE"), ("ACTIVE", "ACTIVE")])
def test_openmp_threads_sleep_when_idle_unless_the_operator_says_otherwise(given, expected):
    """Set before lightgbm loads OpenMP: spinning threads made training 3-4x slower on a shared machine."""
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k != "OMP_WAIT_POLICY"} | ({"OMP_WAIT_POLICY": given} if given else {})
    code = "import os, ml, lightgbm; print(os.environ['OMP_WAIT_POLICY'])"
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == expected


def test_without_a_driver_torch_is_not_asked(monkeypatch):
    import sys
    import types

    fake = types.SimpleNamespace(cuda=types.SimpleNamespace(is_available=lambda: True))
    monkeypatch.setitem(sys.modules, "torch", fake)  # a torch that would say yes
    monkeypatch.setattr(device, "_driver_present", lambda: False)
    assert device._cuda_available() is False
    monkeypatch.setattr(device, "_driver_present", lambda: True)
    assert device._cuda_available() is True


def test_the_driver_is_seen_by_its_device_files_or_nvidia_smi(monkeypatch):
    import os
    import shutil

    monkeypatch.setattr(shutil, "which", lambda name: None)
    monkeypatch.setattr(os.path, "exists", lambda path: False)
    assert device._driver_present() is False
    monkeypatch.setattr(os.path, "exists", lambda path: path == "/dev/nvidiactl")
    assert device._driver_present() is True
    monkeypatch.setattr(os.path, "exists", lambda path: False)
    monkeypatch.setattr(shutil, "which", lambda name: "/usr/bin/nvidia-smi" if name == "nvidia-smi" else None)
    assert device._driver_present() is True

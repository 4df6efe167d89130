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

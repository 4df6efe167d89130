"""The sequence model's architecture (CNN, GRU, convolution + GRU) is a parameter stored with the model: models saved
before it was stored are CNNs and load and predict as before; the GRU runs in float32 under CUDA's bf16 autocast."""
import json

import numpy as np
import pytest
import torch

from ml.artifacts import write_metadata
from ml.rul_networks import build_network
from ml.rul_sequence import RulSequenceTask
from tests.unit import test_maintenance_rul_sequence as sequence_tests

prepared, _tiny = sequence_tests.prepared, sequence_tests._tiny  # the same tiny fleet (a fixture) and model

CNN_KEYS = ["conv.0.bias", "conv.0.weight", "conv.2.bias", "conv.2.weight", "conv.4.bias", "conv.4.weight",
            "head.0.bias", "head.0.weight", "head.3.bias", "head.3.weight"]




def test_a_cnn_saved_before_the_architecture_was_stored_loads_as_a_cnn(prepared, tmp_path):
    X, y = prepared
    old = _tiny(arch="cnn").fit(X, y)
    assert sorted(old.network_.state_dict()) == CNN_KEYS  # the weight names earlier runs saved
    old.save(tmp_path / "m")
    params = json.loads((tmp_path / "m" / "metadata.json").read_text())["parameters"]
    params.pop("arch")  # what a model saved by the earlier version holds
    write_metadata(tmp_path / "m", task=old.name, parameters=params, feature_names=old.sensors_)
    loaded = RulSequenceTask.load(tmp_path / "m")
    assert loaded.arch == "cnn"
    np.testing.assert_allclose(loaded.predict(X)["rul"], old.predict(X)["rul"], atol=1e-4)


@pytest.mark.parametrize("arch", ["gru", "cnn_gru"])
def test_a_recurrent_model_saves_its_architecture_and_loads_back(prepared, tmp_path, arch):
    X, y = prepared
    task = _tiny(arch=arch).fit(X, y)
    assert any(isinstance(m, torch.nn.GRU) for m in task.network_.modules())
    task.save(tmp_path / "m")
    assert json.loads((tmp_path / "m" / "metadata.json").read_text())["parameters"]["arch"] == arch
    loaded = RulSequenceTask.load(tmp_path / "m")
    assert loaded.arch == arch
    np.testing.assert_allclose(loaded.predict(X)["rul"], task.predict(X)["rul"], atol=1e-4)
    explanation = task.explain(X.head(20))
    assert explanation.values.shape == (20, len(explanation.feature_names))
    assert np.isfinite(explanation.values).all() and np.abs(explanation.values).sum() > 0


@pytest.mark.parametrize("arch", ["gru", "cnn_gru"])
def test_under_bf16_autocast_the_gru_reads_float32(arch):
    """CUDA's path (bf16 autocast, as ``amp_settings('cuda')``) imitated with CPU autocast and bf16 readings (CUDA's
    autocast hands the GRU bf16, CPU's does not): the convolution runs in bf16, the GRU in float32 (cuDNN before 9.13
    refuses bf16 GRU inputs), the output is finite."""
    net = build_network(5, 12, 8, kernel=3, arch=arch)
    seen = {}
    net.gru.register_forward_pre_hook(lambda module, args: seen.update(gru=args[0].dtype))
    if net.front is not None:
        net.front.register_forward_hook(lambda module, args, out: seen.update(front=out.dtype))
    with torch.autocast(device_type="cpu", dtype=torch.bfloat16):
        out = net(torch.randn(3, 12, 5, dtype=torch.bfloat16))
    assert seen["gru"] == torch.float32
    assert seen.get("front", torch.bfloat16) == torch.bfloat16
    assert out.shape == (3,) and torch.isfinite(out.float()).all()


def test_an_unknown_architecture_is_refused():
    with pytest.raises(ValueError, match="Unknown sequence architecture 'lstm'"):
        build_network(5, 12, 8, arch="lstm")


def test_new_models_are_grus_and_the_cnn_stays_a_choice():
    task = RulSequenceTask()
    assert (task.arch, task.channels) == ("gru", 32)
    assert task.get_params()["arch"] == "gru"
    assert RulSequenceTask(arch="cnn").get_params()["arch"] == "cnn"

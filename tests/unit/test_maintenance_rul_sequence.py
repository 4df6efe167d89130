"""The sequence model's settings: nine-reading convolutions, every epoch on every unit (no early stopping on a
few units' noisy loss), and a mean of several networks that saves and loads as one model; models saved with the
earlier five-reading kernel still load."""
import json

import numpy as np
import pytest

from ml.artifacts import write_metadata
from ml.degradation_sim import simulate_fleet
from ml.rul_history import HistoryPreprocessor
from ml.rul_sequence import RulSequenceTask
from ml.rul_shape import rul_target


@pytest.fixture(scope="module")
def prepared():
    fleet = simulate_fleet(n_train=6, n_test=0, seed=1, min_life=40, max_life=60)
    prepared, _ = HistoryPreprocessor(unit="unit", time="cycle").fit(fleet.train).transform(fleet.train)
    return prepared, rul_target(prepared, 125)


def _tiny(**kw):
    return RulSequenceTask(epochs=1, window=10, channels=4, max_windows=256, **kw)


def test_default_settings_read_nine_readings_per_convolution_and_run_every_epoch():
    task = RulSequenceTask()
    assert (task.kernel, task.patience, task.epochs, task.nets) == (9, 0, 30, 1)
    assert task.get_params()["kernel"] == 9 and task.get_params()["nets"] == 1


def test_by_default_every_unit_trains_for_every_epoch(prepared):
    X, y = prepared
    task = RulSequenceTask(epochs=3, window=10, channels=4, max_windows=256).fit(X, y)
    assert task.epochs_run_ == 3 and task.val_losses_ == []  # no units held back for early stopping
    stopped = RulSequenceTask(epochs=3, window=10, channels=4, max_windows=256, patience=1).fit(X, y)
    assert len(stopped.val_losses_) == stopped.epochs_run_ >= 2


def test_the_first_convolutions_are_as_wide_as_the_kernel(prepared):
    X, y = prepared
    task = _tiny(kernel=7, arch="cnn").fit(X, y)
    widths = [m.kernel_size[0] for m in task.network_.modules() if hasattr(m, "kernel_size")]
    assert widths == [7, 7, 3]


def test_several_networks_predict_their_mean_and_load_back(prepared, tmp_path):
    X, y = prepared
    task = _tiny(nets=2).fit(X, y)
    assert task.epochs_run_ == 2  # one epoch each
    members = list(task.network_.members)
    import torch

    windows = torch.from_numpy(task._windows(X)[np.arange(len(X))])
    with torch.no_grad():
        mean = (members[0](windows) + members[1](windows)).numpy() / 2
    np.testing.assert_allclose(task.predict(X)["rul"], np.clip(mean * 125, 0, 125), atol=1e-3)
    task.save(tmp_path / "m")
    loaded = RulSequenceTask.load(tmp_path / "m")
    assert loaded.nets == 2
    np.testing.assert_allclose(loaded.predict(X)["rul"], task.predict(X)["rul"], atol=1e-4)


def test_a_model_saved_with_five_reading_kernels_still_loads(prepared, tmp_path):
    X, y = prepared
    old = _tiny(kernel=5, arch="cnn").fit(X, y)
    old.save(tmp_path / "m")
    params = json.loads((tmp_path / "m" / "metadata.json").read_text())["parameters"]
    params.pop("kernel"), params.pop("nets"), params.pop("arch")  # what a model saved by the earlier version holds
    write_metadata(tmp_path / "m", task=old.name, parameters=params, feature_names=old.sensors_)
    loaded = RulSequenceTask.load(tmp_path / "m")
    assert (loaded.kernel, loaded.nets, loaded.arch) == (5, 1, "cnn")
    np.testing.assert_allclose(loaded.predict(X)["rul"], old.predict(X)["rul"], atol=1e-4)

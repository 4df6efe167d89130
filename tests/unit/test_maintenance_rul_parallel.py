"""train-rul's validation fits run side by side (one per core): the figures are those of one fit after another,
the progress only grows, and the rule for how many readings a unit needs is one function."""
import threading

import numpy as np
import pytest

from ml.degradation_sim import simulate_fleet
from ml.rul import RulLightGBMTask
from ml.rul_history import HistoryPreprocessor
from ml.rul_sequence import RulSequenceTask, torch_threads
from services.maintenance_rul import BLEND, rul_params
from services.maintenance_rul_parallel import run_fits
from services.maintenance_rul_validation import history_limit, validate


def test_folds_fitted_side_by_side_give_the_figures_of_one_fit_after_another():
    """Two workers, the real models, a fixed seed: every fold's predictions as with one worker (the GRU's initial
    weights and its dropout masks no longer come from torch's shared generator while another fold trains)."""
    train = simulate_fleet(n_train=6, n_test=0, seed=4, min_life=40, max_life=50).train
    prepared, _ = HistoryPreprocessor(unit="unit", time="cycle").fit(train).transform(train)
    params = rul_params(1, "unit", "cycle", cap=125.0, window=10, val_fraction=0.5)  # two folds
    factories = {"lightgbm": lambda: RulLightGBMTask(window=10, n_estimators=20),
                 "sequence": lambda: RulSequenceTask(window=10, epochs=2, channels=8, max_windows=128)}
    serial = validate(prepared, factories, params, lambda *a: None, workers=1)
    side_by_side = validate(prepared, factories, params, lambda *a: None, workers=2)
    assert np.array_equal(serial[0], side_by_side[0]) and np.array_equal(serial[1], side_by_side[1])
    for name in ("lightgbm", "sequence", BLEND):
        assert np.array_equal(serial[2][name]["predicted"], side_by_side[2][name]["predicted"])
        assert serial[4][name] == side_by_side[4][name]
    assert serial[3] == side_by_side[3] == 2


def test_dropout_masks_follow_the_networks_seed_not_torchs_shared_generator():
    import torch

    from ml.rul_networks import build_network, seed_dropout

    network, x = build_network(4, 6, 8, arch="gru").train(), torch.ones(16, 6, 4)
    seed_dropout(network, 3)
    first = network(x).detach()
    torch.rand(1000)  # another fit drawing from the shared generator meanwhile
    seed_dropout(network, 3)
    assert torch.equal(network(x).detach(), first)
    assert not torch.equal(network(x).detach(), first)  # the masks move on within a fit


def test_fits_side_by_side_come_back_in_order_with_a_progress_that_only_grows():
    seen, started = [], threading.Barrier(2)

    def fit(k):
        def run(progress):
            if k < 2:
                started.wait(timeout=5)  # the first two run at once
            for fraction in (0.0, 0.5, 1.0):
                progress(fraction, f"fit {k}")
            return k * 10
        return run

    assert run_fits([fit(k) for k in range(4)], lambda p, m: seen.append(p), 0.1, 0.8, workers=2) == [0, 10, 20, 30]
    assert seen == sorted(seen) and seen[-1] == pytest.approx(0.9) and seen[0] == pytest.approx(0.1)


def test_a_failed_fit_fails_the_validation():
    def broken(progress):
        raise ValueError("no windows")

    with pytest.raises(ValueError, match="no windows"):
        run_fits([broken, lambda progress: 1], lambda *a: None, 0.0, 1.0, workers=2)


def test_torch_threads_are_restored_after_the_fits():
    import torch

    before = torch.get_num_threads()
    with torch_threads(1):
        assert torch.get_num_threads() == 1
    assert torch.get_num_threads() == before


def test_a_unit_needs_the_window_or_the_training_median_life_when_shorter():
    assert history_limit(30, 20) == 20 and history_limit(30, 200) == 30
    assert history_limit(30, None) == 30  # runs stored before the median life was kept

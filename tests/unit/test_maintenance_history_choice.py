"""With machine history, the run keeps the model on the readings alone when it ranks failures better on the same
folds, with any one fold left out too (a Backblaze-shaped file: AUC 0.983 on the readings alone, 0.891 with history,
and every drive sent with its history was scored by the weaker model)."""
import numpy as np
import pandas as pd

from ml import failure_folds, unit_history
from services import maintenance as service
from services import maintenance_history_choice as choice


def _run(alone_noise: float, history_noise: float):
    rng = np.random.default_rng(0)
    y = pd.Series((rng.random(2000) < 0.05).astype(int))
    history = unit_history.History("serial_number", "date", ("smart_5_raw",), (604_800, 2_419_200, 7_862_400),
                                   86_400.0, 1)
    features = ("smart_5_raw", "smart_9_raw", *history.names())
    setup = service.FailureSetup("failure", "1", {}, (), features, history=history)
    X = pd.DataFrame(rng.normal(size=(2000, len(features))), columns=[c.replace(",", "_") for c in features])
    with_history = y + rng.normal(0, history_noise, 2000)
    alone = y + rng.normal(0, alone_noise, 2000)
    snapshot = ("readings-alone model", {"cv_auc": 0.9}, alone.to_numpy())
    return choice.chosen(X, y, setup, with_history.to_numpy(), snapshot, folds=5, seed=0, groups=None), alone


def test_the_readings_alone_replace_history_features_that_rank_failures_worse():
    fitted, alone = _run(alone_noise=0.5, history_noise=1.5)
    assert fitted.setup.history is None and fitted.setup.features == ("smart_5_raw", "smart_9_raw")
    assert list(fitted.X.columns) == ["smart_5_raw", "smart_9_raw"] and fitted.model == "readings-alone model"
    assert (fitted.scores == alone.to_numpy()).all()
    assert fitted.notes[0].startswith("History features per 'serial_number' were built and left out: the readings "
                                      "alone ranked failures better on the same folds (cross-validated AUC 0.9")


def test_history_features_that_rank_failures_better_or_as_well_are_kept():
    fitted, _ = _run(alone_noise=1.5, history_noise=0.5)
    assert fitted.setup.history is not None and fitted.model is None and fitted.notes == ()
    assert len(fitted.X.columns) == 7


def test_a_challenger_wins_only_when_no_single_fold_decides():
    y = np.tile([1, 0, 0, 0], 10)
    folds = np.repeat(np.arange(5), 8)
    incumbent = y + np.linspace(0, 0.9, 40)  # perfect on every fold
    assert not failure_folds.steady_winner(y, folds, incumbent, incumbent)  # a tie is no win
    worse = 0.5 * np.where(folds == 0, 1 - y, y) + np.linspace(0, 0.9, 40)  # reversed on fold 0, blurred elsewhere
    assert failure_folds.steady_winner(y, folds, incumbent, worse)
    # better only thanks to fold 0: better on all folds together, alike without fold 0, so it does not win
    only_fold_0 = np.where(folds == 0, incumbent, worse)
    assert failure_folds.ranking(y, only_fold_0)[0] > failure_folds.ranking(y, worse)[0]
    assert not failure_folds.steady_winner(y, folds, only_fold_0, worse)


def test_a_higher_auc_with_a_lower_pr_auc_is_no_win():
    """Half the failures on top and half at the bottom (AUC 0.5, PR AUC 0.56) against every failure high but below a
    few healthy readings (AUC 0.93, PR AUC 0.48): the alerts at the top would get worse."""
    y = np.tile([1, 0, 0, 0, 0, 0, 0, 0], 10)
    folds = np.repeat(np.arange(5), 16)
    failed, healthy = np.flatnonzero(y == 1), np.flatnonzero(y == 0)
    incumbent, challenger = np.linspace(0.1, 0.6, 80), np.linspace(0.1, 0.6, 80)
    incumbent[failed[::2]], incumbent[failed[1::2]] = 1.0 + failed[::2] / 1000, 0.0
    challenger[failed], challenger[healthy[::14]] = 0.8 + failed / 1000, 0.95
    (new_auc, new_pr), (old_auc, old_pr) = failure_folds.ranking(y, challenger), failure_folds.ranking(y, incumbent)
    assert new_auc > old_auc and new_pr < old_pr
    assert not failure_folds.steady_winner(y, folds, challenger, incumbent)
    assert failure_folds.steady_winner(y, folds, np.where(y == 1, 2.0, challenger), incumbent)

"""The check for held-out units that end looking healthy reads both models' mean at their last reading, unless one
is far worse: on six bearings such a CNN put a failed bearing at the cap, and the mean named it as still running."""
import numpy as np
import pandas as pd

from ml.degradation_sim import simulate_fleet
from ml.rul_history import HistoryPreprocessor
from ml.rul_shape import TIME, UNIT
from services.maintenance_rul import BLEND, end_predictions, rul_params
from services.maintenance_rul_notes import ended_healthy_note
from services.maintenance_rul_validation import validate


class _Knowing:
    """A fitted-model stand-in that knows each row's RUL: off by ``bias``, and at the cap on the ``blind`` unit."""

    def __init__(self, name: str, bias: float = 0.0, blind=None) -> None:
        self.name, self.bias, self.blind = name, bias, blind

    def fit(self, X, y, progress=None):
        return self

    def predict(self, X, rows=None):
        rul = np.minimum(X.groupby(UNIT)[TIME].transform("max") - X[TIME], 125.0) + self.bias
        rul = rul.where(X[UNIT] != self.blind, 125.0)
        return pd.DataFrame({"rul": rul if rows is None else rul.iloc[np.asarray(rows, dtype=int)]})


def test_end_predictions_are_kept_per_model_and_the_champion_judges():
    train = simulate_fleet(n_train=10, n_test=0, seed=3, min_life=40, max_life=60).train
    prepared, _ = HistoryPreprocessor(unit="unit", time="cycle").fit(train).transform(train)
    params = rul_params(1, "unit", "cycle", cap=125.0)
    factories = {"lightgbm": lambda: _Knowing("lightgbm_rul", bias=5.0),
                 "sequence": lambda: _Knowing("cnn_rul", blind=1)}
    _, _, results, folds, at_end = validate(prepared, factories, params, lambda *a: None)
    assert folds == 5 and set(at_end) == {"lightgbm", "sequence", BLEND} and len(at_end["lightgbm"]) == 10
    assert set(at_end["lightgbm"].values()) == {5.0} and at_end["sequence"][1] == 125.0 and at_end[BLEND][1] == 65.0
    assert results["lightgbm"]["rmse"] == 5.0 and results["sequence"]["rmse"] > 7.5  # far worse: no say
    assert end_predictions(at_end, results) == at_end["lightgbm"]
    assert ended_healthy_note(end_predictions(at_end, results), 125.0, 10, rmse=5.0) == []
    (note,) = ended_healthy_note(at_end[BLEND], 125.0, 10, rmse=5.0)  # their mean named a unit that failed
    assert note.startswith("1 of 10 held-out units end looking healthy (unit 1)")


def test_models_of_like_error_judge_the_ends_together():
    at_end = {"lightgbm": {"A": 80.0}, "sequence": {"A": 50.0}, BLEND: {"A": 65.0}}
    close = {"lightgbm": {"rmse": 30.0}, "sequence": {"rmse": 40.0}}
    assert end_predictions(at_end, close) == {"A": 65.0}
    far = {"lightgbm": {"rmse": 70.0}, "sequence": {"rmse": 40.0}}
    assert end_predictions(at_end, far) == {"A": 50.0}

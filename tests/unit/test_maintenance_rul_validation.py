"""RUL validation cuts look like the units scoring estimates, and intervals stored before still load and score."""
import numpy as np
import pandas as pd

from ml.rul import ResidualIntervals
from ml.rul_shape import TIME, UNIT
from services.maintenance_rul import rul_params
from services.maintenance_rul_validation import CUTS_PER_UNIT, validate


class _Exact:
    """A fitted-model stand-in that predicts each row's capped RUL."""

    def __init__(self, name: str) -> None:
        self.name = name

    def fit(self, X, y, progress=None):
        return self

    def predict(self, X, rows=None):
        rul = np.minimum(X.groupby(UNIT)[TIME].transform("max") - X[TIME], 125.0)
        return pd.DataFrame({"rul": rul if rows is None else rul.iloc[np.asarray(rows, dtype=int)]})


def test_validation_cuts_leave_the_history_scoring_needs_for_an_estimate():
    """Scoring gives a unit of fewer readings than the window the whole range, no estimate; cuts after fewer
    readings were easy cases (early in life, at the cap) that no scored unit is measured on. A unit shorter than
    the window is still cut, anywhere."""
    lives = [150] * 9 + [20]
    prepared = pd.DataFrame({UNIT: np.repeat(np.arange(10), lives),
                             TIME: np.concatenate([np.arange(1, n + 1) for n in lives]).astype(float)})
    prepared["s1"] = 0.0
    factories = {"lightgbm": lambda: _Exact("lightgbm_rul"), "sequence": lambda: _Exact("cnn_rul")}
    truth, keys, results, folds, _ = validate(prepared, factories, rul_params(1, "unit", "cycle", cap=125.0),
                                              lambda *a: None)
    assert folds == 5 and len(truth) == 10 * CUTS_PER_UNIT and results["lightgbm"]["rmse"] == 0.0
    units, truth = np.array([k.rsplit("#", 1)[0] for k in keys]).astype(int), np.asarray(truth)
    assert truth[units < 9].max() <= 120  # 150 readings: at least the window's 30 before every cut (149 to go before)
    short = truth[units == 9]  # 20 readings, cut anywhere as before (its cuts leave 0-19 to go)
    assert len(short) == CUTS_PER_UNIT and len(set(short.tolist())) > 3 and short.max() <= 19


def test_intervals_stored_before_still_load_and_score():
    """A run's rul.json of before (three bins) reads as it was written."""
    stored = {"low": 0.1, "high": 0.9, "edges": [55.3, 98.5], "offsets": [[-8.0, 10.6], [-20.4, 41.3], [-19.9, 20.3]]}
    intervals = ResidualIntervals.from_json(stored)
    low, high = intervals.apply(np.array([10.0, 70.0, 120.0]))
    assert np.allclose(low, [2.0, 49.6, 100.1]) and np.allclose(high, [20.6, 111.3, 140.3])
    assert intervals.to_json() == stored


def test_intervals_keep_their_coverage_near_failure_and_far_from_it():
    """Errors grow with the predicted RUL. Three bins of 1,000 cuts gave one offset from 0 to 40 cycles: new units
    predicted at 5 fell inside the P10-P90 band 94 % of the time, those at 35 only 67 %; eight bins: 78-91 %."""
    rng = np.random.default_rng(0)
    predicted = rng.uniform(0, 120, 1000)
    intervals = ResidualIntervals().fit(predicted, predicted + rng.normal(0, 2 + 0.25 * predicted))
    assert len(intervals.offsets_) == 8
    for at in (5.0, 35.0, 65.0, 95.0):
        low, high = intervals.apply(np.full(4000, at))
        new = at + rng.normal(0, 2 + 0.25 * at, 4000)
        assert 0.72 <= ((low <= new) & (new <= high)).mean() <= 0.95, at

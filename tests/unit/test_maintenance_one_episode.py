"""Failures that all fall within one group of the folds (one air-leak hour marked in a compressor's 10-second
readings, one machine of a fleet failing): the fold holding that group trained without a failure, and training
stopped with a traceback ("ValueError: The target has a single class; a classifier needs at least two."). Such a
grouping is passed over, machines for periods, periods for rows, with a note."""
import numpy as np
import pandas as pd

from services.maintenance import FailureSetup
from services.maintenance_checks import fold_groups

STAMP = {"timestamp": "timestamp: the model would learn when …"}


def _readings(failed: slice) -> tuple[pd.DataFrame, pd.Series]:
    stamps = pd.date_range("2020-04-01", periods=2000, freq="10s")
    y = pd.Series(np.zeros(2000, int))
    y.iloc[failed] = 1
    return pd.DataFrame({"timestamp": stamps, "machine": np.repeat(np.arange(10), 200), "TP2": 9.0}), y


def test_one_episode_in_one_period_folds_by_row_with_a_note():
    data, y = _readings(slice(1200, 1260))
    setup = FailureSetup("failure", "1", STAMP, (), ("TP2",))
    assert fold_groups(data, setup, None, folds=5)[0].nunique() == 20  # without y: periods, as before
    groups, notes = fold_groups(data, setup, None, folds=5, y=y)
    assert groups is None
    assert notes == ["Every failure falls within one run of consecutive readings of 'timestamp' (of 20): folds that "
                     "keep it together would train without a failure, so the folds are by row, with neighbouring "
                     "readings of the failure on both sides, and the cross-validated figures are optimistic. Mark "
                     "more failures (episodes, machines) for figures that hold on new ones."]


def test_one_failing_machine_is_folded_by_period_when_its_failures_span_periods():
    data, y = _readings(slice(0, 200))  # machine 0 fails on all of its readings: two periods
    setup = FailureSetup("failure", "1", {**STAMP, "machine": "machine identifier: …"}, (), ("TP2",))
    groups, notes = fold_groups(data, setup, None, folds=5, y=y)
    assert groups.nunique() == 20 and notes[0].startswith("Cross-validation folds are periods of 'timestamp'")
    two = pd.Series(np.isin(np.arange(2000), range(150, 250)).astype(int))  # machines 0 and 1: machine folds
    groups, notes = fold_groups(data, setup, None, folds=5, y=two)
    assert groups.nunique() == 10 and notes[0].startswith("Cross-validation keeps each 'machine' value's readings")

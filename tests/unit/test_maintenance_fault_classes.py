"""A fault-class table (CWRU's bearing features: Ball_007_1 … OR_021_6_1 and Normal_1) is refused with every class
listed and the --positive that counts every class but the healthy one as a failure: it listed six of the ten, not
Normal_1, and left the nine others to type."""
import numpy as np
import pandas as pd
import pytest

from ml import failure
from ml.leakage import find_leakage

CLASSES = ["Ball_007_1", "Ball_014_1", "Ball_021_1", "IR_007_1", "IR_014_1", "IR_021_1", "Normal_1", "OR_007_6_1",
           "OR_014_6_1", "OR_021_6_1"]


def test_the_refusal_lists_every_class_and_the_positive_for_all_but_the_healthy_one():
    with pytest.raises(failure.TargetError) as refused:
        failure.binarise(pd.Series(CLASSES * 3, name="fault"))
    said = str(refused.value)
    assert "'fault' has 10: Ball_007_1, Ball_014_1, Ball_021_1, IR_007_1, IR_014_1, IR_021_1, Normal_1, " in said
    assert said.endswith("'Normal_1' reads as the healthy class: to count every other value as a failure, give "
                         "--positive Ball_007_1,Ball_014_1,Ball_021_1,IR_007_1,IR_014_1,IR_021_1,OR_007_6_1,"
                         "OR_014_6_1,OR_021_6_1.")
    named = [c for c in CLASSES if c != "Normal_1"]
    y, chosen = failure.binarise(pd.Series(CLASSES * 3, name="fault"), ",".join(named))
    assert int(y.sum()) == 27 and chosen == ",".join(named).replace(",", ", ")


def test_no_hint_without_one_healthy_class():  # two healthy-looking values, or none
    for values in (["NORMAL", "BROKEN", "RECOVERING", "normal operation"], ["a", "b", "c"]):
        with pytest.raises(failure.TargetError) as refused:
            failure.binarise(pd.Series(values, name="status"))
        assert "reads as the healthy class" not in str(refused.value)


def test_with_failures_on_most_rows_a_sensor_is_no_sub_label_but_a_failure_mode_still_is():
    """Every class but Normal_1 a failure: 90 % of the rows. Each feature's rows off its usual value were 90 %
    failures, the sub-label bar, and training was refused as every column left out."""
    rng = np.random.default_rng(0)
    y = pd.Series(np.r_[np.ones(900, int), np.zeros(100, int)])
    frame = pd.DataFrame({"kurtosis": rng.normal(3, 1, 1000).round(4), "load": rng.integers(0, 2, 1000),
                          "OR_flag": np.r_[np.ones(300, int), np.zeros(700, int)]})  # an outer-race fault's rows
    flags = find_leakage(frame, y)
    assert [f.column for f in flags] == ["OR_flag"] and flags[0].reason.startswith("sub-label: 100%")

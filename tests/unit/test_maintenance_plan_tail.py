"""The plan's chance of failing below an RUL band's 10 % point: spread evenly from RUL 0 it gave a battery at RUL
45.7 (band 38-52) a 3.7 % chance of failing within 14 cycles; the run's held-out cuts say how heavy that tail is."""
import numpy as np
import pandas as pd
import pytest

from domain.maintenance import UnitOutlook, failure_probability
from ml.rul import ResidualIntervals
from services import maintenance_plan
from services.maintenance_plan_tail import band_tail

LIGHT = ((0.25, 0.005), (0.5, 0.005), (0.75, 0.01), (0.9, 0.05))
COSTS = {"unplanned_failure_cost": 50000, "planned_maintenance_cost": 5000, "capacity_per_period": 2}


def test_a_measured_tail_replaces_the_even_spread_below_the_band():
    plain = UnitOutlook("B1", rul=45.7, rul_low=38.0, rul_high=52.0)
    assert failure_probability(plain, 14) == pytest.approx(0.1 * 14 / 38)  # runs without cuts: as before
    measured = UnitOutlook("B1", rul=45.7, rul_low=38.0, rul_high=52.0, tail=LIGHT)
    assert failure_probability(measured, 14) == pytest.approx(0.005)
    assert failure_probability(measured, 0.9 * 38) == pytest.approx(0.05)
    assert failure_probability(measured, 38) == pytest.approx(0.1)  # the band's own points stay
    assert failure_probability(measured, 45.7) == pytest.approx(0.5)


def _cuts(actual_over_low: np.ndarray, predicted: float = 80.0) -> tuple[pd.DataFrame, dict]:
    """Cuts at one predicted RUL whose true RULs sit at the given multiples of the band's low end."""
    n = len(actual_over_low)
    intervals = ResidualIntervals().fit(np.full(n, predicted), np.full(n, predicted))
    intervals.offsets_ = [[-20.0, 20.0]]  # low end 60
    return pd.DataFrame({"actual": 60.0 * actual_over_low, "rul": predicted}), intervals.to_json()


def test_the_tail_is_the_share_of_held_out_cuts_below_each_fraction_of_the_low_end():
    ratios = np.r_[np.full(180, 1.2), np.full(19, 0.95), 0.6]  # 200 cuts: one at 0.6 x the low end, 19 at 0.95
    tail = dict(band_tail(*_cuts(ratios)))
    assert tail[0.25] == pytest.approx(1 / 201) and tail[0.5] == pytest.approx(1 / 201)
    assert tail[0.75] == pytest.approx(2 / 201) and tail[0.9] == pytest.approx(2 / 201)


def test_runs_without_cuts_or_intervals_keep_the_even_spread():
    frame, intervals = _cuts(np.ones(10))
    assert band_tail(frame.iloc[:0], intervals) == () and band_tail(frame, None) == ()


def test_the_plan_reads_the_tail_the_fleet_carries():
    fleet = pd.DataFrame({"unit": ["B1"], "rul": [45.7], "rul_low": [38.0], "rul_high": [52.0]})
    before = maintenance_plan.plan(fleet, horizon_periods=14, **COSTS)
    fleet.attrs["rul_tail"] = LIGHT
    after = maintenance_plan.plan(fleet, horizon_periods=14, **COSTS)
    assert before.frame["p_fail_in_horizon"].iloc[0] == pytest.approx(0.1 * 14 / 38)
    assert after.frame["p_fail_in_horizon"].iloc[0] == pytest.approx(0.005)
    assert after.expected_cost_do_nothing == pytest.approx(250.0)


def test_a_few_cuts_keep_the_even_spread_unless_their_own_share_is_heavier():
    few = dict(band_tail(*_cuts(np.r_[np.full(69, 1.2), 0.2])))  # 1 of 70 below a quarter: (1 + 1) / 71 > 2.5 %
    assert few[0.25] == pytest.approx(0.025) and few[0.9] == pytest.approx(2 / 71)
    heavy = dict(band_tail(*_cuts(np.r_[np.full(16, 1.2), np.full(4, 0.1)])))  # 4 of 20 near 0: a heavy tail
    assert heavy[0.25] == pytest.approx(0.2)

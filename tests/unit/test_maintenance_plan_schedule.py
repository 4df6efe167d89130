"""The schedule saves the most within capacity (the greedy order did not), says how many alerted units capacity
leaves without a slot, and the plan's download carries each unit's chance of failure."""
import io

import numpy as np
import pandas as pd
import pytest

from domain import maintenance as rules
from services import maintenance_plan, maintenance_schedule

SEVEN = [0.632, 0.602, 0.397, 0.137, 0.603, 0.016, 0.096]  # one slot a day for four days, planned service free


def _brute_force_cost(ps, costs):
    """The least expected cost over every way of giving units distinct slots (small cases only)."""
    from itertools import product

    outlooks = [rules.UnitOutlook(str(i), p_failure=p) for i, p in enumerate(ps)]
    savings = [rules.slot_savings(o, costs) for o in outlooks]
    nothing = sum(costs.unplanned_failure_cost * rules._risk(o, costs.horizon_periods, costs) for o in outlooks)
    best = 0.0
    for choice in product(range(-1, costs.horizon_periods), repeat=len(ps)):
        used = [k for k in choice if k >= 0]
        if all(used.count(k) <= costs.capacity_per_period for k in set(used)):
            best = max(best, sum(savings[i][k] for i, k in enumerate(choice) if k >= 0))
    return nothing - best


def test_the_schedule_is_the_least_expected_cost_within_capacity():
    fleet = pd.DataFrame({"unit": [f"M{i}" for i in range(7)], "p_failure": SEVEN})
    result = maintenance_plan.plan(fleet, unplanned_failure_cost=50000, planned_maintenance_cost=0,
                                   capacity_per_period=1, horizon_periods=4)
    costs = rules.MaintenanceCosts(50000.0, 0.0, 1, "day", 4)
    greedy = rules.plan_maintenance([rules.UnitOutlook(f"M{i}", p_failure=p) for i, p in enumerate(SEVEN)], costs)
    assert greedy.expected_cost_plan == pytest.approx(153264.86, abs=0.01)  # the greedy order's plan
    assert result.expected_cost_plan == pytest.approx(_brute_force_cost(SEVEN, costs), abs=1e-6)
    assert result.expected_cost_plan == pytest.approx(146300.78, abs=0.01)


@pytest.mark.parametrize("seed", range(6))
def test_random_small_fleets_get_the_brute_force_optimum(seed):
    rng = np.random.default_rng(seed)
    ps = rng.beta(0.5, 1.5, 6).round(3).tolist()
    capacity, horizon, planned = int(rng.integers(1, 3)), int(rng.integers(2, 4)), float(rng.choice([0, 5000]))
    fleet = pd.DataFrame({"unit": [str(i) for i in range(6)], "p_failure": ps})
    result = maintenance_plan.plan(fleet, unplanned_failure_cost=50000, planned_maintenance_cost=planned,
                                   capacity_per_period=capacity, horizon_periods=horizon)
    costs = rules.MaintenanceCosts(50000.0, planned, capacity, "day", horizon)
    assert result.expected_cost_plan == pytest.approx(_brute_force_cost(ps, costs), abs=1e-6)


def test_equal_savings_give_the_earlier_slot_to_the_more_urgent_unit():
    slots = maintenance_schedule.best_slots([[10.0, 10.0], [10.0, 10.0], [-1.0, -1.0]], 1)
    assert slots == {0: 0, 1: 1}


def test_units_all_failing_within_the_first_period_are_served_lowest_rul_first():
    """Bearings in minutes, every one failing within the first day: the one 322 minutes from failure was marked 'no
    slot in time' while two at the 1,250-minute cap took the day's two slots (the tie went by name)."""
    fleet = pd.DataFrame({"unit": ["Bearing1_1", "Bearing1_2", "Bearing1_3", "Bearing1_4"],
                          "rul": [1250.0, 1249.91, 322.15, 1249.93], "rul_low": [1167.41, 1167.32, 266.81, 1167.34],
                          "rul_high": [1250.0, 1250.0, 382.03, 1250.0]})
    result = maintenance_plan.plan(fleet, unplanned_failure_cost=50000, planned_maintenance_cost=5000,
                                   capacity_per_period=2, horizon_periods=14, cycles_per_day=1440)
    served = result.frame[result.frame["action"] == "service"]
    assert served["unit"].tolist() == ["Bearing1_3", "Bearing1_2"] and served["period"].tolist() == [1, 1]


def test_alerted_units_left_without_a_slot_are_counted_and_explained():
    """As the AI4I plan of the browser check: many readings sure to fail within a day, two slots a day."""
    fleet = pd.DataFrame({"unit": [f"R{i:02d}" for i in range(12)],
                          "p_failure": [1.0] * 8 + [0.40, 0.26, 0.068, 0.002]})
    result = maintenance_plan.plan(fleet, unplanned_failure_cost=50000, planned_maintenance_cost=5000,
                                   capacity_per_period=2, horizon_periods=14, risk_threshold=0.8)
    frame = result.frame
    assert (frame.loc[frame["alert"], "action"] == "service").sum() == 2
    late = frame.loc[frame["action"] == maintenance_plan.OVER_CAPACITY, "unit"]
    note = maintenance_plan.no_slot_warning(result, ", ".join(late), "day")
    assert len(late) == 6 and note.startswith(  # one warning: it was a second one, '6 of the 8 alerted …'
        "Capacity limits the plan: 6 unit(s) would be worth servicing soon, 6 of them among the 8 alerted (2 "
        "alerted serviced), but every slot early enough to pay for itself is taken (R02, ")
    assert "Later slots are free (5 of 28 used)" in note and "more capacity in the first days" in note
    roomy = maintenance_plan.plan(fleet, unplanned_failure_cost=50000, planned_maintenance_cost=5000,
                                  capacity_per_period=8, risk_threshold=0.8)
    assert not (roomy.frame["action"] == maintenance_plan.OVER_CAPACITY).any()


def test_the_plan_download_has_each_units_chance_of_failure():
    fleet = pd.DataFrame({"unit": ["a", "b", "c"], "p_failure": [0.9, 0.3, 0.001]})
    result = maintenance_plan.plan(fleet, unplanned_failure_cost=50000, planned_maintenance_cost=5000,
                                   capacity_per_period=1)
    exported = maintenance_plan.plan_export(result, fleet)
    written = pd.read_csv(io.BytesIO(maintenance_plan.export_plan(exported, "csv", excel=True)), encoding="utf-8-sig")
    assert list(written.columns) == ["unit", "p_failure", "action", "period", "p_fail_before_service",
                                     "p_fail_in_horizon", "expected_saving", "alert"]
    assert written.set_index("unit")["p_failure"].to_dict() == {"a": 0.9, "b": 0.3, "c": 0.001}

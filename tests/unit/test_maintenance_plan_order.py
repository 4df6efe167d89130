"""The plan lists scheduled units by date, then the units left to monitor most urgent first: lowest RUL, or the
highest chance of failure for a failure-risk run. Monitored rows all save 0, and had been listed by name."""
import pandas as pd

from services import maintenance_plan

COSTS = dict(unplanned_failure_cost=50000, planned_maintenance_cost=5000, capacity_per_period=1, horizon_periods=14)


def test_an_rul_plan_lists_service_dates_then_the_lowest_rul_first():
    fleet = pd.DataFrame({"unit": ["a", "b", "c", "d", "e"], "rul": [120.0, 40.0, 80.0, 5.0, 8.0],
                          "rul_low": [100.0, 30.0, 60.0, 2.0, 4.0], "rul_high": [125.0, 55.0, 100.0, 9.0, 12.0]})
    table = maintenance_plan.plan_table(maintenance_plan.plan(fleet, **COSTS), fleet, "day")
    assert table["unit"].tolist() == ["d", "e", "b", "c", "a"]  # before: d, e, a, b, c
    assert table["action"].tolist() == ["service", "service", "monitor", "monitor", "monitor"]
    assert table["period"].tolist() == ["day 1", "day 2", "", "", ""]
    assert table["rul"].tolist() == [5.0, 8.0, 40.0, 80.0, 120.0]


def test_a_risk_plan_lists_the_monitored_units_by_their_chance_of_failure():
    fleet = pd.DataFrame({"unit": ["v", "w", "x", "z"], "p_failure": [0.003, 0.9, 0.001, 0.005]})
    table = maintenance_plan.plan_table(maintenance_plan.plan(fleet, **COSTS), fleet, "day")
    assert table["unit"].tolist() == ["w", "z", "v", "x"]  # before: w, v, x, z
    assert table["action"].tolist() == ["service", "monitor", "monitor", "monitor"]
    assert table["p_failure"].tolist() == [0.9, 0.005, 0.003, 0.001]

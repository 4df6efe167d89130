"""Costs a user may swap: a planned maintenance dearer than the failure it prevents plans nothing, and the note
says why in words (it read "a service pays for itself when that chance is above 500.0%")."""
import pandas as pd

from services import maintenance_plan

FLEET = pd.DataFrame({"unit": ["42", "59"], "rul": [9.39, 28.98], "rul_low": [0.0, 19.49], "rul_high": [23.82, 43.41]})


def test_swapped_costs_are_named_instead_of_a_chance_above_100_percent():
    result = maintenance_plan.plan(FLEET, unplanned_failure_cost=1000, planned_maintenance_cost=5000,
                                   capacity_per_period=2, horizon_periods=14)
    assert set(result.frame["action"]) == {"monitor"}
    note = maintenance_plan.unscheduled_alert_note(result, unplanned_failure_cost=1000, planned_maintenance_cost=5000,
                                                   horizon_periods=14)
    assert note.startswith("2 unit(s) below the alert threshold are left to monitor, with 28 slot(s) free.")
    assert "A planned maintenance (5,000) costs at least as much as an unplanned failure (1,000)" in note
    assert "may be swapped" in note
    assert "500.0%" not in note


def test_equal_costs_are_named_too_and_usual_costs_keep_the_ratio():
    equal = maintenance_plan.plan(FLEET, unplanned_failure_cost=5000, planned_maintenance_cost=5000,
                                  capacity_per_period=2, horizon_periods=14)
    assert "costs at least as much" in maintenance_plan.unscheduled_alert_note(
        equal, unplanned_failure_cost=5000, planned_maintenance_cost=5000, horizon_periods=14)
    usual = maintenance_plan.plan(FLEET, unplanned_failure_cost=50000, planned_maintenance_cost=5000,
                                  capacity_per_period=2, horizon_periods=14)
    note = maintenance_plan.unscheduled_alert_note(usual, unplanned_failure_cost=50000, planned_maintenance_cost=5000,
                                                   horizon_periods=14)
    assert "above 10.0%" in note and "swapped" not in note

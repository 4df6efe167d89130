"""Maintenance rules: failure probability from an RUL interval, the greedy schedule, alerts, bad inputs."""
import pytest

from domain.maintenance import (OVER_CAPACITY, MaintenanceCosts, PlanInputError, UnitOutlook, failure_probability,
                                plan_maintenance)


def test_failure_probability_reads_the_interval():
    unit = UnitOutlook("a", rul=20, rul_low=10, rul_high=40)
    assert failure_probability(unit, 0) == 0.0
    assert failure_probability(unit, 10) == pytest.approx(0.1)
    assert failure_probability(unit, 20) == pytest.approx(0.5)
    assert failure_probability(unit, 40) == pytest.approx(0.9)
    assert failure_probability(unit, 1000) == 1.0


def test_schedule_respects_capacity_and_serves_the_most_urgent_first():
    costs = MaintenanceCosts(unplanned_failure_cost=10000, planned_maintenance_cost=1000, capacity_per_period=1,
                             horizon_periods=5)
    units = [UnitOutlook("healthy", rul=500, rul_low=400, rul_high=600),
             UnitOutlook("urgent", rul=1, rul_low=0.5, rul_high=3),
             UnitOutlook("soon", rul=3, rul_low=2, rul_high=5)]
    plan = plan_maintenance(units, costs, rul_threshold=4)
    by_unit = {r.unit: r for r in plan.rows}
    assert by_unit["urgent"].period == 1 and by_unit["soon"].period == 2
    assert by_unit["healthy"].action == "monitor" and by_unit["healthy"].expected_saving == 0
    assert by_unit["urgent"].alert and not by_unit["healthy"].alert
    assert plan.slots_used == 2 and plan.slots_available == 5
    assert plan.expected_cost_plan < plan.expected_cost_do_nothing


def test_risk_outlooks_compound_per_period():
    costs = MaintenanceCosts(1000, 100, capacity_per_period=1, horizon_periods=2)
    plan = plan_maintenance([UnitOutlook("x", p_failure=0.5), UnitOutlook("y", p_failure=0.01)], costs)
    rows = {r.unit: r for r in plan.rows}
    assert rows["x"].p_fail_in_horizon == pytest.approx(0.75) and rows["x"].period == 1
    assert rows["y"].action == "monitor"  # 1000 × 2 % < 100 planned


@pytest.mark.parametrize("kwargs", [dict(capacity_per_period=0), dict(period="month"),
                                    dict(unplanned_failure_cost=-1)])
def test_bad_costs_are_refused(kwargs):
    values = dict(unplanned_failure_cost=10, planned_maintenance_cost=1, capacity_per_period=1) | kwargs
    with pytest.raises(PlanInputError, match="Cannot plan"):
        MaintenanceCosts(**values)


def test_units_that_cannot_get_a_slot_in_time_are_over_capacity_not_monitored():
    """Three units sure to fail within a period and one slot a day: only one is serviced before it fails; the
    other two are named over capacity (before: 'monitor', below a unit of 19 % risk scheduled later)."""
    costs = MaintenanceCosts(50000, 5000, capacity_per_period=1, horizon_periods=14)
    units = [UnitOutlook(name, p_failure=0.999) for name in ("a", "b", "c")] + [UnitOutlook("d", p_failure=0.19),
                                                                               UnitOutlook("e", p_failure=0.0001)]
    rows = {r.unit: r for r in plan_maintenance(units, costs).rows}
    assert [rows[u].action for u in "abc"].count("service") == 1
    assert [rows[u].action for u in "abc"].count(OVER_CAPACITY) == 2
    assert rows["d"].action == "service" and rows["e"].action == "monitor"
    ordered = [r.action for r in plan_maintenance(units, costs).rows]
    assert ordered == ["service", OVER_CAPACITY, OVER_CAPACITY, "service", "monitor"]  # most urgent first


def test_of_two_units_sure_to_fail_in_the_horizon_the_one_likelier_to_fail_first_is_served_first():
    costs = MaintenanceCosts(unplanned_failure_cost=50000, planned_maintenance_cost=5000, capacity_per_period=1,
                             horizon_periods=14, cycles_per_day=24)
    units = [UnitOutlook("T13", rul=44, rul_low=0, rul_high=109),  # both all but certain to fail within 14 days
             UnitOutlook("T14", rul=26, rul_low=0, rul_high=91)]
    rows = {r.unit: r for r in plan_maintenance(units, costs).rows}
    assert rows["T14"].period == 1 and rows["T13"].period == 2

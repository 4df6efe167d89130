"""Units at 99.5 % a day that get no slot in time were listed below twenty units at 5 % a day booked on later days:
the plan read as if the routine bookings came first. Then the alerted units without a slot were listed first, above
the two riskiest units, booked on day 1. The bookings themselves are the cheapest plan (a later slot cannot save a
unit that fails on the first day); the plan now lists units most urgent first, each with its slot or 'no slot in
time', and the warning says so."""
import pandas as pd

from domain.maintenance import MaintenanceCosts, UnitOutlook, slot_savings
from services import maintenance_plan

COSTS = dict(unplanned_failure_cost=50000, planned_maintenance_cost=5000, capacity_per_period=2, horizon_periods=14)
FLEET = pd.DataFrame({"unit": [f"u{i:02d}" for i in range(31)],
                      "p_failure": [0.995] * 5 + [0.3] + [0.05] * 20 + [0.01] * 5})


def test_the_plan_lists_units_most_urgent_first_with_their_slot():
    result = maintenance_plan.plan(FLEET, risk_threshold=0.5, **COSTS)
    table = maintenance_plan.plan_export(result, FLEET)
    assert table["unit"].head(6).tolist() == ["u00", "u01", "u02", "u03", "u04", "u05"]  # before: u02, u03, u04, u00
    assert table["action"].head(6).tolist() == ["service"] * 2 + ["no slot in time"] * 3 + ["service"]
    assert table["period"].head(2).tolist() == [1, 1] and table["period"].iloc[5] == 2
    assert table["p_failure"].is_monotonic_decreasing and table["alert"].head(5).all()
    fives = table[table["p_failure"] == 0.05]  # equally urgent: by date, the one without a slot after them
    assert fives["period"].dropna().is_monotonic_increasing and fives["action"].iloc[-1] == "no slot in time"
    late = table.loc[table["action"] == maintenance_plan.OVER_CAPACITY, "unit"]
    said = maintenance_plan.no_slot_warning(result, ", ".join(late))
    assert said.endswith("The plan lists units most urgent first, each with its slot: the alerted ones marked 'no slot "
                         "in time' each need a decision now (a crew brought in, or spares and people ready for its "
                         "failure).")


def test_the_csv_lists_the_plan_in_the_pages_order():
    import io

    result = maintenance_plan.plan(FLEET, risk_threshold=0.5, **COSTS)
    table = maintenance_plan.plan_export(result, FLEET)
    csv = pd.read_csv(io.BytesIO(maintenance_plan.export_plan(table, "csv")))
    assert csv["unit"].tolist() == table["unit"].tolist() and csv["unit"].head(2).tolist() == ["u00", "u01"]


def test_the_day_one_slots_go_to_the_units_sure_to_fail_and_later_bookings_are_the_cheapest_plan():
    """No day-1 slot goes to a 5 % unit while a 99.5 % unit waits; a day-2 slot would save the latter 50,000 × 0.005
    − 5,000 < 0, so the 5 % units booked there are no waste of capacity."""
    result = maintenance_plan.plan(FLEET, risk_threshold=0.5, **COSTS)
    served = result.frame[result.frame["action"] == "service"].set_index("unit")["period"]
    assert sorted(served[served == 1].index) == ["u00", "u01"]
    assert served["u05"] == 2 and int(served.max()) == 11  # 0.3 a day on day 2; the 5 % units up to day 11
    sure = slot_savings(UnitOutlook("u02", p_failure=0.995), MaintenanceCosts(50000, 5000, 2, horizon_periods=14))
    assert round(sure[0]) == 45_000 and round(sure[1]) == -4_750  # a day-2 slot cannot save it
    assert round(result.expected_cost_plan) == 568_530 and round(result.expected_cost_do_nothing) == 844_799


def test_the_plans_warnings_are_notes_the_cli_can_print():
    result = maintenance_plan.plan(FLEET, risk_threshold=0.5, **COSTS)
    notes = maintenance_plan.result_notes(result, unplanned_failure_cost=50000, planned_maintenance_cost=5000,
                                          horizon_periods=14)
    assert len(notes) == 1 and notes[0].startswith(
        "Capacity limits the plan: 9 unit(s) would be worth servicing soon, 3 of them among the 5 alerted (2 alerted "
        "serviced), but every slot early enough to pay for itself is taken (u02, u03, u04, u25, u26, u27, u28, u29, "
        "u30)")

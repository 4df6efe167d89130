"""Units at 99.5 % a day that get no slot in time were listed below twenty units at 5 % a day booked on later days:
the plan read as if the routine bookings came first. The bookings themselves are the cheapest plan (a later slot
cannot save a unit that fails on the first day); the alerted units without a slot are now listed first, and the
warning says why."""
import pandas as pd

from domain.maintenance import MaintenanceCosts, UnitOutlook, slot_savings
from services import maintenance_plan

COSTS = dict(unplanned_failure_cost=50000, planned_maintenance_cost=5000, capacity_per_period=2, horizon_periods=14)
FLEET = pd.DataFrame({"unit": [f"u{i:02d}" for i in range(31)],
                      "p_failure": [0.995] * 5 + [0.3] + [0.05] * 20 + [0.01] * 5})


def test_alerted_units_without_a_slot_are_listed_before_the_bookings():
    result = maintenance_plan.plan(FLEET, risk_threshold=0.5, **COSTS)
    table = maintenance_plan.plan_export(result, FLEET)
    assert table["action"].head(5).tolist() == ["no slot in time"] * 3 + ["service"] * 2
    assert table["unit"].head(5).tolist() == ["u02", "u03", "u04", "u00", "u01"]  # before: u00, u01, u05, u06 …
    assert table["p_failure"].head(3).tolist() == [0.995] * 3 and table["alert"].head(5).all()
    assert table["period"].iloc[3:].dropna().is_monotonic_increasing  # then the bookings by date
    rest = table.iloc[3 + int((table["action"] == "service").sum()):]
    assert set(rest["p_failure"]) == {0.05, 0.01} and not rest["alert"].any()  # unalerted units without a slot: last
    late = table.loc[table["action"] == maintenance_plan.OVER_CAPACITY, "unit"]
    said = maintenance_plan.no_slot_warning(result, ", ".join(late))
    assert said.endswith("The alerted ones are listed first in the plan: each needs a decision now (a crew brought "
                         "in, or spares and people ready for its failure).")


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

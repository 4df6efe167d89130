"""The risk alert of a failure-risk plan is a probability: 30 (meant as 30 %) used to give a plan without alerts."""
import pandas as pd
import pytest

from services import maintenance_plan
from services.errors import UserFacingError

FLEET = pd.DataFrame({"unit": ["M1", "M2", "M3"], "p_failure": [0.9, 0.4, 0.05]})
COSTS = {"unplanned_failure_cost": 50000, "planned_maintenance_cost": 5000, "capacity_per_period": 2}


@pytest.mark.parametrize("threshold", [30.0, 1.5, -0.1, float("nan")])
def test_a_risk_alert_outside_0_to_1_is_refused(threshold):
    with pytest.raises(UserFacingError, match=r"the risk alert is a failure probability from 0 to 1"):
        maintenance_plan.plan(FLEET, risk_threshold=threshold, **COSTS)


@pytest.mark.parametrize("threshold, alerts", [(0.3, ["M1", "M2"]), (1.0, []), (0.0, ["M1", "M2", "M3"])])
def test_a_risk_alert_from_0_to_1_alerts_the_units_at_or_above_it(threshold, alerts):
    frame = maintenance_plan.plan(FLEET, risk_threshold=threshold, **COSTS).frame
    assert sorted(frame.loc[frame["alert"], "unit"]) == alerts


def test_an_rul_plan_is_not_held_to_the_risk_alert():
    fleet = pd.DataFrame({"unit": ["E1"], "rul": [10.0], "rul_low": [5.0], "rul_high": [20.0]})
    frame = maintenance_plan.plan(fleet, risk_threshold=30.0, rul_threshold=30.0, **COSTS).frame
    assert frame["alert"].tolist() == [True]


def test_units_left_without_an_early_slot_are_told_apart_from_a_full_plan():
    """Twelve units at 0.2 a day, one slot a day: servicing pays up to day 9 only. Three units get no slot while
    days 10-14 stay free; the warning had said they would 'fail before a slot' and to raise the capacity."""
    fleet = pd.DataFrame({"unit": [f"U{i:02d}" for i in range(12)], "p_failure": [0.2] * 12})
    result = maintenance_plan.plan(fleet, unplanned_failure_cost=50000, planned_maintenance_cost=5000,
                                   capacity_per_period=1, horizon_periods=14)
    late = result.frame[result.frame["action"] == maintenance_plan.OVER_CAPACITY]
    assert len(late) == 3 and (result.slots_used, result.slots_available) == (9, 14)
    said = maintenance_plan.no_slot_warning(result, "U09, U10, U11")
    assert said.startswith("Capacity limits the plan: 3 unit(s) would be worth servicing soon, but every slot early "
                           "enough to pay for itself")  # none alerted (all at 0.2): no alerted share
    assert "Later slots are free (9 of 14 used)" in said and "more capacity in the first days" in said
    full = maintenance_plan.plan(fleet.assign(p_failure=0.5), unplanned_failure_cost=50000,
                                 planned_maintenance_cost=5000, capacity_per_period=1, horizon_periods=3)
    assert full.slots_used == full.slots_available == 3
    assert "every slot is taken; raise the capacity" in maintenance_plan.no_slot_warning(full, "U05")


def test_the_per_period_reading_note_counts_in_the_plans_period(tmp_path):
    from types import SimpleNamespace
    from unittest import mock

    run = SimpleNamespace(task=maintenance_plan.FAILURE_TASK, artifact_dir=None)
    runtime = SimpleNamespace(artifacts_dir=tmp_path)
    with mock.patch.object(maintenance_plan.runs, "get_run", return_value=run), \
            mock.patch.object(maintenance_plan, "latest_reading_note", return_value=[]), \
            mock.patch.object(maintenance_plan, "scored_files_note", return_value=[]):
        weekly = maintenance_plan.plan_settings(runtime, 1, period="week", horizon_periods=4).notes[0]
    assert "(0.19 a week is 0.57 over 4 weeks)" in weekly  # it said '0.19 a day is 0.95 over 14 days'


def test_later_slots_given_to_calm_units_beside_alerted_ones_are_explained():
    """Browser QA: one slot a day for three days; unit A (96 % a day) on day 1, the other 96 % units without a slot,
    and day 3 to a unit at 25 % that is not alerted. The warning said "every slot is taken", which read as if the
    slots had gone to the alerted units."""
    fleet = pd.DataFrame({"unit": ["A", "B", "C", "D", "E"], "p_failure": [0.96, 0.96, 0.96, 0.25, 0.24]})
    result = maintenance_plan.plan(fleet, unplanned_failure_cost=50000, planned_maintenance_cost=5000,
                                   capacity_per_period=1, horizon_periods=3, risk_threshold=0.5)
    frame = result.frame
    served = frame[frame["action"] == "service"]
    calm = served[~served["alert"].astype(bool)]
    assert result.slots_used == result.slots_available == 3 and len(calm) >= 1
    late = frame[frame["action"] == maintenance_plan.OVER_CAPACITY]
    said = maintenance_plan.no_slot_warning(result, ", ".join(late["unit"]))
    first = calm.iloc[0]
    assert f"went to units that are not alerted (e.g. {first['unit']} on day {first['period']})" in said
    assert "would most likely fail before then" in said and "every slot is taken" not in said

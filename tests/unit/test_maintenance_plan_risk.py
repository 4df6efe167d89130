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

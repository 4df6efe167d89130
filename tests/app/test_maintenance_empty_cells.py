"""AppTest: the maintenance tables write an empty number cell (a unit without an estimate) as '–', not Streamlit's
grey 'None', while the numbers and the download stay numeric."""
from __future__ import annotations

import io

import numpy as np
import pandas as pd
from streamlit.testing.v1 import AppTest


def _plan_table_script():
    import pandas as pd

    from pages import maintenance_plan_views
    from services import maintenance_plan, maintenance_results

    fleet = pd.DataFrame({"unit": ["7", "8", "9"], "rul": [12.0, 80.0, float("nan")]})  # 9: too few readings
    result = maintenance_plan.plan(fleet, unplanned_failure_cost=50000, planned_maintenance_cost=5000,
                                   capacity_per_period=2, horizon_periods=14)
    table = maintenance_plan.plan_export(result, fleet)
    maintenance_plan_views._plan_table(table, maintenance_results.plan_style(table, 125.0), "cycles", "day")


def test_a_unit_without_an_estimate_reads_a_dash_in_the_plan_table_and_stays_empty_in_the_download():
    at = AppTest.from_function(_plan_table_script, default_timeout=60).run()
    assert not at.exception, at.exception
    plan = at.dataframe[0]
    assert plan.proto.placeholder == "–"  # was unset: Streamlit drew the empty cells as 'None'
    shown = plan.value.set_index("unit")
    assert shown["rul"].dtype == float and np.isnan(shown.loc["9", "rul"])  # a number column, sorted as such
    assert np.isnan(shown.loc["9", "expected_saving"]) and shown.loc["7", "expected_saving"] > 0
    assert [b.proto.label for b in at.get("download_button")] == ["Download CSV", "Download XLSX"]


def test_the_plans_download_keeps_an_unknown_rul_empty_and_numbers_as_numbers():
    from services import maintenance_plan

    fleet = pd.DataFrame({"unit": ["7", "8", "9"], "rul": [12.0, 80.0, float("nan")]})
    result = maintenance_plan.plan(fleet, unplanned_failure_cost=50000, planned_maintenance_cost=5000,
                                   capacity_per_period=2, horizon_periods=14)
    read = pd.read_csv(io.BytesIO(maintenance_plan.export_plan(maintenance_plan.plan_export(result, fleet), "csv")),
                       dtype={"unit": str}).set_index("unit")
    assert read["rul"].dtype == float and np.isnan(read.loc["9", "rul"]) and read.loc["7", "rul"] == 12.0

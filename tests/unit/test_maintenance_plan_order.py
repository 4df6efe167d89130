"""The plan lists scheduled units by date, then the units left to monitor most urgent first: lowest RUL, or the
highest chance of failure for a failure-risk run. Monitored rows all save 0, and had been listed by name."""
import numpy as np
import pandas as pd

from services import maintenance_plan

COSTS = dict(unplanned_failure_cost=50000, planned_maintenance_cost=5000, capacity_per_period=1, horizon_periods=14)


def test_an_rul_plan_lists_service_dates_then_the_lowest_rul_first():
    fleet = pd.DataFrame({"unit": ["a", "b", "c", "d", "e"], "rul": [120.0, 40.0, 80.0, 5.0, 8.0],
                          "rul_low": [100.0, 30.0, 60.0, 2.0, 4.0], "rul_high": [125.0, 55.0, 100.0, 9.0, 12.0]})
    table = maintenance_plan.plan_export(maintenance_plan.plan(fleet, **COSTS), fleet)
    assert table["unit"].tolist() == ["d", "e", "b", "c", "a"]  # before: d, e, a, b, c
    assert table["action"].tolist() == ["service", "service", "monitor", "monitor", "monitor"]
    assert table["period"].tolist() == [1, 2, pd.NA, pd.NA, pd.NA] and str(table["period"].dtype) == "Int64"
    assert table["rul"].tolist() == [5.0, 8.0, 40.0, 80.0, 120.0]


def test_a_risk_plan_lists_the_monitored_units_by_their_chance_of_failure():
    fleet = pd.DataFrame({"unit": ["v", "w", "x", "z"], "p_failure": [0.003, 0.9, 0.001, 0.005]})
    table = maintenance_plan.plan_export(maintenance_plan.plan(fleet, **COSTS), fleet)
    assert table["unit"].tolist() == ["w", "z", "v", "x"]  # before: w, v, x, z
    assert table["action"].tolist() == ["service", "monitor", "monitor", "monitor"]
    assert table["p_failure"].tolist() == [0.9, 0.005, 0.003, 0.001]


def test_periods_are_whole_numbers_that_sort_as_numbers_and_download_as_such():
    import io

    import openpyxl

    from services import maintenance_results

    rul = pd.Series([4.0 + 2 * i for i in range(22)])  # serviced one a week in RUL order, u0 … u14
    fleet = pd.DataFrame({"unit": [f"u{i}" for i in range(22)], "rul": rul, "rul_low": rul - 3, "rul_high": rul + 4})
    table = maintenance_plan.plan_export(maintenance_plan.plan(fleet, **{**COSTS, "horizon_periods": 30}), fleet)
    styler = maintenance_results.plan_style(table, period="week")
    by_period = styler.data.sort_values("period")["period"].tolist()  # not serviced: last (a gap read 'None')
    assert by_period == list(range(1, 16)) + [np.inf] * 7  # as text 'week 10' came before 'week 9'
    shown = maintenance_results.plan_shown(table, period="week").set_index("unit")["period"]
    assert shown["u8"] == "week 9" and shown["u14"] == "week 15" and shown["u21"] == ""
    csv = pd.read_csv(io.BytesIO(maintenance_plan.export_plan(table, "csv")), dtype=str, keep_default_na=False)
    assert csv["period"].tolist()[:3] == ["1", "2", "3"] and csv["period"].iloc[-1] == ""  # not '1.0'
    sheet = openpyxl.load_workbook(io.BytesIO(maintenance_plan.export_plan(table, "xlsx"))).active
    column = [c.value for c in sheet["D"]]
    assert column[0] == "period" and column[1:4] == [1, 2, 3] and column[-1] is None
    assert all(isinstance(v, int) for v in column[1:16])

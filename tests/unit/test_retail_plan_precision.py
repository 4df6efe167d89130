"""The purchase plan's CSV wrote lead time demand `118.0` beside a safety stock of `24.45`: the plan's figures now
follow the orders' and the stock's rule, a whole value written whole and the rest to hundredths."""
from __future__ import annotations

import pandas as pd

from reports.exporters import export_csv
from services import retail_plan


def test_a_whole_figure_is_written_whole_beside_hundredths():
    dates = pd.date_range("2024-01-01", periods=4, freq="W-MON")
    forecast = pd.concat([pd.DataFrame({"sku": "a", "date": dates, "p10": 50.0, "p50": 59.0, "p90": 70.0}),
                          pd.DataFrame({"sku": "b", "date": dates, "p10": 8.0, "p50": 10.37, "p90": 13.0})])
    plan = retail_plan.purchase_plan(forecast, ["sku"], lead_time=2, review_period=1)
    lines = export_csv(plan).decode().splitlines()
    assert lines[1:] == ["a,,118,24.45,137.97,201.45,202", "b,,20.74,5.85,25.51,36.96,37"]

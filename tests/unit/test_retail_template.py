"""The future-values template comes pre-filled with what the table's own future rows give (QA: a Rossmann-shaped
file with Open filled on the dates to forecast got a template of blank Open cells)."""
import numpy as np
import pandas as pd

from services import retail, retail_future


def _sales(future_open: bool) -> pd.DataFrame:
    days = pd.date_range("2024-01-01", "2024-05-31", freq="D")
    ahead = pd.date_range("2024-06-01", "2024-06-07", freq="D")
    rows = []
    for store in ("A", "B"):
        for day in days:
            rows.append({"date": day.strftime("%Y-%m-%d"), "store": store, "Open": int(day.dayofweek != 6),
                         "sales": float(0 if day.dayofweek == 6 else 100 + day.day)})
        if future_open:
            rows += [{"date": d.strftime("%Y-%m-%d"), "store": store, "Open": int(d.dayofweek != 6), "sales": np.nan}
                     for d in ahead]
    return pd.DataFrame(rows)


PARAMS = {"date": "date", "target": "sales", "series": ["store"], "horizon": 7}


def test_the_template_carries_the_tables_future_values():
    prepared = retail.prepare_sales(_sales(future_open=True), PARAMS)
    template = retail_future.future_template(prepared, 7, ["Open"], "date")
    assert list(template.columns) == ["store", "date", "Open"] and len(template) == 14
    sunday = template[template["date"] == "2024-06-02"]
    assert sunday["Open"].tolist() == [0, 0]
    assert template["Open"].notna().all() and template["Open"].sum() == 12


def test_without_future_rows_the_template_is_blank_to_fill():
    prepared = retail.prepare_sales(_sales(future_open=False), PARAMS)
    template = retail_future.future_template(prepared, 7, ["Open"], "date")
    assert len(template) == 14 and template["Open"].isna().all()

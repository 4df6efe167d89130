"""Wide tables (a column per period: M5's d_1 … d_1913, an ERP export with a date per column) are said as such, with
the line that makes them long, whatever columns were chosen: run with the row key as the series (--series id),
they had been refused as 'a different value on every row, like a row number: leave it out'."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from services import retail
from services.retail_future import RetailInputError


def _m5(rows: int = 20, days: int = 40) -> pd.DataFrame:
    rng = np.random.default_rng(0)
    keys = pd.DataFrame({"id": [f"HOBBIES_1_{i:03d}_CA_1_validation" for i in range(rows)],
                         "item_id": [f"HOBBIES_1_{i:03d}" for i in range(rows)], "dept_id": "HOBBIES_1",
                         "cat_id": "HOBBIES", "store_id": "CA_1", "state_id": "CA"})
    sales = pd.DataFrame(rng.poisson(1.0, (rows, days)), columns=[f"d_{k}" for k in range(1, days + 1)])
    return pd.concat([keys, sales], axis=1)


def _params(date: str, target: str, series: list[str]) -> dict:
    return {"date": date, "target": target, "series": series, "horizon": 7}


@pytest.mark.parametrize("date, target, series", [("d", "sales", ["id"]), ("date", "d_40", ["item_id"]),
                                                  ("d_1", "d_2", ["store_id"])])
def test_m5_wide_layout_gets_the_reshape_and_the_calendar(date, target, series):
    with pytest.raises(RetailInputError) as said:
        retail.prepare_sales(_m5(), _params(date, target, series))
    message = str(said.value)
    assert message.startswith("The table is wide: 40 columns (d_1 … d_40) each hold one period.")
    assert ("frame.melt(id_vars=['id', 'item_id', 'dept_id', 'cat_id', 'store_id', 'state_id'], var_name='d', "
            "value_name='quantity')") in message
    assert "calendar.csv" in message and "row number" not in message


def test_a_column_per_week_date_is_melted_to_a_date():
    weeks = pd.date_range("2021-01-04", periods=20, freq="W-MON").strftime("%Y-%m-%d")
    erp = pd.DataFrame({"SKU": [f"A{i}" for i in range(8)], "Description": "widget",
                        **{w: np.arange(8) + 5 for w in weeks}})
    with pytest.raises(RetailInputError) as said:
        retail.prepare_sales(erp, _params("date", "qty", ["SKU"]))
    message = str(said.value)
    assert message.startswith("The table is wide: 20 columns (2021-01-04 … 2021-05-17)")
    assert "var_name='date'" in message and "--date date --target quantity --series SKU" in message
    assert "calendar.csv" not in message


def test_the_page_gives_the_wide_advice_in_the_forms_words():
    """The page's copy of the advice names its boxes, not the CLI's flags (it had ended '… forecast with --date date
    --target quantity --series id')."""
    from ml.forecast_shape import wide_table_message
    from services.retail_form import in_page_words

    said = in_page_words(wide_table_message(_m5()))
    assert "--" not in said and "choose Date column: date, Quantity: quantity and Series keys: id" in said

"""AppTest: the retail forecast form's guesses and checks, and the Inventory tab's stock column."""
from __future__ import annotations

import numpy as np
import pandas as pd

from tests.app.test_retail import _frame, _page, _stored_run
from tests.integration.test_retail_cli import weekly_sales


def _stock_file() -> bytes:
    rng = np.random.default_rng(0)
    dates = pd.date_range("2024-01-01", periods=120, freq="D").strftime("%Y-%m-%d")
    frames = [pd.DataFrame({"date": dates, "item": item, "qty": rng.poisson(12, 120), "on_hand": 40.0})
              for item in ("bread", "milk")]
    return pd.concat(frames).to_csv(index=False).encode()


def _upload(at, name: str, content: bytes) -> int:
    at.file_uploader(key="retail.upload").upload(name, content, "text/csv")
    at.run()
    at.button(key="retail.import").click()
    at.run()
    return at.selectbox(key="retail.dataset").value


def test_the_quantity_box_opens_on_what_was_sold_not_on_the_stock(app_env):
    at = _page()
    dataset = _upload(at, "stock.csv", _stock_file())
    assert at.selectbox(key=f"retail.target.{dataset}").value == "qty"  # was on_hand, the last numeric column


def test_a_horizon_too_long_is_said_on_the_page_and_no_job_starts(app_env):
    at = _page()
    dataset = _upload(at, "w.csv", weekly_sales(weeks=30).to_csv(index=False).encode())
    at.selectbox(key=f"retail.date.{dataset}").set_value("week")
    at.selectbox(key=f"retail.target.{dataset}").set_value("units")
    at.multiselect(key=f"retail.series.{dataset}").set_value(["region", "sku"])
    at.number_input(key="retail.horizon").set_value(40)
    at.run()
    at.button(key="retail.run").click()
    at.run()
    assert not at.exception, at.exception
    errors = [str(e.value) for e in at.error]
    assert any("The horizon (40 periods) is as long as the history or longer (30 weeks)" in e for e in errors), errors
    assert "retail.job" not in at.session_state  # no failed job left behind


def test_the_stock_picker_leaves_out_the_forecasts_quantity_and_no_stock_shows_no_blank_column(app_env):
    from pages import components

    _stored_run(components.get_runtime())
    at = _page()
    assert at.selectbox(key="retail.onhand").options == ["(none)"]  # 'units' is what was forecast
    plan = _frame(at, "reorder_point")
    assert "on_hand" not in plan.columns  # a column of 'None'
    assert any("order up to the order-up-to level" in str(c.value) for c in at.caption)

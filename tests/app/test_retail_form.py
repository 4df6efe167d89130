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


def _run_refused(at) -> list[str]:
    """Clicks Run forecast and returns the page's errors; the run must not crash."""
    at.run()
    at.button(key="retail.run").click()
    at.run()
    assert not at.exception, at.exception
    return [str(e.value) for e in at.error]


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
    errors = _run_refused(at)
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


def test_favoritas_row_id_is_not_a_default_key_and_keys_of_one_row_series_start_no_job(app_env):
    from tests.integration.test_retail_form import favorita_rows

    at = _page()
    dataset = _upload(at, "train.csv", favorita_rows().to_csv(index=False).encode())
    assert at.selectbox(key=f"retail.target.{dataset}").value == "sales"
    assert at.multiselect(key=f"retail.series.{dataset}").value == ["store_nbr", "family"]  # was ['id', 'store_nbr']
    at.multiselect(key=f"retail.series.{dataset}").set_value(["id", "store_nbr"])
    errors = _run_refused(at)
    assert any("leave 240 of 240 series with a single row" in e for e in errors), errors
    assert "retail.job" not in at.session_state  # refused before a job (the real file's ran for minutes)


def test_a_file_without_sales_leaves_the_quantity_to_the_user(app_env):
    from tests.integration.test_retail_form import favorita_rows

    at = _page()
    dataset = _upload(at, "nosales.csv", favorita_rows().drop(columns="sales").to_csv(index=False).encode())
    assert at.selectbox(key=f"retail.target.{dataset}").value is None  # was onpromotion
    assert any("No numeric column reads as the quantity sold" in str(i.value) for i in at.info), at.info
    assert not [b for b in at.button if b.key == "retail.run"]  # nothing to run until one is chosen
    at.selectbox(key=f"retail.target.{dataset}").set_value("onpromotion")  # the user may still choose it
    at.run()
    assert not at.exception and [b for b in at.button if b.key == "retail.run"]


def test_the_inventory_table_shows_no_float_dust_and_unused_drivers_are_said(app_env, monkeypatch):
    import dataclasses

    from pages import components
    from services import retail_plan, retail_report, retail_views

    run_id = _stored_run(components.get_runtime())
    plan = pd.DataFrame({"region": ["N", "N"], "sku": ["a", "b"], "on_hand": None, "lead_time_demand": [411.0, 171.65],
                         "safety_stock": [62.37, 56.23], "reorder_point": [473.37, 227.88],
                         "order_up_to": [762.69, 383.19],
                         "order_quantity": pd.Series([763, 383.20000000000005], dtype=object)})
    monkeypatch.setattr(retail_plan, "run_purchase_plan", lambda *a, **k: plan.copy())
    stored = retail_views.retail_run

    def with_promotions(runtime, run):  # as a run given filled future promotions that seasonal naive won
        info = stored(runtime, run)
        return dataclasses.replace(info, parameters={**info.parameters, "champion": "seasonal_naive",
                                                     "exogenous": ["onpromotion"]})

    monkeypatch.setattr(retail_views, "retail_run", with_promotions)
    at = _page()
    assert not at.exception, at.exception
    shown = _frame(at, "reorder_point")
    assert shown["order_quantity"].tolist() == [763, 383.2]  # the page showed 383.20000000000005
    notes = [str(i.value) for i in at.tabs[1].info]
    assert any(n.startswith("Future values were given for onpromotion, but the champion (seasonal naive) does not "
                            "use them") for n in notes), notes
    assert at.selectbox(key="retail.pick").value == run_id
    runtime = components.get_runtime()
    backtest = retail_report.report_sections(runtime, with_promotions(runtime, run_id))[0]
    assert backtest.heading == "Backtest" and "but the champion (seasonal naive) does not use them" in backtest.text
    zeros = dataclasses.replace(stored(runtime, run_id), parameters={**stored(runtime, run_id).parameters,
                                                                     "champion_metric": "smape"})
    text = retail_report.report_sections(runtime, zeros)[0].text
    assert "Champion (lowest sMAPE, as every backtest actual was 0 (WAPE undefined)):" in text  # read 'lowest WAPE'


def test_a_table_with_a_column_per_day_is_said_to_be_wide_before_any_box(app_env):
    """M5's layout (d_1 … d_40 beside the item's keys): the form had opened on Date column 'id' and refused the
    keys as row numbers ('leave it out'); it now says the table is wide and how to reshape it, in the form's words."""
    keys = pd.DataFrame({"id": [f"HOBBIES_1_{i:03d}_CA_1" for i in range(20)], "item_id": [f"H{i}" for i in range(20)],
                         "store_id": "CA_1"})
    days = pd.DataFrame(np.random.default_rng(0).poisson(1.0, (20, 40)), columns=[f"d_{k}" for k in range(1, 41)])
    at = _page()
    dataset = _upload(at, "m5.csv", pd.concat([keys, days], axis=1).to_csv(index=False).encode())
    said = " ".join(str(w.value) for w in at.warning)
    assert "The table is wide: 40 columns (d_1 … d_40)" in said and "--" not in said, said
    assert "choose Date column: date, Quantity: quantity and Series keys: id" in said
    assert f"retail.date.{dataset}" not in at.session_state and not at.exception


def test_a_holiday_column_written_as_codes_is_offered_as_known_in_advance(app_env):
    """Rossmann's StateHoliday (0, a, b, c) drives the forecast as codes; the page listed numeric columns only."""
    frame = weekly_sales(weeks=30)
    frame["holiday"] = np.where(np.arange(len(frame)) % 7 == 0, "a", "0")
    at = _page()
    dataset = _upload(at, "w.csv", frame.to_csv(index=False).encode())
    at.selectbox(key=f"retail.date.{dataset}").set_value("week")
    at.selectbox(key=f"retail.target.{dataset}").set_value("units")
    at.run()
    options = at.multiselect(key="retail.exog").options
    assert "holiday" in options and "units" not in options, options

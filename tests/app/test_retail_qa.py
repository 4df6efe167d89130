"""AppTest: the retail form keeps its choices across pages, and a wide table (one column per product) is said."""
from __future__ import annotations

import numpy as np
import pandas as pd

from tests.app.test_retail import _page
from tests.app.test_retail_form import _run_refused, _upload
from tests.integration.test_retail_cli import weekly_sales

PRODUCTS = ["apples", "bananas", "cherries", "dates_fruit", "eggs", "flour"]


def wide_sales(days: int = 90) -> pd.DataFrame:
    """One row per date and one column of daily units per product, as a spreadsheet pivot exports it."""
    rng = np.random.default_rng(3)
    frame = pd.DataFrame({"date": pd.date_range("2024-01-01", periods=days, freq="D").strftime("%Y-%m-%d")})
    for i, product in enumerate(PRODUCTS):
        frame[product] = rng.poisson(10 + 5 * i, days)
    return frame


def test_frequency_and_fill_are_kept_after_another_page_and_no_default_meets_a_kept_key(app_env, monkeypatch):
    from streamlit.elements.lib import policies

    seen: list[tuple[str, object]] = []
    original = policies.check_session_state_rules

    def record(default_value, key, writes_allowed=True):  # what makes Streamlit warn (the runtime is off here)
        if key is not None and policies.get_session_state().is_new_state_value(key):
            seen.append((key, default_value))
        return original(default_value, key, writes_allowed)

    monkeypatch.setattr(policies, "check_session_state_rules", record)
    at = _page()
    dataset = _upload(at, "w.csv", weekly_sales(weeks=30).to_csv(index=False).encode())
    at.selectbox(key=f"retail.date.{dataset}").set_value("week")
    at.selectbox(key="retail.freq").set_value("M")
    at.selectbox(key="retail.fill").set_value("missing")
    at.number_input(key="retail.horizon").set_value(6)
    at.run()
    at.switch_page("pages/home.py").run()
    at.switch_page("pages/retail.py").run()
    assert not at.exception, at.exception
    assert at.selectbox(key="retail.freq").value == "M"  # was back to 'auto'
    assert at.selectbox(key="retail.fill").value == "missing"
    assert at.number_input(key="retail.horizon").value == 6
    assert at.number_input(key="retail.windows").value == 3
    defaulted = {key for key, default in seen if default is not None and key.startswith("retail.")}
    assert not defaulted, defaulted  # was retail.horizon and retail.windows
    at.number_input(key="retail.horizon").set_value(9)
    at.run()
    at.switch_page("pages/home.py").run()
    at.switch_page("pages/retail.py").run()
    assert at.number_input(key="retail.horizon").value == 9  # the second choice, not the first one put back


def test_the_forecast_export_is_in_hundredths_and_the_report_says_its_choices_in_words(app_env):
    from pages import components
    from services import reports
    from tests.app.test_retail import _stored_run

    runtime = components.get_runtime()
    run_id = _stored_run(runtime)
    at = _page()
    download = next(b for b in at.get("download_button") if b.proto.label == "Download forecast (CSV)")
    assert download is not None
    from services import retail_views

    frame = retail_views.forecast_frame(runtime, run_id)
    bands = frame[["p10", "p50", "p90"]]
    assert (bands.round(2) == bands).all().all()  # was 6 decimals, 4117.743006
    assert ((bands["p10"] <= bands["p50"]) & (bands["p50"] <= bands["p90"])).all()
    assert (bands.round(0) != bands).any().any()  # not rounded to whole units either
    report = reports.build_report(runtime, run_id)
    listed = " ".join(f"{k} {v}" for k, v in report.parameters.items())
    assert "Repeated dates" not in listed and "steady_leader" not in listed, listed
    text = next(s.text for s in report.sections if s.heading == "Data preparation")
    assert "Rows repeating a series and date: refused (the table had none)." in text, text
    assert "Negative quantities: kept as returns, netted off demand." in text, text


def test_a_table_with_a_column_per_product_is_said_wide_with_every_product_and_the_forms_boxes(app_env):
    at = _page()
    dataset = _upload(at, "wide.csv", wide_sales().to_csv(index=False).encode())
    assert at.multiselect(key=f"retail.series.{dataset}").value == []
    warnings = "\n".join(str(w.value) for w in at.tabs[0].warning)
    assert "one row per date and 6 numeric columns (apples, bananas, cherries, dates_fruit, eggs, flour)" in warnings
    assert "choose Quantity: quantity and Series keys: series" in warnings and "--target" not in warnings
    assert not at.tabs[0].error  # was only 'Choose at least one series key column (e.g. store, item).'
    at.multiselect(key=f"retail.series.{dataset}").set_value(["apples"])
    errors = "\n".join(_run_refused(at))
    assert all(p in errors for p in PRODUCTS[1:]), errors  # named only 2 of the 6 (the chosen columns were read)
    assert "Quantity: quantity and Series keys: series" in errors and "--target" not in errors, errors
    assert "retail.job" not in at.session_state

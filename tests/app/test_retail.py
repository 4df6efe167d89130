"""AppTest: the retail page with the real services on a tiny weekly table."""
from __future__ import annotations

import re

import time
from pathlib import Path

import pandas as pd
from streamlit.testing.v1 import AppTest

from tests.integration.test_retail_cli import weekly_sales

APP = Path(__file__).resolve().parents[2] / "app.py"


def _frame(at: AppTest, column: str) -> pd.DataFrame:
    return next(d.value for d in at.dataframe if column in d.value.columns)


def _page() -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=120)
    at.run()
    at.switch_page("pages/retail.py")
    at.run()
    assert not at.exception, at.exception
    return at


def _stored_run(runtime) -> int:
    from services import datasets, jobs, retail

    info = datasets.import_dataset(runtime, weekly_sales().to_csv(index=False).encode(), filename="w.csv", user="analyst")
    params = retail.forecast_params(info.id, date="week", target="units", series=["region", "sku"], horizon=4,
                                    windows=2, n_estimators=5)
    job = jobs.run_inline(runtime, kind=retail.KIND, desk=retail.DESK, handler=retail.HANDLER, params=params,
                          user="analyst")
    assert job.status == "succeeded", job.message
    return job.run_id


def test_results_and_purchase_plan_render_from_a_stored_run(app_env):
    from pages import components

    run_id = _stored_run(components.get_runtime())
    at = _page()
    table = _frame(at, "champion")
    assert set(table["model"]) == {"LightGBM", "seasonal naive", "seasonal index", "moving average"}  # in words
    assert "WAPE (%)" in table.columns
    assert table["champion"].sum() == 1
    said = next(str(c.value) for c in at.caption if str(c.value).startswith("Backtest: "))  # which windows
    assert re.fullmatch(r"Backtest: \d+ rolling window\(s\) of \d+ weeks \(\d{4}-\d\d-\d\d to \d{4}-\d\d-\d\d\), "
                        r"each forecast from the history before it\.", said), said
    assert any("weekly" in str(i.value) for i in at.info)
    assert not at.get("help_info")  # a note's st.info(...) as a bare expression printed the DeltaGenerator's help
    drivers = _frame(at, "driver")  # one series and date: plain names, the model's code names left to the report
    assert "feature" not in drivers.columns and not drivers["driver"].str.contains("lag").any()
    assert drivers["driver"].str.contains("weeks? before", regex=True).any()
    from services import retail_report, retail_views

    runtime = components.get_runtime()
    section = next(s for s in retail_report.report_sections(runtime, retail_views.retail_run(runtime, run_id))
                   if s.heading == "Drivers (SHAP)")
    report = section.tables[0][1]
    assert list(report.columns[:2]) == ["driver", "feature"] and not report["driver"].str.contains("lag").any()
    assert not any("adds up the series' bands" in str(c.value) for c in at.caption)  # one series: its own band
    at.multiselect(key="retail.level").set_value(["region"])
    at.run()
    assert not at.exception, at.exception
    assert any("adds up the series' bands" in str(c.value) for c in at.caption)  # a sum of series says so
    plan = _frame(at, "reorder_point")
    assert len(plan) == 4 and (plan["reorder_point"] >= plan["lead_time_demand"]).all()
    assert list(plan.columns[:2]) == ["region", "sku"] and at.get("download_button")
    assert run_id == 1
    at.selectbox(key="retail.report.fmt").set_value("xlsx")
    at.button(key="retail.report.create").click().run()  # a report from the desk's own page, as on the others
    assert not at.exception, at.exception
    assert "Download XLSX" in [b.proto.label for b in at.get("download_button")]
    label = at.selectbox(key="retail.pick").format_func(run_id)
    assert label.startswith("Run 1 · ") and label.endswith(" · units"), label


def test_duplicate_rows_fail_the_job_with_a_clear_message(app_env):
    frame = weekly_sales()
    content = pd.concat([frame, frame.iloc[[0]]]).to_csv(index=False).encode()
    at = _page()
    at.file_uploader(key="retail.upload").upload("dup.csv", content, "text/csv")
    at.run()
    at.button(key="retail.import").click()
    at.run()
    dataset = at.selectbox(key="retail.dataset").value
    at.selectbox(key=f"retail.date.{dataset}").set_value("week")
    at.selectbox(key=f"retail.target.{dataset}").set_value("units")
    at.multiselect(key=f"retail.series.{dataset}").set_value(["region", "sku"])
    at.run()
    at.button(key="retail.run").click()
    at.run()
    deadline = time.time() + 120
    while time.time() < deadline and not at.error:
        time.sleep(0.5)
        at.run()
    assert any("appear more than once" in str(e.value) for e in at.error), [e.value for e in at.error]
    from pages import components
    from services import runs

    assert runs.list_runs(components.get_runtime(), desk="retail") == []
    components.get_job_manager().shutdown()


def test_a_form_error_leaves_the_results_of_earlier_runs_in_view(app_env):
    """A stored table the form cannot use yet (no series key chosen) shows its error on the Forecast tab only."""
    from pages import components

    _stored_run(components.get_runtime())
    at = _page()
    at.multiselect(key="retail.series.1").set_value([])
    at.run()
    assert not at.exception, at.exception
    assert "Choose at least one series key column" in "\n".join(str(e.value) for e in at.tabs[0].error)
    results = at.tabs[1]
    assert results.label == "Results" and any("champion" in d.value.columns for d in results.dataframe)
    assert at.tabs[2].label == "Inventory" and any("reorder_point" in d.value.columns for d in at.tabs[2].dataframe)


def test_a_finished_forecast_is_shown_and_the_page_opens_on_a_table_with_dates(app_env):
    from pages import components
    from services import datasets, jobs, retail

    runtime = components.get_runtime()
    first = _stored_run(runtime)
    telemetry = pd.DataFrame({"machine": range(30), "torque": [float(i) for i in range(30)], "failed": [0, 1] * 15})
    datasets.import_dataset(runtime, telemetry.to_csv(index=False).encode(), filename="t.csv", user="analyst")
    at = _page()
    picked = at.selectbox(key="retail.dataset")
    assert picked.format_func(picked.value).startswith("w (#1"), picked.value  # the sales table, not the newest
    assert at.selectbox(key="retail.pick").value == first
    params = retail.forecast_params(1, date="week", target="units", series=["region", "sku"], horizon=2,
                                    windows=1, n_estimators=5)
    job = jobs.run_inline(runtime, kind=retail.KIND, desk=retail.DESK, handler=retail.HANDLER, params=params,
                          user="analyst")
    at.session_state["retail.job"] = job.id  # as the Run button leaves it
    at.run()
    assert not at.exception, at.exception
    assert at.selectbox(key="retail.pick").value == job.run_id != first
    assert at.selectbox(key="retail.stockrun").value == job.run_id

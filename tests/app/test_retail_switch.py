"""AppTest: switching runs on the Results tab resets the key level and the series to the new run's."""
from __future__ import annotations

import json

from tests.app.test_retail import _page, _stored_run


def _run_by_sku(runtime) -> int:
    from services import datasets, jobs, retail
    from tests.integration.test_retail_cli import weekly_sales

    frame = weekly_sales(seed=1).query("region == 'north'").drop(columns="region")
    info = datasets.import_dataset(runtime, frame.to_csv(index=False).encode(), filename="s.csv", user="analyst")
    params = retail.forecast_params(info.id, date="week", target="units", series=["sku"], horizon=4, windows=2,
                                    n_estimators=5)
    job = jobs.run_inline(runtime, kind=retail.KIND, desk=retail.DESK, handler=retail.HANDLER, params=params,
                          user="analyst")
    assert job.status == "succeeded", job.message
    return job.run_id


def test_switching_runs_shows_the_new_runs_keys_and_series(app_env):
    from pages import components

    runtime = components.get_runtime()
    first = _stored_run(runtime)
    second = _run_by_sku(runtime)
    at = _page()
    at.selectbox(key="retail.pick").set_value(first)
    at.run()
    assert at.multiselect(key="retail.level").value == ["region", "sku"]
    at.selectbox(key="retail.choice").set_value(3)
    at.run()
    choice = at.selectbox(key="retail.choice")
    assert choice.format_func(choice.value) == "south · 202"  # was 'region=south|sku=202'
    ranking = next(json.loads(c.proto.spec) for c in at.get("plotly_chart") if "Series by backtest" in c.proto.spec)
    assert "south · 202" in ranking["data"][0]["y"] and not any("=" in y for y in ranking["data"][0]["y"])
    drivers = next(d.value for d in at.dataframe if "driver" in d.value.columns)
    assert list(drivers.columns) == ["driver", "what the model saw", "push on the forecast"]  # 'value', 'shap'
    assert not any("standardised" in str(c.value) or "shap:" in str(c.value) for c in at.caption)
    at.selectbox(key="retail.pick").set_value(second)
    at.run()
    assert not at.exception, at.exception
    assert at.multiselect(key="retail.level").value == ["sku"]  # was empty: the grand total, silently
    choice = at.selectbox(key="retail.choice")
    assert choice.value == 0 and choice.format_func(choice.value) == "101"
    at.multiselect(key="retail.level").set_value([])
    at.run()
    at.selectbox(key="retail.pick").set_value(first)
    at.run()
    assert at.multiselect(key="retail.level").value == ["region", "sku"]


def test_results_name_models_in_words_and_the_report_drops_code_names(app_env):
    from pages import components
    from services import reports

    runtime = components.get_runtime()
    run_id = _stored_run(runtime)
    at = _page()
    caption = next(str(c.value) for c in at.caption if "Chosen on the lowest WAPE" in str(c.value))
    assert "_" not in caption.split(" Chosen on")[0] and ". Chosen on the lowest WAPE" in caption, caption
    assert "28 days" not in caption and "/" not in caption.split(" Chosen on")[0]  # the weekly run's words only
    assert not any("champion's (" in str(c.value) and "_" in str(c.value) for c in at.caption)
    report = reports.build_report(runtime, run_id)
    assert "Frequency asked for" not in report.parameters, report.parameters  # it read "none" when not asked
    assert "seasonal-index model" not in report.purpose
    table = next(t for s in report.sections for _, t in s.tables if "champion" in t.columns)
    assert sorted(table["champion"]) == ["", "", "", "✓"]  # four models: the seasonal index from the last window

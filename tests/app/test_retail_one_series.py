"""AppTest: a sales file without series keys (date, sales, price, promo) is forecast from the page as one series."""
from __future__ import annotations

import functools
import time

import numpy as np
import pandas as pd

from tests.app.test_retail import _page
from tests.app.test_retail_form import _upload


def single_series(days: int = 120) -> pd.DataFrame:
    rng = np.random.default_rng(7)
    dates = pd.date_range("2024-01-01", periods=days, freq="D")
    weekly = 1.0 + 0.3 * (dates.dayofweek >= 5)
    return pd.DataFrame({"date": dates.strftime("%Y-%m-%d"), "sales": rng.poisson(20 * weekly),
                         "price": 2.5, "promo": rng.integers(0, 2, days)})


def _wait(at, runtime) -> None:
    from services import jobs

    deadline = time.time() + 120
    while time.time() < deadline and not jobs.get_job(runtime, at.session_state["retail.job"]).finished:
        time.sleep(0.2)
    at.run()
    assert not at.exception, at.exception


def test_a_file_without_series_keys_is_forecast_from_the_page_as_one_series(app_env, monkeypatch):
    from pages import components
    from services import datasets, jobs, retail, retail_form, retail_views, runs

    monkeypatch.setattr(retail, "forecast_params", functools.partial(retail.forecast_params, n_estimators=5))

    at = _page()
    dataset = _upload(at, "shop.csv", single_series().to_csv(index=False).encode())
    assert at.selectbox(key=f"retail.target.{dataset}").value == "sales"
    assert at.multiselect(key=f"retail.series.{dataset}").value == []
    warned = [str(w.value) for w in at.tabs[0].warning]  # the import's notes only (a constant 'price' column)
    assert not [w for w in warned if "Reshape" in w or "one product" in w], warned  # was the wide-table advice
    assert not at.tabs[0].error  # was only 'Choose at least one series key column (e.g. store, item).'
    assert at.checkbox(key=f"retail.whole.{dataset}").value is True
    assert any("'series' = 'all' is stored as dataset 'shop-one-series'" in str(c.value) for c in at.caption)
    at.number_input(key="retail.windows").set_value(1)
    at.run()
    at.button(key="retail.run").click()
    at.run()
    runtime = components.get_runtime()
    _wait(at, runtime)
    job = jobs.get_job(runtime, at.session_state["retail.job"])
    assert job.status == "succeeded", job.message
    stored = datasets.list_datasets(runtime)
    derived = next(d for d in stored if d.name == "shop-one-series")
    assert len(stored) == 2 and derived.rows == 120 and derived.schema["series"] != "numeric"
    [run] = runs.list_runs(runtime, desk="retail")
    assert run.dataset_id == derived.id and list(run.parameters["keys"]) == ["series"]
    forecast = retail_views.forecast_frame(runtime, run.id)
    assert list(forecast.columns) == ["series", "date", "p10", "p50", "p90"]
    assert forecast["series"].tolist() == ["all"] * 14  # one series, the horizon's 14 days
    assert forecast["date"].tolist() == pd.date_range("2024-04-30", periods=14).strftime("%Y-%m-%d").tolist()
    assert any(f"Job {job.id} finished: run {run.id} is stored." in str(s.value) for s in at.tabs[0].success)
    plan = next(d.value for d in at.tabs[2].dataframe if "reorder_point" in d.value.columns)
    assert len(plan) == 1 and plan["series"].tolist() == ["all"]
    info = datasets.get_dataset(runtime, dataset)  # a rerun of the page stores no second copy
    again = retail_form.as_one_series(runtime, info, {"dataset_id": dataset, "series": []}, user="analyst")
    assert again == {"dataset_id": derived.id, "series": ["series"]} and len(datasets.list_datasets(runtime)) == 2
    components.get_job_manager().shutdown()

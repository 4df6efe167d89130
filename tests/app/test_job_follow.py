"""AppTest: a desk page shows the user's running job after a reload, and a second Run is refused while it runs."""
from __future__ import annotations

from tests.app.test_retail import _page
from tests.integration.test_retail_cli import weekly_sales


def test_a_reloaded_page_follows_the_running_job_and_refuses_a_second(app_env):
    from pages import components
    from services import datasets, jobs, retail

    runtime = components.get_runtime()
    info = datasets.import_dataset(runtime, weekly_sales().to_csv(index=False).encode(), filename="w.csv",
                                   user="analyst")
    params = retail.forecast_params(info.id, date="week", target="units", series=["region", "sku"], horizon=4,
                                    windows=2, n_estimators=5)
    waiting = jobs.create_job(runtime, kind=retail.KIND, desk=retail.DESK, params=params, user="analyst")
    at = _page()  # a fresh session, as after a reload: nothing in it names the job
    assert not at.exception, at.exception
    assert at.session_state["retail.job"] == waiting
    assert any(f"Job {waiting} " in str(p.proto.text) for p in at.get("progress")), "no panel for the running job"
    at.selectbox(key=f"retail.date.{info.id}").set_value("week")
    at.selectbox(key=f"retail.target.{info.id}").set_value("units")
    at.multiselect(key=f"retail.series.{info.id}").set_value(["region", "sku"])
    at.run()
    at.button(key="retail.run").click()
    at.run()
    assert not at.exception, at.exception
    assert any(f"Job {waiting} is still running" in str(w.value) for w in at.warning), [w.value for w in at.warning]
    assert [j.id for j in jobs.list_jobs(runtime)] == [waiting]  # no second job queued beside it

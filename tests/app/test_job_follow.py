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
    datasets.import_dataset(runtime, weekly_sales(seed=1).to_csv(index=False).encode(), filename="newer.csv",
                            user="analyst")
    at = _page()  # a fresh session, as after a reload: nothing in it names the job
    assert not at.exception, at.exception
    assert at.selectbox(key="retail.dataset").value == info.id  # the job's table, not the newest
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


def test_a_fresh_finance_page_shows_the_running_jobs_table_and_a_tab_whose_job_ended_refuses_a_second(app_env):
    """A reload showed the newest table, not the one being trained; a tab whose own job had finished queued a second
    job beside one started in another tab."""
    from pages import components
    from services import finance, jobs
    from tests.app.test_finance import _page as finance_page
    from tests.app.test_finance import _store
    from tests.support import classification_frame

    runtime = components.get_runtime()
    trained = _store(classification_frame(150), "trained.csv")
    _store(classification_frame(150), "newer.csv")
    ended = jobs.create_job(runtime, kind=finance.KIND, desk=finance.DESK, params={"dataset_id": trained.id},
                            user="analyst")
    with runtime.uow() as uow:
        assert uow.jobs.transition(ended, "succeeded", allowed_from=("queued",))
        uow.commit()
    running = jobs.create_job(runtime, kind=finance.KIND, desk=finance.DESK, params={"dataset_id": trained.id},
                              user="analyst")
    at = finance_page()
    assert at.selectbox(key="finance.dataset").value == trained.id  # not newer.csv
    assert at.session_state["finance.job"] == running
    at.session_state["finance.job"] = ended  # this tab's own job, finished; another tab started `running`
    at.run()
    at.button(key="finance.train").click().run()
    assert not at.exception, at.exception
    assert any(f"Job {running} is still running" in str(w.value) for w in at.warning), [w.value for w in at.warning]
    assert sorted(j.id for j in jobs.list_jobs(runtime)) == [ended, running]


def test_a_click_made_while_the_job_ran_but_handled_after_it_ended_starts_no_second_job(app_env):
    """Browser QA on a loaded machine: Run clicked while job 3 showed running, the click handled after job 3 ended,
    queued job 4 and a duplicate run. The click is now read against what the page showed; a new click starts one."""
    from pages import components
    from services import datasets, jobs, retail

    runtime = components.get_runtime()
    info = datasets.import_dataset(runtime, weekly_sales().to_csv(index=False).encode(), filename="w.csv",
                                   user="analyst")
    params = retail.forecast_params(info.id, date="week", target="units", series=["region", "sku"], horizon=4,
                                    windows=2, n_estimators=5)
    running = jobs.create_job(runtime, kind=retail.KIND, desk=retail.DESK, params=params, user="analyst")
    at = _page()
    at.selectbox(key=f"retail.date.{info.id}").set_value("week")
    at.selectbox(key=f"retail.target.{info.id}").set_value("units")
    at.multiselect(key=f"retail.series.{info.id}").set_value(["region", "sku"])
    at.run()
    assert at.session_state["retail.job.shown_running"] == running  # the page showed it running
    with runtime.uow() as uow:  # it ends before the click is handled
        assert uow.jobs.transition(running, "cancelled", allowed_from=("queued",))
        uow.commit()
    at.button(key="retail.run").click().run()
    assert not at.exception, at.exception
    assert any(f"Job {running} finished while your click" in str(w.value) for w in at.warning), [
        w.value for w in at.warning]
    assert [j.id for j in jobs.list_jobs(runtime)] == [running]
    at.button(key="retail.run").click().run()  # a click made after it ended
    assert not at.exception, at.exception
    assert len(jobs.list_jobs(runtime)) == 2

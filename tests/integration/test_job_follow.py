"""A page finds the user's own unfinished job of its kind again (after a reload the session had forgotten it)."""
from __future__ import annotations

from services import jobs
from tests.support import make_runtime


def _finish(runtime, job_id: int) -> None:
    with runtime.uow() as uow:
        assert uow.jobs.transition(job_id, "succeeded", allowed_from=("queued", "running"))
        uow.commit()


def test_the_newest_unfinished_job_of_the_kind_and_user_is_found_with_its_table(tmp_path):
    runtime = make_runtime(tmp_path / "var")
    assert jobs.active_job(runtime, kind="retail.forecast", user="analyst") is None
    older = jobs.create_job(runtime, kind="retail.forecast", desk="retail", params={"dataset_id": 3}, user="analyst")
    newer = jobs.create_job(runtime, kind="retail.forecast", desk="retail", params={"dataset_id": 4}, user="analyst")
    jobs.create_job(runtime, kind="retail.forecast", desk="retail", params={"dataset_id": 5}, user="someone")
    jobs.create_job(runtime, kind="finance.train", desk="finance", params={"dataset_id": 6}, user="analyst")
    found, dataset = jobs.active_job(runtime, kind="retail.forecast", user="analyst")
    assert (found.id, dataset) == (newer, 4)
    _finish(runtime, newer)
    found, dataset = jobs.active_job(runtime, kind="retail.forecast", user="analyst")
    assert (found.id, dataset) == (older, 3)
    _finish(runtime, older)
    assert jobs.active_job(runtime, kind="retail.forecast", user="analyst") is None


def test_a_job_without_a_table_is_found_without_one(tmp_path):
    runtime = make_runtime(tmp_path / "var")
    job_id = jobs.create_job(runtime, kind="triage.train", desk="triage", params={"images": "x.zip"}, user="analyst")
    found, dataset = jobs.active_job(runtime, kind="triage.train", user="analyst")
    assert (found.id, dataset) == (job_id, None)

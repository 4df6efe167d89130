"""Repositories and unit of work on a SQLite file and on PostgreSQL."""
import pytest

from data.records import JobRecord, RunRecord
from tests.support import make_runtime, reset_postgres


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def runtime(request, tmp_path):
    if request.param == "sqlite":
        yield make_runtime(tmp_path)
        return
    url = request.getfixturevalue("postgres_url")
    reset_postgres(url)
    rt = make_runtime(tmp_path, url)
    yield rt
    rt.engine.dispose()
    reset_postgres(url)


def test_rolls_back_unless_committed(runtime):
    from sqlalchemy import select

    from data.records import UserRecord

    with runtime.uow() as uow:
        uow.users.get_or_create("nobody")
        assert not uow.committed
    with runtime.uow() as uow:
        uow.users.get_or_create("somebody")
        uow.commit()
        assert uow.committed
    with runtime.uow() as uow:
        names = set(uow.session.scalars(select(UserRecord.name)))
    assert names == {"somebody"}


def test_error_inside_rolls_back(runtime):
    with pytest.raises(RuntimeError):
        with runtime.uow() as uow:
            owner = uow.users.get_or_create("a")
            uow.runs.add(RunRecord(desk="finance", task="t", owner_id=owner.id))
            raise RuntimeError("boom")
    with runtime.uow() as uow:
        assert uow.runs.list() == []


def test_champion_is_unique_per_desk_and_task(runtime):
    with runtime.uow() as uow:
        owner = uow.users.get_or_create("a")
        ids = [uow.runs.add(RunRecord(desk="finance", task="t", owner_id=owner.id)).id for _ in range(3)]
        other = uow.runs.add(RunRecord(desk="retail", task="t", owner_id=owner.id, champion=True)).id
        uow.commit()
    with runtime.uow() as uow:
        uow.runs.set_champion(ids[0])
        uow.runs.set_champion(ids[2])
        uow.commit()
    with runtime.uow() as uow:
        champions = {r.id for r in uow.runs.list() if r.champion}
        assert champions == {ids[2], other}


def test_job_transition_is_compare_and_set(runtime):
    with runtime.uow() as uow:
        owner = uow.users.get_or_create("a")
        job = uow.jobs.add(JobRecord(kind="k", desk="d", owner_id=owner.id))
        uow.commit()
        job_id = job.id
    with runtime.uow() as uow:
        assert uow.jobs.transition(job_id, "cancelled", allowed_from=("queued", "running"))
        assert not uow.jobs.transition(job_id, "succeeded", allowed_from=("running",))
        uow.commit()
    with runtime.uow() as uow:
        job = uow.jobs.get(job_id)
        assert job.status == "cancelled" and job.finished_at is not None


def test_predictions_and_audit_round_trip(runtime):
    with runtime.uow() as uow:
        owner = uow.users.get_or_create("a")
        run = uow.runs.add(RunRecord(desk="finance", task="t", owner_id=owner.id, metrics={"auc": 0.8}))
        assert uow.predictions.add_many(run.id, [("k1", {"pd": 0.1}), ("k2", {"pd": 0.9, "reason": "Ünïcode"})]) == 2
        uow.audit.add(user_id=owner.id, action="train", object_type="run", object_id=run.id, details={"x": 1})
        uow.commit()
        run_id = run.id
    with runtime.uow() as uow:
        rows = uow.predictions.list(run_id)
        assert [(r.record_key, r.outputs) for r in rows] == [("k1", {"pd": 0.1}), ("k2", {"pd": 0.9, "reason": "Ünïcode"})]
        event = uow.audit.list()[0]
        assert (event.action, event.object_id, event.details) == ("train", str(run_id), {"x": 1})


def test_a_long_conversation_returns_its_latest_messages_oldest_first(runtime):
    from data.records import ChatMessageRecord

    with runtime.uow() as uow:
        owner = uow.users.get_or_create("analyst")
        for i in range(12):
            uow.chat.add(ChatMessageRecord(user_id=owner.id, conversation_id="c", role="user", content=f"q{i}"))
        uow.chat.add(ChatMessageRecord(user_id=owner.id, conversation_id="other", role="user", content="x"))
        uow.commit()
    with runtime.uow() as uow:
        owner = uow.users.get_or_create("analyst")
        latest = [m.content for m in uow.chat.conversation(owner.id, "c", limit=5)]
    assert latest == ["q7", "q8", "q9", "q10", "q11"]  # the newest five, in the order they were asked


def test_audit_events_are_filtered_in_the_database_by_desk_run_and_action(runtime):
    with runtime.uow() as uow:
        ana = uow.users.get_or_create("ana")
        for i in range(6):  # a busy other desk: newer events than the triage ones
            uow.audit.add(user_id=ana.id, action="score", object_type="run", object_id=i % 2 + 1,
                          details={"desk": "finance", "run_id": i % 2 + 1})
        uow.audit.add(user_id=None, action="train", object_type="run", object_id=7, details={"desk": "triage"})
        uow.audit.add(user_id=ana.id, action="review", object_type="study", object_id="st-1",
                      details={"desk": "triage", "run_id": 7})
        uow.audit.add(user_id=ana.id, action="view", object_type="study", object_id="st-2",
                      details={"desk": "triage", "run_id": 8})
        for i in range(6):
            uow.audit.add(user_id=ana.id, action="score", object_type="run", object_id=1, details={"desk": "finance"})
        uow.commit()
    with runtime.uow() as uow:
        triage = uow.audit.find(desk="triage", limit=2)  # the limit counts triage events, not the newest of all
        assert [(e.action, e.object_id, name) for e, name in triage] == [("view", "st-2", "ana"),
                                                                         ("review", "st-1", "ana")]
        of_run = uow.audit.find(desk="triage", run_id=7, limit=None)  # about the run, or naming it in details
        assert [(e.action, name) for e, name in of_run] == [("review", "ana"), ("train", "")]
        scored = uow.audit.find(action="score", object_type="run", object_id="2", limit=None)
        assert len(scored) == 3 and all(e.details["run_id"] == 2 for e, _ in scored)
        assert uow.audit.find(desk="retail") == []



def test_a_user_added_by_another_command_meanwhile_is_read_not_added_again(runtime):
    """Two commands started together on a new database both found no user row and both inserted one: the second
    stopped with "UNIQUE constraint failed: users.name". Here the other command's row lands between the look-up
    and the insert."""
    from sqlalchemy import func, select

    from data.records import UserRecord

    with runtime.uow() as other:
        added = other.users.get_or_create("ana").id
        other.commit()
    with runtime.uow() as uow:
        looked_up, real = [], uow.users._named
        uow.users._named = lambda name: real(name) if looked_up else looked_up.append(name)  # first look-up: none
        assert uow.users.get_or_create("ana").id == added
        uow.commit()
    with runtime.uow() as uow:
        assert uow.session.scalar(select(func.count()).select_from(UserRecord)) == 1

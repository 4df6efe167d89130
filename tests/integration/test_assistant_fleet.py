"""Units at risk and worklist counts read the run that holds the scores asked for, and one worklist batch."""
import pytest

from data.records import RunRecord
from services import assistant
from tests.support import make_runtime


@pytest.fixture
def runtime(tmp_path):
    rt = make_runtime(tmp_path / "var")
    with rt.uow() as uow:
        owner = uow.users.get_or_create("ana")
        rul = uow.runs.add(RunRecord(desk="maintenance", task="rul", owner_id=owner.id, metrics={}))
        uow.predictions.add_many(rul.id, [(str(u), {"unit": u, "rul": r, "rul_low": r - 4, "rul_high": r + 4})
                                          for u, r in [(7, 12.0), (8, 33.5), (9, 80.0)]], kind="rul")
        risk = uow.runs.add(RunRecord(desk="maintenance", task="failure_risk", owner_id=owner.id, metrics={}))
        uow.predictions.add_many(risk.id, [("m1", {"p_failure": 0.9, "alert": 1}), ("m2", {"p_failure": 0.1,
                                                                                          "alert": 0})], kind="score")
        uow.runs.add(RunRecord(desk="maintenance", task="failure_risk", owner_id=owner.id, metrics={}))  # no scores
        tri = uow.runs.add(RunRecord(desk="triage", task="cnn_image_classifier", owner_id=owner.id, metrics={}))
        first = [(f"a{i}", {"priority": p, "batch": "b1"}) for i, p in enumerate(["urgent"] * 5 + ["routine"] * 3)]
        last = [(f"c{i}", {"priority": p, "batch": "b2"}) for i, p in enumerate(["urgent"] * 2 + ["review"])]
        uow.predictions.add_many(tri.id, first, kind="worklist")
        uow.predictions.add_many(tri.id, last, kind="worklist")
        uow.commit()
    return rt


def _ask(rt, question):
    return assistant.answer(rt, question, user="ana", save=False)


def test_units_at_risk_come_from_the_newest_run_with_scores_not_the_newest_run(runtime):
    reply = _ask(runtime, "which machines are at risk?")  # run 3 has no scores: run 2's alerts (was "no run")
    assert reply.tool == "units_at_risk" and reply.answer.startswith("1 unit has an alert in run 2: m1")


def test_remaining_useful_life_reads_the_rul_run_and_the_unit_named(runtime):
    reply = _ask(runtime, "what is the remaining useful life of unit 8?")
    assert reply.answer == "The remaining useful life of unit 8 is 33.5 (range 29.5 to 37.5) (run 1)."
    assert [r["rul"] for r in reply.rows] == [33.5]


def test_the_run_named_is_the_run_answered(runtime):
    reply = _ask(runtime, "which units are at risk in run 1?")
    assert reply.answer == "1 unit has a remaining useful life below 30 (run 1): 7 (RUL 12)."
    assert _ask(runtime, "which units are at risk in run 3?").answer.endswith("run 3 has no stored scores yet.")
    assert "is a triage run" in _ask(runtime, "which units are at risk in run 4?").answer


def test_worklist_counts_are_of_the_last_batch_and_say_which(runtime):
    reply = _ask(runtime, "how many studies were ranked urgent in the last worklist?")
    assert reply.tool == "triage_counts" and reply.rows == [{"priority": "review", "studies": 1},
                                                             {"priority": "urgent", "studies": 2}]
    assert reply.answer.startswith("The newest worklist of run 4 (2 worklists stored) has 3 studies, 2 of them "
                                   "urgent") and reply.invented == ()  # was 11 (both batches); named by its id
    named = _ask(runtime, "how many studies are urgent in worklist batch b1?")
    assert "batch b1" in named.answer and "5 of them urgent" in named.answer

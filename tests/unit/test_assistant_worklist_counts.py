"""'How many triage studies were marked urgent?' with worklists stored as scoring stores them (rows and audit event):
the newest worklist of the newest triage run with one, named by when it was scored, its urgent count said (0 too),
a newer run without a worklist said; every worklist when asked. It read the last batch of run 1, gave no urgent
count, ignored run 3 and named the batch by its hex id."""
from __future__ import annotations

import re

import pandas as pd
import pytest

from data.records import RunRecord
from services import assistant, triage
from tests.support import make_runtime

WHEN = r"\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC"


def _run(runtime, desk: str = "triage", metrics: dict | None = None) -> int:
    with runtime.uow() as uow:
        owner = uow.users.get_or_create("ana")
        run = uow.runs.add(RunRecord(desk=desk, task="cnn_image_classifier", owner_id=owner.id,
                                     metrics=metrics or {}, status="succeeded"))
        uow.commit()
        return run.id


def _score(runtime, run_id: int, batch: str, priorities: list[str]) -> None:
    frame = pd.DataFrame({"record_key": [f"{batch}-{i}" for i in range(len(priorities))],
                          "file": [f"s{i}.png" for i in range(len(priorities))],
                          "p_abnormal": [None if p == "needs manual read" else 0.5 for p in priorities],
                          "priority": priorities, "predicted_class": "pneumonia",
                          "rank": range(1, len(priorities) + 1), "reason": ""})
    triage._store_worklist(runtime, run_id, batch, frame, {}, {}, ("normal", "pneumonia"), user="ana")


@pytest.fixture(scope="module")
def runtime(tmp_path_factory):
    rt = make_runtime(tmp_path_factory.mktemp("worklists") / "var")
    first = _run(rt)
    _score(rt, first, "a1b2c3d4e5f6", ["urgent"] * 4 + ["routine"] * 3)
    _score(rt, first, "0f9e8d7c6b5a", ["review", "routine"])
    _score(rt, first, "7bf9284a189a", ["needs manual read"] * 2)
    _run(rt, "finance")
    _run(rt)  # run 3: trained, nothing scored yet
    return rt


def _ask(rt, question):
    return assistant.answer(rt, question, user="ana", save=False)


def test_the_urgent_count_of_the_newest_worklist_is_said_with_a_newer_run_without_one(runtime):
    reply = _ask(runtime, "How many triage studies were marked urgent?")
    assert reply.tool == "triage_counts" and not reply.cannot and reply.invented == ()
    assert re.fullmatch(rf"The newest worklist of run 1 \(3 worklists stored, scored {WHEN}\) has 2 studies, none "
                        r"of them urgent \(needs manual read: 2\)\. Run 3, a newer triage run, has no worklist yet\.",
                        reply.answer), reply.answer
    assert "7bf9284a189a" not in reply.answer and "7bf9284a189a" in reply.query
    assert reply.rows == [{"priority": "needs manual read", "studies": 2}]


def test_every_worklist_when_asked_one_row_each(runtime):
    reply = _ask(runtime, "How many triage studies were marked urgent in all worklists?")
    assert reply.answer == "All 3 worklists of run 1 hold 11 studies, 4 of them urgent (needs manual read: 2, " \
                           "review: 1, routine: 4, urgent: 4).", reply.answer
    assert [(r["batch"], r["studies"], r["urgent"]) for r in reply.rows] == [
        ("a1b2c3d4e5f6", 7, 4), ("0f9e8d7c6b5a", 2, 0), ("7bf9284a189a", 2, 0)]
    assert reply.invented == ()
    assert all(re.fullmatch(WHEN, r["scored"]) for r in reply.rows)


def test_once_the_newest_run_scores_a_worklist_it_is_the_one_answered(tmp_path):
    rt = make_runtime(tmp_path / "var")
    old = _run(rt)
    _score(rt, old, "a1b2c3d4e5f6", ["urgent"] * 4)
    new = _run(rt)
    _score(rt, new, "c0ffee000001", ["urgent"] * 4 + ["review"] * 3 + ["routine"] * 3 + ["needs manual read"])
    reply = _ask(rt, "How many triage studies were marked urgent?")
    assert re.fullmatch(rf"The newest worklist of run 2 \(its only worklist, scored {WHEN}\) has 11 studies, 4 of "
                        r"them urgent \(needs manual read: 1, review: 3, routine: 3, urgent: 4\)\.", reply.answer)
    both = _ask(rt, "how many urgent studies across all worklists?")
    assert both.answer.startswith("All 2 worklists of 2 triage runs (run 1: 1, run 2: 1) hold 15 studies, 8 of them "
                                  "urgent"), both.answer
    assert reply.invented == () and both.invented == ()

"""Worklist counts asked with a run in the question ("how many urgent studies did run 3 flag?", "… in the last
triage run?") reach the worklist counts, while questions about the run itself (its AUC, its threshold, how many
records it scored) stay run facts. They were answered with the run's metrics or its scored-record count."""
from __future__ import annotations

import re

import pytest

from services import assistant
from tests.support import make_runtime
from tests.unit.test_assistant_worklist_counts import WHEN, _run, _score

METRICS = {"val_auc": 0.91, "sensitivity": 0.95, "threshold": 0.42, "urgent_threshold": 0.81}


@pytest.fixture(scope="module")
def runtime(tmp_path_factory):
    rt = make_runtime(tmp_path_factory.mktemp("worklist-runs") / "var")
    first = _run(rt, metrics=METRICS)
    _score(rt, first, "a1b2c3d4e5f6", ["urgent"] * 4 + ["routine"] * 3)
    _score(rt, first, "0f9e8d7c6b5a", ["review", "routine", "needs manual read"])
    _run(rt, "finance", {"oof_auc": 0.8})
    third = _run(rt, metrics=METRICS)
    _score(rt, third, "c0ffee000001", ["urgent"] * 2 + ["routine"] * 5 + ["review"])
    _run(rt, metrics=METRICS)  # run 4: the newest triage run, nothing scored yet
    return rt


def _ask(rt, question):
    return assistant.answer(rt, question, user="ana", save=False)


RUN_3 = rf"The newest worklist of run 3 \(its only worklist, scored {WHEN}\) has 8 studies"


@pytest.mark.parametrize("question, said", [
    ("How many studies were marked urgent in the last triage run?", "2 of them urgent"),
    ("how many studies did the latest triage run mark urgent?", "2 of them urgent"),
    ("in the newest triage run how many were routine?", "5 of them routine"),
    ("how many urgent studies did run 3 flag?", "2 of them urgent"),
    ("How many studies were marked for review in run 3?", "1 of them review"),
    ("how many studies are in the worklist of run 3?", None),
])
def test_worklist_counts_are_answered_whether_or_not_a_run_is_said(runtime, question, said):
    reply = _ask(runtime, question)
    assert reply.tool == "triage_counts" and not reply.cannot and reply.invented == (), reply.answer
    head = RUN_3 + (", " + re.escape(said) if said else "") + " "
    assert re.match(head + r"\(review: 1, routine: 5, urgent: 2\)\.", reply.answer), reply.answer
    assert reply.rows == [{"priority": "review", "studies": 1}, {"priority": "routine", "studies": 5},
                          {"priority": "urgent", "studies": 2}]


def test_a_run_named_by_id_counts_its_own_newest_worklist_or_says_it_has_none(runtime):
    first = _ask(runtime, "how many urgent studies did run 1 flag?")
    assert re.fullmatch(rf"The newest worklist of run 1 \(2 worklists stored, scored {WHEN}\) has 3 studies, none of "
                        r"them urgent \(needs manual read: 1, review: 1, routine: 1\)\.", first.answer), first.answer
    empty = _ask(runtime, "how many urgent studies did run 4 flag?")
    assert empty.tool == "triage_counts" and empty.cannot
    assert empty.answer.endswith("run 4 has no stored worklist.")
    other = _ask(runtime, "how many urgent studies in run 2?")
    assert other.cannot and "run 2 is a finance run" in other.answer and "not a triage run" in other.answer


def test_the_first_triage_run_a_manual_read_and_a_share_are_the_ones_asked(runtime):
    oldest = _ask(runtime, "how many urgent studies were there in the first triage run?")
    assert oldest.query.startswith("predictions(run=1, kind='worklist')"), oldest.answer
    manual = _ask(runtime, "how many studies in run 1 need a manual read?")
    assert "3 studies, 1 of them needs manual read (" in manual.answer, manual.answer
    share = _ask(runtime, "what share of studies in the last triage run were urgent?")
    assert share.tool == "triage_counts" and "8 studies, 2 of them urgent, 25% of the studies (" in share.answer
    assert share.invented == (), share.answer


@pytest.mark.parametrize("question, tool, said", [
    ("what AUC did the last triage run get", "run_metrics", "Run 4 (triage"),
    ("which threshold does the triage run use", "run_metrics", "0.42"),
    ("what is the sensitivity of run 3?", "run_metrics", "Run 3 (triage"),
    ("how many studies did run 1 score?", "run_predictions", "for 10 records"),
    ("how many triage runs are there?", "list_runs", "3 stored triage runs"),
])
def test_questions_about_the_run_itself_stay_run_facts(runtime, question, tool, said):
    reply = _ask(runtime, question)
    assert reply.tool == tool and said in reply.answer, (reply.tool, reply.answer)


def test_the_first_worklist_is_the_oldest_one_stored(runtime):
    own = _ask(runtime, "how many review studies in run 1's first worklist?")
    assert re.fullmatch(rf"The first worklist of run 1 \(2 worklists stored, scored {WHEN}\) has 7 studies, none of "
                        r"them review \(routine: 3, urgent: 4\)\.", own.answer), own.answer
    oldest = _ask(runtime, "how many urgent studies in the oldest worklist?")
    assert "a1b2c3d4e5f6" in oldest.query and "4 of them urgent" in oldest.answer, oldest.answer
    assert oldest.answer.endswith("Run 4, a newer triage run, has no worklist yet."), oldest.answer  # not run 3

"""A QA pass with a German-credit finance run scored and a sales table stored: "show me the riskiest loans" was
answered from the sales table ("the question names no column or value of 'sales_small'") and "the 5 riskiest
applicants" refused ("I could not apply '5'"). They rank the newest finance scores by probability of default."""
import pandas as pd
import pytest

from data.records import RunRecord
from services import assistant
from tests.support import runtime_with_tables

PD = [("1", 0.19, "D", "decline"), ("2", 0.04, "B", "approve"), ("3", 0.90, "G", "decline"),
      ("4", 0.42, "F", "decline"), ("5", 0.02, "A", "approve"), ("6", 0.61, "G", "decline")]
SALES = pd.DataFrame({"date": ["2017-01-01", "2017-01-02"], "store": [1, 1], "item": [1, 1], "sales": [13, 11]})


@pytest.fixture(scope="module")
def runtime(tmp_path_factory):
    rt = runtime_with_tables(tmp_path_factory.mktemp("risky") / "var", {"sales_small": SALES})
    with rt.uow() as uow:
        owner = uow.users.get_or_create("ana")
        uow.runs.add(RunRecord(desk="maintenance", task="failure_risk", owner_id=owner.id, metrics={}))
        run = uow.runs.add(RunRecord(desk="finance", task="credit_lightgbm", owner_id=owner.id, metrics={}))
        uow.predictions.add_many(run.id, [(k, {"pd": p, "grade": g, "decision": d, "reason_1": "Duration of 60 raised "
                                               "the risk"}) for k, p, g, d in PD], kind="score")
        uow.commit()
    return rt


def _ask(rt, question):
    reply = assistant.answer(rt, question, user="ana", save=False)
    assert reply.tool == "riskiest_records" and not reply.cannot and reply.invented == (), reply.answer
    return reply


def test_the_riskiest_loans_are_the_highest_probabilities_of_default(runtime):
    reply = _ask(runtime, "show me the riskiest loans")
    assert [r["record_key"] for r in reply.rows] == ["3", "6", "4", "1", "2", "5"]  # all 6: fewer than 10 scored
    assert reply.answer.startswith("The 6 records with the highest probability of default in run 2 (the run scored "
                                   "6 only): 3 (0.9, G, decline); 6 (0.61, G, decline)"), reply.answer


@pytest.mark.parametrize("question, keys", [("show me the 3 riskiest applicants", ["3", "6", "4"]),
                                            ("top 2 riskiest borrowers in run 2", ["3", "6"]),
                                            ("the 2 safest applicants", ["5", "2"])])
def test_a_number_of_records_asked_is_that_many(runtime, question, keys):
    assert [r["record_key"] for r in _ask(runtime, question).rows] == keys


def test_another_desks_run_and_a_group_ranked_are_not_this_tool(runtime):
    reply = assistant.answer(runtime, "riskiest applicants in run 1", user="ana", save=False)
    assert reply.cannot and "run 1 is a maintenance run" in reply.answer, reply.answer
    reply = assistant.answer(runtime, "which purpose has the highest default risk by loans", user="ana", save=False)
    assert reply.tool != "riskiest_records", reply.answer

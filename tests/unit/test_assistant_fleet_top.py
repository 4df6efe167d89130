""""top 3 units by lowest predicted RUL in run 2" listed the 4 units under the alert threshold (the "3" ignored),
and "the 5 riskiest machines" was read as a table question ("I could not apply '5'"). A count of units asked is
that many units of the run's newest scores, most urgent first (or least, when the highest RUL is asked)."""
import pytest

from data.records import RunRecord
from services import assistant
from tests.support import make_runtime

RUL = [(57, 9.12), (54, 16.27), (48, 17.72), (43, 27.81), (52, 33.8), (49, 52.22), (45, 48.17)]
RISK = [("m1", 0.97), ("m2", 0.05), ("m3", 0.61), ("m4", 0.88), ("m5", 0.33), ("m6", 0.72), ("m7", 0.12)]


@pytest.fixture
def runtime(tmp_path):
    rt = make_runtime(tmp_path / "var")
    with rt.uow() as uow:
        owner = uow.users.get_or_create("ana")
        risk = uow.runs.add(RunRecord(desk="maintenance", task="failure_risk", owner_id=owner.id, metrics={}))
        uow.predictions.add_many(risk.id, [(m, {"p_failure": p, "alert": int(p > 0.5)}) for m, p in RISK],
                                 kind="score")
        rul = uow.runs.add(RunRecord(desk="maintenance", task="rul", owner_id=owner.id, metrics={}))
        uow.predictions.add_many(rul.id, [(str(u), {"unit": u, "rul": r}) for u, r in RUL], kind="rul")
        uow.commit()
    return rt


def _ask(rt, question):
    reply = assistant.answer(rt, question, user="ana", save=False)
    assert reply.tool == "units_at_risk" and not reply.cannot and reply.invented == (), reply.answer
    return reply


def test_the_count_of_units_asked_is_listed_not_the_units_under_the_threshold(runtime):
    reply = _ask(runtime, "top 3 units by lowest predicted RUL in run 2")
    assert [r["unit"] for r in reply.rows] == ["57", "54", "48"]  # was 57, 54, 48, 43 (all below 30)
    assert reply.answer == "The 3 units with the lowest remaining useful life in run 2: 57 (9.12), 54 (16.27), " \
                           "48 (17.72).", reply.answer
    highest = _ask(runtime, "the 2 units with the highest RUL in run 2")
    assert [r["unit"] for r in highest.rows] == ["49", "45"]


def test_the_riskiest_machines_come_from_the_failure_risk_run(runtime):
    reply = _ask(runtime, "the 5 riskiest machines")  # the RUL run is newer: the risk run's scores still answer
    assert [r["unit"] for r in reply.rows] == ["m1", "m4", "m6", "m3", "m5"]
    assert reply.answer.startswith("The 5 units with the highest failure probability in run 1: m1 (0.97)")


def test_which_engines_have_the_lowest_remaining_life_lists_the_few_lowest_in_order(runtime):
    """"Which engines have the lowest remaining life?" was refused (no column matches 'engines': 'remaining life'
    was not read as the RUL); "which engines have the lowest RUL" listed the units under a threshold of 30."""
    for question in ("Which engines have the lowest remaining life?", "which engines have the lowest RUL?"):
        reply = _ask(runtime, question)
        assert [r["unit"] for r in reply.rows] == ["57", "54", "48", "43", "52", "45", "49"], question
        assert reply.answer.startswith("The 7 units with the lowest remaining useful life in run 2 (the run scored 7 "
                                       "only): 57 (9.12), 54"), reply.answer
    below = _ask(runtime, "how many engines have a remaining life below 20")
    assert below.answer.startswith("3 units have a remaining useful life below 20 (run 2)"), below.answer


def test_a_long_list_of_units_under_the_threshold_says_how_many_more(tmp_path):
    rt = make_runtime(tmp_path / "var")
    with rt.uow() as uow:
        owner = uow.users.get_or_create("ana")
        rul = uow.runs.add(RunRecord(desk="maintenance", task="rul", owner_id=owner.id, metrics={}))
        uow.predictions.add_many(rul.id, [(str(u), {"unit": u, "rul": float(u)}) for u in range(1, 41)], kind="rul")
        uow.commit()
    reply = _ask(rt, "which units have a RUL below 25")  # 24 units: 20 named, the rest counted
    assert reply.answer.startswith("24 units have a remaining useful life below 25 (run 1): 1 (RUL 1), 2 (RUL 2)")
    assert reply.answer.endswith("20 (RUL 20) and 4 more (all in the rows).") and len(reply.rows) == 24

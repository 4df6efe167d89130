"""Stored scores asked in an analyst's words: "which unit has the lowest predicted RUL" listed the 14 units under a
threshold of 30 nobody asked for; "which units should be serviced first" and "most urgent units" were refused over
a column match; "the total forecast for all series" was refused ("name a series")."""
import pytest

from data.records import RunRecord
from services import assistant
from tests.support import make_runtime

RUL = [(57, 9.12), (54, 16.27), (48, 17.72), (43, 27.81), (52, 33.8), (49, 52.22)]
FORECAST = [("store=1|item=1", "2018-01-01", 10.5), ("store=1|item=1", "2018-01-02", 11.25),
            ("store=1|item=2", "2018-01-01", 20.0), ("store=1|item=2", "2018-01-02", 22.75)]


@pytest.fixture(scope="module")
def runtime(tmp_path_factory):
    rt = make_runtime(tmp_path_factory.mktemp("order") / "var")
    with rt.uow() as uow:
        owner = uow.users.get_or_create("ana")
        retail = uow.runs.add(RunRecord(desk="retail", task="global_lightgbm_forecast", owner_id=owner.id, metrics={}))
        uow.predictions.add_many(retail.id, [(f"{s}|{d}", {"date": d, "p10": p - 1, "p50": p, "p90": p + 1})
                                             for s, d, p in FORECAST], kind="forecast")
        rul = uow.runs.add(RunRecord(desk="maintenance", task="rul", owner_id=owner.id, metrics={}))
        uow.predictions.add_many(rul.id, [(str(u), {"unit": u, "rul": r}) for u, r in RUL], kind="rul")
        uow.commit()
    return rt


def _ask(rt, question):
    reply = assistant.answer(rt, question, user="ana", save=False)
    assert not reply.cannot and reply.invented == (), reply.answer
    return reply


def test_the_unit_with_the_lowest_rul_is_named(runtime):
    reply = _ask(runtime, "Which unit has the lowest predicted RUL?")
    assert reply.answer == "Unit 57 has the lowest remaining useful life of the 6 units scored in run 2: 9.12."
    assert [r["unit"] for r in reply.rows] == ["57"]
    named = _ask(runtime, "Which unit has the lowest predicted RUL in run 2?")  # the run's scores: "record 57" before
    assert "unit 57 has the lowest remaining useful life of the 6 units scored, 9.12." in named.answer, named.answer


@pytest.mark.parametrize("question", ["which units should be serviced first", "most urgent units"])
def test_an_order_of_service_lists_the_lowest_rul_first(runtime, question):
    reply = _ask(runtime, question)
    assert [r["unit"] for r in reply.rows] == ["57", "54", "48", "43", "52", "49"]
    assert reply.answer.startswith("The 6 units with the lowest remaining useful life in run 2 (the run scored 6 "), \
        reply.answer


def test_the_total_forecast_for_all_series_sums_every_series_and_date(runtime):
    reply = _ask(runtime, "what is the total forecast for all series")
    assert reply.answer == "The total p50 forecast of run 1 over its 2 series and 2 dates (2018-01-01 to " \
                           "2018-01-02) is 64.5."
    assert reply.rows == [{"series": "store=1|item=1", "total_p50": 21.75},
                          {"series": "store=1|item=2", "total_p50": 42.75}]

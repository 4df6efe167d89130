"""Figures of a run's scores and forecasts an analyst asks beyond how many were scored (a QA pass with finance,
failure-risk, RUL, triage and retail runs trained and scored through the CLI, checked with pandas): shares of
declines and alerts, a grade counted, a bound on a score counted, a score's statistic and the record holding it,
a series' forecast summed over its dates and the dates a forecast covers. They listed the run's metrics, the
number of records scored, the first date's p50 or the number of series."""
import pandas as pd
import pytest

from data.records import RunRecord
from domain.assistant import format_number
from services import assistant
from tests.support import make_runtime

PD = [0.05, 0.32, 0.61, 0.88, 0.12, 0.47]
GRADES = ["A", "C", "F", "G", "B", "E"]
RUL = {"101": 12.5, "102": 48.0, "103": 25.0, "104": 90.0}
P_ABNORMAL = [0.95, 0.2, 0.999987, 0.6]
P50 = [30.0 + 2 * i for i in range(14)]


@pytest.fixture(scope="module")
def rt(tmp_path_factory):
    runtime = make_runtime(tmp_path_factory.mktemp("runfigures") / "var")
    with runtime.uow() as uow:
        owner = uow.users.get_or_create("ana")
        finance = uow.runs.add(RunRecord(desk="finance", task="credit_lightgbm", owner_id=owner.id,
                                         metrics={"oof_auc": 0.8, "approval_rate": 0.35}))
        uow.predictions.add_many(finance.id, [(str(i), {"pd": p, "grade": g, "decision": "decline" if p > 0.3
                                                        else "approve"}) for i, (p, g) in enumerate(zip(PD, GRADES))],
                                 kind="score")
        rul = uow.runs.add(RunRecord(desk="maintenance", task="rul", owner_id=owner.id, metrics={"rmse": 15.9}))
        uow.predictions.add_many(rul.id, [(u, {"rul": r}) for u, r in RUL.items()], kind="rul")
        triage = uow.runs.add(RunRecord(desk="triage", task="cnn_image_classifier", owner_id=owner.id,
                                        metrics={"val_auc": 0.98}))
        uow.predictions.add_many(triage.id, [(f"st-{i}", {"file": f"t{i}.png", "p_abnormal": p, "batch": "b1",
                                                          "priority": "urgent" if p > 0.8 else "routine"})
                                             for i, p in enumerate(P_ABNORMAL)], kind="worklist")
        retail = uow.runs.add(RunRecord(desk="retail", task="global_lightgbm_forecast", owner_id=owner.id,
                                        metrics={"wape": 16.9}, parameters={"keys": ["store", "item"]}))
        days = pd.date_range("2018-01-01", periods=14, freq="D").strftime("%Y-%m-%d")
        uow.predictions.add_many(retail.id, [(f"store=1|item=1|{d}", {"store": 1, "item": 1, "date": d, "p10": p - 5,
                                                                      "p50": p, "p90": p + 5})
                                             for d, p in zip(days, P50)], kind="forecast")
        uow.commit()
    return runtime


def _ask(rt, question):
    reply = assistant.answer(rt, question, user="ana", save=False)
    assert not reply.cannot and reply.invented == (), reply.answer
    return reply


def test_shares_and_grades_of_a_finance_run_are_its_scores(rt):
    declined = sum(p > 0.3 for p in PD)
    reply = _ask(rt, "what share of applicants were declined in run 1")
    assert reply.rows[0]["declined"] == declined and reply.rows[0]["%"] == pytest.approx(100 * declined / len(PD))
    assert "of the 6 records it scored are declined" in reply.answer, reply.answer
    reply = _ask(rt, "how many applicants got grade A in run 1")
    assert reply.rows[0]["records"] == 1 and "1 of the 6 records scored have grade A" in reply.answer, reply.answer
    reply = _ask(rt, "how many applicants were scored in grade G or F in run 1")  # G alone was counted
    assert reply.rows[0]["records"] == 2 and "have grade G or F" in reply.answer, reply.answer
    both = assistant.answer(rt, "how many declined applicants got grade G in run 1", user="ana", save=False)
    assert both.cannot and "one condition at a time" in both.answer, both.answer  # neither dropped
    reply = _ask(rt, "how many applicants are in each grade in run 1")
    assert {r["grade"]: r["records"] for r in reply.rows} == pd.Series(GRADES).value_counts().to_dict()
    reply = _ask(rt, "what is the average probability of default in run 1")
    assert reply.rows[0]["pd"] == pytest.approx(sum(PD) / len(PD)), reply.answer
    reply = _ask(rt, "how many applicants have a pd over 0.5 in run 1")
    assert reply.rows[0]["matching"] == sum(p > 0.5 for p in PD), reply.answer


def test_a_bound_and_a_statistic_of_the_rul_are_counted(rt):
    reply = _ask(rt, "how many units have a RUL below 30 in run 2")
    assert reply.rows[0]["matching"] == sum(r < 30 for r in RUL.values()), reply.answer
    reply = _ask(rt, "how many engines have less than 20 cycles left in run 2")  # the run's metrics were listed
    assert reply.rows[0]["matching"] == sum(r < 20 for r in RUL.values()), reply.answer
    reply = _ask(rt, "what is the average predicted RUL in the RUL run")  # the run named by its task, not number
    assert reply.rows[0]["rul"] == pytest.approx(sum(RUL.values()) / len(RUL)), reply.answer
    reply = _ask(rt, "which unit has the lowest RUL in run 2")
    assert reply.rows[0]["record_key"] == "101" and "12.5" in reply.answer, reply.answer
    reply = _ask(rt, "what is the average RUL of the units at risk in run 2")  # not the average of every unit
    assert "average" not in reply.answer and reply.tool == "units_at_risk", reply.answer
    reply = _ask(rt, "top 2 units by lowest predicted RUL in run 2")  # the fleet's list, as before
    assert reply.tool == "units_at_risk", reply.answer
    reply = _ask(rt, "which units have the lowest predicted RUL in run 2")  # several: it named unit 101 alone
    ranked = sorted(RUL, key=RUL.get)
    assert [r["record_key"] for r in reply.rows] == ranked[:10] and reply.answer.startswith(
        f"Run 2 (maintenance, remaining useful life): the {min(10, len(RUL))} units with the lowest remaining useful "
        f"life of the {len(RUL)} scored: 101 (12.5)"), reply.answer


def test_a_worklist_score_is_read_with_its_file(rt):
    reply = _ask(rt, "which study has the highest abnormal probability in run 3")
    assert "record st-2 (t2.png)" in reply.answer and "0.999987" in reply.answer, reply.answer
    reply = _ask(rt, "how many studies have a p_abnormal above 0.9 in run 3")
    assert reply.rows[0]["matching"] == 2, reply.answer


def test_a_forecast_is_summed_over_its_dates_and_its_dates_counted(rt):
    reply = _ask(rt, "what is the total forecast for store 1 item 1")
    assert reply.answer.startswith("The total p50 forecast for store=1|item=1 (run 4) over 14 dates") \
        and f"is {format_number(sum(P50))}." in reply.answer, reply.answer
    reply = _ask(rt, "what is the total forecast demand for next week for store 1 item 1")
    assert f"is {format_number(sum(P50[:7]))}." in reply.answer and len(reply.rows) == 7, reply.answer
    reply = _ask(rt, "what is the average p50 forecast for store 1 item 1")
    assert f"is {format_number(sum(P50) / 14)}." in reply.answer, reply.answer
    reply = _ask(rt, "how many days does the retail forecast cover")
    assert reply.rows == [{"run": 4, "series": 1, "dates": 14, "first": "2018-01-01", "last": "2018-01-14"}]

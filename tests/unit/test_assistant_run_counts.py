"""Run questions an analyst asks of the newest run of a desk (a QA pass with small finance, retail, maintenance and
triage runs trained through the CLI): scored records counted for a desk's run named without its number, declines,
approvals and flags counted, a metric named in full read alone, a forecast read on the date asked and the forecast
series counted. They listed the run's metrics, a contradiction ("stores no approval rate; its metrics: Approval
rate = 0.407"), the first date's forecast, or a refusal."""
import pandas as pd
import pytest

from data.records import RunRecord
from services import assistant
from tests.support import make_runtime

DECISIONS = ["decline", "approve", "decline", "approve", "approve"]


def _forecast(keys: dict, p50: float) -> list[tuple[str, dict]]:
    sid = "|".join(f"{k}={v}" for k, v in keys.items())
    days = pd.date_range("2018-01-01", periods=7, freq="D").strftime("%Y-%m-%d")
    return [(f"{sid}|{d}", {**keys, "date": d, "p10": p50 - 8 + i, "p50": p50 + i, "p90": p50 + 8 + i})
            for i, d in enumerate(days)]


@pytest.fixture(scope="module")
def rt(tmp_path_factory):
    runtime = make_runtime(tmp_path_factory.mktemp("runcounts") / "var")
    with runtime.uow() as uow:
        owner = uow.users.get_or_create("ana")
        finance = uow.runs.add(RunRecord(desk="finance", task="credit_lightgbm", owner_id=owner.id,
                                         metrics={"oof_auc": 0.81, "approval_rate": 0.407, "default_rate": 0.3}))
        uow.predictions.add_many(finance.id, [(str(i), {"pd": 0.1 * i, "decision": d})
                                              for i, d in enumerate(DECISIONS)], kind="score")
        fleet = uow.runs.add(RunRecord(desk="maintenance", task="failure_risk", owner_id=owner.id,
                                       metrics={"cv_auc": 0.95, "threshold": 0.5}))
        uow.predictions.add_many(fleet.id, [(str(i), {"p_failure": p, "alert": int(p > 0.5)})
                                            for i, p in enumerate([0.9, 0.2, 0.7, 0.1])], kind="score")
        retail = uow.runs.add(RunRecord(desk="retail", task="global_lightgbm_forecast", owner_id=owner.id,
                                        metrics={"wape": 16.75}, parameters={"keys": ["store", "item"]}))
        uow.predictions.add_many(retail.id, _forecast({"store": 1, "item": 1}, 30.0) + _forecast(
            {"store": 2, "item": 1}, 45.0), kind="forecast")
        uow.runs.add(RunRecord(desk="triage", task="cnn_image_classifier", owner_id=owner.id,
                               metrics={"threshold": 0.6, "threshold_before_margin": 0.65, "urgent_threshold": 0.83}))
        uow.commit()
    return runtime


def _ask(rt, question):
    return assistant.answer(rt, question, user="ana", save=False)


@pytest.mark.parametrize("question, said", [
    ("how many applicants did the finance run score?", "Run 1 (finance, credit-default scoring) has stored score "
     "predictions for 5 records."),
    ("how many applicants were declined in the last finance run?", "for 5 records; 2 of them are declined."),
    ("how many applicants did run 1 approve?", "for 5 records; 3 of them are approved."),
    ("how many units did the maintenance run flag?", "for 4 records; 2 of them raise an alert."),
    ("how many machines did run 2 flag?", "for 4 records; 2 of them raise an alert."),
])
def test_scored_records_of_a_desks_run_are_counted_not_its_metrics_listed(rt, question, said):
    reply = _ask(rt, question)
    assert reply.tool == "run_predictions" and reply.answer.endswith(said), reply.answer
    assert reply.invented == ()


def test_a_metric_named_in_full_is_the_one_read(rt):
    approval = _ask(rt, "what is the approval rate of the finance run?")
    assert approval.answer == "Run 1 (finance, credit-default scoring): Approval rate = 0.407.", approval.answer
    urgent = _ask(rt, "what is the urgent threshold of run 4?")
    assert [r["metric"] for r in urgent.rows] == ["urgent_threshold"], urgent.answer
    every = _ask(rt, "which threshold does the triage run use?")  # one word: every threshold the run stores
    assert [r["metric"] for r in every.rows] == ["threshold", "threshold_before_margin", "urgent_threshold"]


def test_a_forecast_is_read_on_the_date_asked_and_its_series_counted(rt):
    day = _ask(rt, "what is the forecast for store 2 item 1 on 2018-01-05?")
    assert day.answer == "The forecast for store=2|item=1 (run 3): p50 on 2018-01-05 is 49 (p10 41, p90 57).", \
        day.answer
    assert [r["date"] for r in day.rows] == ["2018-01-05"]
    outside = _ask(rt, "forecast for store 2 item 1 on 2019-03-01")
    assert outside.cannot and "covers 2018-01-01 to 2018-01-07, not on 2019-03-01" in outside.answer
    counted = _ask(rt, "how many series did run 3 forecast?")
    assert not counted.cannot and counted.answer == "Run 3 forecasts 2 series (store=1|item=1, store=2|item=1).", \
        counted.answer

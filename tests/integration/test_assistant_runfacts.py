"""Run questions answered from the runs: columns left out, two runs side by side, records scored and alerts,
and runs named by their task ("the RUL run"). They were a table's description, run 4 alone, metrics or docs."""
import pandas as pd
import pytest

from data.records import RunRecord
from services import assistant, datasets
from tests.support import make_runtime

NOTES = ["12 loans still running were left out: their outcome is not known yet.",
         "Column(s) 'total_pymnt', 'recoveries' are left out: named like records made after the loan's outcome."]


@pytest.fixture
def runtime(tmp_path):
    rt = make_runtime(tmp_path / "var")
    frame = pd.DataFrame({"store": [1, 2, 3], "sales": [5.0, 6.0, 7.0]})
    datasets.import_dataset(rt, frame.to_csv(index=False).encode(), filename="fav.csv", name="fav", user="ana")
    with rt.uow() as uow:
        owner = uow.users.get_or_create("ana")
        uow.runs.add(RunRecord(desk="maintenance", task="rul", owner_id=owner.id, metrics={"rmse": 6.47},
                               parameters={"champion": "lightgbm"}))
        risk = uow.runs.add(RunRecord(desk="maintenance", task="failure_risk", owner_id=owner.id,
                                      metrics={"cv_auc": 0.98}, parameters={"excluded": ["UDI", "TWF"]}))
        for alerts in ([1, 1, 0], [1, 0, 0]):  # the same three machines scored twice: the last batch counts
            uow.predictions.add_many(risk.id, [(f"m{i}", {"p_failure": 0.5, "alert": a})
                                               for i, a in enumerate(alerts)], kind="score")
        for auc in (0.71, 0.74):
            uow.runs.add(RunRecord(desk="finance", task="credit_lightgbm", owner_id=owner.id,
                                   metrics={"oof_auc": auc, "gini": 2 * auc - 1}, parameters={"notes": NOTES}))
        uow.commit()
    return rt


def _ask(rt, question, dataset="fav"):
    return assistant.answer(rt, question, user="ana", dataset=dataset, save=False)


def test_columns_left_out_come_from_the_run_named(runtime):
    reply = _ask(runtime, "what columns were left out in finance run 4?")
    assert reply.tool == "run_columns" and "'total_pymnt', 'recoveries' are left out" in reply.answer
    assert "loans still running" not in reply.answer  # rows left out are no columns
    assert _ask(runtime, "which columns were excluded in run 2?").rows == [
        {"run": 2, "source": "excluded", "columns": ["UDI", "TWF"]}]


def test_two_runs_are_compared_side_by_side(runtime):
    reply = _ask(runtime, "compare finance run 3 and run 4")
    assert reply.answer.startswith("Run 3 (finance, credit-default scoring) vs run 4")
    assert "0.71 vs 0.74" in reply.answer
    assert reply.rows[0] == {"metric": "oof_auc", "run 3": 0.71, "run 4": 0.74}


def test_alerts_and_scored_records_are_counted_not_metrics(runtime):
    alerts = _ask(runtime, "how many alerts did maintenance run 2 raise?")
    assert alerts.tool == "run_predictions" and alerts.rows[0]["alerts"] == 1 and alerts.rows[0]["records"] == 3
    scored = _ask(runtime, "how many readings did run 2 score?")
    assert "for 3 records (6 rows" in scored.answer and "AUC" not in scored.answer


def test_a_run_named_by_its_task_is_read_with_a_dataset_chosen(runtime):
    champion = _ask(runtime, "what was the champion model of the RUL run?")
    assert champion.tool == "run_metrics" and "Run 1" in champion.answer
    assert "champion model LightGBM" in champion.answer
    rmse = _ask(runtime, "what is the RMSE of the RUL model?")
    assert rmse.answer == "Run 1 (maintenance, remaining useful life): RMSE = 6.47."
    assert _ask(runtime, "show the RUL run's results").rows == [{"run": 1, "desk": "maintenance", "metric": "rmse",
                                                                  "value": 6.47}]


def test_a_desk_named_with_another_desks_run_number_is_refused_naming_its_own_runs(runtime):
    """Browser QA: 'compare finance run 1 and run 2' compared two maintenance runs without a word."""
    reply = _ask(runtime, "compare finance run 1 and run 2")
    assert reply.cannot and "run 1 is a maintenance run" in reply.answer
    assert "the finance runs are 3, 4" in reply.answer
    refused = _ask(runtime, "how many alerts did finance run 2 raise?")
    assert refused.cannot and "run 2 is a maintenance run" in refused.answer and "alert" not in str(refused.rows)
    assert _ask(runtime, "compare finance run 3 and run 4").answer.startswith("Run 3 (finance")  # still answered


def test_alerts_of_a_rul_run_count_units_below_the_threshold(runtime):
    """Browser QA: 'how many alerts did maintenance run 1 raise?' on a RUL run gave only a record count."""
    with runtime.uow() as uow:
        uow.predictions.add_many(1, [(f"u{i}", {"rul": r, "rul_low": r - 5, "rul_high": r + 5})
                                     for i, r in enumerate((12.0, 29.5, 30.0, 80.0))], kind="rul")
        uow.commit()
    reply = _ask(runtime, "how many alerts did maintenance run 1 raise?")
    assert reply.rows[0]["alerts"] == 2 and "below 30 (the alert threshold)" in reply.answer
    assert _ask(runtime, "how many alerts did maintenance run 1 raise below 50 cycles?").rows[0]["alerts"] == 3

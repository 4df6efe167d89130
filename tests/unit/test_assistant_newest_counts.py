"""Decision and alert counts asked without a run, and a threshold asked of a run (a QA pass with small finance,
maintenance and triage runs beside a scored maintenance file): "how many applicants were approved?" was refused
(the maintenance file, best match, has no column 'approved'), and "which threshold does the triage run use" also
listed "Accuracy at the operating point" (its key holds "threshold")."""
import pandas as pd
import pytest

from data.records import RunRecord
from services import assistant, datasets
from tests.support import make_runtime

DECISIONS = ["decline", "approve", "decline", "approve", "approve"]


@pytest.fixture(scope="module")
def rt(tmp_path_factory):
    runtime = make_runtime(tmp_path_factory.mktemp("newestcounts") / "var")
    with runtime.uow() as uow:
        owner = uow.users.get_or_create("ana")
        finance = uow.runs.add(RunRecord(desk="finance", task="credit_lightgbm", owner_id=owner.id,
                                         metrics={"oof_auc": 0.81}))
        uow.predictions.add_many(finance.id, [(str(i), {"pd": 0.1 * i, "decision": d})
                                              for i, d in enumerate(DECISIONS)], kind="score")
        fleet = uow.runs.add(RunRecord(desk="maintenance", task="failure_risk", owner_id=owner.id,
                                       metrics={"cv_auc": 0.95, "threshold": 0.5}))
        uow.predictions.add_many(fleet.id, [(str(i), {"p_failure": p, "alert": int(p > 0.5)})
                                            for i, p in enumerate([0.9, 0.2, 0.7, 0.1, 0.8])], kind="score")
        uow.runs.add(RunRecord(desk="triage", task="cnn_image_classifier", owner_id=owner.id,
                               metrics={"val_auc": 0.99, "threshold": 0.54, "val_accuracy_at_threshold": 0.95,
                                        "val_accuracy": 0.93, "urgent_threshold": 0.72}))
        uow.commit()
    readings = pd.DataFrame({"UDI": range(1, 7), "Type": ["L", "M", "H", "L", "M", "L"],
                             "Torque [Nm]": [40.1, 38.2, 45.0, 51.3, 36.7, 42.2]})
    datasets.import_dataset(runtime, readings.to_csv(index=False).encode(), filename="ai4i_new.csv",
                            name="ai4i_new", user="ana")
    return runtime


def _ask(rt, question):
    return assistant.answer(rt, question, user="ana", save=False)


@pytest.mark.parametrize("question, said", [
    ("how many applicants were approved?", "5 records; 3 of them are approved. No stored dataset has a column for "
     "this, so the newest finance run with scores (run 1) was counted."),
    ("how many were declined?", "5 records; 2 of them are declined."),
    ("how many units need service?", "5 records; 3 of them raise an alert. No stored dataset has a column for this, "
     "so the newest maintenance run with scores (run 2) was counted."),
    ("how many machines need maintenance?", "5 records; 3 of them raise an alert."),
])
def test_a_plain_decision_or_alert_count_reads_the_desks_newest_scores(rt, question, said):
    reply = _ask(rt, question)
    assert reply.tool == "run_predictions" and said in reply.answer, reply.answer
    assert reply.invented == ()


@pytest.mark.parametrize("question", ["how many applicants with Type L were approved?",
                                      "how many loans were approved in 2017?"])
def test_a_count_with_another_condition_is_not_read_from_the_scores(rt, question):
    reply = _ask(rt, question)
    assert reply.tool != "run_predictions", reply.answer


def test_a_column_of_the_data_still_answers(rt):
    reply = _ask(rt, "how many machines have Type L?")
    assert reply.tool == "query_dataset" and reply.rows == [{"rows": 3}], reply.answer


def test_a_threshold_asked_is_the_cut_offs_not_the_accuracy_at_it(rt):
    reply = _ask(rt, "which threshold does the triage run use")
    assert [r["metric"] for r in reply.rows] == ["threshold", "urgent_threshold"], reply.answer
    assert "Accuracy" not in reply.answer
    accuracy = _ask(rt, "what is the accuracy of run 3?")
    assert [r["metric"] for r in accuracy.rows] == ["val_accuracy_at_threshold", "val_accuracy"], accuracy.answer

"""Questions on stored runs from a browser pass with finance, retail, maintenance and triage runs: "the champion of
the last retail forecast" is that run's champion model (it said "no stored retail run"), "the RUL run" is the
remaining-useful-life run (it read a newer triage run's metrics), and runs are listed and counted, with a dataset
chosen too (it was refused, or answered with a docs excerpt)."""
import pandas as pd
import pytest

from data.records import RunRecord
from services import assistant, datasets, runs
from tests.support import make_runtime

RETAIL_OLD = {"wape": 12.5, "lightgbm_wape": 12.5}
RETAIL = {"wape": 9.481892897078005, "lightgbm_wape": 6.943123338492585, "seasonal_naive_wape": 9.481892897078005,
          "smape": 18.15}
RUL = {"rmse": 6.227354320195315, "rmse_lightgbm": 6.466013301033665, "nasa_score": 26.38}
FAILURE = {"cv_auc": 0.990221989772199, "cv_f1": 0.4630541871921182}
TRIAGE = {"val_auc": 1.0, "val_accuracy": 0.8333333333333334}


@pytest.fixture
def rt(tmp_path):
    runtime = make_runtime(tmp_path / "var")
    shop = pd.DataFrame({"store": [1, 2, 1], "sales": [10.0, 20.0, 30.0]})
    datasets.import_dataset(runtime, shop.to_csv(index=False).encode(), filename="shop.csv", name="shop", user="ana")
    with runtime.uow() as uow:
        owner = uow.users.get_or_create("ana")
        for desk, task, metrics, params in (
                ("finance", "credit_lightgbm", {"oof_auc": 0.647}, {}),
                ("retail", "global_lightgbm_forecast", RETAIL_OLD, {"champion": "lightgbm"}),
                ("maintenance", "rul", RUL, {"champion": "blend"}),
                ("retail", "global_lightgbm_forecast", RETAIL, {"champion": "seasonal_naive"}),
                ("maintenance", "failure_risk", FAILURE, {}),
                ("triage", "cnn_image_classifier", TRIAGE, {})):
            uow.runs.add(RunRecord(desk=desk, task=task, owner_id=owner.id, metrics=metrics, parameters=params))
        uow.commit()
    return runtime


def _ask(rt, question, dataset=None):
    return assistant.answer(rt, question, user="ana", dataset=dataset)


@pytest.mark.parametrize("dataset", [None, "shop"])
def test_the_champion_of_the_last_forecast_is_that_runs_champion_model(rt, dataset):
    reply = _ask(rt, "what was the champion of the last retail forecast and its WAPE?", dataset)
    assert not reply.cannot and reply.tool == "run_metrics", reply.answer
    assert reply.answer == ("Run 4 (retail, demand forecast), champion model seasonal naive: WAPE (%) = 9.48, "
                            "WAPE (%) of LightGBM = 6.94, WAPE (%) of seasonal naive = 9.48."), reply.answer
    assert [r["metric"] for r in reply.rows] == ["wape", "lightgbm_wape", "seasonal_naive_wape"]


def test_a_run_marked_champion_is_the_champion_unless_the_latest_is_asked(rt):
    runs.set_champion(rt, 2, user="ana")
    marked = _ask(rt, "what is the WAPE of the retail champion?")
    assert marked.query == "runs.get_run(2).metrics" and marked.rows[0]["value"] == 12.5, marked.answer
    latest = _ask(rt, "what was the champion of the last retail forecast and its WAPE?")
    assert latest.query == "runs.get_run(4).metrics", latest.answer


@pytest.mark.parametrize("dataset", [None, "shop"])
def test_the_rul_run_is_the_remaining_useful_life_run_not_the_newest(rt, dataset):
    reply = _ask(rt, "what was the RMSE of the RUL run?", dataset)
    assert reply.query == "runs.get_run(3).metrics" and not reply.cannot, reply.answer
    assert {r["metric"]: r["value"] for r in reply.rows} == {"rmse": RUL["rmse"], "rmse_lightgbm": RUL["rmse_lightgbm"]}
    assert reply.answer == "Run 3 (maintenance, remaining useful life): RMSE = 6.23, RMSE of LightGBM = 6.47."
    failure = _ask(rt, "what is the F1 of the failure risk run?", dataset)
    assert failure.query == "runs.get_run(5).metrics" and failure.rows[0]["value"] == FAILURE["cv_f1"]


def test_a_metric_no_run_of_the_desk_holds_is_refused_and_a_numbered_run_says_it_lacks_it(rt):
    refused = _ask(rt, "what is the RMSE of the latest finance run?")
    assert refused.cannot and refused.answer.endswith("no stored finance run has RMSE."), refused.answer
    lacking = _ask(rt, "AUC of run 3")
    assert lacking.answer.startswith("Run 3 (maintenance, remaining useful life) has no AUC; its metrics: RMSE = "
                                     "6.23"), lacking.answer


@pytest.mark.parametrize("dataset", [None, "shop"])
def test_runs_are_counted_and_listed_with_a_dataset_chosen_too(rt, dataset):
    every = _ask(rt, "how many runs are stored?", dataset)
    assert every.tool == "list_runs" and not every.cannot, every.answer
    assert [r["run"] for r in every.rows] == [6, 5, 4, 3, 2, 1]
    assert every.answer.startswith("There are 6 stored runs: run 6 (triage, image triage, ")
    maintenance = _ask(rt, "list the maintenance runs", dataset)
    assert maintenance.tool == "list_runs" and [r["run"] for r in maintenance.rows] == [5, 3], maintenance.answer
    assert maintenance.answer.startswith("There are 2 stored maintenance runs: run 5 (failure risk, ")
    rul = _ask(rt, "list the RUL runs", dataset)
    assert [r["run"] for r in rul.rows] == [3] and rul.answer.startswith("There is 1 stored remaining useful life run")
    assert every.invented == () and maintenance.invented == ()

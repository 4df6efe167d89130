"""The assistant over stored runs and a store-item sales table shaped like the real store_item_demand slice
(2016-07-01..2017-12-31, stores 3 and 7, items 10 and 25): each case below answered another question than the
one asked (worklist counts for "best AUC", a row count for a forecast or a profit margin)."""
import pandas as pd
import pytest

from data.records import RunRecord
from services import assistant
from tests.support import make_runtime, store_item_sales

DAYS = pd.date_range("2016-07-01", "2017-12-31", freq="D")
RETAIL_OLD = {"wape": 18.19585, "lightgbm_wape": 18.19585, "seasonal_naive_wape": 22.7955, "smape": 17.687,
              "coverage": 56.25}
RETAIL_NEW = {"wape": 13.258913, "lightgbm_wape": 13.258913, "seasonal_naive_wape": 12.13003, "smape": 12.6195,
              "moving_average_wape": 20.0744}
TRIAGE = {"val_auc": 0.9938271604938271, "baseline_auc": 1.0, "auc_vs_baseline": -0.00617, "epochs_run": 3,
          "threshold": 0.4421}


def _sales() -> pd.DataFrame:
    return store_item_sales(DAYS, [3, 7], [10, 25], seed=7, low=20, high=90)


def _forecast(store: int, item: int, p50: float) -> list[tuple[str, dict]]:
    days = pd.date_range("2018-01-01", periods=3, freq="D").strftime("%Y-%m-%d")
    return [(f"store={store}|item={item}|{d}", {"store": store, "item": item, "date": d, "p10": p50 - 10,
                                                "p50": p50 + i, "p90": p50 + 10}) for i, d in enumerate(days)]


@pytest.fixture(scope="module")
def rt(tmp_path_factory):
    from services import datasets

    runtime = make_runtime(tmp_path_factory.mktemp("desks") / "var")
    datasets.import_dataset(runtime, _sales().to_csv(index=False).encode(), filename="retail_real.csv",
                            name="retail_real", user="ana")
    with runtime.uow() as uow:
        owner = uow.users.get_or_create("ana")
        old = uow.runs.add(RunRecord(desk="retail", task="global_lightgbm_forecast", owner_id=owner.id,
                                     metrics=RETAIL_OLD))
        uow.predictions.add_many(old.id, _forecast(3, 10, 71.5) + _forecast(7, 25, 40.0), kind="forecast")
        new = uow.runs.add(RunRecord(desk="retail", task="global_lightgbm_forecast", owner_id=owner.id,
                                     metrics=RETAIL_NEW))
        uow.predictions.add_many(new.id, _forecast(1, 1, 148.0), kind="forecast")
        tri = uow.runs.add(RunRecord(desk="triage", task="cnn_image_classifier", owner_id=owner.id, metrics=TRIAGE))
        uow.predictions.add_many(tri.id, [(f"s{i}", {"priority": p}) for i, p in enumerate(["urgent", "routine"])],
                                 kind="worklist")
        uow.commit()
    return runtime


def _ask(rt, question, dataset=None, conversation=None):
    return assistant.answer(rt, question, user="ana", dataset=dataset, conversation_id=conversation)


def test_a_metric_word_asks_for_run_metrics_not_the_worklist(rt):
    reply = _ask(rt, "which triage model has the best AUC?")
    assert reply.tool == "run_metrics" and not reply.cannot, reply.answer
    assert [(r["run"], r["metric"], r["value"]) for r in reply.rows] == [(3, "val_auc", TRIAGE["val_auc"])]
    assert "run 3" in reply.answer.lower() and "Validation AUC" in reply.answer and "0.9938" in reply.answer
    assert _ask(rt, "how many studies are on the triage worklist?").tool == "triage_counts"  # still answered


def test_which_run_has_the_best_metric_ranks_the_runs_of_the_desk(rt):
    reply = _ask(rt, "which retail run has the lowest WAPE?")
    assert reply.tool == "run_metrics" and [(r["run"], r["value"]) for r in reply.rows] == [(2, 13.258913),
                                                                                              (1, 18.19585)]
    assert reply.answer == "Of the 2 retail runs with WAPE (%), run 2 (demand forecast) has the lowest: 13.26; " \
                           "run 1: 18.2.", reply.answer


def test_the_wape_of_the_latest_forecast_run_is_a_run_metric(rt):
    reply = _ask(rt, "what was the WAPE of the latest retail forecast run?")
    assert reply.tool == "run_metrics" and reply.query == "runs.get_run(2).metrics"
    assert reply.rows[0] == {"run": 2, "desk": "retail", "metric": "wape", "value": 13.258913}
    assert reply.answer.startswith("Run 2 (retail, demand forecast): WAPE (%) = 13.26, WAPE (%) of LightGBM = 13.26, "
                                   "WAPE (%) of seasonal naive = 12.13, WAPE (%) of moving average = 20.07"), \
        reply.answer
    assert "smape" not in reply.answer.lower()


def test_run_metrics_read_with_plain_labels_and_the_query_unchanged(rt):
    reply = _ask(rt, "what is the WAPE of run 1?")
    assert reply.query == "runs.get_run(1).metrics"
    assert reply.answer == ("Run 1 (retail, demand forecast): WAPE (%) = 18.2, WAPE (%) of LightGBM = 18.2, "
                            "WAPE (%) of seasonal naive = 22.8.")
    auc = _ask(rt, "what is the AUC of run 3?")  # "run" in the question does not pick epochs_run
    assert [r["metric"] for r in auc.rows] == ["val_auc", "baseline_auc", "auc_vs_baseline"], auc.answer
    assert auc.answer.startswith("Run 3 (triage, image triage): Validation AUC = 0.9938, Pixel-baseline AUC = 1, "
                                 "AUC lead over the pixel baseline = -0.00617")
    every = _ask(rt, "show the metrics of run 1")
    assert "WAPE (%) = 18.2" in every.answer and "sMAPE (%) = 17.69" in every.answer
    assert {r["metric"] for r in every.rows} == set(RETAIL_OLD)


def test_a_forecast_is_looked_up_in_older_runs_and_never_becomes_a_row_count(rt):
    reply = _ask(rt, "forecast for store 3 item 10")
    assert reply.tool == "series_forecast" and not reply.cannot, reply.answer
    assert reply.query.startswith("predictions(run=1, kind='forecast'") and [r["p50"] for r in reply.rows] == [
        71.5, 72.5, 73.5]
    assert "(run 1)" in reply.answer and "71.5" in reply.answer
    latest = _ask(rt, "forecast for store 1 item 1")
    assert latest.query.startswith("predictions(run=2,") and latest.rows[0]["p50"] == 148.0
    for question in ("forecast for store 3 item 99", "what is the forecast for store 9 item 10?"):
        missing = _ask(rt, question)
        assert missing.tool == "series_forecast" and missing.cannot, missing.answer
        assert "COUNT" not in missing.query and "store=1|item=1" in missing.answer and "store=3|item=10" in \
            missing.answer, missing.answer
        assert {r["run"]: r["series"] for r in missing.rows} == {2: 1, 1: 2}
    on_data = _ask(rt, "forecast for store 3 item 10", dataset="retail_real")
    assert on_data.tool == "series_forecast" and on_data.rows[0]["p50"] == 71.5


def test_a_measure_the_table_has_no_column_for_is_refused(rt):
    for question, word in (("what is the profit margin of item 10?", "profit margin"),
                           ("what is the revenue of store 3?", "revenue"), ("price of item 25", "price")):
        reply = _ask(rt, question, dataset="retail_real")
        assert reply.cannot and "COUNT" not in reply.query, reply.answer
        assert reply.answer == (f"I cannot answer that from the data: no column of 'retail_real' matches '{word}'. "
                                "Its columns are: date, store, item, sales."), reply.answer
    assert _ask(rt, "how many rows have item 10?", dataset="retail_real").rows == [{"rows": 1098}]


def test_a_period_the_data_covers_only_in_part_is_said(rt):
    sales = _sales()
    full = _ask(rt, "total sales in 2017 for store 3", dataset="retail_real", conversation="p")
    assert "covers" not in full.answer, full.answer
    part = _ask(rt, "and in 2016?", dataset="retail_real", conversation="p")
    expected = int(sales[(sales["store"] == 3) & (sales["date"] < "2017-01-01")]["sales"].sum())
    assert part.rows == [{"total sales": expected}]
    assert part.answer.endswith("(the data covers 2016-07-01 to 2016-12-31 only)."), part.answer
    assert part.invented == ()


def test_a_top_k_with_fewer_groups_than_asked_says_so(rt):
    sales = _sales()
    totals = sales.groupby("item")["sales"].sum().sort_values(ascending=False)
    reply = _ask(rt, "top 3 items by total sales", dataset="retail_real")
    listed = ", ".join(f"{k} ({v:,})" for k, v in totals.items())
    assert reply.answer == f"Only 2 items exist; top 2 items by total sales: {listed}.", reply.answer
    two = _ask(rt, "top 2 stores by total sales", dataset="retail_real")
    assert two.answer.startswith("Top 2 stores by total sales: "), two.answer


def test_a_forecast_column_of_the_data_still_answers_a_forecast_question(tmp_path):
    """The forecast tool's refusal stands over a row count, not over a dataset that holds a forecast column."""
    from services import datasets

    runtime = make_runtime(tmp_path / "var")
    plan = pd.DataFrame({"store": [3, 3, 7], "week": [1, 2, 1], "forecast": [10.5, 12.0, 7.25]})
    datasets.import_dataset(runtime, plan.to_csv(index=False).encode(), filename="plan.csv", name="plan", user="ana")
    reply = _ask(runtime, "total forecast for store 3", dataset="plan")
    assert reply.tool == "query_dataset" and reply.rows == [{"total forecast": 22.5}], reply.answer
    refused = _ask(runtime, "forecast for store 3 item 10", dataset="plan")
    assert refused.cannot and refused.tool == "series_forecast" and "COUNT" not in refused.query, refused.answer


def test_a_finance_runs_baseline_auc_reads_as_the_logistic_baseline_not_triages_pixels(tmp_path):
    runtime = make_runtime(tmp_path / "var")
    with runtime.uow() as uow:
        owner = uow.users.get_or_create("ana")
        uow.runs.add(RunRecord(desk="finance", task="credit_lightgbm", owner_id=owner.id,
                               metrics={"oof_auc": 0.8012, "baseline_auc": 0.793}))
        uow.commit()
    reply = _ask(runtime, "what is the AUC of run 1?")
    assert "Logistic-baseline AUC = 0.793" in reply.answer and "Pixel" not in reply.answer, reply.answer

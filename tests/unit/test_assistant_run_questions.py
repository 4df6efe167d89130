"""Questions on stored runs (a browser pass with the store_item_demand sample and several runs): a run named by
number is the run answered from, inventory words read the purchase plan, per-series backtest errors are ranked,
the best-match dataset covers the year asked, and figures are written in words with matching decimals."""
import numpy as np
import pandas as pd
import pytest

from data.records import RunRecord
from services import assistant, retail_plan, runs
from services.retail_store import HISTORY_FILE
from tests.support import make_runtime, store_item_sales

DAYS = pd.date_range("2016-07-01", "2017-12-31", freq="D")
KEYS = [(1, 1), (1, 2)]
RETAIL = {"wape": 16.7512, "lightgbm_wape": 16.7512, "seasonal_naive_wape": 22.7955, "mase": 0.81234}


def _sales() -> pd.DataFrame:
    return store_item_sales(DAYS, [1, 2], [1, 2], seed=11, low=10, high=60)


def _older_store_table() -> pd.DataFrame:
    """Rossmann-shaped: Store, Date ending 2015, Sales; imported last, so the most recent of equal matches."""
    rng = np.random.default_rng(12)
    days = pd.date_range("2015-01-01", "2015-07-31", freq="D").strftime("%Y-%m-%d")
    frame = pd.MultiIndex.from_product([days, [1, 2]], names=["Date", "Store"]).to_frame(index=False)
    frame["Sales"] = rng.integers(3000, 9000, len(frame))
    return frame


def _forecast(keys: dict, p50: float) -> list[tuple[str, dict]]:
    sid = "|".join(f"{k}={v}" for k, v in keys.items())
    days = pd.date_range("2018-01-01", periods=7, freq="D").strftime("%Y-%m-%d")
    return [(f"{sid}|{d}", {**keys, "date": d, "p10": p50 - 8 + i, "p50": p50 + i, "p90": p50 + 8 + i})
            for i, d in enumerate(days)]


def _backtest() -> list[tuple[str, dict]]:
    rng = np.random.default_rng(13)
    rows = []
    for store, item in KEYS:
        for d in pd.date_range("2017-12-01", periods=5, freq="D").strftime("%Y-%m-%d"):
            actual, p50 = float(rng.integers(10, 60)), float(rng.integers(10, 60))
            rows.append((f"store={store}|item={item}|{d}", {"store": store, "item": item, "date": d, "actual": actual,
                                                            "p10": p50 - 5, "p50": p50, "p90": p50 + 5,
                                                            "model": "lightgbm", "window": 1}))
    return rows


@pytest.fixture(scope="module")
def rt(tmp_path_factory):
    from services import datasets

    runtime = make_runtime(tmp_path_factory.mktemp("runq") / "var")
    sales = _sales()
    first = datasets.import_dataset(runtime, sales.to_csv(index=False).encode(), filename="retail_real.csv",
                                    name="retail_real", user="ana")
    folder = runtime.artifacts_dir / "run-one"
    folder.mkdir(parents=True)
    history = sales.assign(date=pd.to_datetime(sales["date"]), y=sales["sales"].astype(float))
    history[["store", "item", "date", "y"]].to_parquet(folder / HISTORY_FILE, index=False)
    with runtime.uow() as uow:
        owner = uow.users.get_or_create("ana")
        one = uow.runs.add(RunRecord(desk="retail", task="global_lightgbm_forecast", owner_id=owner.id,
                                     dataset_id=first.id, metrics=RETAIL, artifact_dir="run-one",
                                     parameters={"keys": ["store", "item"], "freq_used": "D"}))
        uow.predictions.add_many(one.id, _forecast({"store": 1, "item": 1}, 30.0) + _forecast(
            {"store": 1, "item": 2}, 45.0), kind="forecast")
        uow.predictions.add_many(one.id, _backtest(), kind="backtest")
        uow.runs.add(RunRecord(desk="triage", task="cnn_image_classifier", owner_id=owner.id, metrics={"val_auc": 0.9}))
        three = uow.runs.add(RunRecord(desk="retail", task="global_lightgbm_forecast", owner_id=owner.id,
                                       metrics={"wape": 12.5}, parameters={"keys": ["Store"]}))
        uow.predictions.add_many(three.id, _forecast({"Store": 1}, 5001.73), kind="forecast")
        uow.commit()
    datasets.import_dataset(runtime, _older_store_table().to_csv(index=False).encode(), filename="rossmann.csv",
                            name="rossmann", user="ana")
    return runtime


def _ask(rt, question, dataset=None):
    return assistant.answer(rt, question, user="ana", dataset=dataset)


def test_a_run_named_by_number_is_the_run_answered_from(rt):
    reply = _ask(rt, "forecast for store 1 item 1 in run 1")
    assert reply.tool == "series_forecast" and not reply.cannot, reply.answer
    assert reply.query == "predictions(run=1, kind='forecast', series=store=1|item=1)"
    assert [r["p50"] for r in reply.rows] == [30.0 + i for i in range(7)]
    assert "(run 1)" in reply.answer and "5,001" not in reply.answer
    unnamed = _ask(rt, "forecast for store 1 item 1")  # run 3 keys on Store alone: no item, never its Store=1
    assert unnamed.query.startswith("predictions(run=1,") and unnamed.rows[0]["p50"] == 30.0, unnamed.answer


def test_a_series_the_named_run_lacks_is_refused_listing_its_series(rt):
    reply = _ask(rt, "forecast for store 1 item 9 in run 1")
    assert reply.tool == "series_forecast" and reply.cannot and "COUNT" not in reply.query
    assert reply.answer == ("I cannot answer that from the data: run 1 has no series store=1|item=9. The forecast "
                            "series are run 1: store=1|item=1, store=1|item=2."), reply.answer
    keyed_by_store = _ask(rt, "forecast for store 1 item 1 in run 3")  # its Store=1 is not item 1
    assert keyed_by_store.cannot and "run 3 has no series store=1|item=1" in keyed_by_store.answer, \
        keyed_by_store.answer
    triage = _ask(rt, "forecast for store 1 in run 2")
    assert triage.cannot and "run 2 is a triage run" in triage.answer and "5,001" not in triage.answer
    missing = _ask(rt, "forecast for store 1 item 1 in run 9")
    assert missing.cannot and "there is no run 9" in missing.answer


def test_the_reorder_point_comes_from_the_purchase_plan_never_a_row_count(rt):
    reply = _ask(rt, "what is the reorder point for store 1 item 1?")
    assert reply.tool == "purchase_plan" and not reply.cannot and "COUNT" not in reply.query, reply.answer
    plan = retail_plan.run_purchase_plan(rt, runs.get_run(rt, 1), lead_time=2, review_period=1, service_level=0.95)
    expected = float(plan[(plan["store"] == 1) & (plan["item"] == 1)]["reorder_point"].iloc[0])
    assert reply.rows[0]["series"] == "store=1|item=1" and reply.rows[0]["reorder_point"] == expected
    assert reply.answer.startswith(f"The reorder point for store=1|item=1 is {expected:,.2f}".rstrip("0").rstrip("."))
    assert "lead time 2 periods, review period 1 period, service level 0.95" in reply.answer and reply.invented == ()
    stock = _ask(rt, "safety stock for store 1 item 2 in run 3")
    assert stock.tool == "purchase_plan" and stock.cannot and "Inventory tab" in stock.answer, stock.answer
    docs = _ask(rt, "how is the reorder point computed?")
    assert docs.tool != "purchase_plan"


def test_per_series_backtest_errors_are_ranked_worst_first(rt):
    bt = pd.DataFrame([o for _, o in _backtest()])
    bt["sid"] = "store=" + bt["store"].astype(str) + "|item=" + bt["item"].astype(str)
    sums = bt.assign(e=(bt["actual"] - bt["p50"]).abs(), a=bt["actual"].abs()).groupby("sid")[["e", "a"]].sum()
    wape = (100 * sums["e"] / sums["a"]).sort_values(ascending=False)
    reply = _ask(rt, "which series have the worst backtest error in run 1?")
    assert reply.tool == "series_errors" and not reply.cannot, reply.answer
    assert [r["series"] for r in reply.rows] == list(wape.index)
    assert reply.rows[0]["wape"] == pytest.approx(wape.iloc[0])
    assert f"{wape.index[0]} ({wape.iloc[0]:.2f}".rstrip("0").rstrip(".") in reply.answer, reply.answer
    overall = _ask(rt, "which series have the worst backtest error in run 3?")
    assert overall.cannot and "not per series" in overall.answer, overall.answer


def test_best_match_prefers_the_dataset_covering_the_year_and_names_it(rt):
    sales = _sales()
    reply = _ask(rt, "what is the total sales for store 2 in 2017?")
    expected = int(sales[(sales["store"] == 2) & sales["date"].str.startswith("2017")]["sales"].sum())
    assert not reply.cannot and reply.dataset == "retail_real" and reply.rows == [{"total sales": expected}], \
        reply.answer
    assert reply.answer.endswith("(dataset: retail_real)"), reply.answer
    refused = _ask(rt, "what is the total sales for store 2 in 2030?")
    assert refused.cannot and refused.dataset in refused.answer, refused.answer


def test_run_figures_name_the_model_in_words_with_matching_decimals(rt):
    wape = _ask(rt, "what is the WAPE of run 1?")
    assert wape.answer == "Run 1 (retail, demand forecast): WAPE (%) = 16.75, WAPE (%) of LightGBM = 16.75, " \
                          "WAPE (%) of seasonal naive = 22.8.", wape.answer
    reply = _ask(rt, "show the metrics of run 1")
    assert reply.answer.startswith("Run 1 (retail, demand forecast): WAPE (%) = 16.75, MASE = 0.81;"), reply.answer
    assert reply.invented == ()
    assert assistant.rows_returned(1) == "1 row returned" and assistant.rows_returned(1200) == "1,200 rows returned"

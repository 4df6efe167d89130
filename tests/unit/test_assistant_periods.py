"""Averages per day where a date holds several rows (stores, items): the day's rows are summed first, then the day
totals averaged, and the reply says so; "mean sales per day by store" averaged the rows (one store-item a day)."""
import numpy as np
import pandas as pd
import pytest

from domain.assistant import format_number
from services import assistant
from tests.support import runtime_with_tables


def _sales() -> pd.DataFrame:
    rng = np.random.default_rng(3)
    days = pd.date_range("2017-01-01", periods=20).strftime("%Y-%m-%d")
    return pd.DataFrame([{"date": d, "store": s, "item": i, "sales": int(rng.integers(0, 50)) + 10 * s}
                         for d in days for s in (1, 2, 3) for i in (1, 2)])


SALES = _sales()
ONE = SALES[(SALES.store == 1) & (SALES.item == 1)].drop(columns="item")  # one row a day


@pytest.fixture(scope="module")
def rt(tmp_path_factory):
    return runtime_with_tables(tmp_path_factory.mktemp("periods") / "var", {"sales": SALES, "one": ONE})


def _ask(rt, question, dataset="sales"):
    return assistant.answer(rt, question, user="ana", dataset=dataset, save=False)


def test_a_grouped_daily_average_sums_each_day_first(rt):
    per_day = SALES.groupby(["store", "date"]).sales.sum().groupby("store").mean()
    for question in ("mean sales per day by store", "what is the average daily sales per store?"):
        reply = _ask(rt, question)
        got = {r["store"]: r["average daily sales"] for r in reply.rows}
        assert got == pytest.approx(per_day.to_dict()), reply.answer  # was the row mean, a third of it
        assert {r["days"] for r in reply.rows} == {20} and {r["rows"] for r in reply.rows} == {40}
        assert "(summed per day over 20 days, then averaged)" in reply.answer


def test_the_store_with_the_highest_average_daily_sales_is_ranked_by_its_day_totals(rt):
    per_day = SALES.groupby(["store", "date"]).sales.sum().groupby("store").mean()
    reply = _ask(rt, "which store has the highest average daily sales?")  # was the overall daily average
    assert reply.rows[0]["store"] == per_day.idxmax()
    assert reply.rows[0]["average daily sales"] == pytest.approx(per_day.max())
    assert reply.answer.startswith(f"store {per_day.idxmax()} (")


def test_an_overall_daily_average_says_the_rows_were_summed_per_day(rt):
    daily = SALES[SALES.item == 2].groupby("date").sales.sum()
    reply = _ask(rt, "average daily sales of item 2")
    assert reply.answer == f"The average daily total sales where item = 2 is {format_number(daily.mean())}, " \
                           "summed per day over 20 days, then averaged."


def test_one_row_a_day_keeps_the_answer(rt):
    reply = _ask(rt, "average daily sales", dataset="one")
    assert reply.answer == f"The average daily total sales is {format_number(ONE.sales.mean())}, over 20 days."
    grouped = _ask(rt, "mean sales per day by store", dataset="one")
    assert grouped.rows[0]["average daily sales"] == pytest.approx(ONE.sales.mean())
    assert "summed" not in grouped.answer

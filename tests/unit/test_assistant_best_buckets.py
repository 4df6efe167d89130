"""A QA pass on the Kaggle store/item demand table (daily `sales` per store and item): "best"/"worst" written before a
bucket or a thing gave one row's value ("what was the best year for sales": "The maximum of sales is 181"; "best
selling item": MAX(sales)) or the highest key ("best store by average sales": "The average of store is 2"; "which
store had the best month": MAX(store)). The buckets or things are ranked now, by the measure named, else by the
table's one column of what is sold; a thing with no measure and no such column is refused ('best' by what?)."""
import numpy as np
import pandas as pd
import pytest

from tests.support import asked, runtime_with_tables

rng = np.random.default_rng(30)
DAYS = pd.date_range("2016-01-01", "2017-12-31", freq="D")
SALES = pd.concat([pd.DataFrame({"date": DAYS.strftime("%Y-%m-%d"), "store": store, "item": item,
                                 "sales": rng.poisson(5 * item + DAYS.month.to_numpy() * store)})
                   for store in (1, 2, 3) for item in (1, 2, 3, 4)], ignore_index=True)
YEAR = SALES.date.str[:4]
MONTH = SALES.date.str[:7]


@pytest.fixture(scope="module")
def rt(tmp_path_factory):
    return runtime_with_tables(tmp_path_factory.mktemp("best") / "var", {"sales": SALES})


@pytest.mark.parametrize("question", ["what was the best year for sales", "what was the best year"])
def test_the_best_year_is_the_year_with_the_highest_total(rt, question):
    years = SALES.groupby(YEAR)["sales"].sum()
    reply = asked(rt, question, "sales")
    assert reply.rows[0] == {"year": years.idxmax(), "total sales": years.max()}, reply.answer
    assert reply.answer == f"year {years.idxmax()} ({years.max():,}) has the highest total sales.", reply.answer


@pytest.mark.parametrize("question, where", [("what was the worst month for sales", SALES.sales > -1),
                                             ("worst month for sales in store 2", SALES.store == 2),
                                             ("which month was worst in 2017", YEAR == "2017")])
def test_the_worst_month_is_the_month_with_the_lowest_total(rt, question, where):
    months = SALES[where].groupby(MONTH[where])["sales"].sum()
    reply = asked(rt, question, "sales")
    assert reply.rows[0] == {"month": months.idxmin(), "total sales": months.min()}, reply.answer


def test_what_were_the_sales_in_the_best_day(rt):
    days = SALES.groupby("date")["sales"].sum()
    reply = asked(rt, "what were the sales on the best day", "sales")
    assert reply.rows[0] == {"day": days.idxmax(), "total sales": days.max()}, reply.answer


def test_best_selling_and_best_by_a_measure_rank_the_things_named(rt):
    items = SALES[YEAR == "2017"].groupby("item")["sales"].sum()
    reply = asked(rt, "what is the best selling item in 2017", "sales")
    assert reply.rows[0] == {"item": int(items.idxmax()), "total sales": items.max()}, reply.answer
    stores = SALES.groupby("store")["sales"].mean()
    reply = asked(rt, "best store by average sales", "sales")
    assert reply.rows[0]["store"] == stores.idxmax(), reply.answer
    assert reply.rows[0]["average sales"] == pytest.approx(stores.max())
    worst = SALES.groupby("store")["sales"].sum()
    reply = asked(rt, "worst selling store", "sales")
    assert reply.rows[0] == {"store": int(worst.idxmin()), "total sales": worst.min()}, reply.answer


@pytest.mark.parametrize("question", ["which store had the best month", "best store", "worst item"])
def test_a_thing_ranked_by_no_measure_is_refused_not_its_highest_number(rt, question):
    reply = asked(rt, question, "sales", refused=True)
    assert "by what?" in reply.answer and not reply.rows, reply.answer

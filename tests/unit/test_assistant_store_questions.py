"""Questions on a store_item_demand-shaped table that were refused: "total sales between 2016 and 2017" (the years
taken as bounds of the sales amounts, not as the period) and "how many distinct store ids" ("ids" left unused)."""
import pandas as pd
import pytest

from services import assistant, datasets
from tests.support import make_runtime, store_item_sales

DAYS = pd.date_range("2015-01-01", "2018-12-31", freq="D")


@pytest.fixture(scope="module")
def sales():
    return store_item_sales(DAYS, [1, 2], [1, 2], seed=3, low=1000, high=3000)


@pytest.fixture(scope="module")
def rt(tmp_path_factory, sales):
    runtime = make_runtime(tmp_path_factory.mktemp("span") / "var")
    datasets.import_dataset(runtime, sales.to_csv(index=False).encode(), filename="demand.csv", name="demand",
                            user="ana")
    return runtime


def _years(sales: pd.DataFrame, first: int, last: int) -> pd.DataFrame:
    return sales[pd.to_datetime(sales["date"]).dt.year.between(first, last)]


def test_total_between_two_years_is_the_total_over_that_period(rt, sales):
    reply = assistant.answer(rt, "total sales between 2016 and 2017", user="ana", dataset="demand", save=False)
    assert f"{_years(sales, 2016, 2017)['sales'].sum():,}" in reply.answer


def test_average_between_two_years_for_a_store(rt, sales):
    reply = assistant.answer(rt, "average sales between 2015 and 2016 for store 2", user="ana", dataset="demand",
                             save=False)
    part = _years(sales, 2015, 2016)
    assert f"{part[part['store'] == 2]['sales'].mean():,.2f}" in reply.answer


def test_years_after_a_column_with_no_aggregate_still_bound_the_column(rt, sales):
    # sales of 1000..2999: "sales between 2016 and 2017" is a bound on the amount, as before
    reply = assistant.answer(rt, "how many rows have sales between 2016 and 2017", user="ana", dataset="demand",
                             save=False)
    assert f"{int(sales['sales'].between(2016, 2017).sum()):,}" in reply.answer


@pytest.mark.parametrize("question, column", [("how many distinct store ids", "store"),
                                              ("how many distinct item ids", "item")])
def test_ids_after_a_column_count_its_distinct_values(rt, sales, question, column):
    # "ids" right after a column named its values; it was refused as a word of the question left unused
    reply = assistant.answer(rt, question, user="ana", dataset="demand", save=False)
    assert not reply.cannot and f"There are {sales[column].nunique()} distinct values of {column}" in reply.answer


def test_ids_of_no_column_are_still_refused(rt):
    # no product column: "product ids" is not the item column, which would be a guess
    assert assistant.answer(rt, "how many distinct product ids", user="ana", dataset="demand", save=False).cannot

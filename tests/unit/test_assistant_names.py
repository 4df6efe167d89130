"""Column names written short (ARR_DELAY, OP_CARRIER, qty, number_diagnoses) found by the words a question uses,
only where one column is named that way; and periods the plan must not drop ("second half of 2023",
"last month")."""
from datetime import date
from pathlib import Path

import pytest

from domain.assistant_dates import date_range
from services.assistant_intents import CannotAnswer, plan
from services.assistant_mentions import find_columns
from services.assistant_router import parse
from services.assistant_table import TableContext


def _table(types, values=None, unique=()):
    return TableContext(name="t", view="t", path=Path("unused.parquet"), rows=1000, columns=tuple(types),
                        kinds={c: "numeric" if "INT" in t or "DOUBLE" in t else "text" for c, t in types.items()},
                        types=types, values=values or {}, unique={c: c in unique for c in types})


FLIGHTS = _table({"FL_DATE": "DATE", "OP_CARRIER": "VARCHAR", "OP_CARRIER_FL_NUM": "BIGINT", "DEST": "VARCHAR",
                  "ARR_DELAY": "DOUBLE", "DEP_DELAY": "DOUBLE", "CRS_DEP_TIME": "BIGINT", "qty": "BIGINT",
                  "number_diagnoses": "BIGINT", "cust_name": "VARCHAR"})


@pytest.mark.parametrize("question,column", [
    ("average arrival delay", "ARR_DELAY"), ("max departure delay", "DEP_DELAY"),
    ("flights by carrier", "OP_CARRIER"),  # not OP_CARRIER_FL_NUM, which has more words
    ("flights by destination", "DEST"), ("total quantity", "qty"), ("average number of diagnoses", "number_diagnoses"),
    ("by carrier flight number", "OP_CARRIER_FL_NUM"),
])
def test_abbreviated_names_are_found_by_the_words_they_stand_for(question, column):
    assert [m.column for m in find_columns(question, FLIGHTS)] == [column]


def test_a_written_out_name_another_column_has_names_that_column_only():
    table = _table({"OP_CARRIER": "VARCHAR", "CARRIER": "VARCHAR", "DEP_DELAY": "DOUBLE",
                    "departure_delay": "DOUBLE"})
    assert [m.column for m in find_columns("by carrier", table)] == ["CARRIER"]
    assert [m.column for m in find_columns("average departure delay", table)] == ["departure_delay"]


def test_a_written_out_name_two_columns_share_names_neither():
    table = _table({"dep_dt": "DATE", "dep_date": "DATE", "arr_delay": "DOUBLE"})
    assert find_columns("earliest departure date", table) == []  # dep_dt or dep_date: a refusal, not a guess
    assert [m.column for m in find_columns("earliest dep date", table)] == ["dep_date"]


@pytest.mark.parametrize("text,start,end", [
    ("spent in the second half of 2023", date(2023, 7, 1), date(2024, 1, 1)),
    ("total in the first half of 2022", date(2022, 1, 1), date(2022, 7, 1)),
    ("sales in h2 2021", date(2021, 7, 1), date(2022, 1, 1)),
])
def test_half_years_are_periods(text, start, end):
    found = date_range(text)
    assert (found.start, found.end) == (start, end)


BUDGET = _table({"Date": "DATE", "Description": "VARCHAR", "Amount": "DOUBLE", "Transaction Type": "VARCHAR",
                 "Category": "VARCHAR"},
                {"Description": ["Starbucks", "Payroll"], "Transaction Type": ["debit", "credit"],
                 "Category": ["Groceries", "Shopping", "Paycheck"], "Amount": [12.5, 3200.0]})


@pytest.mark.parametrize("question", ["how much did I spend on shopping last month?",
                                      "how much did I spend on bakery items?",
                                      "what is my income minus spending?"])
def test_spending_with_words_the_plan_cannot_apply_is_refused(question):
    with pytest.raises(CannotAnswer):
        plan(parse(question, BUDGET), BUDGET)


def test_spending_adds_the_debit_rows_of_the_money_column():
    chosen = plan(parse("how much did I spend on grocery at Starbucks?", BUDGET), BUDGET)
    assert (chosen.spec.agg, chosen.spec.measure) == ("sum", "Amount")
    assert {(f.column, f.value) for f in chosen.spec.filters} == {("Category", "Groceries"),
                                                                  ("Description", "Starbucks"),
                                                                  ("Transaction Type", "debit")}


TITLES = _table({"title": "VARCHAR", "director": "VARCHAR", "rating": "VARCHAR"},
                {"director": ["Jan Suter", "Ava Duvernay"], "rating": ["R", "PG"]}, unique=("title",))


def test_who_did_something_most_ranks_the_column_of_the_verb_not_the_row_names():
    chosen = plan(parse("who directed the most titles?", TITLES), TITLES)
    assert (chosen.spec.group_by, chosen.spec.agg) == ("director", "count")
    with pytest.raises(CannotAnswer):  # "who" names rows by their titles, one row each: a count says nothing
        plan(parse("who sold the most?", TITLES), TITLES)

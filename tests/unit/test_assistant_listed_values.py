"""Conditions that were refused though the data can take them: "items 1 and 2" (only "item 1 or item 2" was
read), "loans over 10000" (no column named before the bound) and "renters" (the housing value rent, said as who)."""
import numpy as np
import pandas as pd
import pytest

from tests.support import asked, runtime_with_tables

rng = np.random.default_rng(11)
N = 400
LOANS = pd.DataFrame({"duration": rng.integers(6, 60, N), "credit_amount": rng.integers(300, 18000, N),
                      "age": rng.integers(19, 75, N), "housing": rng.choice(["own", "rent", "for free"], N),
                      "class": rng.choice(["good", "bad"], N, p=[0.7, 0.3])})
DAYS = pd.date_range("2023-01-01", "2023-03-31")
SALES = pd.DataFrame([(d, s, i) for d in DAYS for s in (1, 2) for i in (1, 2, 3)], columns=["date", "store", "item"])
SALES = SALES.assign(sales=rng.integers(0, 40, len(SALES)), date=SALES["date"].dt.strftime("%Y-%m-%d"))


@pytest.fixture(scope="module")
def rt(tmp_path_factory):
    return runtime_with_tables(tmp_path_factory.mktemp("listed") / "var", {"loans": LOANS, "sales": SALES})


def test_numbers_listed_after_a_column_are_one_condition(rt):
    march = SALES[SALES["date"].str.startswith("2023-03")]
    for question in ("total sales for items 1 and 2 last month", "total sales for items 1, 2 or 3 last month"):
        items = [1, 2] if "and 2" in question else [1, 2, 3]
        reply = asked(rt, question, "sales")
        totals = march[march["item"].isin(items)].groupby("item")["sales"].sum()
        assert {r["item"]: r["total sales"] for r in reply.rows} == totals.to_dict(), reply.answer
        assert f"item in ({', '.join(map(str, items))})" in reply.answer
    reply = asked(rt, "items 1 and 2 last month", "sales")
    assert reply.rows == [{"rows": int(march["item"].isin([1, 2]).sum())}], reply.answer
    reply = asked(rt, "total sales for items 1 and 9", "sales", refused=True)
    assert "there is no item 9 in the data" in reply.answer


def test_a_bound_after_loans_is_the_amount(rt):
    over = LOANS[LOANS["credit_amount"] > 10000]
    reply = asked(rt, "what percentage of loans over 10000 are bad", "loans")
    assert reply.rows[0]["rows"] == len(over) and reply.rows[0]["matching rows"] == int((over["class"] == "bad").sum())
    assert "'loans over 10000' taken as the credit_amount of each" in reply.answer, reply.answer
    reply = asked(rt, "average age for loans over 10000", "loans")
    assert reply.rows[0]["average age"] == pytest.approx(over["age"].mean()), reply.answer


def test_renters_are_the_rows_with_housing_rent(rt):
    rent = LOANS[LOANS["housing"] == "rent"]
    reply = asked(rt, "what fraction of renters are bad", "loans")
    assert reply.rows[0]["rows"] == len(rent) and reply.rows[0]["matching rows"] == int((rent["class"] == "bad").sum())
    assert "housing = rent" in reply.answer, reply.answer
    reply = asked(rt, "how many owners", "loans")
    assert reply.rows == [{"rows": int((LOANS["housing"] == "own").sum())}], reply.answer

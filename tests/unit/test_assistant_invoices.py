"""A QA pass on an Online-Retail-shaped invoice table (InvoiceNo repeats over its lines, returns have a negative
Quantity) and a Titanic-shaped passenger list: each case was a wrong number or a refusal of a plain question."""
import numpy as np
import pandas as pd
import pytest

from services import assistant
from tests.support import runtime_with_tables


def _lines() -> pd.DataFrame:
    rng = np.random.default_rng(5)
    invoices = np.sort(rng.integers(536365, 536400, 120))
    quantity = rng.choice([1, 2, 6, 12], 120) * np.where(rng.random(120) < 0.1, -1, 1)
    return pd.DataFrame({"InvoiceNo": [f"{'C' if q < 0 else ''}{i}" for i, q in zip(invoices, quantity)],
                         "StockCode": rng.choice(["85123A", "71053", "POST"], 120), "Quantity": quantity,
                         "InvoiceDate": pd.Timestamp("2011-01-03 08:26")
                         + pd.to_timedelta(invoices - invoices.min(), unit="h"),
                         "UnitPrice": rng.choice([2.55, 3.39, 18.0], 120),
                         "CustomerID": [float(12346 + i % 7) for i in invoices],
                         "Country": rng.choice(["United Kingdom", "France"], 120)})


LINES = _lines()
PEOPLE = pd.DataFrame({"PassengerId": range(1, 7), "Survived": [0, 1, 1, 0, 1, 0], "Fare": [7.25, 71.28, 7.92, 53.1,
                                                                                          8.05, 8.46]})


@pytest.fixture(scope="module")
def rt(tmp_path_factory):
    ports = pd.DataFrame({"Fare": [10.0, 20.0, 80.0, 10.0], "Embarked": ["S", "C", None, "S"]})
    return runtime_with_tables(tmp_path_factory.mktemp("invoices") / "var",
                               {"retail": LINES, "titanic": PEOPLE, "ports": ports})


def _ask(rt, question, dataset="retail"):
    return assistant.answer(rt, question, user="ana", dataset=dataset, save=False)


def test_how_many_invoices_counts_distinct_invoice_numbers(rt):
    reply = _ask(rt, "how many invoices are there?")  # was every line: 120 rows
    assert reply.rows == [{"distinct InvoiceNo": LINES.InvoiceNo.nunique()}], reply.answer


def test_an_average_per_invoice_sums_each_invoices_lines_first(rt):
    per_invoice = LINES.groupby("InvoiceNo").Quantity.sum()
    reply = _ask(rt, "what is the average quantity per invoice?")  # was refused
    assert reply.rows[0]["average Quantity per InvoiceNo"] == pytest.approx(per_invoice.mean())
    assert f"over {len(per_invoice)} InvoiceNo values, then averaged" in reply.answer
    grouped = _ask(rt, "average quantity per invoice by country")
    expected = LINES.groupby(["Country", "InvoiceNo"]).Quantity.sum().groupby("Country").mean()
    assert {r["Country"]: r["average Quantity per InvoiceNo"] for r in grouped.rows} == pytest.approx(
        expected.to_dict())


def test_an_average_per_customer_is_one_figure_over_the_customers(rt):
    per_customer = LINES.groupby("CustomerID").Quantity.sum()
    reply = _ask(rt, "what is the average quantity per customer?")  # listed each customer's average line
    assert reply.rows[0]["average Quantity per CustomerID"] == pytest.approx(per_customer.mean()), reply.answer
    assert len(reply.rows) == 1 and reply.rows[0]["CustomerID values"] == len(per_customer)


def test_a_negative_quantity_is_below_zero(rt):
    reply = _ask(rt, "how many rows have a negative quantity?")  # was refused: 'negative'
    assert reply.rows == [{"rows": int((LINES.Quantity < 0).sum())}]
    assert "Quantity < 0 (for 'negative quantity')" in reply.answer


def test_a_verb_after_a_money_column_says_what_it_holds(rt):
    reply = _ask(rt, "what is the total fare paid?", dataset="titanic")  # was refused: 'paid'
    assert reply.rows == [{"total Fare": pytest.approx(PEOPLE.Fare.sum())}], reply.answer


def test_a_blank_group_is_named_as_blank(rt):
    reply = _ask(rt, "average fare by embarked", dataset="ports")
    assert reply.answer.startswith("Average Fare by Embarked: no Embarked (80), C (20), S (10)"), reply.answer


def test_the_customer_who_bought_the_most_is_ranked_by_quantity(rt):
    totals = LINES.groupby("CustomerID").Quantity.sum()
    reply = _ask(rt, "which customer bought the most?")  # ranked customers by their number of lines
    assert reply.rows[0] == {"CustomerID": totals.idxmax(), "total Quantity": totals.max()}, reply.answer

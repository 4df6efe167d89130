"""Fresh-eyes QA on a Kaggle-supermarket-sales-shaped table (Invoice ID, Branch, City, Customer type, Gender, Product
line, Unit price, Quantity, Tax 5%, Total, Date as m/d/yyyy, Time, Payment, cogs, gross margin percentage, gross
income, Rating): "total gross income by city" was refused (`Total` is a column too), "total tax 5% in January 2019"
was refused (a percentage) and "what percentage of customers are members" was grouped by the constant `gross margin
percentage` ("percentage" read as that column)."""
import numpy as np
import pandas as pd
import pytest

from tests.support import asked, runtime_with_tables

rng = np.random.default_rng(30)
N = 300
PRICE, QTY = np.round(rng.uniform(10, 100, N), 2), rng.integers(1, 11, N)
TAX = np.round(PRICE * QTY * 0.05, 4)
SALES = pd.DataFrame({"Invoice ID": [f"{750 + i}-67-{8428 + i}" for i in range(N)],
                      "Branch": rng.choice(list("ABC"), N), "City": rng.choice(["Yangon", "Mandalay", "Naypyitaw"], N),
                      "Customer type": rng.choice(["Member", "Normal"], N), "Gender": rng.choice(["Male", "Female"], N),
                      "Product line": rng.choice(["Health and beauty", "Sports and travel", "Food and beverages"], N),
                      "Unit price": PRICE, "Quantity": QTY, "Tax 5%": TAX, "Total": np.round(PRICE * QTY + TAX, 4),
                      "Date": [f"{m}/{d}/2019" for m, d in zip(rng.integers(1, 4, N), rng.integers(1, 29, N))],
                      "Time": [f"{h:02d}:{m:02d}" for h, m in zip(rng.integers(10, 21, N), rng.integers(0, 60, N))],
                      "Payment": rng.choice(["Ewallet", "Cash", "Credit card"], N), "cogs": np.round(PRICE * QTY, 2),
                      "gross margin percentage": 4.761904762, "gross income": TAX,
                      "Rating": np.round(rng.uniform(4, 10, N), 1)})


@pytest.fixture(scope="module")
def rt(tmp_path_factory):
    return runtime_with_tables(tmp_path_factory.mktemp("supermarket") / "var", {"sales": SALES})


def test_total_before_a_column_is_its_statistic_where_total_is_a_column_too(rt):
    cities = SALES.groupby("City")["gross income"].sum()
    reply = asked(rt, "total gross income by city", "sales")  # was refused: no column named
    assert {r["City"]: r["total gross income"] for r in reply.rows} == pytest.approx(cities.to_dict())
    branches = SALES.groupby("Branch")["Total"].sum()
    reply = asked(rt, "total by branch", "sales")  # the column alone is still the column
    assert {r["Branch"]: r["total Total"] for r in reply.rows} == pytest.approx(branches.to_dict())


def test_what_percentage_of_is_a_share_not_a_percentage_column(rt):
    members = int((SALES["Customer type"] == "Member").sum())
    reply = asked(rt, "what percentage of customers are members", "sales")  # grouped by gross margin percentage
    assert reply.rows == [{"matching rows": members, "rows": N,
                           "% Customer type = Member": pytest.approx(100 * members / N)}]
    reply = asked(rt, "average gross margin percentage", "sales")
    assert reply.rows == [{"average gross margin percentage": pytest.approx(4.761904762)}]


def test_a_tax_named_with_its_rate_holds_amounts(rt):
    january = SALES.Date.str.startswith("1/")
    reply = asked(rt, "total tax 5% in January 2019", "sales")  # refused: 'Tax 5%' read as a percentage
    assert reply.rows == [{"total Tax 5%": pytest.approx(SALES["Tax 5%"][january].sum())}]
    branches = SALES.groupby("Branch")["Tax 5%"].sum()
    reply = asked(rt, "tax 5% by branch", "sales")  # averaged, as a level
    assert {r["Branch"]: r["total Tax 5%"] for r in reply.rows} == pytest.approx(branches.to_dict())
    reply = asked(rt, "total gross margin percentage", "sales", refused=True)  # a percentage still does not add up
    assert "holds percentages or rates" in reply.answer

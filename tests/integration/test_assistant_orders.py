"""An IBM-HR-shaped and an order-lines-shaped table (a QA pass against pandas): a monthly pay is a level, "highest
paid" is the pay column (not `TotalWorkingYears`, taken for money by its "total"), units sold are the quantity's
total (not order lines), "sold" beside a quantity is no unused word, and a grouping never gets a docs excerpt."""
import numpy as np
import pandas as pd
import pytest

from tests.support import ask, first_value, runtime_with_tables

rng = np.random.default_rng(7)
N = 300
ROLES = ["Manager", "Sales Executive", "Analyst"]
HR = pd.DataFrame({"EmployeeNumber": np.arange(1, N + 1), "JobRole": rng.choice(ROLES, N, p=[.6, .3, .1]),
                   "MonthlyIncome": rng.integers(1000, 20000, N), "PercentSalaryHike": rng.integers(11, 26, N),
                   "TotalWorkingYears": rng.integers(0, 40, N), "YearsAtCompany": rng.integers(0, 30, N)})
LINES = pd.DataFrame({"order_id": np.repeat(np.arange(5000, 5100), 3), "category": rng.choice(["Books", "Toys"], N),
                      "country": rng.choice(["France", "Spain"], N), "quantity": rng.integers(1, 8, N),
                      "unit_price": rng.uniform(5, 50, N).round(2), "customer_id": rng.integers(100, 140, N),
                      "discount": rng.choice([0, 0.1, 0.2], N)})


@pytest.fixture(scope="module")
def runtime(tmp_path_factory):
    return runtime_with_tables(tmp_path_factory.mktemp("orders") / "var", {"hr": HR, "lines": LINES})


def test_a_monthly_pay_per_group_is_its_average_and_highest_paid_is_the_pay(runtime):
    means = HR.groupby("JobRole").MonthlyIncome.mean()
    reply = ask(runtime, "hr", "which job role has the highest monthly income?")  # the role with most people won
    assert reply.rows[0] == {"JobRole": means.idxmax(), "average MonthlyIncome": pytest.approx(means.max())}
    reply = ask(runtime, "hr", "who is the highest paid employee?")  # was the largest TotalWorkingYears
    assert "MonthlyIncome" in reply.answer and str(HR.MonthlyIncome.max()) in reply.answer.replace(",", "")
    assert str(HR.EmployeeNumber[HR.MonthlyIncome.idxmax()]) in [str(r["EmployeeNumber"]) for r in reply.rows]
    tenure = HR.groupby("JobRole").YearsAtCompany.mean()  # the role with most people won by its total years
    assert first_value(ask(runtime, "hr", "which job role has the highest years at company?")) == tenure.idxmax()


def test_units_sold_are_the_quantity_total_not_the_order_lines(runtime):
    assert first_value(ask(runtime, "lines", "what is the total quantity sold?")) == LINES.quantity.sum()  # refused
    reply = ask(runtime, "lines", "how many items were sold in France?")  # counted 150-odd lines
    assert first_value(reply) == LINES.quantity[LINES.country == "France"].sum(), reply.answer
    totals = LINES.groupby("category").quantity.sum()
    reply = ask(runtime, "lines", "which category sold the most units?")  # ranked by lines, the number was lines
    assert reply.rows[:1] == [{"category": totals.idxmax(), "total quantity": totals.max()}], reply.answer


def test_a_grouping_with_no_column_for_its_measure_is_refused_not_sent_to_the_docs(runtime):
    reply = ask(runtime, "lines", "What is the profit margin by category?")
    assert reply.cannot and "profit margin" in reply.answer and "docs/" not in reply.answer, reply.answer


def test_the_most_customers_are_distinct_customer_ids(runtime):
    reply = ask(runtime, "lines", "which country has the most customers?")  # refused: customer_id repeats
    distinct = LINES.groupby("country").customer_id.nunique()
    assert reply.rows[0] == {"country": distinct.idxmax(), "distinct customer_id": distinct.max()}, reply.answer


def test_no_discount_is_a_discount_of_0_where_the_column_is_never_blank(runtime):
    reply = ask(runtime, "lines", "how many lines had no discount?")  # refused: 'discount' unused
    assert first_value(reply) == (LINES.discount == 0).sum() and "discount = 0" in reply.answer, reply.answer


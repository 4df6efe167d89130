"""A point-of-sale table whose one money column is named only `amount`: "total sales", "revenue by month" and "which
store has the highest sales" add that column up; the first two were refused ("no numeric column matches 'sales'")
and "which day had the highest sales" counted each day's rows."""
import numpy as np
import pandas as pd
import pytest

from tests.support import asked, runtime_with_tables

rng = np.random.default_rng(5)
N = 300
STAMPS = pd.Timestamp("2024-01-01") + pd.to_timedelta(rng.integers(0, 75 * 86400, N), unit="s")
POS = pd.DataFrame({"transaction_id": np.arange(1, N + 1), "timestamp": STAMPS.strftime("%Y-%m-%d %H:%M:%S"),
                    "store": rng.choice(["North", "South", "East"], N), "amount": np.round(rng.gamma(2, 12, N), 2)})
# a ledger marks money in and out: its amounts are not all sales, so "sales" is left to the refusals there
LEDGER = pd.DataFrame({"date": ["2024-01-02", "2024-01-03", "2024-01-04"], "type": ["debit", "credit", "debit"],
                       "amount": [12.5, 300.0, 40.25]})


@pytest.fixture(scope="module")
def rt(tmp_path_factory):
    return runtime_with_tables(tmp_path_factory.mktemp("pos") / "var", {"pos": POS, "ledger": LEDGER})


def test_total_sales_and_revenue_add_up_the_amount(rt):
    for question in ("total sales", "what is the total revenue"):
        reply = asked(rt, question, "pos")
        assert reply.rows == [{"total amount": pytest.approx(POS.amount.sum())}], reply.answer
        assert "amount" in reply.answer


def test_sales_by_period_and_group_are_totals(rt):
    months = POS.groupby(POS.timestamp.str[:7]).amount.sum()
    reply = asked(rt, "total sales by month", "pos")
    assert {r["month"]: round(r["total amount"], 2) for r in reply.rows} == {k: round(v, 2) for k, v in months.items()}
    days = POS.groupby(POS.timestamp.str[:10]).amount.sum()
    reply = asked(rt, "which day had the highest sales", "pos")
    assert [r["day"] for r in reply.rows] == [days.idxmax()], reply.answer  # it was the day with the most rows
    stores = POS.groupby("store").amount.sum()
    reply = asked(rt, "which store has the highest sales", "pos")
    assert [r["store"] for r in reply.rows] == list(stores.sort_values(ascending=False).index), reply.answer


def test_a_ledger_and_a_count_of_sales_are_not_read_as_amounts(rt):
    asked(rt, "total sales", "ledger", refused=True)
    asked(rt, "how many sales", "pos", refused=True)

"""Levels over dates (a balance per account per day, a stock on hand per store and product per day, a headcount
per department per month, one price per day) were added up over the dates: "total balance" was 60 days of 4
accounts. They are read at each entity's latest date now, summed across entities, and the reply names the date."""
import numpy as np
import pandas as pd
import pytest

from services import assistant
from tests.support import runtime_with_tables


def _bank() -> pd.DataFrame:
    rng = np.random.default_rng(1)
    days = pd.date_range("2024-01-01", periods=40).strftime("%Y-%m-%d")
    frames = [pd.DataFrame({"account_id": f"ACC-00{i}", "date": days, "deposits": rng.integers(0, 100, len(days)),
                            "balance": (1000 + rng.normal(0, 50, len(days)).cumsum()).round(2),
                            "branch": "North" if i < 3 else "South"}) for i in range(1, 5)]
    return pd.concat(frames, ignore_index=True)


def _inventory() -> pd.DataFrame:
    days = pd.date_range("2024-03-01", periods=20).strftime("%Y-%m-%d")
    frames = [pd.DataFrame({"store_id": store, "product": product, "date": days,
                            "stock_on_hand": 100 * store + 7 * len(product) - np.arange(len(days)) * store,
                            "units_sold": store})
              for store in (1, 2, 3) for product in ("Widget", "Gadget")]
    return pd.concat(frames, ignore_index=True)


BANK, INVENTORY = _bank(), _inventory()
HEADCOUNT = pd.DataFrame({"month": np.tile(pd.date_range("2023-01-01", periods=12, freq="MS").strftime("%Y-%m-%d"), 3),
                          "department": np.repeat(["Sales", "Engineering", "HR"], 12),
                          "headcount": np.concatenate([40 + np.arange(12) % 5, 80 + np.arange(12) % 4, [10] * 12])})
PRICES = pd.DataFrame({"date": pd.date_range("2024-01-01", periods=30).strftime("%Y-%m-%d"),
                       "price": np.round(100 + np.sin(np.arange(30)) * 3, 2)})
COUNTRIES = [("Albania", "Europe", 10**6), ("France", "Europe", 4 * 10**7), ("Japan", "Asia", 9 * 10**7)]
GAPMINDER = pd.DataFrame([{"country": c, "continent": k, "year": y, "pop": base + 1000 * i * (j + 1)}
                          for j, (c, k, base) in enumerate(COUNTRIES) for i, y in enumerate(range(1952, 2008, 5))])
STAMPS = pd.date_range("2024-01-01 09:00", periods=15, freq="17h").strftime("%Y-%m-%d %H:%M")
LEDGER = pd.DataFrame({"account_id": np.repeat(["A-100", "A-200", "A-300"], [6, 4, 5]), "timestamp": STAMPS,
                       "amount": [50.0, -20, 10, -5, 30, -12, 100, -40, 25, -10, 70, -30, 15, -5, 20]})
LEDGER["balance_after"] = 500 + LEDGER.groupby("account_id").amount.cumsum()
ORDERS = pd.DataFrame({"order_date": pd.date_range("2024-01-01", periods=60, freq="7h").strftime("%Y-%m-%d %H:%M"),
                       "customer": np.tile(["Ann", "Bob", "Cy"], 20), "price": np.arange(60) * 1.5 + 10})


@pytest.fixture(scope="module")
def rt(tmp_path_factory):
    return runtime_with_tables(tmp_path_factory.mktemp("levels") / "var", {
        "bank": BANK, "inventory": INVENTORY, "headcount": HEADCOUNT, "prices": PRICES, "orders": ORDERS,
        "gapminder": GAPMINDER, "ledger": LEDGER})


def _ask(rt, question, dataset):
    reply = assistant.answer(rt, question, user="ana", dataset=dataset, save=False)
    assert not reply.cannot, reply.answer
    return reply


def _latest(frame, date, keys):
    return frame.sort_values(date).groupby(keys).tail(1)


def test_a_total_balance_adds_each_accounts_latest_balance_and_names_the_date(rt):
    latest = _latest(BANK, "date", ["account_id"])
    reply = _ask(rt, "What is the total balance?", "bank")  # was SUM(balance) over 40 days
    assert reply.rows[0]["total balance"] == pytest.approx(latest.balance.sum()), reply.query
    assert "2024-02-09" in reply.answer and "4 account_id values" in reply.answer, reply.answer
    reply = _ask(rt, "What is the balance of account ACC-002?", "bank")  # listed its 40 balances
    assert len(reply.rows) == 1 and reply.rows[0]["total balance"] == pytest.approx(
        latest.set_index("account_id").balance["ACC-002"]), reply.answer
    assert "on 2024-02-09" in reply.answer
    by_branch = _ask(rt, "total balance by branch", "bank")
    expected = latest.groupby("branch").balance.sum()
    assert {r["branch"]: r["total balance"] for r in by_branch.rows} == pytest.approx(expected.to_dict())
    best = _ask(rt, "which account has the highest balance", "bank")
    assert best.rows[0]["account_id"] == latest.loc[latest.balance.idxmax(), "account_id"], best.answer


def test_a_date_named_and_other_statistics_are_left_as_asked(rt):
    reply = _ask(rt, "balance of ACC-003 on 2024-01-15", "bank")
    day = BANK[(BANK.account_id == "ACC-003") & (BANK.date == "2024-01-15")]
    assert next(iter(reply.rows[0].values())) == pytest.approx(day.balance.iloc[0])
    assert _ask(rt, "average balance", "bank").rows[0]["average balance"] == pytest.approx(BANK.balance.mean())
    assert _ask(rt, "total deposits", "bank").rows[0]["total deposits"] == BANK.deposits.sum()  # a flow
    january = _latest(BANK[BANK.date <= "2024-01-31"], "date", ["account_id"])
    reply = _ask(rt, "total balance in January 2024", "bank")
    assert reply.rows[0]["total balance"] == pytest.approx(january.balance.sum()) and "2024-01-31" in reply.answer


def test_stock_on_hand_per_store_and_product_and_a_monthly_headcount(rt):
    latest = _latest(INVENTORY, "date", ["store_id", "product"])
    reply = _ask(rt, "What is the total stock on hand?", "inventory")
    assert reply.rows[0]["total stock_on_hand"] == latest.stock_on_hand.sum(), reply.query
    reply = _ask(rt, "total stock_on_hand by store", "inventory")
    assert {r["store_id"]: r["total stock_on_hand"] for r in reply.rows} == \
        latest.groupby("store_id").stock_on_hand.sum().to_dict()
    staff = _latest(HEADCOUNT, "month", ["department"])
    assert _ask(rt, "What is the total headcount?", "headcount").rows[0]["total headcount"] == staff.headcount.sum()
    reply = _ask(rt, "headcount by department", "headcount")
    assert {r["department"]: r["latest headcount"] for r in reply.rows} == \
        staff.set_index("department").headcount.to_dict()


def test_one_price_a_day_and_the_latest_price_asked_by_name(rt):
    last = PRICES.sort_values("date").iloc[-1]
    for question in ("total price", "what is the latest price"):  # the sum of 30 prices; refused
        reply = _ask(rt, question, "prices")
        assert next(iter(reply.rows[0].values())) == pytest.approx(last.price) and last.date in reply.answer


def test_a_price_on_order_rows_is_still_summed(rt):
    reply = _ask(rt, "total price", "orders")  # one row an order at a time of day: no series of levels
    assert reply.rows == [{"total price": pytest.approx(ORDERS.price.sum())}], reply.answer


def test_a_value_asked_of_a_word_that_names_no_column_is_refused_not_counted(rt):
    reply = assistant.answer(rt, "what is the weather of ACC-001", user="ana", dataset="bank", save=False)
    assert reply.cannot and "'weather'" in reply.answer, reply.answer  # was "There are 40 rows where …"
    assert _ask(rt, "what is the count of ACC-001", "bank").rows == [{"rows": (BANK.account_id == "ACC-001").sum()}]


def test_a_population_over_integer_years_is_the_latest_years(rt):
    latest = GAPMINDER[GAPMINDER.year == 2007]
    reply = _ask(rt, "total pop", "gapminder")  # was the sum over 12 years
    assert reply.rows[0]["total pop"] == latest["pop"].sum() and "in 2007" in reply.answer, reply.answer
    reply = _ask(rt, "total pop in 1977", "gapminder")
    assert reply.rows[0]["total pop"] == GAPMINDER[GAPMINDER.year == 1977]["pop"].sum(), reply.answer
    reply = _ask(rt, "total pop by continent", "gapminder")
    assert {r["continent"]: r["total pop"] for r in reply.rows} == latest.groupby("continent")["pop"].sum().to_dict()


def test_a_running_balance_in_a_transaction_ledger_is_each_accounts_last_one(rt):
    last = LEDGER.sort_values("timestamp").groupby("account_id").tail(1)
    reply = _ask(rt, "total balance", "ledger")  # an account a few times a week: no balanced panel, still a balance
    assert reply.rows[0]["total balance_after"] == pytest.approx(last.balance_after.sum()), reply.answer
    assert _ask(rt, "total amount", "ledger").rows == [{"total amount": pytest.approx(LEDGER.amount.sum())}]


def test_a_level_by_month_is_each_entitys_last_value_of_the_month(rt):
    months = BANK.assign(month=BANK.date.str[:7]).sort_values("date").groupby(["account_id", "month"]).tail(1)
    reply = _ask(rt, "total balance by month", "bank")  # was every day of the month added up
    assert {r["month"]: r["total balance"] for r in reply.rows} == \
        pytest.approx(months.groupby("month").balance.sum().to_dict()), reply.answer
    assert "last date of each month" in reply.answer

"""Analyst questions over a point-of-sale table (one timestamp, one `sales` column), Superstore-like orders and NYC
taxi trips: "top 3 days by sales" listed the 3 largest single sales; "sales for category Furniture" listed the first
50 amounts; "how many trips with tolls" counted the 2 distinct values of tolls_amount; "profit margin by category"
gave the total Profit, the word "margin" dropped; "what share of employees in Sales left" was the share of all
employees (in Sales and gone), not of Sales'."""
import numpy as np
import pandas as pd
import pytest

from tests.support import asked, runtime_with_tables

rng = np.random.default_rng(11)
N = 600
STAMPS = pd.Timestamp("2024-01-01") + pd.to_timedelta(rng.integers(0, 60 * 86400, N), unit="s")
POS = pd.DataFrame({"timestamp": STAMPS.strftime("%Y-%m-%d %H:%M:%S"), "sales": np.round(rng.gamma(2, 25, N), 2)})
ORDERS = pd.DataFrame({"Order ID": [f"CA-{i // 2}" for i in range(N)], "Category": rng.choice(
    ["Furniture", "Technology", "Office Supplies"], N), "Sales": np.round(rng.gamma(1.2, 200, N), 2),
    "Profit": np.round(rng.normal(20, 60, N), 2)})
TRIPS = pd.DataFrame({"pickup_datetime": STAMPS.strftime("%Y-%m-%d %H:%M:%S"),
                      "dropoff_datetime": (STAMPS + pd.Timedelta(minutes=12)).strftime("%Y-%m-%d %H:%M:%S"),
                      "trip_distance": np.round(rng.gamma(1.5, 2, N), 2),
                      "fare_amount": np.round(rng.gamma(2, 6, N), 2),
                      "tolls_amount": np.where(rng.random(N) < 0.1, 6.55, 0.0)})

STAFF = pd.DataFrame({"EmployeeNumber": np.arange(1, N + 1), "Department": rng.choice(["Sales", "R&D", "HR"], N),
                      "Attrition": rng.choice(["Yes", "No"], N, p=[0.2, 0.8])})


@pytest.fixture(scope="module")
def rt(tmp_path_factory):
    return runtime_with_tables(tmp_path_factory.mktemp("shapes") / "var", {"pos": POS, "orders": ORDERS,
                                                                                 "trips": TRIPS, "staff": STAFF})


def test_top_and_bottom_periods_rank_the_periods(rt):
    days = POS.groupby(POS.timestamp.str[:10])["sales"].sum()
    reply = asked(rt, "top 3 days by sales", "pos")
    assert [(r["day"], round(r["total sales"], 2)) for r in reply.rows] == \
        [(d, round(v, 2)) for d, v in days.sort_values(ascending=False).head(3).items()], reply.answer
    months = POS.groupby(POS.timestamp.str[:7])["sales"].sum()
    reply = asked(rt, "bottom 1 months by sales", "pos")
    assert [r["month"] for r in reply.rows] == [months.idxmin()], reply.answer
    hours = STAMPS.hour.value_counts().sort_index().sort_values(ascending=False, kind="stable").head(3)
    reply = asked(rt, "top 3 hours by trips", "trips")  # whose hours, said once: "hour of pickup_datetimes" was written
    assert [(r["hour of pickup_datetime"], r["rows"]) for r in reply.rows] == list(hours.items()), reply.answer
    assert reply.answer.startswith("Top 3 hours of pickup_datetime by number of rows: "), reply.answer


def test_an_amount_under_a_named_column_value_is_its_total(rt):
    reply = asked(rt, "sales for category Furniture", "orders")
    total = ORDERS[ORDERS.Category == "Furniture"].Sales.sum()
    assert reply.rows == [{"total Sales": pytest.approx(total)}], reply.answer


def test_with_an_amount_is_above_zero(rt):
    reply = asked(rt, "how many trips with tolls", "trips")
    assert reply.rows == [{"rows": int((TRIPS.tolls_amount > 0).sum())}], reply.answer
    assert "tolls_amount > 0 (for 'with tolls')" in reply.answer, reply.answer


@pytest.mark.parametrize("question", ["profit margin by category", "top 2 categories by profit margin"])
def test_a_margin_no_column_holds_is_refused(rt, question):
    reply = asked(rt, question, "orders", refused=True)
    assert "'margin'" in reply.answer, reply.answer


def test_conditions_before_the_verb_left_are_the_population(rt):
    sales = STAFF[STAFF.Department == "Sales"]
    left = int((sales.Attrition == "Yes").sum())
    reply = asked(rt, "what share of employees in Sales left", "staff")
    assert (reply.rows[0]["matching rows"], reply.rows[0]["rows"]) == (left, len(sales)), reply.answer
    assert reply.answer.endswith(f"({left} of {len(sales)})."), reply.answer

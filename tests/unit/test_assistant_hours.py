"""A QA pass against pandas on an NYC yellow-taxi trip sample, a bike-share ride log, a one-price-a-day series,
Telco churn and IBM-HR employees: "number of trips by hour" and "which hour has the most pickups" were refused (no
hour bucket), "what is the price?" answered from the docs, "customers with online security" (Yes / No / No internet
service) was refused, and "top 3 employees by monthly income" listed bare ids."""
import numpy as np
import pandas as pd
import pytest

from services import assistant
from tests.support import runtime_with_tables

rng = np.random.default_rng(24)
N = 500
PICKUP = pd.Timestamp("2023-01-01") + pd.to_timedelta(rng.integers(0, 31 * 24 * 3600, N), unit="s")
TAXI = pd.DataFrame({"VendorID": rng.choice([1, 2], N), "tpep_pickup_datetime": PICKUP.strftime("%Y-%m-%d %H:%M:%S"),
                     "tpep_dropoff_datetime": (PICKUP + pd.Timedelta(minutes=40)).strftime("%Y-%m-%d %H:%M:%S"),
                     "PULocationID": rng.integers(1, 40, N), "trip_distance": np.round(rng.gamma(1.5, 2.0, N), 2),
                     "fare_amount": np.round(rng.uniform(3, 60, N), 2)})
STARTED = pd.Timestamp("2023-06-01") + pd.to_timedelta(rng.integers(0, 30 * 24 * 3600, 300), unit="s")
BIKE = pd.DataFrame({"ride_id": [f"R{i:05X}" for i in range(300)], "started_at": STARTED.strftime("%Y-%m-%d %H:%M:%S"),
                     "member_casual": rng.choice(["member", "casual"], 300)})
DAYS = pd.date_range("2021-01-01", periods=400, freq="D")
PRICE = pd.DataFrame({"date": DAYS.strftime("%Y-%m-%d"), "price": np.round(50 + np.cumsum(rng.normal(0, 1, 400)), 2)})
SALES = pd.DataFrame({"date": np.repeat(DAYS[:50].strftime("%Y-%m-%d"), 2), "store": np.tile([1, 2], 50),
                      "sales": rng.integers(1, 50, 100)})
INTERNET = rng.choice(["DSL", "Fiber optic", "No"], 300)
TELCO = pd.DataFrame({"customerID": [f"{i:04d}-QWERT" for i in range(300)], "InternetService": INTERNET,
                      "OnlineSecurity": np.where(INTERNET == "No", "No internet service",
                                                 rng.choice(["Yes", "No"], 300)),
                      "MonthlyCharges": np.round(rng.uniform(18, 119, 300), 2)})
HOURLY = pd.DataFrame({"dteday": np.repeat(DAYS[:3].strftime("%Y-%m-%d"), 24), "hr": np.tile(range(24), 3),
                       "cnt": rng.integers(1, 500, 72)})  # UCI bike sharing's hour.csv: the hour in its own column
HR = pd.DataFrame({"EmployeeNumber": rng.permutation(np.arange(1, 201)),
                   "MonthlyIncome": rng.integers(1000, 20000, 200)})


@pytest.fixture(scope="module")
def rt(tmp_path_factory):
    return runtime_with_tables(tmp_path_factory.mktemp("hours") / "var", {
        "taxi": TAXI, "bike": BIKE, "price": PRICE, "sales": SALES, "telco": TELCO, "hr": HR, "hourly": HOURLY})


def _ask(rt, question, dataset, refused=False):
    reply = assistant.answer(rt, question, user="ana", dataset=dataset, save=False)
    assert reply.cannot == refused, reply.answer
    return reply


def test_trips_by_hour_of_day_count_each_hour_over_all_dates(rt):
    hours = PICKUP.hour.value_counts().sort_index()
    for question in ("number of trips by hour", "number of trips by hour of the day"):
        reply = _ask(rt, question, "taxi")
        assert [(r["hour of tpep_pickup_datetime"], r["rows"]) for r in reply.rows] == list(hours.items())
        assert reply.answer.startswith("Number of rows by hour of tpep_pickup_datetime: 0 ("), reply.answer
    fares = TAXI.groupby(PICKUP.hour).fare_amount.mean()
    reply = _ask(rt, "average fare by hour of day", "taxi")
    assert {r["hour of tpep_pickup_datetime"]: r["average fare_amount"] for r in reply.rows} \
        == pytest.approx(fares.to_dict())
    shares = TAXI.groupby(PICKUP.hour).VendorID.apply(lambda v: 100 * (v == 2).mean())
    reply = _ask(rt, "what share of trips are from vendor 2 by hour", "taxi")
    got = {r["hour of tpep_pickup_datetime"]: r["% VendorID = 2"] for r in reply.rows}
    assert got == pytest.approx(shares.to_dict()), reply.answer
    rides = STARTED.hour.value_counts().sort_index()
    assert [r["rows"] for r in _ask(rt, "number of rides by hour", "bike").rows] == list(rides)


def test_which_hour_ranks_the_hours_of_the_timestamp_the_question_names(rt):
    picked = PICKUP.hour.value_counts()
    reply = _ask(rt, "which hour has the most pickups", "taxi")
    assert {r["hour of tpep_pickup_datetime"] for r in reply.rows} == set(picked[picked == picked.max()].index)
    dropped = (PICKUP + pd.Timedelta(minutes=40)).hour.value_counts()
    reply = _ask(rt, "which hour has the most dropoffs", "taxi")
    assert {r["hour of tpep_dropoff_datetime"] for r in reply.rows} == set(dropped[dropped == dropped.max()].index)


def test_days_of_the_week_are_named_in_calendar_order(rt):
    counts = PICKUP.isocalendar().day.value_counts().sort_index()
    reply = _ask(rt, "trips by day of week", "taxi")  # was one bucket per calendar day
    assert [r["weekday of tpep_pickup_datetime"] for r in reply.rows][:2] == ["1 Monday", "2 Tuesday"]
    assert [r["rows"] for r in reply.rows] == list(counts)


def test_an_hour_of_dates_without_a_time_or_of_each_clock_hour_is_refused_in_words(rt):
    reply = _ask(rt, "total sales by hour", "sales", refused=True)
    assert "date of 'sales' holds dates without a time of day" in reply.answer
    reply = _ask(rt, "average cnt by hour", "hourly")  # refused, naming hr: the one hour column is asked by hour
    assert {r["hr"]: r["average cnt"] for r in reply.rows} == pytest.approx(HOURLY.groupby("hr").cnt.mean().to_dict())
    reply = _ask(rt, "average number of trips per hour", "taxi", refused=True)
    assert "hour of the day over all dates, not by each clock hour" in reply.answer


def test_what_is_the_price_is_the_latest_price_with_its_date(rt):
    for question in ("What is the price?", "what's the current price", "show me the price"):  # docs; 50 distinct
        reply = _ask(rt, question, "price")
        assert reply.rows[0]["price"] == PRICE.price.iloc[-1], reply.answer
        assert PRICE.date.iloc[-1] in reply.answer
    assert _ask(rt, "what is the average price", "price").rows[0]["average price"] == pytest.approx(PRICE.price.mean())


def test_with_a_yes_no_service_column_is_its_yes_rows(rt):
    secured = TELCO[TELCO.OnlineSecurity == "Yes"].MonthlyCharges.mean()
    reply = _ask(rt, "average monthly charges for customers with online security", "telco")  # was refused
    assert reply.rows[0]["average MonthlyCharges"] == pytest.approx(secured)
    assert "No, No internet service" in reply.answer
    unsecured = TELCO[TELCO.OnlineSecurity != "Yes"].MonthlyCharges.mean()
    reply = _ask(rt, "average monthly charges for customers without online security", "telco")
    assert reply.rows[0]["average MonthlyCharges"] == pytest.approx(unsecured)


def test_top_rows_name_the_id_column(rt):
    top = HR.nlargest(2, "MonthlyIncome")
    reply = _ask(rt, "top 2 employees by monthly income", "hr")
    first = top.iloc[0]
    assert f": EmployeeNumber {first.EmployeeNumber} (MonthlyIncome {first.MonthlyIncome:,})" in reply.answer

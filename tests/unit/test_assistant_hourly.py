"""A QA pass against pandas on NYC-taxi-shaped trips, Walmart-shaped weekly sales whose dates are stored as
midnight timestamps, and IBM-HR-shaped employees numbered 1 … n: "hourly trips" was refused while "trips by hour"
worked, "trip count by hour" summed trip_distance, an hour of midnight-only timestamps was one bucket at hour 0, and
top rows gave EmployeeNumber as text ('51')."""
import numpy as np
import pandas as pd
import pytest

from tests.support import asked, runtime_with_tables

rng = np.random.default_rng(31)
N = 400
PICKUP = pd.Timestamp("2023-01-01") + pd.to_timedelta(rng.integers(0, 31 * 24 * 3600, N), unit="s")
TAXI = pd.DataFrame({"VendorID": rng.choice([1, 2], N), "tpep_pickup_datetime": PICKUP.strftime("%Y-%m-%d %H:%M:%S"),
                     "tpep_dropoff_datetime": (PICKUP + pd.Timedelta(minutes=50)).strftime("%Y-%m-%d %H:%M:%S"),
                     "trip_distance": np.round(rng.gamma(1.5, 2.0, N), 2),
                     "fare_amount": np.round(rng.uniform(3, 60, N), 2)})
WEEKS = pd.date_range("2012-02-03", periods=40, freq="7D")
WALMART = pd.DataFrame({"Store": np.repeat([1, 2], 40), "Date": np.tile(WEEKS.strftime("%Y-%m-%d 00:00:00"), 2),
                        "Weekly_Sales": np.round(rng.gamma(5, 3000, 80), 2),
                        # a second timestamp that does hold times: hours are read from it
                        "Updated": (pd.Timestamp("2013-01-01") + pd.to_timedelta(rng.integers(0, 86400, 80), unit="s"))
                        .strftime("%Y-%m-%d %H:%M:%S")})
HR = pd.DataFrame({"EmployeeNumber": range(1, 101), "BadgeCode": [f"{i:05d}" for i in range(100)],
                   "MonthlyIncome": rng.permutation(np.arange(1000, 1100) * 10)})


@pytest.fixture(scope="module")
def rt(tmp_path_factory):
    return runtime_with_tables(tmp_path_factory.mktemp("hourly") / "var", {
        "taxi": TAXI, "walmart": WALMART, "dates": WALMART.drop(columns="Updated"), "hr": HR})


def _ask(rt, question, dataset, refused=False):
    return asked(rt, question, dataset, refused=refused)


def test_hourly_trips_are_trips_by_hour_of_the_day(rt):
    hours = PICKUP.hour.value_counts().sort_index()
    for question in ("hourly trips", "number of hourly trips", "hourly trip count", "trip count by hour"):
        reply = _ask(rt, question, "taxi")  # refused, or (the last two) trip_distance summed by hour
        assert [(r["hour of tpep_pickup_datetime"], r["rows"]) for r in reply.rows] == list(hours.items()), question
    dropped = (PICKUP + pd.Timedelta(minutes=50)).hour.value_counts().sort_index()
    assert [r["rows"] for r in _ask(rt, "hourly dropoffs", "taxi").rows] == list(dropped)
    fares = TAXI.groupby(PICKUP.hour).fare_amount.mean()
    reply = _ask(rt, "average hourly fare", "taxi")  # was the average over all trips, the word "hourly" dropped
    assert {r["hour of tpep_pickup_datetime"]: r["average fare_amount"] for r in reply.rows} \
        == pytest.approx(fares.to_dict())
    reply = _ask(rt, "average hourly trips", "taxi", refused=True)  # a count per clock hour: not what is grouped
    assert "hour of the day over all dates, not by each clock hour" in reply.answer


def test_hourly_reads_the_timestamp_holding_times_and_never_a_wage(rt):
    updated = pd.to_datetime(WALMART.Updated).dt.hour.value_counts().sort_index()
    reply = _ask(rt, "hourly records", "walmart")  # the timestamp with times is the one grouped
    assert [(r["hour of Updated"], r["rows"]) for r in reply.rows] == list(updated.items())
    reply = _ask(rt, "hourly weekly sales", "dates", refused=True)  # was the average of every row
    assert "Date of 'dates' holds dates without a time of day (every time in it is midnight)" in reply.answer
    reply = _ask(rt, "average hourly wage", "taxi", refused=True)  # an amount per hour worked, not hours of the day
    assert "no numeric column of 'taxi' matches 'hourly wage'" in reply.answer


def test_an_hour_of_timestamps_that_are_all_midnight_is_refused_in_words(rt):
    for question in ("total weekly sales by hour", "which hour has the highest weekly sales"):
        reply = _ask(rt, question, "dates", refused=True)  # was one bucket, hour 0, holding every row
        assert "Date of 'dates' holds dates without a time of day (every time in it is midnight)" in reply.answer
    reply = _ask(rt, "total weekly sales by hour of Date", "walmart", refused=True)
    assert "Date of 'walmart' holds dates without a time of day" in reply.answer
    reply = _ask(rt, "number of rows by hour", "walmart")  # the other timestamp's hours
    assert "hour of Updated" in reply.rows[0]


def test_top_rows_give_an_integer_id_column_as_numbers(rt):
    top = HR.nlargest(3, "MonthlyIncome")
    reply = _ask(rt, "top 3 employees by monthly income", "hr")
    assert reply.rows == [{"EmployeeNumber": int(e), "MonthlyIncome": int(m)}
                          for e, m in zip(top.EmployeeNumber, top.MonthlyIncome)], reply.answer
    assert f"EmployeeNumber {top.EmployeeNumber.iloc[0]} (" in reply.answer
    reply = _ask(rt, "which employee has the highest monthly income", "hr")
    assert reply.rows == [{"EmployeeNumber": int(top.EmployeeNumber.iloc[0]),
                           "MonthlyIncome": int(top.MonthlyIncome.iloc[0])}]
    reply = _ask(rt, "what is the BadgeCode of the employee with the highest monthly income", "hr")
    assert reply.rows == [{"BadgeCode": top.BadgeCode.iloc[0], "MonthlyIncome": int(top.MonthlyIncome.iloc[0])}]
    assert reply.rows[0]["BadgeCode"].startswith("000")  # a code with leading zeros stays text

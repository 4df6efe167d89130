"""Fresh-eyes QA on a UCI-bike-sharing-hour-shaped table (one row an hour, `cnt` the rentals in it, `mnth` and `hr`
beside `dteday`) and an NYC-taxi-shaped one: "busiest month" was refused (month is the column `mnth`), "which month
had the most rentals" and "how many rentals in 2012" counted the hours, and "busiest hour for pickups" was refused
where "busiest pickup hour" answered."""
import numpy as np
import pandas as pd
import pytest

from tests.support import asked, runtime_with_tables

rng = np.random.default_rng(26)
HOURS = pd.date_range("2011-12-01", "2012-02-29 23:00", freq="h")
HOURS = HOURS[rng.random(len(HOURS)) > 0.03]  # the real file misses some hours
CASUAL, REGISTERED = rng.poisson(20, len(HOURS)), rng.poisson(90 + 60 * np.sin(HOURS.hour / 24 * np.pi), len(HOURS))
BIKE = pd.DataFrame({"instant": np.arange(1, len(HOURS) + 1), "dteday": HOURS.strftime("%Y-%m-%d"),
                     "season": 1, "yr": HOURS.year - 2011, "mnth": HOURS.month, "hr": HOURS.hour,
                     "weekday": HOURS.dayofweek, "temp": np.round(rng.uniform(0.02, 1, len(HOURS)), 2),
                     "casual": CASUAL, "registered": REGISTERED, "cnt": CASUAL + REGISTERED})
N = 400
SECONDS = rng.integers(0, 31 * 24 * 3600, N)
SECONDS[1::50] = SECONDS[::50]  # trips starting the same second, as in the real files (a unique column names rows)
PICKUP = pd.Timestamp("2023-01-01") + pd.to_timedelta(SECONDS, unit="s")
TAXI = pd.DataFrame({"tpep_pickup_datetime": PICKUP.strftime("%Y-%m-%d %H:%M:%S"),
                     "tpep_dropoff_datetime": (PICKUP + pd.Timedelta(minutes=20)).strftime("%Y-%m-%d %H:%M:%S"),
                     "passenger_count": rng.choice([1, 2, 3], N), "PULocationID": rng.integers(1, 264, N),
                     "fare_amount": np.round(rng.gamma(2.0, 7.0, N), 2)})


@pytest.fixture(scope="module")
def rt(tmp_path_factory):
    return runtime_with_tables(tmp_path_factory.mktemp("counted") / "var", {"bike": BIKE, "taxi": TAXI})


def _best(totals: pd.Series, most: bool = True) -> set:
    return set(totals[totals == (totals.max() if most else totals.min())].index)


def test_busiest_month_and_hour_add_up_the_count_column_of_their_columns(rt):
    for question, column in (("busiest month", "mnth"), ("which month had the most rentals", "mnth"),
                             ("busiest hour", "hr")):  # refused; counted the hours; refused (dteday has no times)
        totals = BIKE.groupby(column)["cnt"].sum()
        reply = asked(rt, question, "bike")
        tied = reply.rows[:len(_best(totals))]  # the other groups follow, ranked
        assert {r[column] for r in tied} == _best(totals), question
        assert {r["total cnt"] for r in tied} == {totals.max()}
        assert "highest total cnt" in reply.answer


def test_busiest_and_quietest_day_of_a_count_table_rank_its_totals(rt):
    days = BIKE.groupby("dteday")["cnt"].sum()
    assert {r["day"] for r in asked(rt, "busiest day", "bike").rows} == _best(days)  # every day had 24 rows
    weekdays = BIKE.groupby(HOURS.dayofweek + 1)["cnt"].sum()
    reply = asked(rt, "quietest day of the week", "bike")
    assert {int(r["weekday"].split()[0]) for r in reply.rows} == _best(weekdays, most=False)  # "3 Wednesday"


def test_how_many_rentals_in_a_year_is_the_total_and_rows_are_still_counted_when_asked(rt):
    reply = asked(rt, "how many rentals in 2012", "bike")
    assert reply.rows == [{"total cnt": BIKE.loc[HOURS.year == 2012, "cnt"].sum()}]  # was the 1,400-odd hours
    reply = asked(rt, "how many rows in 2012", "bike")
    assert reply.rows == [{"rows": int((HOURS.year == 2012).sum())}]
    rows = BIKE.groupby("mnth").size()
    assert {r["mnth"]: r["count"] for r in asked(rt, "number of rows by month", "bike").rows} == rows.to_dict()
    reply = asked(rt, "how many hours had cnt over 150", "bike")
    assert reply.rows == [{"rows": int((BIKE.cnt > 150).sum())}]


def test_a_count_of_something_else_is_no_count_column(rt):
    hours = PICKUP.hour.value_counts()
    reply = asked(rt, "busiest hour", "taxi")  # passenger_count holds each trip's passengers: trips are the rows
    assert {r["rows"] for r in reply.rows} == {hours.max()}


def test_busiest_hour_for_pickups_reads_the_pickup_timestamp(rt):
    hours = PICKUP.hour.value_counts()
    for question in ("busiest hour for pickups", "which hour is busiest for pickups"):  # were refused: 'pickups'
        reply = asked(rt, question, "taxi")
        assert {r["hour of tpep_pickup_datetime"] for r in reply.rows} == _best(hours), question
    reply = asked(rt, "average fare of vegetarians by hour", "taxi", refused=True)  # still refused
    assert "'vegetarians'" in reply.answer


def test_how_many_days_counts_the_dates_where_a_day_holds_several_rows(rt):
    reply = asked(rt, "how many days are there", "bike")  # was the number of hours (rows)
    assert reply.rows == [{"distinct dteday": BIKE.dteday.nunique()}]
    reply = asked(rt, "how many days in 2012", "bike")
    assert reply.rows == [{"distinct dteday": BIKE.dteday[HOURS.year == 2012].nunique()}]

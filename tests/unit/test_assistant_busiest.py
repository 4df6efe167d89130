"""A browser pass on an NYC yellow-taxi sample and the avocado prices file: "busiest pickup hour" and "busiest hour"
were refused (no column named) where "which hour has the most pickups" answered, and a column whose name starts with
a statistic word was said twice ("Total Total Volume by month", "the highest total Total Volume")."""
import numpy as np
import pandas as pd
import pytest

from tests.support import asked, runtime_with_tables

rng = np.random.default_rng(25)
N = 600
PICKUP = pd.Timestamp("2023-01-01") + pd.to_timedelta(rng.integers(0, 31 * 24 * 3600, N), unit="s")
DROPOFF = PICKUP + pd.to_timedelta(rng.integers(120, 3600, N), unit="s")
FARE = np.round(rng.gamma(2.0, 7.0, N), 2)
TAXI = pd.DataFrame({"VendorID": rng.choice([1, 2], N), "tpep_pickup_datetime": PICKUP.strftime("%Y-%m-%d %H:%M:%S"),
                     "tpep_dropoff_datetime": DROPOFF.strftime("%Y-%m-%d %H:%M:%S"),
                     "passenger_count": rng.choice([1.0, 2.0, np.nan], N), "trip_distance": rng.gamma(1.5, 2.0, N),
                     "PULocationID": rng.integers(1, 264, N), "DOLocationID": rng.integers(1, 264, N),
                     "fare_amount": FARE, "total_amount": np.round(FARE * 1.2 + 3.5, 2)})
WEEKS = pd.date_range("2015-01-04", periods=60, freq="7D")
AVOCADO = pd.DataFrame({"Date": np.tile(WEEKS.strftime("%Y-%m-%d"), 4),
                        "AveragePrice": np.round(rng.uniform(0.8, 2.0, 240), 2),
                        "Total Volume": np.round(rng.uniform(1e3, 1e6, 240), 2),
                        "type": np.repeat(["conventional", "organic"] * 2, 60),
                        "region": np.repeat(["Albany", "Atlanta"], 120)})


@pytest.fixture(scope="module")
def rt(tmp_path_factory):
    return runtime_with_tables(tmp_path_factory.mktemp("busiest") / "var", {"taxi": TAXI, "avocado": AVOCADO})


def _ask(rt, question, dataset, refused=False):
    return asked(rt, question, dataset, refused=refused)


def _extreme(counts: pd.Series, most: bool) -> set:
    return set(counts[counts == (counts.max() if most else counts.min())].index)


def test_busiest_and_quietest_hour_are_the_hours_with_the_most_and_fewest_rows(rt):
    picked, dropped = PICKUP.hour.value_counts(), DROPOFF.hour.value_counts()
    for question, column, counts, most in (("busiest pickup hour", "tpep_pickup_datetime", picked, True),
                                           ("busiest hour", "tpep_pickup_datetime", picked, True),
                                           ("what is the quietest hour?", "tpep_pickup_datetime", picked, False),
                                           ("busiest dropoff hour", "tpep_dropoff_datetime", dropped, True)):
        reply = _ask(rt, question, "taxi")  # was refused: "the question names no column or value"
        key = f"hour of {column}"
        assert {r[key] for r in reply.rows} == _extreme(counts, most), question
        assert {r["rows"] for r in reply.rows} == {counts.max() if most else counts.min()}
        assert ("highest" if most else "lowest") in reply.answer


def test_busiest_weekday_day_and_month_rank_each_bucket_by_its_rows(rt):
    weekdays = PICKUP.isocalendar().day.value_counts()
    reply = _ask(rt, "quietest day of the week", "taxi")
    assert {int(r["weekday of tpep_pickup_datetime"].split()[0]) for r in reply.rows} == _extreme(weekdays, False)
    days = PICKUP.strftime("%Y-%m-%d").value_counts()
    assert {r["day"] for r in _ask(rt, "busiest day", "taxi").rows} == _extreme(days, True)
    volume = AVOCADO.groupby(pd.to_datetime(AVOCADO.Date).dt.strftime("%Y-%m"))["Total Volume"].sum()
    reply = _ask(rt, "busiest month", "avocado")  # one flow column (Total Volume): ranked by its total, not rows
    assert [r["month"] for r in reply.rows] == [volume.idxmax()]
    reply = _ask(rt, "busiest hour", "avocado", refused=True)  # dates alone: no hour, said in words
    assert "without a time of day" in reply.answer


def test_a_column_named_with_a_statistic_word_is_said_once(rt):
    monthly = AVOCADO.groupby(pd.to_datetime(AVOCADO.Date).dt.strftime("%Y-%m"))["Total Volume"].sum()
    reply = _ask(rt, "total Total Volume by month", "avocado")
    assert {r["month"]: r["total Total Volume"] for r in reply.rows} == pytest.approx(monthly.to_dict())
    assert reply.answer.startswith("Total Volume by month: 2015-01 ("), reply.answer
    regions = AVOCADO.groupby("region")["Total Volume"].sum()
    reply = _ask(rt, "which region has the highest total Total Volume", "avocado")
    assert reply.answer == f"region {regions.idxmax()} ({regions.max():,.2f}) has the highest Total Volume."
    reply = _ask(rt, "average Total Volume by region", "avocado")  # another statistic keeps its word
    assert reply.answer.startswith("Average Total Volume by region: "), reply.answer
    reply = _ask(rt, "what is the highest monthly Total Volume", "avocado")
    assert reply.answer == f"The highest monthly Total Volume is {monthly.max():,.2f}, over {len(monthly)} months."

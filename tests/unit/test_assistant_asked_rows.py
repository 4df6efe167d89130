"""A QA pass against pandas on IBM-HR-, avocado-prices-, daily-price- and NYC-taxi-shaped tables: "EmployeeNumber of
the top 3 employees by monthly income" summed EmployeeNumber per MonthlyIncome, "which region sold the most avocados"
counted rows (and TotalUS, a total, would win once volume was read), "the highest price and when" gave no date, and
"which vendor has the highest hourly fare" dropped "hourly"; on a diamonds-shaped table "average price per carat by
color" grouped by each carat value and dropped "by color", and "the carat of the most expensive diamond" gave the carat
with the highest average price."""
import numpy as np
import pandas as pd
import pytest

from services import assistant
from tests.support import runtime_with_tables

rng = np.random.default_rng(25)
HR = pd.DataFrame({"EmployeeNumber": rng.permutation(np.arange(1, 121)) * 3, "Age": rng.integers(18, 61, 120),
                   "Department": rng.choice(["Sales", "Research & Development"], 120),
                   "MonthlyIncome": rng.permutation(np.arange(1000, 1120) * 10)})
REGIONS = ["Albany", "Atlanta", "Boise", "Boston", "Chicago", "Denver", "TotalUS"]
WEEKS = pd.date_range("2015-01-04", periods=20, freq="W-SUN").strftime("%Y-%m-%d")
AVOCADO = pd.DataFrame([(d, t, r) for r in REGIONS for t in ("conventional", "organic") for d in WEEKS],
                       columns=["Date", "type", "region"])
AVOCADO["AveragePrice"] = np.round(rng.uniform(0.8, 2.2, len(AVOCADO)), 2)
AVOCADO["Total Volume"] = np.round(rng.uniform(1e3, 9e4, len(AVOCADO)), 2)
AVOCADO.loc[AVOCADO.region == "TotalUS", "Total Volume"] *= 20
AVOCADO["Total Bags"] = np.round(AVOCADO["Total Volume"] * 0.3, 2)
DAYS = pd.bdate_range("2020-01-01", periods=200)
PRICES = pd.DataFrame({"Date": DAYS.strftime("%Y-%m-%d"), "Price": np.round(100 + rng.normal(0, 5, 200).cumsum(), 2)})
CARAT = np.round(rng.gamma(2.5, 0.32, 300).clip(0.2, 5), 2)
DIAMONDS = pd.DataFrame({"carat": CARAT, "color": rng.choice(list("DEFGHIJ"), 300),
                         "price": (3900 * CARAT ** 1.7).clip(326, 18823).astype(int)})
GEMS = pd.DataFrame({"carat": [1.01, 1.01, 1.01, 2.02, 2.02, 0.5], "price": [100, 9000, 100, 5000, 5000, 50]})
PICKUP = pd.Timestamp("2023-01-01") + pd.to_timedelta(rng.integers(0, 31 * 24 * 3600, 300), unit="s")
TAXI = pd.DataFrame({"VendorID": rng.choice([1, 2], 300), "tpep_pickup_datetime": PICKUP.strftime("%Y-%m-%d %H:%M:%S"),
                     "tpep_dropoff_datetime": (PICKUP + pd.Timedelta(minutes=20)).strftime("%Y-%m-%d %H:%M:%S"),
                     "fare_amount": np.round(rng.uniform(3, 60, 300), 2)})


@pytest.fixture(scope="module")
def rt(tmp_path_factory):
    return runtime_with_tables(tmp_path_factory.mktemp("asked") / "var", {
        "hr": HR, "avocado": AVOCADO, "prices": PRICES, "taxi": TAXI,
        "diamonds": DIAMONDS, "gems": GEMS})


def _ask(rt, question, dataset, refused=False):
    reply = assistant.answer(rt, question, user="ana", dataset=dataset, save=False)
    assert reply.cannot == refused, reply.answer
    return reply


def test_a_column_asked_of_the_top_rows_is_read_from_the_rows_ranked_by_the_measure(rt):
    top = HR.nlargest(3, "MonthlyIncome")
    reply = _ask(rt, "EmployeeNumber of the top 3 employees by monthly income", "hr")  # was summed per income
    assert [(r["EmployeeNumber"], r["MonthlyIncome"]) for r in reply.rows] \
        == list(zip(top.EmployeeNumber, top.MonthlyIncome))
    reply = _ask(rt, "what is the Age of the top 2 employees by monthly income", "hr")
    assert [r["Age"] for r in reply.rows] == list(top.Age[:2])


def test_avocados_sold_are_the_total_volume_and_the_total_region_does_not_win(rt):
    parts = AVOCADO[AVOCADO.region != "TotalUS"].groupby("region")["Total Volume"].sum()
    reply = _ask(rt, "which region sold the most avocados", "avocado")  # counted rows: every region tied
    assert [(r["region"], r["total Total Volume"]) for r in reply.rows[:1]] \
        == [(parts.idxmax(), pytest.approx(parts.max()))]  # the other regions follow, ranked
    assert "region TotalUS" in reply.answer and "left out" in reply.answer
    own = _ask(rt, "total Total Bags for region TotalUS", "avocado")  # named, its own rows are read
    assert own.rows[0]["total Total Bags"] == pytest.approx(AVOCADO[AVOCADO.region == "TotalUS"]["Total Bags"].sum())


@pytest.mark.parametrize("question, best", [("What was the highest price and when", "max"),
                                            ("when was the price lowest?", "min")])
def test_when_of_a_highest_or_lowest_value_gives_its_date(rt, question, best):
    row = PRICES.loc[getattr(PRICES.Price, f"idx{best}")()]
    reply = _ask(rt, question, "prices")  # was the bare maximum, no date
    assert len(reply.rows) == 1 and str(reply.rows[0]["day"]) == row.Date
    assert row.Date in reply.answer


def test_a_group_ranked_by_an_hourly_amount_is_refused_not_ranked_by_the_total(rt):
    reply = _ask(rt, "Which vendor has the highest hourly fare", "taxi", refused=True)  # was the total fare_amount
    assert "per hour" in reply.answer and "VendorID" in reply.answer


def test_an_amount_per_unit_of_a_fractional_measure_is_refused_as_a_ratio(rt):
    for question in ("average price per carat by color", "average price per carat"):
        reply = _ask(rt, question, "diamonds", refused=True)  # grouped by each carat value, "by color" dropped
        assert "an amount per carat is a ratio of two columns" in reply.answer
    means = DIAMONDS.groupby("color").price.mean()
    reply = _ask(rt, "average price per color", "diamonds")  # a text column after "per" still groups
    assert {r["color"]: r["average price"] for r in reply.rows} == pytest.approx(means.to_dict())


def test_a_column_of_the_most_expensive_row_is_that_rows_value_not_a_groups(rt):
    reply = _ask(rt, "what is the carat of the most expensive gem", "gems")  # was 2.02, the highest mean price
    assert [(r["carat"], r["price"]) for r in reply.rows] == [(1.01, 9000)]
    reply = _ask(rt, "which carat has the highest price", "gems")  # a group asked for still ranks groups
    assert reply.rows[0]["carat"] == 2.02

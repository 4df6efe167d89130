"""Fresh-eyes QA on UCI bike sharing (hour.csv: dteday, yr 0/1, mnth, hr, casual, registered, cnt) and Kaggle
supermarket sales (Date "1/5/2019" beside Time "13:08"): "number of rentals by year" and "top 3 months by rentals"
were refused ('rentals' named no column), "total casual by year" grouped by the code `yr` (years "0" and "1"),
"busiest hour" of the sales was refused (Date holds no times; Time holds them) and "how much tax was paid in
total" was refused for 'paid'."""
import numpy as np
import pandas as pd
import pytest

from tests.support import asked, runtime_with_tables

rng = np.random.default_rng(41)
HOURS = pd.date_range("2011-11-01", "2012-02-29 23:00", freq="h")
HOURS = HOURS[rng.random(len(HOURS)) > 0.03]
CASUAL, REGISTERED = rng.poisson(15, len(HOURS)), rng.poisson(80, len(HOURS))
BIKE = pd.DataFrame({"instant": np.arange(1, len(HOURS) + 1), "dteday": HOURS.strftime("%Y-%m-%d"),
                     "yr": HOURS.year - 2011, "mnth": HOURS.month, "hr": HOURS.hour,
                     "casual": CASUAL, "registered": REGISTERED, "cnt": CASUAL + REGISTERED})
N = 240
CLOCK = [f"{h:02d}:{m:02d}" for h, m in zip(rng.integers(10, 21, N), rng.integers(0, 60, N))]
PRICE, QTY = np.round(rng.uniform(10, 100, N), 2), rng.integers(1, 11, N)
SALES = pd.DataFrame({"Invoice ID": [f"{750 + i}-67-{8428 + i}" for i in range(N)],
                      "City": rng.choice(["Yangon", "Mandalay", "Naypyitaw"], N),
                      "Unit price": PRICE, "Quantity": QTY, "Tax 5%": np.round(PRICE * QTY * 0.05, 4),
                      "Date": [f"{m}/{d}/2019" for m, d in zip(rng.integers(1, 4, N), rng.integers(1, 29, N))],
                      "Time": CLOCK, "Payment": rng.choice(["Ewallet", "Cash", "Credit card"], N)})
YEARS = BIKE.groupby(HOURS.year)


@pytest.fixture(scope="module")
def rt(tmp_path_factory):
    return runtime_with_tables(tmp_path_factory.mktemp("nouns") / "var", {"bike": BIKE, "sales": SALES})


def test_rentals_rides_and_trips_name_the_count_column(rt):
    totals = {str(y): t for y, t in YEARS["cnt"].sum().items()}
    for question in ("number of rentals by year", "total rides by year"):  # refused: 'rentals'
        reply = asked(rt, question, "bike")
        assert {r["year"]: r["total cnt"] for r in reply.rows} == totals, question


def test_months_ranked_and_grouped_by_rentals_add_up_the_count(rt):
    months = BIKE.groupby("mnth")["cnt"].sum().nlargest(3)
    reply = asked(rt, "top 3 months by rentals", "bike")  # refused: no column matches 'rentals'
    assert [(r["mnth"], r["total cnt"]) for r in reply.rows] == list(months.items())
    months = BIKE.groupby("mnth")["cnt"].sum()
    reply = asked(rt, "number of trips by month", "bike")  # was the hours of each month
    assert {r["mnth"]: r["total cnt"] for r in reply.rows} == months.to_dict()
    reply = asked(rt, "number of rows by month", "bike")  # rows asked: rows counted
    assert {r["mnth"]: r["count"] for r in reply.rows} == BIKE.groupby("mnth").size().to_dict()


def test_by_year_is_the_year_of_the_date_where_the_year_column_holds_codes(rt):
    reply = asked(rt, "total casual by year", "bike")  # grouped by yr: 0 and 1
    assert {r["year"]: r["total casual"] for r in reply.rows} == {str(y): t for y, t in YEARS["casual"].sum().items()}
    reply = asked(rt, "which year had the most rentals", "bike")
    assert [r["year"] for r in reply.rows] == [str(YEARS["cnt"].sum().idxmax())]
    reply = asked(rt, "total cnt by yr", "bike")  # the column named as written stays the column
    assert {r["yr"]: r["total cnt"] for r in reply.rows} == BIKE.groupby("yr")["cnt"].sum().to_dict()


def test_hours_of_a_time_column_beside_a_date(rt):
    hours = pd.Series([int(t[:2]) for t in CLOCK])
    counts = hours.value_counts()
    reply = asked(rt, "busiest hour", "sales")  # refused: Date holds no time of day
    assert {r["hour"] for r in reply.rows} == set(counts[counts == counts.max()].index)
    assert {r["rows"] for r in reply.rows} == {counts.max()}
    reply = asked(rt, "number of invoices by hour", "sales")
    assert {r["hour"]: r["rows"] for r in reply.rows} == counts.to_dict()
    january = SALES.Date.str.startswith("1/").to_numpy()
    taxes = SALES["Tax 5%"][january].groupby(hours[january].to_numpy()).sum()
    reply = asked(rt, "total tax by hour in January 2019", "sales")
    assert {r["hour"]: r["total Tax 5%"] for r in reply.rows} == pytest.approx(taxes.to_dict())


def test_paid_is_no_condition(rt):
    reply = asked(rt, "how much tax was paid in total", "sales")  # refused: 'paid'
    assert reply.rows[0]["total Tax 5%"] == pytest.approx(SALES["Tax 5%"].sum())
    reply = asked(rt, "how much tax was paid with cash", "sales")
    assert reply.rows[0]["total Tax 5%"] == pytest.approx(SALES["Tax 5%"][SALES.Payment == "Cash"].sum())


def test_by_hour_is_the_hour_column_where_the_dates_hold_no_times(rt):
    hours = BIKE.groupby("hr")["cnt"]
    reply = asked(rt, "number of rentals by hour", "bike")  # refused: dteday holds no time of day
    assert {r["hr"]: r["total cnt"] for r in reply.rows} == hours.sum().to_dict()
    reply = asked(rt, "casual by hour", "bike")  # named no column: the hour came before the measure
    assert {r["hr"]: r["total casual"] for r in reply.rows} == BIKE.groupby("hr")["casual"].sum().to_dict()
    reply = asked(rt, "average casual per hour", "bike")
    assert {r["hr"]: r["average casual"] for r in reply.rows} == pytest.approx(
        BIKE.groupby("hr")["casual"].mean().to_dict())

"""A QA pass against pandas on an NYC yellow-taxi trip sample and IBM-HR-shaped employees: "which pickup location
has the most trips" ranked pickup timestamps (PULocationID is the pickup location), "average tip per trip" grouped
by every trip_distance, and "top 3 employees by monthly income" counted the rows of each MonthlyIncome."""
import numpy as np
import pandas as pd
import pytest

from services import assistant
from tests.support import runtime_with_tables


def _taxi() -> pd.DataFrame:
    rng = np.random.default_rng(11)
    n = 600
    pickup = pd.Timestamp("2023-01-01") + pd.to_timedelta(rng.integers(0, 31 * 24 * 3600, n), unit="s")
    distance = np.round(rng.gamma(1.5, 2.0, n), 2)
    fare = np.round(3 + distance * 2.5, 2)
    return pd.DataFrame({"VendorID": rng.choice([1, 2], n),
                         "tpep_pickup_datetime": pickup.strftime("%Y-%m-%d %H:%M:%S"),
                         "tpep_dropoff_datetime": (pickup + pd.Timedelta(minutes=15)).strftime("%Y-%m-%d %H:%M:%S"),
                         "passenger_count": rng.choice([1.0, 2.0, np.nan], n), "trip_distance": distance,
                         "store_and_fwd_flag": rng.choice(["N", "Y"], n, p=[.95, .05]),
                         "PULocationID": rng.integers(1, 40, n), "DOLocationID": rng.integers(1, 40, n),
                         "payment_type": rng.choice([1, 2], n), "fare_amount": fare,
                         "tip_amount": np.where(rng.random(n) < .7, np.round(fare * .2, 2), 0.0)})


rng = np.random.default_rng(5)
TAXI = _taxi()
HR = pd.DataFrame({"EmployeeNumber": range(1, 201), "Attrition": rng.choice(["Yes", "No"], 200, p=[.16, .84]),
                   "Department": rng.choice(["Sales", "R&D", "HR"], 200),
                   "MonthlyIncome": rng.integers(1000, 20000, 200), "Age": rng.integers(18, 60, 200)})


TELCO = pd.DataFrame({"customerID": [f"{i:04d}-ABCDE" for i in range(300)],
                      "Contract": rng.choice(["Month-to-month", "One year", "Two year"], 300),
                      "MonthlyCharges": np.round(rng.uniform(18, 119, 300), 2)})
TELCO["Churn"] = np.where(rng.random(300) < np.where(TELCO.Contract == "Month-to-month", .45, .05), "Yes", "No")


@pytest.fixture(scope="module")
def rt(tmp_path_factory):
    return runtime_with_tables(tmp_path_factory.mktemp("trips") / "var", {"taxi": TAXI, "hr": HR, "telco": TELCO})


def _ask(rt, question, dataset):
    reply = assistant.answer(rt, question, user="ana", dataset=dataset, save=False)
    assert not reply.cannot, reply.answer
    return reply


def test_pickup_and_dropoff_locations_are_the_location_id_columns(rt):
    counts = TAXI.PULocationID.value_counts()
    reply = _ask(rt, "which pickup location has the most trips", "taxi")
    best = set(counts[counts == counts.max()].index)
    tied = reply.rows[:len(best)]  # the other locations follow, ranked
    assert {r["PULocationID"] for r in tied} == best and reply.rows[0]["count"] == counts.max(), reply.answer
    reply = _ask(rt, "top 3 dropoff locations by total fare", "taxi")
    expected = TAXI.groupby("DOLocationID").fare_amount.sum().nlargest(3)
    assert [r["DOLocationID"] for r in reply.rows] == list(expected.index), reply.answer


def test_an_amount_per_trip_is_per_row_not_grouped_by_trip_distance(rt):
    reply = _ask(rt, "average tip per trip", "taxi")
    assert reply.rows == [{"average tip_amount": pytest.approx(TAXI.tip_amount.mean())}], reply.answer


def test_top_employees_by_a_measure_are_rows_ranked_by_it(rt):
    reply = _ask(rt, "top 3 employees by monthly income", "hr")
    top = HR.nlargest(3, "MonthlyIncome")
    assert [int(r["EmployeeNumber"]) for r in reply.rows] == list(top.EmployeeNumber), reply.answer
    assert [r["MonthlyIncome"] for r in reply.rows] == list(top.MonthlyIncome)
    reply = _ask(rt, "which employee has the highest monthly income", "hr")  # was refused
    assert [int(r["EmployeeNumber"]) for r in reply.rows] == [HR.loc[HR.MonthlyIncome.idxmax(), "EmployeeNumber"]]
    sales = HR[HR.Department == "Sales"].nlargest(3, "MonthlyIncome")
    reply = _ask(rt, "top 3 employees in Sales by monthly income", "hr")
    assert [int(r["EmployeeNumber"]) for r in reply.rows] == list(sales.EmployeeNumber), reply.answer
    reply = _ask(rt, "which department has the highest monthly income", "hr")  # groups are still groups
    assert reply.rows[0]["Department"] == HR.groupby("Department").MonthlyIncome.mean().idxmax()


def test_a_rate_compared_between_two_values_is_one_rate_each(rt):
    reply = _ask(rt, "compare churn rate of month-to-month and two year contracts", "telco")  # was one pooled rate
    picked = TELCO[TELCO.Contract.isin(["Month-to-month", "Two year"])]
    expected = picked.groupby("Contract").Churn.apply(lambda s: 100 * (s == "Yes").mean())
    assert {r["Contract"]: r["% Churn = True"] for r in reply.rows} == pytest.approx(expected.to_dict()), reply.answer


def test_the_average_number_of_rows_a_day_counts_each_day_then_averages(rt):
    per_day = TAXI.tpep_pickup_datetime.str[:10].value_counts()
    for question in ("average number of trips per day", "average daily trips"):  # both were refused
        reply = _ask(rt, question, "taxi")
        assert reply.answer.startswith(f"The average daily number of rows is {per_day.mean():,.2f}"), reply.answer
        assert f"over {len(per_day)} days" in reply.answer

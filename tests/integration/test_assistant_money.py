"""Questions on flights-, budget-, CRM-, HR- and hospital-shaped tables checked against pandas: abbreviated
column names, money stored as text, spending on a table of debits and credits, the oldest row, the
earliest date, and what a percentage is made of. Each was refused or answered with another number."""
import numpy as np
import pandas as pd
import pytest

from services import assistant
from tests.support import first_value, runtime_with_tables

rng = np.random.default_rng(11)
N = 400
FLIGHTS = pd.DataFrame({"FL_DATE": pd.date_range("2019-01-01", periods=N, freq="D").strftime("%Y-%m-%d"),
                        "OP_CARRIER": rng.choice(["AA", "DL", "WN"], N),
                        "OP_CARRIER_FL_NUM": np.arange(1000, 1000 + N),
                        "DEST": rng.choice(["LAX", "JFK", "ORD"], N),
                        "DEP_DELAY": rng.normal(8, 20, N).round(),
                        "ARR_DELAY": np.where(rng.random(N) < 0.05, np.nan, rng.normal(5, 25, N).round()),
                        "CANCELLED": (rng.random(N) < 0.1).astype(float)})
KINDS = rng.choice(["debit", "credit"], 300, p=[0.85, 0.15])
BUDGET = pd.DataFrame({"Date": pd.date_range("2023-01-01", periods=300, freq="D").strftime("%m/%d/%Y"),
                       "Description": np.where(KINDS == "credit", "Payroll", rng.choice(["Safeway", "Starbucks"], 300)),
                       "Amount": rng.uniform(5, 300, 300).round(2),
                       "Transaction Type": KINDS,
                       "Category": np.where(KINDS == "credit", "Paycheck", rng.choice(["Groceries", "Restaurants"],
                                                                                       300))})
SIGNED = pd.DataFrame({"Date": BUDGET.Date, "Category": BUDGET.Category,
                       "Amount": np.where(KINDS == "credit", 1, -1) * BUDGET.Amount})
AMOUNTS = rng.uniform(1000, 90000, 200).round(2)
CRM = pd.DataFrame({"Region": rng.choice(["EMEA", "APAC", "LATAM"], 200),
                    "Amount": [None if i % 17 == 0 else f"${a:,.2f}" for i, a in enumerate(AMOUNTS)],
                    "Probability (%)": rng.choice([10, 50, 90], 200),
                    "Close Date": pd.date_range("2022-03-05", periods=200, freq="3D").strftime("%m/%d/%Y")})
STAFF = pd.DataFrame({"EmployeeNumber": np.arange(1, 301), "Age": rng.integers(18, 61, 300),
                      "BusinessTravel": rng.choice(["Travel_Rarely", "Non-Travel"], 300),
                      "MonthlyIncome": rng.integers(1000, 20000, 300)})
VISITS = pd.DataFrame({"gender": rng.choice(["Female", "Male"], 300), "number_diagnoses": rng.integers(1, 16, 300),
                       "num_medications": rng.integers(1, 60, 300)})


@pytest.fixture(scope="module")
def runtime(tmp_path_factory):
    return runtime_with_tables(tmp_path_factory.mktemp("money") / "var", {
        "flights": FLIGHTS, "budget": BUDGET, "signed": SIGNED, "crm": CRM, "staff": STAFF, "visits": VISITS})


def _ask(rt, dataset, question):
    return assistant.answer(rt, question, user="ana", dataset=dataset, save=False)


def test_abbreviated_column_names_are_found_by_their_words(runtime):
    reply = _ask(runtime, "flights", "average arrival delay by carrier")
    expected = FLIGHTS.groupby("OP_CARRIER").ARR_DELAY.mean()
    assert {r["OP_CARRIER"]: r["average ARR_DELAY"] for r in reply.rows} == pytest.approx(expected.to_dict())
    assert first_value(_ask(runtime, "flights", "max departure delay")) == FLIGHTS.DEP_DELAY.max()
    assert first_value(_ask(runtime, "flights", "how many distinct destinations are there?")) == 3


def test_a_percentage_says_how_many_rows_have_nofirst_value(runtime):
    reply = _ask(runtime, "flights", "what percentage of flights have arrival delay above 15?")
    blanks = int(FLIGHTS.ARR_DELAY.isna().sum())
    share = 100 * (FLIGHTS.ARR_DELAY > 15).mean()
    assert reply.rows[0]["% ARR_DELAY > 15"] == pytest.approx(share)
    assert f"of all {N} rows" in reply.answer and f"{blanks} have no ARR_DELAY" in reply.answer, reply.answer


def test_one_row_is_written_in_the_singular(runtime):
    reply = _ask(runtime, "flights", "how many flights have OP_CARRIER_FL_NUM 1005?")
    assert reply.answer.startswith("There is 1 row where"), reply.answer


def test_spending_is_the_sum_of_the_debit_rows_and_the_reply_says_so(runtime):
    debits = BUDGET[BUDGET["Transaction Type"] == "debit"]
    reply = _ask(runtime, "budget", "how much did I spend on groceries?")
    assert first_value(reply) == pytest.approx(debits[debits.Category == "Groceries"].Amount.sum())
    assert "Transaction Type = debit" in reply.answer
    reply = _ask(runtime, "budget", "which category did I spend the most on?")
    assert reply.rows[0]["Category"] == debits.groupby("Category").Amount.sum().idxmax(), reply.answer
    assert first_value(_ask(runtime, "budget", "what was my biggest expense?")) == debits.Amount.max()
    income = BUDGET[BUDGET["Transaction Type"] == "credit"].Amount.sum()
    assert first_value(_ask(runtime, "budget", "what was my total income?")) == pytest.approx(income)


def test_spending_by_month_adds_money_not_rows(runtime):
    reply = _ask(runtime, "budget", "monthly spending on groceries")
    debits = BUDGET[(BUDGET["Transaction Type"] == "debit") & (BUDGET.Category == "Groceries")]
    months = debits.groupby(pd.to_datetime(debits.Date).dt.strftime("%Y-%m")).Amount.sum()
    assert {r["month"]: r["total Amount"] for r in reply.rows} == pytest.approx(months.to_dict()), reply.answer


def test_spending_that_cannot_be_added_up_cleanly_is_refused(runtime):
    assert _ask(runtime, "budget", "net savings for the year (credits minus debits)").cannot
    assert _ask(runtime, "budget", "average monthly bakery spend").cannot  # no value 'bakery'
    reply = _ask(runtime, "signed", "how much did I spend on groceries?")
    assert reply.cannot and "both positive and negative" in reply.answer, reply.answer


def test_money_stored_as_text_is_a_measure_everywhere(runtime):
    amounts = CRM.Amount.str.replace(r"[$,]", "", regex=True).astype(float)
    reply = _ask(runtime, "crm", "average deal size by region")
    assert {r["Region"]: r["average Amount"] for r in reply.rows} == pytest.approx(
        amounts.groupby(CRM.Region).mean().to_dict()), reply.answer
    assert first_value(_ask(runtime, "crm", "largest deal amount")) == pytest.approx(amounts.max())
    assert "Amount" in _ask(runtime, "crm", "what is the average weight?").answer.split("Numeric columns are:")[-1]


def test_the_earliest_date_is_printed_as_a_date(runtime):
    reply = _ask(runtime, "crm", "earliest Close Date")
    first = pd.to_datetime(CRM["Close Date"]).min().strftime("%Y-%m-%d")
    assert reply.answer == f"The earliest Close Date is {first}.", reply.answer


def test_the_oldest_row_is_named_by_its_id_with_every_tie_counted(runtime):
    oldest = STAFF[STAFF.Age == STAFF.Age.max()]
    reply = _ask(runtime, "staff", "who is the oldest employee")
    assert {str(r["EmployeeNumber"]) for r in reply.rows} <= set(oldest.EmployeeNumber.astype(str)), reply.answer
    assert "BusinessTravel" not in reply.answer
    if len(oldest) > 20:
        assert f"of {len(oldest)} rows" in reply.answer
    assert first_value(_ask(runtime, "staff", "what is the age of the oldest employee")) == STAFF.Age.max()


def test_a_column_named_number_of_is_averaged_not_counted(runtime):
    reply = _ask(runtime, "visits", "average number of diagnoses by gender")
    expected = VISITS.groupby("gender").number_diagnoses.mean()
    assert {r["gender"]: r["average number_diagnoses"] for r in reply.rows} == pytest.approx(expected.to_dict())

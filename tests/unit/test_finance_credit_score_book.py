"""Kaggle's Credit Score Classification book: numbers with a trailing underscore ('34847.84_', '28_'), credit
history written '22 Years and 1 Months', and one row per customer and month named 'January' … 'August' (no year),
with the customer's Name and SSN on every row."""
import numpy as np
import pandas as pd

from ml.credit_features import plan_features
from ml.credit_number_text import duration_months, parse_numeric_text
from services.finance_prepare import prepare

_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August"]


def test_a_trailing_underscore_on_a_number_is_a_slip_and_a_wrapped_value_a_placeholder():
    read = parse_numeric_text(pd.Series(["34847.84_", "28_", "-500", "__10000__", "_", "High_spent_"]))
    assert read.tolist()[:3] == [34847.84, 28.0, -500.0] and read.iloc[3:].isna().all()
    income = pd.Series([f"{20000 + 37 * i}.5" + ("_" if i % 14 == 0 else "") for i in range(300)])  # 7 % slipped
    assert plan_features(pd.DataFrame({"Annual_Income": income})).kinds["Annual_Income"] == "numeric"


def test_years_and_months_joined_by_and_are_a_duration():
    text = pd.Series(["22 Years and 1 Months", "0 Years and 11 Months", "3 years, 2 months", "22 Years and"])
    assert duration_months(text).tolist()[:3] == [265.0, 11.0, 38.0] and np.isnan(duration_months(text).iloc[3])
    history = pd.DataFrame({"Credit_History_Age": [f"{m // 12} Years and {m % 12} Months" for m in range(5, 400, 7)]})
    assert plan_features(history).durations == ["Credit_History_Age"]


def _book(customers: int = 60) -> pd.DataFrame:
    rng = np.random.default_rng(3)
    rows = customers * len(_MONTHS)
    risk = np.repeat(rng.normal(size=customers), len(_MONTHS))
    return pd.DataFrame({
        "ID": [f"0x{0x1602 + i:x}" for i in range(rows)],
        "Customer_ID": np.repeat([f"CUS_0x{0xd40 + 7 * c:x}" for c in range(customers)], len(_MONTHS)),
        "Month": np.tile(_MONTHS, customers),
        "Name": np.repeat([f"Name {c}" for c in range(customers)], len(_MONTHS)),
        "SSN": np.where(rng.random(rows) < 0.05, "#F%$D@*&8",
                        np.repeat([f"{100 + c}-00-{1000 + c}" for c in range(customers)], len(_MONTHS))),
        "Occupation": rng.choice(["Scientist", "Teacher", "Lawyer"], rows),
        "Annual_Income": [f"{v:.2f}" + ("_" if i % 14 == 0 else "")  # one value per customer, some slipped
                          for i, v in enumerate(np.repeat(rng.uniform(7000, 180000, customers), len(_MONTHS)))],
        "Delay_from_due_date": (20 + 10 * risk + rng.normal(0, 3, rows)).round(),
        "Credit_Score": np.where(risk + rng.normal(0, 0.3, rows) > 0.5, "Poor", "Standard")})


def test_a_customer_number_repeated_over_month_names_folds_by_customer_and_leaves_the_customer_out():
    prepared = prepare(_book(), "Credit_Score", positive="Poor", id_column="ID", folds=3)
    assert prepared.plan.kinds == {"Occupation": "categorical", "Annual_Income": "numeric",
                                   "Delay_from_due_date": "numeric"}
    assert prepared.fold_groups == "Customer_ID"
    kinds = {r["column"]: (r["kind"], r["reason"]) for r in prepared.left_out}
    assert "Annual_Income" not in kinds
    assert {kinds[c][0] for c in ("Customer_ID", "Name", "SSN", "Month")} == {"identifier"}
    assert kinds["Name"][1] == "it names the customer, like 'Customer_ID' (60 values for 60 customers), no risk factor"
    assert "Column 'Month' is not used: the month of each snapshot, written without its year: new rows come from " \
           "later months, and a month is no risk factor." in prepared.notes
    assert not any("separates defaults almost perfectly" in w for w in prepared.warnings)


def test_month_names_alone_do_not_make_a_table_of_snapshots():
    book = _book().drop(columns=["Customer_ID"])
    book["Month"] = np.resize(_MONTHS, len(book))  # no customer number: Name and SSN are categories as before
    prepared = prepare(book, "Credit_Score", positive="Poor", id_column="ID", folds=3)
    assert prepared.fold_groups is None and "Month" in prepared.plan.kinds

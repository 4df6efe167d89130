"""Columns that rank defaults too well for application data are warned about, in two strengths."""
import numpy as np
import pandas as pd
import pytest

from domain import finance_columns
from ml.credit_features import FeaturePlan
from services.finance_leakage import leakage_warnings as _leakage_warnings, model_leak_warning


def test_a_strong_but_imperfect_leak_is_warned_and_ordinary_or_many_level_columns_are_not():
    rng = np.random.default_rng(0)
    n = 2000
    bad = (rng.random(n) < 0.3).astype(int)
    X = pd.DataFrame({
        # set on 85 % of defaults and 3 % of repayers: a collections flag recorded after the outcome
        "collections_12m": np.where(bad == 1, rng.random(n) < 0.85, rng.random(n) < 0.03).astype(float),
        "income": rng.normal(50 - 8 * bad, 15, n),  # an ordinary risk factor (AUC about 0.65)
        "employer": [f"firm {i}" for i in rng.integers(0, 800, n)],  # many levels: in-sample rates flatter it
    })
    plan = FeaturePlan({"collections_12m": "numeric", "income": "numeric", "employer": "categorical"})
    warnings = _leakage_warnings(X, bad, plan)
    assert len(warnings) == 1 and warnings[0].startswith("Column 'collections_12m' alone ranks defaults with an AUC "
                                                         "of 0.9")
    X["collections_12m"] = bad.astype(float)  # perfect: the stronger warning, not both
    warnings = _leakage_warnings(X, bad, plan)
    assert len(warnings) == 1 and "alone separates defaults almost perfectly" in warnings[0]


def test_where_the_applicant_lives_is_warned_as_a_possible_proxy_and_marital_status_as_protected():
    rng = np.random.default_rng(1)
    bad = (rng.random(300) < 0.3).astype(int)
    X = pd.DataFrame({"zip_code": rng.choice(["935xx", "100xx", "606xx"], 300), "Married": rng.choice([0.0, 1.0], 300),
                      "income": rng.normal(50, 10, 300)})
    plan = FeaturePlan({"zip_code": "categorical", "Married": "numeric", "income": "numeric"})
    warnings = _leakage_warnings(X, bad, plan)
    assert len(warnings) == 2 and warnings[0].startswith("Column(s) 'Married' look like a protected ground")
    assert warnings[1].startswith("Column(s) 'zip_code' say where the applicant (or their bank) is, which can stand "
                                  "in for race")


def test_a_column_filled_only_on_defaulted_loans_is_flagged_as_a_leak_whatever_it_holds():
    """Bondora's DefaultDate: empty unless the loan defaulted, so being filled tells the outcome."""
    rng = np.random.default_rng(2)
    n = 1000
    bad = (rng.random(n) < 0.3).astype(int)
    filled = (bad == 1) & (rng.random(n) < 0.6)  # on 60 % of defaults only: no single value separates them
    X = pd.DataFrame({"event_years": np.where(filled, rng.uniform(0.1, 3, n), np.nan), "income": rng.normal(50, 9, n),
                      "mths_since_delinq": np.where(rng.random(n) < 0.4, rng.integers(1, 80, n), np.nan)})
    plan = FeaturePlan({"event_years": "numeric", "income": "numeric", "mths_since_delinq": "numeric"})
    leaks: list[str] = []
    warnings = _leakage_warnings(X, bad, plan, leaks)
    assert leaks == ["event_years"] and len(warnings) == 1
    assert warnings[0].startswith(f"Column 'event_years' is filled on {int(filled.sum())} loans, 100.0% of them "
                                  "defaulted (against 3")
    X["event_years"] = np.where(bad == 1, 1.0, np.nan)  # filled on every default: the filled pattern alone is the AUC
    warnings = _leakage_warnings(X, bad, plan, [])
    assert any(w.startswith("Whether column 'event_years' is filled separates defaults almost perfectly (AUC 1.000)")
               for w in warnings)


@pytest.mark.parametrize("column", ["PrincipalPaymentsMade", "InterestAndPenaltyPaymentsMade", "LP_CustomerPayments",
                                    "ChgOffDate", "ChgOffPrinGr", "LoanFirstDefaultedCycleNumber", "ClosedDate",
                                    "LoanMonthsSinceOrigination", "DefaultDate", "total_pymnt"])
def test_post_outcome_payment_records_are_named_so(column):
    assert finance_columns.is_post_outcome(column)


@pytest.mark.parametrize("column", ["chargeoff_within_12_mths", "MonthlyPayment", "LoanOriginalAmount", "PAY_AMT1",
                                    "ApprovalFY", "earliest_cr_line"])
def test_application_columns_are_not_named_post_outcome(column):
    assert not finance_columns.is_post_outcome(column)


def test_a_near_perfect_model_names_the_columns_it_leans_on():
    importance = pd.Series({"income": 0.05, "PrincipalBalance": 2.0, "DefaultDate": 6.0, "age": 0.01})
    text = model_leak_warning(0.9991, importance)
    assert text.startswith("The model separates defaults almost perfectly (out-of-fold AUC 0.999)")
    assert "it leans most on 'DefaultDate' (74%), 'PrincipalBalance' (25%), 'income' (1%)" in text
    assert "check that every column" in model_leak_warning(0.99, None)

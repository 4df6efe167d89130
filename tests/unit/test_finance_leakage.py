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


def test_an_sba_borrowers_state_is_warned_like_its_bank_state_city_and_zip():
    rng = np.random.default_rng(3)
    bad = (rng.random(300) < 0.3).astype(int)
    X = pd.DataFrame({"State": rng.choice(["CA", "NY", "TX"], 300), "BankState": rng.choice(["CA", "OH"], 300),
                      "City": rng.choice(["FRESNO", "AKRON"], 300), "Zip": rng.integers(1000, 99999, 300).astype(float),
                      "statement_count": rng.integers(0, 9, 300).astype(float), "addr_state": rng.choice(["CA"], 300)})
    plan = FeaturePlan({c: "categorical" if X[c].dtype == object else "numeric" for c in X.columns})
    warnings = _leakage_warnings(X, bad, plan)
    assert warnings == ["Column(s) 'State', 'BankState', 'City', 'Zip', 'addr_state' say where the applicant (or their "
                        "bank) is, which can stand in for race or national origin (redlining): check with the fairness "
                        "check that it does not, or leave it out (--exclude COLUMN; 'Columns to leave out' on the "
                        "page)."]


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
                                    "LoanMonthsSinceOrigination", "DefaultDate", "total_pymnt",
                                    "LoanCurrentDaysDelinquent"])
def test_post_outcome_payment_records_are_named_so(column):
    assert finance_columns.is_post_outcome(column)


@pytest.mark.parametrize("column", ["chargeoff_within_12_mths", "MonthlyPayment", "LoanOriginalAmount", "PAY_AMT1",
                                    "ApprovalFY", "earliest_cr_line", "Current Loan Amount", "CurrentDelinquencies",
                                    "AmountDelinquent"])
def test_application_columns_are_not_named_post_outcome(column):
    assert not finance_columns.is_post_outcome(column)


def test_a_near_perfect_model_names_the_columns_it_leans_on():
    importance = pd.Series({"income": 0.05, "PrincipalBalance": 2.0, "DefaultDate": 6.0, "age": 0.01})
    text = model_leak_warning(0.9991, importance)
    assert text.startswith("The model separates defaults almost perfectly (out-of-fold AUC 0.999)")
    assert "it leans most on 'DefaultDate' (74%), 'PrincipalBalance' (25%), 'income' (1%)" in text
    assert "check that every column" in model_leak_warning(0.99, None)


def _loan_default_like(n: int = 600, seed: int = 5) -> pd.DataFrame:
    """Loan_Default.csv's quirk: rate_of_interest is blank on almost every defaulted loan and on almost no other."""
    rng = np.random.default_rng(seed)
    status = (rng.random(n) < 0.25).astype(int)
    rate = np.round(rng.normal(4.0, 0.5, n), 3)
    rate[np.where(status == 1, rng.random(n) < 0.995, rng.random(n) < 0.001)] = np.nan
    return pd.DataFrame({"ID": np.arange(24890, 24890 + n), "loan_amount": rng.integers(50, 900, n) * 1000,
                         "rate_of_interest": rate, "Credit_Score": rng.integers(500, 901, n), "Status": status})


def test_a_column_whose_blanks_give_the_outcome_away_is_left_out_unless_kept():
    from services.finance_prepare import prepare

    frame = _loan_default_like()
    data = prepare(frame, "Status", id_column="ID")
    assert data.plan.features == ["loan_amount", "Credit_Score"] and list(data.X.columns) == data.plan.features
    assert data.leaks == ["rate_of_interest"] and "rate_of_interest" in data.plan.dropped
    told = [w for w in data.warnings if "'rate_of_interest'" in w]
    assert len(told) == 1 and told[0].startswith("Whether column 'rate_of_interest' is filled separates defaults "
                                                 "almost perfectly (AUC 0.99")
    assert told[0].endswith("It is left out of the model; if it is known at application time, keep it with --keep "
                            "rate_of_interest ('Columns to keep' on the page).")
    kept = prepare(frame, "Status", id_column="ID", keep=("rate_of_interest",))
    assert kept.plan.features == ["loan_amount", "rate_of_interest", "Credit_Score"]
    assert any(w.endswith("It is kept, as asked (--keep; 'Columns to keep' on the page); check that it is known "
                          "at application time.")
               for w in kept.warnings)


def test_a_copy_of_the_outcome_is_left_out_and_a_book_of_nothing_else_is_refused():
    from services.finance_prepare import CreditDataError, prepare

    frame = _loan_default_like().drop(columns=["rate_of_interest"])
    frame["status_text"] = np.where(frame["Status"] == 1, "in default", "performing")
    data = prepare(frame, "Status", id_column="ID")
    assert data.plan.features == ["loan_amount", "Credit_Score"] and data.leaks == ["status_text"]
    with pytest.raises(CreditDataError, match="every one gives the outcome away"):
        prepare(frame[["ID", "status_text", "Status"]], "Status", id_column="ID")


@pytest.mark.parametrize("good, bad, share", [("+", "-", 0.445), (1, 0, 0.445)])
def test_a_default_taken_as_the_smaller_of_two_nearly_even_classes_is_warned(good, bad, share):
    """crx.data's '+' and Statlog Australian's 1 mark the approved applications (44.5 %): the smaller class,
    so read as the default without a word; the warning names the other value to give."""
    from services.finance_prepare import prepare

    rng = np.random.default_rng(3)
    n = 400
    outcome = np.where(np.arange(n) < share * n, good, bad)
    frame = pd.DataFrame({"column_2": rng.normal(30, 9, n), "column_9": rng.choice(["t", "f"], n),
                          "column_16": outcome})
    data = prepare(frame, "column_16")
    assert data.positive == good
    told = [w for w in data.warnings if "nearly even" in w]
    assert told == [f"'column_16' = {good} is read as the default only because it is the smaller class, and the two "
                    f"are nearly even (44 % against 56 %): nothing in the file says which value is the bad outcome. "
                    f"If it is {bad} (a declined or bad application), give --positive {bad} "
                    "('Value(s) meaning default' on the page)."]
    assert not any("nearly even" in w for w in prepare(frame, "column_16", positive=str(good)).warnings)
    frame["column_16"] = np.where(np.arange(n) < 0.3 * n, good, bad)  # 30 %: the smaller class is a fair guess
    assert not any("nearly even" in w for w in prepare(frame, "column_16").warnings)


def test_a_category_held_only_by_defaulted_loans_is_warned_about_and_the_column_kept():
    """Loan_Default.csv's credit_type 'EQUI' is on many defaulted loans and on no repaid one."""
    rng = np.random.default_rng(6)
    n = 2000
    bad = (rng.random(n) < 0.25).astype(int)
    credit_type = np.where(bad == 1, rng.choice(["EXP", "EQUI", "CRIF", "CIB"], n, p=[0.3, 0.4, 0.15, 0.15]),
                           rng.choice(["EXP", "CRIF", "CIB"], n))
    X = pd.DataFrame({"credit_type": credit_type, "loan_type": rng.choice(["type1", "type2"], n)})
    plan = FeaturePlan({"credit_type": "categorical", "loan_type": "categorical"})
    leaks: list[str] = []
    warnings = _leakage_warnings(X, bad, plan, leaks)
    equi = int((credit_type == "EQUI").sum())
    assert leaks == [] and warnings == [
        f"Column 'credit_type' is 'EQUI' on {equi:,} loans, 100.0% of them defaulted (against {bad.mean():.1%} of all "
        "loans): a value given only to loans that went bad is most likely written after the outcome. Check it, and "
        "leave the column out (--exclude credit_type; 'Columns to leave out' on the page) if so."]
    fraud = (rng.random(n) < 0.02).astype(int)  # a large group with no fraud at all is no leak
    X["loan_type"] = np.where(fraud == 1, "type1", rng.choice(["type1", "type2"], n))
    assert _leakage_warnings(X[["loan_type"]], fraud, FeaturePlan({"loan_type": "categorical"})) == []


def test_rows_repeated_in_every_column_are_noted_and_kept():
    """The Kaggle credit_risk_dataset.csv holds 165 of its rows twice."""
    from services.finance_prepare import prepare

    frame = _loan_default_like().drop(columns=["rate_of_interest"])
    copies = pd.concat([frame, frame.iloc[:7]], ignore_index=True)
    data = prepare(copies.drop(columns=["ID"]), "Status")
    assert len(data.X) == len(copies)
    assert ("7 row(s) repeat an earlier row in every column, the outcome included. They are kept, as different "
            "applicants may look alike; if they are copies, remove them: a copy in another fold is predicted from "
            "itself, which flatters the out-of-fold figures.") in data.notes
    assert not any("repeat an earlier row" in n for n in prepare(frame, "Status", id_column="ID").notes)
    copies["ID"] = np.arange(len(copies))  # ids differ, values repeat: still said
    assert any(n.startswith("7 row(s) repeat") for n in prepare(copies, "Status", id_column="ID").notes)


def test_a_blank_column_in_a_rare_default_book_is_no_leak_when_its_defaults_are_at_chance():
    """0.2 % defaults: 10,000 blank rows holding their 20 expected defaults are 99.8 % repaid by chance alone."""
    from services.finance_leakage import _presence_warning

    rng = np.random.default_rng(0)
    bad = np.zeros(50_000, dtype=int)
    bad[rng.choice(50_000, 100, replace=False)] = 1
    filled = np.ones(50_000, dtype=bool)
    filled[:10_000] = False
    assert _presence_warning(filled, bad, "second_phone") is None
    written_on_repayment = bad == 0  # filled on repaid loans only: the outcome in other words
    written_on_repayment[:3] = True
    assert _presence_warning(written_on_repayment, bad, "repaid_on") is not None


def test_the_lenders_own_grade_is_warned_about_and_kept():
    """credit_risk_dataset's loan_grade and Lending Club's grade/sub_grade are the grading in use: a model on them
    learns that grading. Warned, not left out (they are known once the applicant is graded)."""
    rng = np.random.default_rng(2)
    bad = (rng.random(400) < 0.3).astype(int)
    X = pd.DataFrame({"loan_grade": rng.choice(list("ABCDEFG"), 400), "sub_grade": rng.choice(["A1", "B2"], 400),
                      "REGION_RATING_CLIENT": rng.integers(1, 4, 400).astype(float), "income": rng.normal(50, 9, 400)})
    plan = FeaturePlan({"loan_grade": "categorical", "sub_grade": "categorical", "REGION_RATING_CLIENT": "numeric",
                        "income": "numeric"})
    leaks: list[str] = []
    warnings = _leakage_warnings(X, bad, plan, leaks)
    assert warnings == ["Column(s) 'loan_grade', 'sub_grade' look like the lender's own risk grade: the model then "
                        "learns the grading in use (and an interest rate priced from it does too), and a new applicant "
                        "has it only once graded. Keep it if applicants are graded before this model scores them; for "
                        "a score of its own, leave it out (--exclude COLUMN; 'Columns to leave out' on the page)."]
    assert leaks == [] and list(plan.kinds) == ["loan_grade", "sub_grade", "REGION_RATING_CLIENT", "income"]


@pytest.mark.parametrize("column,graded", [("grade", True), ("SubGrade", True), ("Rating", True),
                                           ("ProsperRating (Alpha)", True), ("ProsperScore", True),
                                           ("REGION_RATING_CLIENT_W_CITY", False), ("bureau_rating", False),
                                           ("pay_grade", False), ("upgrade_count", False), ("credit_score", False)])
def test_lender_grade_names(column, graded):
    from domain.loan_columns import is_lender_grade

    assert is_lender_grade(column) is graded

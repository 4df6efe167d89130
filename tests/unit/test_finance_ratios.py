"""Amount per unit of term: which columns make it, how it is computed, and how its SHAP returns to them."""
import numpy as np
import pandas as pd
import pytest

from domain import loan_ratios
from ml.credit_ratios import add_ratios, fold_ratios
from ml.task import Explanation


@pytest.mark.parametrize(("columns", "pair"), [
    (["checking_status", "duration_months", "credit_amount", "installment_rate_pct"],
     ("credit_amount", "duration_months")),
    (["ApplicantIncome", "LoanAmount", "Loan_Amount_Term", "Credit_History"], ("LoanAmount", "Loan_Amount_Term")),
    (["funded_amnt", "loan_amnt", "term"], ("loan_amnt", "term")),
    (["LOAN", "MORTDUE", "Term"], ("LOAN", "Term")),
    (["hoehe", "laufzeit", "alter"], ("hoehe", "laufzeit")),
    (["Credit amount", "Duration in month"], ("Credit amount", "Duration in month")),
])
def test_pairs_found_by_name(columns, pair):
    assert loan_ratios.ratio_pair(columns, columns) == pair


@pytest.mark.parametrize("columns", [
    ["loan_amnt", "term", "installment"],                       # the instalment is already there
    ["AMT_CREDIT", "AMT_ANNUITY", "loan_term"],
    ["LoanOriginalAmount", "Term", "MonthlyLoanPayment"],
    ["AMT_REQ_CREDIT_BUREAU_YEAR", "term"],                     # a count of enquiries, not the loan's size
    ["total_pymnt_amount", "term"],
    ["loan_amnt", "emp_length"],                                # no term
    ["short_term_debt", "loan_amount"],
    ["credit_amount", "tenure"],                                # tenure: the customer's, as often as the loan's
])
def test_no_pair(columns):
    assert loan_ratios.ratio_pair(columns, columns) is None


def test_instalment_as_a_share_of_income_does_not_block():
    columns = ["credit_amount", "duration_months", "installment_rate_pct", "installment_commitment",
               "other_installment_plans"]
    assert loan_ratios.ratio_pair(columns, columns) == ("credit_amount", "duration_months")


def test_values_must_be_mostly_positive_with_two_terms():
    assert loan_ratios.usable_values([1000, 2500.0, float("nan")], [12, 24, 36])
    assert not loan_ratios.usable_values([1000, 2500], [36, 36])
    assert not loan_ratios.usable_values([1000] * 10, [0] * 5 + [12] * 5)


def test_ratio_name_never_overwrites_a_column():
    assert loan_ratios.ratio_name("a", "t", ["a", "t"]) == "a per t"
    assert loan_ratios.ratio_name("a", "t", ["a", "t", "a per t"]) == "a per t_"


def test_add_ratios_leaves_zero_and_missing_terms_empty():
    X = pd.DataFrame({"amount": [1200.0, 600.0, 900.0, np.nan], "term": [12, 0, np.nan, 6]})
    out = add_ratios(X, {"amount per term": ["amount", "term"]})
    assert out["amount per term"].tolist()[:1] == [100.0]
    assert out["amount per term"].isna().tolist() == [False, True, True, True]
    assert list(out.columns) == ["amount", "term", "amount per term"]
    assert add_ratios(X, {}) is X


def test_fold_gives_half_to_each_part_and_keeps_row_totals():
    data = pd.DataFrame({"amount": [1.0, 2.0], "other": [3.0, 4.0], "term": [5.0, 6.0], "r": [0.2, 0.3]})
    values = np.array([[0.1, 0.2, 0.3, 0.4], [-0.1, 0.0, 0.5, -0.6]])
    explanation = Explanation(base_value=-1.0, values=values, feature_names=("amount", "other", "term", "r"),
                              data=data)
    folded = fold_ratios(explanation, {"r": ["amount", "term"]})
    assert folded.feature_names == ("amount", "other", "term")
    np.testing.assert_allclose(folded.values, [[0.3, 0.2, 0.5], [-0.4, 0.0, 0.2]])
    np.testing.assert_allclose(folded.values.sum(axis=1), values.sum(axis=1))
    assert list(folded.data.columns) == ["amount", "other", "term"]
    assert folded.base_value == -1.0


def test_fold_keeps_a_ratio_whose_parts_are_gone():
    explanation = Explanation(base_value=0.0, values=np.ones((1, 2)), feature_names=("x", "r"))
    assert fold_ratios(explanation, {"r": ["a", "t"]}).feature_names == ("x", "r")


def _book(rows: int = 200) -> pd.DataFrame:
    rng = np.random.default_rng(0)
    return pd.DataFrame({"credit_amount": rng.integers(500, 15000, rows).astype(float),
                         "duration_months": rng.choice([6, 12, 24, 36, 48], rows).astype(float),
                         "age": rng.integers(19, 70, rows).astype(float),
                         "default": rng.choice([0, 1], rows, p=[0.7, 0.3])})


@pytest.mark.parametrize("held", ["credit_amount", "duration_months"])
def test_no_ratio_when_its_amount_or_term_is_held_monotone(held):
    """An unconstrained ratio let the PD fall by up to 0.076 as a LoanAmount held at +1 rose (Loan Prediction)."""
    from services.finance_prepare import prepare

    free = prepare(_book(), "default", positive="1")
    assert free.plan.ratios == {"credit_amount per duration_months": ["credit_amount", "duration_months"]}
    held_book = prepare(_book(), "default", positive="1", monotone={held: 1})
    assert held_book.plan.ratios == {}
    assert list(held_book.X.columns) == ["credit_amount", "duration_months", "age"]
    assert any("monotone constraint holds" in note for note in held_book.notes)
    assert prepare(_book(), "default", positive="1", monotone={"age": -1}).plan.ratios == free.plan.ratios

"""Outcome columns of public credit files that are no repayment outcome, and how training says so."""
import numpy as np
import pytest

from domain import loan_labels, loan_outcomes
from domain.finance import DecisionRuleError
from services.finance_prepare import prepare
from tests.support import classification_frame


@pytest.mark.parametrize("column,label,other,decision", [
    ("Loan_Status", False, True, True),             # Kaggle's Loan Prediction: Y/N, read as True/False
    ("Loan_Status", "N", "Y", True),
    ("loan_approved", 0, 1, True), ("application_decision", "bad", "good", True),
    ("status", "Rejected", "Approved", True),
    ("loan_status", 1, 0, False),                   # credit_risk_dataset: a 0/1 default flag
    ("loan_status", "Charged Off", "Fully Paid", False),
    ("not.fully.paid", 1, 0, False), ("class", 1, 0, False), ("Creditability", 0, 1, False),
    ("default_status", "yes", "no", False), ("paid_back_status", "N", "Y", False),  # how the loan ended, in yes/no
])
def test_an_outcome_that_records_the_decision_on_the_application(column, label, other, decision):
    assert loan_labels.is_decision(column, label, other) is decision


def _book(outcome_name: str, bad_value: object, good_value: object, rows: int = 240):
    frame = classification_frame(rows)
    outcome = np.where(frame.pop("default") == "bad", bad_value, good_value).astype(object)
    return frame.assign(**{outcome_name: outcome})


def test_a_yes_no_loan_status_is_warned_as_an_approval_not_a_default():
    """On a Loan-Prediction-shaped book the model silently learnt who had been refused a loan."""
    prepared = prepare(_book("Loan_Status", False, True), "Loan_Status", id_column="applicant_id")
    warning = next(w for w in prepared.warnings if "decision on the application" in w)
    assert warning.startswith("'Loan_Status' looks like the lender's decision on the application (no / yes), not "
                              "how the loan ended: a model trained on it learns past approvals, not default risk")
    assert "'Loan_Status' = no counts as a default" in warning


@pytest.mark.parametrize("name,bad,good", [("loan_status", 1, 0), ("loan_status", "Charged Off", "Fully Paid")])
def test_a_default_flag_or_a_repayment_status_is_not_warned_about(name, bad, good):
    prepared = prepare(_book(name, bad, good), name, id_column="applicant_id")
    assert not any("decision on the application" in w for w in prepared.warnings)


def test_a_book_whose_only_bad_status_is_late_is_told_to_name_it():
    """Bondora's Status holds Repaid, Current and Late: refused, the message had left 'Late' to be guessed."""
    with pytest.raises(DecisionRuleError) as error:
        loan_outcomes.group_outcomes({"Repaid": 1800, "Current": 1020, "Late": 1180}, "Status")
    assert str(error.value).endswith("Late is read as still running (a late loan may yet be cured); if such loans "
                                     "count as defaults in this book, give --positive Late.")
    prepared = prepare(_book("Status", "Late", "Repaid"), "Status", positive="Late", id_column="applicant_id")
    assert prepared.positive == "Late" and int(prepared.bad.sum()) > 0


def test_a_book_without_late_statuses_gets_no_hint():
    with pytest.raises(DecisionRuleError) as error:
        loan_outcomes.group_outcomes({"Fully Paid": 32, "Current": 14}, "loan_status")
    assert "--positive Current" not in str(error.value) and str(error.value).endswith("on the page).")

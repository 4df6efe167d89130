"""A loan, account or application number read as a number (SBA's LoanNr_ChkDgt) is an id, not a model input."""
import numpy as np
import pandas as pd
import pytest

from domain.loan_columns import is_id_name
from services.finance_fairness import first_sensitive
from services.finance_prepare import prepare
from tests.support import classification_frame


@pytest.mark.parametrize("name,named", [
    ("LoanNr_ChkDgt", True), ("loan_no", True), ("AcctNum", True), ("ApplicationKey", True), ("LOAN_NO", True),
    ("NumberOfDependents", False), ("num_accounts", False), ("loan_amnt", False), ("zip_code", False),
    ("NoEmp", False), ("account_balance", False), ("Telephone", False),
])
def test_names_of_record_numbers(name, named):
    assert is_id_name(name) is named


def _book(rows: int = 200) -> pd.DataFrame:
    rng = np.random.default_rng(5)
    frame = classification_frame(rows).drop(columns="applicant_id")
    return frame.assign(LoanNr_ChkDgt=rng.permutation(rows) * 37_117 + 10**9 + rng.integers(0, 37_000, rows),
                        NumberOfDependents=rng.integers(0, 4, rows),
                        loan_amnt=rng.integers(1000, 10**6, rows),  # nearly all different, but an amount
                        State=rng.choice(["CA", "TX", "NY"], rows))


def test_a_loan_number_that_differs_on_every_row_is_left_out_with_the_id_note():
    prepared = prepare(_book(), "default")
    assert "LoanNr_ChkDgt" not in prepared.plan.kinds
    assert {"NumberOfDependents", "loan_amnt", "amount"} <= set(prepared.plan.kinds)
    note = next(n for n in prepared.notes if "'LoanNr_ChkDgt'" in n)
    assert note.startswith("Column 'LoanNr_ChkDgt' is not used: an identifier") and "--id LoanNr_ChkDgt" in note


def test_a_repeated_account_number_is_a_feature():
    frame = _book().assign(AcctNum=np.arange(200) % 40)  # one account, several loans: not unique per row
    assert "AcctNum" in prepare(frame, "default").plan.kinds


def test_the_fairness_check_starts_on_a_protected_ground_else_a_place_never_on_an_id():
    columns = ["LoanNr_ChkDgt", "amount", "State", "purpose"]
    parameters = {"features": ["amount", "State", "purpose"]}
    assert first_sensitive(columns, parameters) == "State"
    assert first_sensitive([*columns, "gender"], {"features": [*parameters["features"], "gender"]}) == "gender"
    assert first_sensitive(["LoanNr_ChkDgt", "amount"], {"features": ["amount"]}) is None  # never an amount

"""How reasons write values: codes and years without thousands separators, spelled-out names, median-filled blanks."""
from types import SimpleNamespace

import numpy as np
import pandas as pd

from domain import finance_text as wording
from ml.credit_features import FeaturePlan
from services.finance_reasons import at_median


def test_zip_codes_and_years_are_written_without_thousands_separators():
    assert wording.reason_text("Zip", 5710.0, 0.2) == "Zip of 5710 raised the risk"
    assert wording.reason_text("ApprovalFY", 2006, 0.2) == "Approval FY of 2006 raised the risk"
    assert wording.reason_text("NAICS", 428318.0, -0.2) == "NAICS of 428318 lowered the risk"
    assert wording.reason_text("DisbursementGross", 21200.0, 0.2) == "Disbursement gross of 21,200 raised the risk"


def test_the_sba_books_noemp_is_the_number_of_employees():
    assert wording.humanise("NoEmp") == "Number of employees"


def test_bondoras_no_of_is_a_number_of():
    assert wording.humanise("NoOfPreviousLoansBeforeLoan") == "Number of previous loans before loan"
    assert wording.humanise("no_show") == "No show" and wording.humanise("loan_no") == "Loan no"


def test_a_blank_scored_at_the_training_median_says_so_in_its_reason():
    loaded = SimpleNamespace(plan=FeaturePlan({"Term": "numeric", "income": "numeric"}),
                             task=SimpleNamespace(fills_={"Term": 84.0}))
    X = pd.DataFrame({"Term": [np.nan, 120.0], "income": [np.nan, 10.0]})
    shown = at_median({"Term": [None, 120.0], "income": [None, 10.0]}, X, loaded)
    assert shown["Term"] == ["84 (not given: scored at the training median)", 120.0]
    assert shown["income"] == [None, 10.0]  # not filled: the model reads it as missing, and so does the reason
    assert wording.reason_text("Term", shown["Term"][0], 0.3) == \
        "Term of 84 (not given: scored at the training median) raised the risk"


def test_a_year_filled_at_its_training_median_is_shown_without_a_separator():
    from types import SimpleNamespace

    from services.finance_score_notes import shown_fill

    loaded = SimpleNamespace(plan=SimpleNamespace(kinds={}, anchor=None))
    assert shown_fill(1998.0, "ApprovalFY", loaded) == "1998"
    assert shown_fill(12345.5, "loan_amount", loaded) == "12,345.5"


def test_an_input_named_like_a_scored_column_is_named_as_the_input():
    """A Lending-Club book's own grade: "Grade of B raised the risk" sat beside the model's output grade C."""
    assert wording.reason_text("grade", "B", 0.3) == "Lender's grade (input column 'grade') of B raised the risk"
    assert wording.reason_text("PD", 0.12, -0.1) == "PD (input column 'PD') of 0.12 lowered the risk"
    assert wording.reason_text("decision", "refer", 0.1) == \
        "Decision (input column 'decision') of refer raised the risk"
    assert wording.reason_text("sub_grade", "B2", 0.3) == "Sub grade of B2 raised the risk"  # no output of that name
    assert wording.reason_text("loan_grade", "B", 0.3) == "Loan grade of B raised the risk"
    # bank marketing's 'default' (has the client credit in default?) is an input, not the model's own default
    assert wording.reason_text("default", "unknown", 0.2) == \
        "Default (input column 'default') of unknown raised the risk"
    assert wording.reason_text("default_history", "yes", 0.2) == "Default history of yes raised the risk"

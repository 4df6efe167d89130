"""What a scoring file's odd rows read as: impossible values (an age of 250, a negative income) flagged in the
reasons as far outside the training range, as the notes say; Excel's day numbers shown as dates; repeated ids named
with their rows."""
import numpy as np
import pandas as pd

from domain import finance_text as wording
from ml.credit_features import FeaturePlan
from services.finance_reasons import far_marked, shown_values
from services.finance_score_notes import duplicate_ids, far_notes


def test_values_far_outside_the_training_range_say_so_in_their_reasons():
    reference = {"Annual Income": {"min": 10900.0, "max": 430500.0}, "Age": {"min": 21.0, "max": 74.0},
                 "late": {"min": 0.0, "max": 13.0, "codes": [98.0]}}
    X = pd.DataFrame({"Annual Income": [-45000.0, 60000.0, np.nan], "Age": [250.0, 40.0, 30.0],
                      "late": [98.0, 2.0, 1.0]})
    shown = far_marked({c: X[c].tolist() for c in X.columns}, X, reference)
    assert shown["Annual Income"][:2] == ["-45,000 (far outside the training range)", 60000.0]
    assert shown["Age"][0] == "250 (far outside the training range)" and shown["late"][0] == 98.0  # a code
    assert wording.reason_text("Age", shown["Age"][0], 0.4) == "Age of 250 (far outside the training range) raised " \
        "the risk"
    assert len(far_notes(X, reference)) == 2  # the notes name the same two columns


def test_excel_days_in_a_date_column_are_shown_as_dates_in_reasons():
    plan = FeaturePlan({"Earliest Credit Line": "datetime"}, anchor="Issue Date")
    frame = pd.DataFrame({"Earliest Credit Line": [38744, 37076]})
    X = pd.DataFrame({"Earliest Credit Line": [9.9, 14.5]})
    shown = shown_values(frame, X, plan)
    assert shown["Earliest Credit Line"] == ["2006-01-27 (9.9 years before the application)",
                                             "2001-07-04 (14.5 years before the application)"]
    months = FeaturePlan({"first_payment_date": "datetime"}, anchor="issue_d")
    shown = shown_values(pd.DataFrame({"first_payment_date": [201604]}), pd.DataFrame({"first_payment_date": [-0.2]}),
                         months)
    assert shown["first_payment_date"] == ["2016-04-01 (0.2 years after the application)"]  # not "201,604"


def test_duplicated_ids_in_a_batch_are_named_with_their_rows():
    ids = pd.Series(["LN-1", "LN-2", "LN-2", None, "", "", "LN-1", "LN-3"], dtype=object)
    notes = duplicate_ids(ids, "Loan ID")
    assert notes == ["Id column 'Loan ID' has duplicated values: LN-2 (rows 2, 3); LN-1 (rows 1, 7); every row was "
                     "still scored, in place."]  # blanks are no id (a note of their own)
    assert duplicate_ids(pd.Series(["a", "b", None, None]), "id") == []

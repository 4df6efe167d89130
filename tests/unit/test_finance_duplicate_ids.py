"""Ids given to more than one row are refused; when those rows are copies of one another (a Bank-Loan-Status-shaped
export repeats about a tenth of its rows, Loan ID included), the refusal says so and what to do."""
import pandas as pd
import pytest

from services.finance_prepare import DuplicateIdError, prepare
from tests.support import classification_frame


def _book() -> pd.DataFrame:
    frame = classification_frame(200, seed=2)
    return pd.concat([frame, frame.iloc[[3, 8, 8]]], ignore_index=True)  # A00003 twice, A00008 three times


def test_ids_on_copied_rows_are_refused_with_the_fix():
    with pytest.raises(DuplicateIdError) as error:
        prepare(_book(), "default", id_column="applicant_id")
    assert str(error.value) == (
        "Id column 'applicant_id' has 2 duplicated value(s) (e.g. A00003, A00008); each applicant needs a unique id. "
        "The rows sharing an id repeat one another in every column, the outcome included: copies; remove the "
        "repeated rows (keep one of each) and train again.")


def test_ids_on_copies_and_on_different_records_are_counted_apart():
    frame = _book()
    frame.loc[len(frame) - 1, "amount"] += 1  # one of A00008's rows differs
    with pytest.raises(DuplicateIdError, match=r"\(e.g. A00003, A00008\); each applicant needs a unique id\. For 1 of "
                       r"them the rows repeat one another in every column \(copies: remove the repeated rows \(keep "
                       r"one of each\) and train again\); for the other 1 they differ, so one id names different "
                       r"records\.$"):
        prepare(frame, "default", id_column="applicant_id")


def test_an_id_on_two_different_records_is_refused_as_before():
    frame = classification_frame(200, seed=2)
    frame.loc[5, "applicant_id"] = frame.loc[4, "applicant_id"]
    with pytest.raises(DuplicateIdError, match=r"has 1 duplicated value\(s\) \(e.g. A00004\); each applicant needs a "
                       r"unique id\.$"):
        prepare(frame, "default", id_column="applicant_id")

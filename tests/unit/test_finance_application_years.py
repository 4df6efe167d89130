"""The year a loan was asked for or made (SBA's ApprovalFY, 1990 to 2014) is a calendar date like the application's
own: left out, never a reason ("Approval FY of 2007 raised the risk"), and never the date others count back from."""
import numpy as np
import pandas as pd

from domain.finance_columns import is_application_year
from services.finance_prepare import prepare
from tests.support import classification_frame


def test_names_of_the_applications_year():
    assert all(map(is_application_year, ["ApprovalFY", "issue_year", "Origination Year", "application_yr"]))
    assert not any(map(is_application_year, ["approval_amount", "year_of_birth", "years_employed", "open_year"]))


def test_an_approval_year_is_left_out_and_the_approval_date_stays_the_anchor():
    frame = classification_frame(300)
    approved = pd.Timestamp("1995-01-01") + pd.to_timedelta(np.arange(300) * 20, unit="D")
    frame["ApprovalDate"] = approved.strftime("%d-%b-%y")
    frame["ApprovalFY"] = approved.year + (approved.month >= 10)
    frame["opened"] = (approved - pd.DateOffset(years=5)).strftime("%Y-%m-%d")
    prepared = prepare(frame, "default", id_column="applicant_id")
    assert "ApprovalFY" not in prepared.plan.kinds and prepared.plan.anchor == "ApprovalDate"
    assert "Column(s) 'ApprovalFY' are not used: the year of the application or of the loan (new applicants come " \
           "later; a calendar year is no reason code)." in prepared.notes


def test_an_approval_year_alone_is_left_out_without_becoming_an_anchor():
    frame = classification_frame(300)
    frame["ApprovalFY"] = np.arange(300) % 20 + 1990
    frame.loc[5, "ApprovalFY"] = np.nan  # SBA's '1976A', read as a blank
    prepared = prepare(frame, "default", id_column="applicant_id")
    assert "ApprovalFY" not in prepared.plan.kinds and prepared.plan.anchor is None
    assert {r["column"]: r["kind"] for r in prepared.left_out}["ApprovalFY"] == "date"

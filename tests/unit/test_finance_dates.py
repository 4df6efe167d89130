"""Which date is the application's own, and dates written as text ('28-Feb-97', 'Q3 2013'), in a finance run."""
import numpy as np
import pandas as pd
import pytest

from domain import finance_columns
from ml.credit_dates import as_dates, reads_as_dates
from ml.credit_features import align
from services.finance_prepare import prepare
from tests.support import classification_frame


def _dated_book(rows: int = 300) -> pd.DataFrame:
    """A Bondora-shaped book: a report date with one value first, then the application's and the loan's dates."""
    frame = classification_frame(rows)
    applied = pd.Timestamp("2016-01-01") + pd.to_timedelta(np.arange(rows) * 3, unit="D")
    return frame.assign(ReportAsOfEOD=pd.Timestamp("2020-06-01"), LoanApplicationStartedDate=applied,
                        LoanDate=applied + pd.Timedelta(days=20),
                        FirstPaymentDate=applied + pd.Timedelta(days=50))


def test_a_snapshot_date_with_one_value_is_never_the_application_date_and_application_names_win():
    prepared = prepare(_dated_book(), "default", id_column="applicant_id")
    assert prepared.plan.anchor == "LoanApplicationStartedDate"  # was the constant ReportAsOfEOD
    assert prepared.plan.dropped["ReportAsOfEOD"] == "constant"
    assert "Columns 'LoanApplicationStartedDate', 'LoanDate' are not used: dates of the application or of the " \
           "loan (new applicants come later; a date is no reason code)." in prepared.notes  # one note, not one each
    X = align(prepared.raw, prepared.plan)
    # the first payment falls 50 days after the application on every loan: not the loan's age at the report date
    assert X["FirstPaymentDate"].round(3).unique().tolist() == [round(-50 / 365.25, 3)]


@pytest.mark.parametrize("name,rank", [("LoanApplicationStartedDate", 0), ("ListingCreationDate", 0),
                                       ("ApplicationDate", 0), ("LoanDate", 1), ("ListedOnUTC", 1),
                                       ("ApprovalDate", 1), ("LoanOriginationDate", 1), ("ReportAsOfEOD", 2)])
def test_application_like_dates_are_ranked_for_the_anchor(name, rank):
    assert finance_columns.is_application_date(name) and finance_columns.anchor_rank(name) == rank


def test_dates_written_as_text_and_quarters_are_read_as_dates():
    text = pd.Series(["28-Feb-97", "11-Jul-94", "01-Jan-68", "Q3 2013", "2013Q1", None])
    assert as_dates(text).dt.strftime("%Y-%m-%d").tolist()[:5] == ["1997-02-28", "1994-07-11", "1968-01-01",
                                                                     "2013-07-01", "2013-01-01"]
    assert reads_as_dates(pd.Series(["Q1 2012", "Q4 2013"])) and reads_as_dates(pd.Series(["28-Feb-97"]))
    for not_dates in (["May", "Jun"], ["1-2", "3-5"], ["36 months", "60 months"], ["A1", "B2"], ["$1-24,999"],
                      ["1996", "1997", "2006"]):
        assert not reads_as_dates(pd.Series(not_dates)), not_dates


def test_sba_and_prosper_text_dates_are_dates_not_thousand_level_categories():
    frame = classification_frame(300)
    approved = pd.Timestamp("1994-01-01") + pd.to_timedelta(np.arange(300) * 7, unit="D")
    frame["ApprovalDate"] = approved.strftime("%d-%b-%y")
    frame["OpenedDate"] = (approved - pd.DateOffset(years=3)).strftime("%d-%b-%y")
    frame["LoanOriginationQuarter"] = [f"Q{(d.month - 1) // 3 + 1} {d.year}" for d in approved]
    prepared = prepare(frame, "default", id_column="applicant_id")
    assert "Column 'ApprovalDate' holds dates written as text (e.g. '01-Jan-94'): read as dates." in prepared.notes
    assert prepared.plan.anchor == "ApprovalDate" and "LoanOriginationQuarter" not in prepared.plan.kinds
    assert prepared.plan.kinds["OpenedDate"] == "datetime"
    X = align(prepared.raw, prepared.plan)
    assert X["OpenedDate"].between(2.99, 3.01).all()  # three years before the approval, not a category

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
    assert ("Column 'ApprovalDate' holds dates written as text or numbers (e.g. '01-Jan-94' as 1994-01-01): read as "
            "dates.") in prepared.notes
    assert prepared.plan.anchor == "ApprovalDate" and "LoanOriginationQuarter" not in prepared.plan.kinds
    assert prepared.plan.kinds["OpenedDate"] == "datetime"
    X = align(prepared.raw, prepared.plan)
    assert X["OpenedDate"].between(2.99, 3.01).all()  # three years before the approval, not a category


def test_an_application_date_named_in_another_language_is_the_one_whose_dates_lie_closest():
    frame = classification_frame(300)
    applied = pd.Timestamp("2022-01-01") + pd.to_timedelta(np.arange(300) * 2, unit="D")
    frame["Antragsdatum"] = applied
    frame["Geburtsdatum"] = applied - pd.to_timedelta(np.linspace(20, 70, 300) * 365.25, unit="D")
    prepared = prepare(frame, "default", id_column="applicant_id")
    assert prepared.plan.anchor == "Antragsdatum" and "Antragsdatum" not in prepared.plan.kinds
    assert any("'Antragsdatum', the date whose values lie closest together, is taken for it" in n
               for n in prepared.notes)
    X = align(prepared.raw, prepared.plan)
    assert X["Geburtsdatum"].between(19.9, 70.1).all()  # age in years at the application, not days since 1970
    births = prepare(frame.drop(columns="Antragsdatum"), "default", id_column="applicant_id")
    assert births.plan.anchor is None and births.plan.kinds["Geburtsdatum"] == "datetime"  # decades: no event date


def test_months_written_as_numbers_in_a_date_column_are_dates():
    from ml.credit_dates import month_numbers

    months = month_numbers(pd.Series([201604, 201712, np.nan]), "first_payment_date")
    assert months.dt.strftime("%Y-%m-%d").tolist()[:2] == ["2016-04-01", "2017-12-01"] and months.isna().iloc[2]
    assert month_numbers(pd.Series([201604, 201712]), "loan_amount") is None  # not named as a date
    assert month_numbers(pd.Series([30, 60]), "days_past_due_date") is None
    assert month_numbers(pd.Series([201613]), "MaturityDate") is None  # no month 13
    assert as_dates(pd.Series([201604, 20160415])).dt.strftime("%Y-%m-%d").tolist() == ["2016-04-01", "2016-04-15"]
    frame = classification_frame(300)
    first = pd.Timestamp("2016-01-01") + pd.to_timedelta(np.arange(300) * 3, unit="D")
    frame["first_payment_date"] = first.strftime("%Y%m").astype(int)
    frame["maturity_date"] = (first + pd.DateOffset(years=30)).strftime("%Y%m").astype(int)
    prepared = prepare(frame, "default", id_column="applicant_id")
    assert prepared.plan.anchor == "first_payment_date"
    X = align(prepared.raw, prepared.plan)
    assert X["maturity_date"].between(-30.1, -29.9).all()  # the loan's term, not a count of days since 1970

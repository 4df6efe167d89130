"""Lending Club 2007-2011 as it is usually shared (an Excel-written loan.csv): issue_d 'Dec-11' and earliest_cr_line
'Jan-85', a month and a two-digit year. pandas read 'Dec-11' as 11 December of no year and gave up, so issue_d (the
application's date) became a 12-to-55-value category used as a risk factor, and earliest_cr_line (79 % read) a
category of hundreds of values."""
import numpy as np
import pandas as pd

from ml.credit_dates import as_dates, reads_as_dates
from services.finance_prepare import prepare
from tests.support import classification_frame

MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def test_a_month_and_a_two_digit_year_read_as_that_month():
    text = pd.Series(["Dec-11", "Jan-85", "Mar-05", "DEC-00", "jun 07", "May-68", None])
    assert as_dates(text).dt.strftime("%Y-%m-%d").tolist()[:6] == ["2011-12-01", "1985-01-01", "2005-03-01",
                                                                     "2000-12-01", "2007-06-01", "1968-05-01"]
    assert reads_as_dates(pd.Series(["Dec-11", "Jun-07"])) and not reads_as_dates(pd.Series(["A1-11", "B2-07"]))
    assert as_dates(pd.Series(["28-Feb-97", "Dec-2011"])).dt.strftime("%Y-%m-%d").tolist() == ["1997-02-28",
                                                                                              "2011-12-01"]


def test_lending_club_month_year_dates_give_the_application_date_and_years_of_history():
    rows = 300
    rng = np.random.default_rng(0)
    frame = classification_frame(rows)
    frame["issue_d"] = [f"{m}-{y:02d}" for m, y in zip(rng.choice(MONTHS, rows), rng.integers(7, 12, rows))]
    frame["earliest_cr_line"] = [f"{m}-{y % 100:02d}" for m, y in zip(rng.choice(MONTHS, rows),
                                                                       rng.integers(1970, 2007, rows))]
    prepared = prepare(frame, "default", id_column="applicant_id")
    assert prepared.plan.anchor == "issue_d" and "issue_d" not in prepared.plan.kinds
    assert prepared.plan.kinds["earliest_cr_line"] == "datetime"

"""Excel's day numbers (37076 for 2001-07-04) in a loan file's date columns, as a sheet saved to CSV with its date
cells formatted as General writes them: dates, counted back from the application, not amounts in the reasons."""
import numpy as np
import pandas as pd

from ml.credit_dates import as_dates, month_numbers
from ml.credit_features import align
from services.finance_prepare import prepare
from tests.support import classification_frame


def test_five_digit_whole_numbers_in_a_column_named_as_a_day_are_excel_days():
    read = month_numbers(pd.Series([37076, 41487, np.nan]), "Earliest Credit Line")
    assert read.dt.strftime("%Y-%m-%d").tolist()[:2] == ["2001-07-04", "2013-08-01"] and read.isna().iloc[2]
    assert month_numbers(pd.Series([42370.0, 43101.0]), "issue_d").dt.year.tolist() == [2016, 2018]
    assert as_dates(pd.Series([37076, 201604])).dt.strftime("%Y-%m-%d").tolist() == ["2001-07-04", "2016-04-01"]


def test_amounts_years_and_monthly_figures_are_not_excel_days():
    assert month_numbers(pd.Series([12000, 45000, 61000]), "MonthlyIncome") is None  # a month is no day
    assert month_numbers(pd.Series([12000, 45000, 61000]), "loan_amount") is None
    assert month_numbers(pd.Series([1995, 2003]), "open_date") is None  # years, not days of 1905
    assert month_numbers(pd.Series([37076, 123]), "open_date") is None  # not all of them days
    assert month_numbers(pd.Series([37076, 99999]), "open_date") is None  # 2173: no date of a loan book


def test_a_credit_line_opened_on_an_excel_day_is_years_before_the_application():
    frame = classification_frame(300)
    applied = pd.Timestamp("2016-01-01") + pd.to_timedelta(np.arange(300) * 3, unit="D")
    frame["Issue Date"] = applied.strftime("%b-%Y")
    opened = applied - pd.to_timedelta(np.linspace(2, 30, 300) * 365.25, unit="D")
    frame["Earliest Credit Line"] = (opened - pd.Timestamp("1899-12-30")).days
    prepared = prepare(frame, "default", id_column="applicant_id")
    assert prepared.plan.anchor == "Issue Date" and prepared.plan.kinds["Earliest Credit Line"] == "datetime"
    first = frame["Earliest Credit Line"].iloc[0]
    assert (f"Column 'Earliest Credit Line' holds dates written as text or numbers (e.g. '{first}' as "
            f"{opened[0]:%Y-%m-%d}): read as dates.") in prepared.notes
    years = align(prepared.raw, prepared.plan)["Earliest Credit Line"]
    assert years.between(1.9, 30.1).all()  # years of history, not a day count of 30,000 to 41,000

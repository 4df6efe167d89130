"""Dates written day-month-two-digit-year (the Vehicle Loan book's Date.of.Birth '22-11-53' and DisbursalDate
'31-08-18'), which the file reader takes for the years 53 and 18: read in the 1900s or 2000s."""
import numpy as np
import pandas as pd

from ml.credit_dates import full_years
from ml.credit_features import align
from services import finance
from tests.support import classification_frame


def test_years_below_100_are_read_in_the_1900s_or_2000s_never_in_the_future():
    read = pd.Series(np.array(["0053-11-22", "0000-02-29", "0018-08-31T10:30", "NaT"], dtype="datetime64[ms]"))
    assert full_years(read).astype(str).tolist() == ["1953-11-22 00:00:00", "2000-02-29 00:00:00",
                                                     "2018-08-31 10:30:00", "NaT"]
    assert full_years(pd.Series(pd.to_datetime(["1953-11-22", "2018-08-31"]))) is None  # four-digit years: as read
    assert full_years(pd.Series([53, 18])) is None


def _vehicle_book(rows: int = 240) -> bytes:
    frame = classification_frame(rows)
    applied = pd.Timestamp("2018-08-13") + pd.to_timedelta(np.arange(rows) % 60, unit="D")
    born = applied - pd.to_timedelta(365.25 * (frame["age"] + 0.5), unit="D")
    frame = frame.drop(columns="age").assign(**{"Date.of.Birth": born.dt.strftime("%d-%m-%y"),
                                                "DisbursalDate": applied.strftime("%d-%m-%y")})
    return frame.to_csv(index=False).encode()


def test_a_book_of_dd_mm_yy_dates_counts_ages_from_the_application_in_years():
    frame = finance.read_upload(_vehicle_book(), filename="vehicle.csv", max_bytes=10**7)
    data = finance._prepare_params(frame, finance.credit_params(0, "default", id_column="applicant_id"))
    assert data.plan.anchor == "DisbursalDate"
    ages = align(data.raw, data.plan)["Date.of.Birth"]
    expected = classification_frame(240)["age"] + 0.5
    assert np.allclose(ages.to_numpy(), expected.to_numpy(), atol=0.01)  # had been 100 years less: "after" the loan
    # the file reader keeps two-digit-year dates as text (it had read them as the years 53 and 0, and year 0 crashed
    # it): the desk reads them as dates, day first, and says so
    said = [n for n in data.notes if "'Date.of.Birth'" in n and "read as dates" in n]
    assert said, data.notes


def test_six_digit_days_with_a_two_digit_year_are_dates_and_months_stay_months():
    from ml.credit_dates import month_numbers

    czech = month_numbers(pd.Series([930705, 981231, 680101]), "date")  # PKDD'99 loan.asc: YYMMDD
    assert czech.dt.strftime("%Y-%m-%d").tolist() == ["1993-07-05", "1998-12-31", "1968-01-01"]
    freddie = month_numbers(pd.Series([201604, 200105]), "first_payment_date")  # YYYYMM wins where it reads
    assert freddie.dt.strftime("%Y-%m-%d").tolist() == ["2016-04-01", "2001-05-01"]


def test_days_written_as_text_are_read_day_first_for_the_whole_column_when_one_shows_it():
    from ml.credit_dates import as_dates

    born = pd.Series(["22-11-53", "03-01-82", "01-01-00", "bad", None])  # the reader left them as text
    assert as_dates(born).astype(str).tolist() == ["1953-11-22", "1982-01-03", "2000-01-01", "NaT", "NaT"]
    assert as_dates(pd.Series(["01/15/19", "03/01/82"])).astype(str).tolist() == ["2019-01-15", "1982-03-01"]


def test_a_column_read_day_first_in_training_is_read_so_in_a_batch_that_does_not_show_it():
    from ml.credit_features import FeaturePlan
    from services.finance_prepare import prepare

    frame = classification_frame(240)
    applied = pd.Timestamp("2018-08-13") + pd.to_timedelta(np.arange(240) % 60, unit="D")
    born = applied - pd.to_timedelta(365.25 * (frame["age"] + 0.5), unit="D")
    frame = frame.drop(columns="age").assign(born=born.dt.strftime("%d-%m-%y"),
                                             application_date=applied.strftime("%d-%m-%y"))
    prepared = prepare(frame, "default", id_column="applicant_id")
    plan = FeaturePlan.from_json(prepared.plan.to_json())  # as saved with the run
    assert plan.anchor == "application_date" and plan.day_first == ["born", "application_date"]
    one = align(pd.DataFrame({"amount": [1000.0], "purpose": ["car"], "born": ["03-01-82"],
                              "application_date": ["05-02-19"]}), plan)
    assert round(float(one["born"].iloc[0]), 2) == round((pd.Timestamp("2019-02-05") - pd.Timestamp("1982-01-03")).days
                                                         / 365.25, 2)  # month first: 1 March 1982 and 2 May 2019

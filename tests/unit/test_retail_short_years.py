"""Dates with two-digit years ('04-30-22' in Amazon's sale report, a sheet's short date '30/04/22 10:15', Oracle's
'30-Apr-22'): the file reader reads four-digit years only, so the column stayed text and the run was refused with
"not a date column (or mixes date formats); use one format such as 2024-01-31", though it holds one format."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from ml.forecast_prep import ForecastInputError, PrepOptions, prepare
from ml.forecast_shortyears import short_year_dates

DAYS = pd.date_range("2022-03-31", "2022-06-15", freq="D")


def _orders(written: list[str]) -> pd.DataFrame:
    rng = np.random.default_rng(1)
    return pd.DataFrame({"Date": written * 2, "Category": ["Set"] * len(written) + ["kurta"] * len(written),
                         "Qty": rng.integers(0, 4, 2 * len(written)).astype(float)})


def test_month_first_two_digit_years_are_read_as_dates_with_a_note():
    prepared = prepare(_orders(list(DAYS.strftime("%m-%d-%y"))),
                       PrepOptions(date="Date", target="Qty", series=("Category",), horizon=14))
    assert prepared.freq == "D"
    assert [n for n in prepared.notes if "two-digit" in n] == [
        "Column 'Date' holds dates with two-digit years (such as '03-31-22' = 2022-03-31): read as MM-DD-YY, "
        "years 00-68 as 2000-2068 and 69-99 as 1969-1999."]


@pytest.mark.parametrize(("written", "expected", "order"), [
    (["30/04/22 10:15", "01/05/22 9:05 PM", ""], ["2022-04-30 10:15", "2022-05-01 21:05", None], "DD/MM/YY"),
    (["30.04.99", "01.05.00"], ["1999-04-30", "2000-05-01"], "DD.MM.YY"),
    (["30-Apr-22", "01-May-22"], ["2022-04-30", "2022-05-01"], "DD-Mon-YY"),
])
def test_day_first_times_and_month_names(written, expected, order):
    notes: list[str] = []
    dates = short_year_dates(pd.Series(written, dtype="string"), "Date", notes)
    assert list(dates) == [pd.Timestamp(e) if e else pd.NaT for e in expected]
    assert f"read as {order}," in notes[0]


def test_month_starts_that_fit_both_orders_are_read_where_they_step_by_month_and_said_ambiguous():
    notes: list[str] = []
    dates = short_year_dates(pd.Series(["01/01/22", "02/01/22", "03/01/22", "04/01/22"], dtype="string"), "Date", notes)
    assert list(dates.dt.month) == [1, 2, 3, 4]
    assert notes[0].endswith("Every date fits DD/MM/YY too: check a few.")


def test_dates_that_contradict_either_order_are_still_refused():
    with pytest.raises(ForecastInputError, match="is not a date column"):
        prepare(_orders(["13/01/22", "01/13/22"] * 40),
                PrepOptions(date="Date", target="Qty", series=("Category",), horizon=7))


def test_the_page_form_offers_a_text_column_of_two_digit_year_dates():
    """The import leaves '04-30-22' as text: the form had said "No column of this table reads as dates"."""
    from services.retail_form import date_choices, no_dates_message

    schema = {"Date": "categorical", "Category": "categorical", "Status": "categorical", "Qty": "numeric"}
    profile = [{"name": "Date", "kind": "categorical", "top_values": [["04-03-22", 157], ["05-09-22", 143]]},
               {"name": "Status", "kind": "categorical", "top_values": [["Shipped", 5000], ["Cancelled", 900]]}]
    assert date_choices(schema, profile) == ["Date"] and no_dates_message(schema, profile) is None

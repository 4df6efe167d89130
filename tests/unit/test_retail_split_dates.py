"""A date written as two columns (Montgomery County's warehouse and retail sales: YEAR and MONTH) is refused with
the line that combines them. `--date YEAR` had been read as 1 January of each year and stopped as "160 (series,
date) pairs appear more than once … sum them" (summing would make yearly data); `--date MONTH` as a count of days
("the first period's real date plus MONTH - 1 days")."""
from __future__ import annotations

import pandas as pd
import pytest

from ml.forecast_prep import ForecastInputError, PrepOptions, prepare


def _sales(month: str = "MONTH") -> pd.DataFrame:
    rows = [(2019 + i // 12, i % 12 + 1, item, 10.0 + i) for i in range(30) for item in ("A", "B")]
    return pd.DataFrame(rows, columns=["YEAR", month, "ITEM CODE", "RETAIL SALES"])


@pytest.mark.parametrize("date", ["YEAR", "MONTH"])
def test_a_year_or_month_number_is_refused_with_the_line_that_combines_them(date):
    with pytest.raises(ForecastInputError) as caught:
        prepare(_sales(), PrepOptions(date=date, target="RETAIL SALES", series=("ITEM CODE",), horizon=3))
    assert str(caught.value) == (
        "Columns 'YEAR' and 'MONTH' hold the year and the month number of each row: neither is a date alone. Combine "
        "them into a date column first, e.g. frame['date'] = pd.to_datetime(dict(year=frame['YEAR'], "
        "month=frame['MONTH'], day=1)), then forecast by it (--date date; 'Date column' on the page).")


def test_a_year_and_week_number_get_the_iso_week_line():
    frame = _sales("Week")
    with pytest.raises(ForecastInputError, match=r"the week number .*format='%G-W%V-%u'"):
        prepare(frame, PrepOptions(date="Week", target="RETAIL SALES", series=("ITEM CODE",), horizon=3))


def test_the_combined_date_runs_and_a_year_column_beside_a_date_is_a_plain_column():
    frame = _sales()
    frame["date"] = pd.to_datetime(dict(year=frame["YEAR"], month=frame["MONTH"], day=1))
    prepared = prepare(frame, PrepOptions(date="date", target="RETAIL SALES", series=("ITEM CODE",), horizon=3))
    assert prepared.freq == "M" and len(prepared.frame) == 60

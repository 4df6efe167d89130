"""Date cells saved without their format (a CSV written from Excel: 44200 for 4 January 2021) had been refused as a
count of weeks from a start, with a line mapping them from 'the first period's real date'."""
import pandas as pd

from ml.forecast_datenums import numbers_as_dates
from ml.forecast_prep import PrepOptions, prepare


def test_excel_serial_dates_are_read_as_dates_with_a_note():
    notes: list[str] = []
    dates = numbers_as_dates(pd.Series([44200, 44207, 44214]), "Week", notes)
    assert list(dates) == list(pd.to_datetime(["2021-01-04", "2021-01-11", "2021-01-18"]))
    assert notes == ["Column 'Week' holds Excel serial dates, days counted from 1899-12-30 (such as 44200 = "
                     "2021-01-04): read as dates."]


def test_day_counts_and_8_digit_dates_are_not_serial_dates():
    notes: list[str] = []
    assert numbers_as_dates(pd.Series([1, 2, 711]), "DAY", notes).tolist() == [1, 2, 711]
    assert numbers_as_dates(pd.Series([20210104, 20210111]), "date", notes).tolist() == [20210104, 20210111]
    assert notes == []


def test_a_weekly_file_of_serial_dates_is_forecast_weekly():
    serial = [44200 + 7 * k for k in range(60)]
    frame = pd.DataFrame({"Week": serial * 2, "SKU": ["A"] * 60 + ["B"] * 60, "Units": range(120)})
    prepared = prepare(frame, PrepOptions(date="Week", target="Units", series=("SKU",), horizon=4))
    assert prepared.freq == "W" and prepared.frame["ds"].min() == pd.Timestamp("2021-01-04")

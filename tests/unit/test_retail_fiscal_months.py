"""Monthly dates on a company's calendar: 4-4-5 fiscal months (read as weekly data with 3 weeks in 4 at 0) and
months dated on the 25th (moved to the 1st without a word, and forecast on the 1st)."""
import pandas as pd
import pytest

from ml.forecast_columns import ForecastInputError
from ml.forecast_frequency import on_own_weekdays
from ml.forecast_prep import PrepOptions, prepare


def months(ends: list[pd.Timestamp]) -> pd.DataFrame:
    return pd.concat([pd.DataFrame({"Period End": ends, "Material": name, "Qty": [100.0 + k for k in range(len(ends))]})
                      for name in ("MAT1", "MAT2")], ignore_index=True)


def test_4_4_5_fiscal_months_are_refused_in_words():
    ends, day = [], pd.Timestamp("2021-01-30")
    for weeks in [4, 4, 5] * 10:
        ends.append(day)
        day += pd.Timedelta(weeks=weeks)
    with pytest.raises(ForecastInputError, match="fiscal months of a 4-4-5 calendar"):
        prepare(months(ends), PrepOptions(date="Period End", target="Qty", series=("Material",), horizon=3))


def test_weekly_sales_with_a_few_missing_weeks_stay_weekly():
    weeks = list(pd.date_range("2021-01-03", periods=60, freq="W-SUN").delete([5, 6, 7, 20]))
    prepared = prepare(months(weeks), PrepOptions(date="Period End", target="Qty", series=("Material",), horizon=3))
    assert prepared.freq == "W"


def test_months_dated_on_the_25th_are_forecast_on_the_25th():
    ends = list(pd.date_range("2021-01-01", periods=30, freq="MS") + pd.Timedelta(days=24))
    prepared = prepare(months(ends), PrepOptions(date="Period End", target="Qty", series=("Material",), horizon=3))
    assert prepared.freq == "M" and prepared.frame["ds"].dt.day.eq(1).all()
    assert any("forecasts are dated on the same day of each month again (the 25th)" in n for n in prepared.notes)
    future = pd.DataFrame({"unique_id": prepared.frame["unique_id"].iloc[0], "ds": pd.to_datetime(["2023-07-01"])})
    assert on_own_weekdays(future, prepared.own_days)["ds"].iloc[0] == pd.Timestamp("2023-07-25")


def test_month_starts_stay_without_a_note():
    prepared = prepare(months(list(pd.date_range("2021-01-01", periods=30, freq="MS"))),
                       PrepOptions(date="Period End", target="Qty", series=("Material",), horizon=3))
    assert prepared.own_days == {} and not any("within their month" in n for n in prepared.notes)

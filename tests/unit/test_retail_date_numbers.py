"""Date columns written as numbers: Unix times (Retail Rocket's events.csv, in milliseconds) are read as dates; day
numbers (Dunnhumby's DAY 1 … 711) are refused with the line that maps them to dates. Both had been refused with
"not a date column … use one format such as 2024-01-31"."""
import numpy as np
import pandas as pd
import pytest

from ml.forecast_prep import ForecastInputError, PrepOptions, prepare

DAYS = pd.date_range("2015-05-03", periods=70, freq="D")


def _events(stamps: np.ndarray) -> pd.DataFrame:
    """Two events a day per category, at 09:00 and 15:30 UTC, written in the given unit."""
    rng = np.random.default_rng(4)
    rows = len(stamps)
    return pd.DataFrame({"timestamp": np.tile(stamps, 2), "category": np.repeat(["c1", "c2"], rows),
                         "qty": rng.integers(1, 5, 2 * rows).astype(float)})


def _prepared(frame: pd.DataFrame, date: str = "timestamp"):
    return prepare(frame, PrepOptions(date=date, target="qty", series=("category",), horizon=7))


@pytest.mark.parametrize("unit, scale, word", [("ms", 10**6, "milliseconds"), ("s", 10**9, "seconds")])
def test_unix_times_are_read_as_dates_in_utc(unit, scale, word):
    times = np.concatenate([(DAYS + pd.Timedelta(hours=9)).asi8, (DAYS + pd.Timedelta(hours=15, minutes=30)).asi8])
    frame = _events(np.sort(times // scale))
    prepared = _prepared(frame)
    first = int(frame["timestamp"].iloc[0])
    assert (f"Column 'timestamp' holds Unix times in {word} (such as {first} = 2015-05-03 09:00:00 UTC): read as "
            "dates and times in UTC.") in prepared.notes
    assert prepared.freq == "D"
    assert prepared.frame["ds"].min() == pd.Timestamp("2015-05-03")
    assert prepared.frame["ds"].max() == pd.Timestamp("2015-07-11")
    daily = prepared.frame.groupby("ds")["y"].sum()  # both events of each day, summed
    assert daily.sum() == frame["qty"].sum() and len(daily) == 70


def test_eight_digit_dates_are_still_read_as_year_month_day():
    frame = _events(DAYS.strftime("%Y%m%d").astype(int).to_numpy())
    frame = frame.drop_duplicates(["timestamp", "category"])
    prepared = _prepared(frame)
    assert not any("Unix times" in note for note in prepared.notes)
    assert prepared.frame["ds"].min() == DAYS[0] and prepared.frame["ds"].max() == DAYS[-1]
    assert prepared.freq == "D"


def test_day_numbers_are_refused_with_the_line_that_maps_them_to_dates():
    frame = _events(np.arange(1, 71)).drop_duplicates(["timestamp", "category"]).rename(columns={"timestamp": "DAY"})
    with pytest.raises(ForecastInputError) as error:
        _prepared(frame, "DAY")
    assert str(error.value) == (
        "Column 'DAY' holds numbers (1 to 70), not dates. If they count days from a start (like Dunnhumby's DAY and "
        "WEEK_NO), add a column of their dates to the file first (the first period's real date plus DAY - 1 days) "
        "and forecast by it (--date COLUMN; 'Date column' on the page).")

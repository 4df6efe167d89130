"""The note on periods no series has a row for leaves out a closing weekday (no row on most of its dates).

An Online Retail-like file (no rows on Saturdays) had its 103 Saturdays listed as "set to 0 sales as if the whole
business sold nothing … use --fill missing", beside the note saying Saturdays are closed and forecast at 0.
"""
import numpy as np
import pandas as pd

from ml.forecast_cleaning import missing_everywhere


def test_closed_saturdays_are_not_listed_as_periods_missing_everywhere():
    days = pd.date_range("2024-01-01", periods=70, freq="D")
    full = pd.DataFrame({"unique_id": np.repeat(["a", "b", "c"], len(days)), "ds": np.tile(days, 3)})
    gap = (full["ds"].dt.dayofweek == 5) | (full["ds"] == "2024-02-14")
    notes = missing_everywhere(full, gap.to_numpy(), "D")
    assert notes == ["No series has a row for 1 period(s) (2024-02-14): they were set to 0 sales as if the whole "
                     "business sold nothing. If those periods are missing from the export rather than closed, use "
                     "--fill missing."]
    weekly = missing_everywhere(full, gap.to_numpy(), "W")  # no weekdays in weekly data: every such period listed
    assert weekly[0].startswith("No series has a row for 11 period(s) (2024-01-06, 2024-01-13,")

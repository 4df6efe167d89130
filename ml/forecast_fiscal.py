"""Monthly dates on a company's own calendar: fiscal months of whole weeks (4-4-5) and months dated on one day of
their own (the 25th, when a fiscal month closes).

A 4-4-5 calendar dates its months 28 and 35 days apart (every third month has five weeks). All whole weeks, those
dates read as weekly data with three weeks in four missing, set to 0 sales: a file of fiscal months was forecast
at 0 in three weeks of four. They are refused in words, with the line that puts them on calendar months.
Monthly rows dated on the 25th were put on the first day of their month without a word, and forecast on the
1st, so the forecast did not join back to the file's dates: they keep their day.
"""
from __future__ import annotations

import pandas as pd

from ml.forecast_columns import DS, ID, ForecastInputError

FISCAL_STEPS = (28, 35)  # four and five weeks
FIVE_WEEK_SHARE = (0.2, 0.45)  # of the steps: one month in three has five weeks (4-4-5, 4-5-4, 5-4-4)
STEP_SHARE = 0.9  # of the steps are four or five weeks
MIN_STEPS = 5
DAY_SHARE = 0.9  # of a series' rows fall on its usual day of the month
LAST_KEPT_DAY = 28  # a later day does not exist in every month


def refuse_fiscal_months(steps: pd.Series) -> None:
    """Dates 4 or 5 weeks apart, five weeks about one time in three: fiscal months of a 4-4-5 calendar."""
    if len(steps) < MIN_STEPS or float(steps.isin(FISCAL_STEPS).mean()) < STEP_SHARE:
        return
    low, high = FIVE_WEEK_SHARE
    if not low <= float((steps == FISCAL_STEPS[1]).mean()) <= high:
        return
    raise ForecastInputError(
        "Dates are 4 or 5 weeks apart (28 and 35 days; 5 weeks in about one period of three): this looks like "
        "fiscal months of a 4-4-5 calendar. Read as weekly data, three weeks in four would be sales of 0. The desk "
        "forecasts daily, weekly, monthly or quarterly data: forecast the weekly rows if the export has them, or "
        "give each period the calendar month it mostly covers, e.g. for dates that end their period "
        "frame['month'] = (frame['date'] - pd.Timedelta(days=14)).dt.to_period('M').dt.to_timestamp(), then "
        "forecast by that column.")


def own_month_days(data: pd.DataFrame, notes: list[str]) -> dict[str, int]:
    """Series id → days after its month's first day that its rows are dated on (24 for the 25th), where its rows
    fall on one day of the month (2nd to 28th): the forecast is dated on that day again (``on_own_weekdays``
    shifts each series' dates by it). Said in a note; empty when every series is dated on the 1st."""
    day = data[DS].dt.day
    counts = day.groupby([data[ID].to_numpy(), day.to_numpy()]).size()
    usual = counts.groupby(level=0).idxmax().map(lambda key: key[1])
    share = counts.groupby(level=0).max() / counts.groupby(level=0).sum()
    kept = usual[(share >= DAY_SHARE) & usual.between(2, LAST_KEPT_DAY)]
    moved = int((day != 1).sum())
    if moved:
        days = ", ".join(_ordinal(d) for d in sorted(kept.unique()))
        notes.append(f"{moved:,} rows are dated within their month, not on its first day; each was read as the month "
                     "it is dated in" + (f", and the forecasts are dated on the same day of each month again ({days}), "
                                         "so they join back to the file's dates." if len(kept) else "."))
    return {str(sid): int(d) - 1 for sid, d in kept.items()}


def _ordinal(day: int) -> str:
    suffix = "th" if 10 <= day % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")
    return f"the {day}{suffix}"

"""Which frequency a sales table has (daily, weekly on which weekday, monthly, quarterly), and its dates put on it.

Detection reads the spacing of dates, within each series as well as across them (stores whose weeks end
on different weekdays are still weekly); every move of a date is written down as a note.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from ml.forecast_calendar import FREQUENCIES
from ml.forecast_columns import DS, ID, ForecastInputError
from ml.forecast_fiscal import own_month_days, refuse_fiscal_months
from ml.forecast_periods import is_quarterly, on_quarters, quarter_anchor, quarter_description

if TYPE_CHECKING:
    from ml.forecast_prep import PrepOptions

WEEKDAYS = ("MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN")
DAILY_STEP_SHARE = 0.3   # this share of steps that are not whole weeks (nor months) means daily data, however sparse
WEEKDAY_SHARE = 0.9      # weekly dates keep their weekday when at least this share of rows fall on it
WEEK_GAP_SLACK = 0.1     # up to this share of steps may be off whole weeks (stray rows) in sparse weekly data


def detect_frequency(dates: pd.Series) -> tuple[str, str]:
    """D, W (with its anchor weekday), M (month start or month end) or Q (quarter start or end) from the
    spacing of distinct dates."""
    unique = pd.Series(pd.to_datetime(dates.unique())).sort_values()
    if len(unique) < 2:
        raise ForecastInputError("The table has a single date; a forecast needs a history.")
    steps = unique.diff().dt.days.dropna()
    step_days = float(steps.median())
    if is_quarterly(steps, step_days):
        return "Q", quarter_anchor(unique)
    _refuse_other_periods(steps, step_days)
    # A slow seller has rows only on days it sold: wide gaps, but of any length, where weekly data steps in
    # whole weeks and monthly data in 28-31 days.
    off_week = float((steps % 7 != 0).mean())
    monthly_steps = float(steps.between(28, 31).mean())
    if step_days <= 1.5 or (off_week >= DAILY_STEP_SHARE and (step_days <= 10 or monthly_steps < 0.5)):
        return "D", "D"
    # Weekly: steps of about a week, or, for a slow seller with rows only in weeks it sold, wider steps
    # that are all whole weeks (monthly steps of 28-31 days mostly are not).
    if step_days <= 10 or (off_week <= WEEK_GAP_SLACK and step_days <= 45):
        usual = usual_weekday(dates)
        return "W", f"W-{WEEKDAYS[usual] if usual is not None else 'MON'}"
    if step_days <= 45:
        return "M", "ME" if unique.dt.is_month_end.all() else "MS"
    raise ForecastInputError(f"Dates are about {step_days:.0f} days apart; only daily, weekly, monthly or quarterly "
                             "data can be forecast.")


OTHER_PERIODS = (((365, 366), "yearly"), ((14, 14), "two-weekly"),
                 ((28, 28), "four-weekly"), ((13, 18), "twice-monthly"))


def _refuse_other_periods(steps: pd.Series, step_days: float) -> None:
    """Yearly, two- or four-weekly dates and 4-4-5 fiscal months (``ml.forecast_fiscal``) are not daily data with gaps
    nor weekly data with every other week missing (that reading forecast zeros): they are refused, with what they look
    like."""
    for (low, high), name in OTHER_PERIODS:
        if low <= step_days <= high and float((steps % low == 0).mean() if low == high else
                                              steps.between(low, high).mean()) >= 1 - WEEK_GAP_SLACK:
            raise ForecastInputError(
                f"Dates are {step_days:.0f} days apart: this looks like {name} data. The desk forecasts daily, "
                "weekly, monthly or quarterly data; give it rows at one of those frequencies.")
    refuse_fiscal_months(steps)


def weekly_per_series(data: pd.DataFrame) -> tuple[str, ...]:
    """The weekdays (FRI, SUN) of series that each step in whole weeks on one weekday of their own, though the
    file's dates (one series' Fridays beside another's Sundays) are days apart: weekly data with several
    anchors, not daily data. Empty when the series are not so."""
    frame = data[[ID, DS]].drop_duplicates().sort_values([ID, DS])
    steps = frame.groupby(ID, sort=False)[DS].diff().dt.days.dropna()
    if steps.empty or float((steps % 7 == 0).mean()) < 1 - WEEK_GAP_SLACK:
        return ()
    days = frame[DS].dt.dayofweek
    weekdays = days.groupby(frame[ID].to_numpy(), sort=False).nunique()
    if float((weekdays == 1).mean()) < WEEKDAY_SHARE:
        return ()
    return tuple(WEEKDAYS[d] for d in sorted(days.unique()))


def usual_weekday(dates: pd.Series) -> int | None:
    """The weekday (0 = Monday) at least WEEKDAY_SHARE of the rows fall on, if any: counted over rows, so a
    few stray rows on other days (each a distinct date) do not outvote the file's own weekday."""
    weekdays = pd.to_datetime(dates).dt.dayofweek.value_counts()
    return int(weekdays.index[0]) if weekdays.iloc[0] >= WEEKDAY_SHARE * weekdays.sum() else None


def regular_dates(data: pd.DataFrame, options: PrepOptions, notes: list[str]
                  ) -> tuple[str, str, pd.DataFrame, dict[str, int]]:
    """Detect (or take) the frequency and put every date on that frequency's anchor."""
    detected, pandas_freq = detect_frequency(data[DS])
    if detected == "W":  # stores reporting on alternate weeks: weekly across the file, two-weekly in each series
        steps = data[[ID, DS]].drop_duplicates().sort_values([ID, DS]).groupby(ID, sort=False)[DS].diff().dt.days
        _refuse_other_periods(steps.dropna(), float(steps.median()) if steps.notna().any() else 7.0)
    anchors = weekly_per_series(data) if detected == "D" else ()
    if anchors:
        detected, pandas_freq = "W", "W-MON"
        notes.append(f"Each series is weekly, on a weekday of its own ({', '.join(anchors)}): the file's dates are "
                     "days apart only across series, so this is weekly data, not daily.")
    repeated = int(data.duplicated([ID, DS]).sum())  # (series, date) repeats in the file itself
    own_days: dict[str, int] = {}
    freq = (options.freq or detected).upper()
    if freq not in FREQUENCIES:
        raise ForecastInputError(f"Frequency must be one of {', '.join(FREQUENCIES)} (got {options.freq!r}).")
    if FREQUENCIES.index(freq) < FREQUENCIES.index(detected):
        raise ForecastInputError(f"The data is {_NAMES[detected]}; it cannot be forecast {_NAMES[freq]}. "
                                 f"Use --freq {detected} or a coarser one.")
    data = data.copy()
    if freq != detected:
        pandas_freq = {"W": "W-MON", "M": "MS", "Q": "QS-JAN"}[freq]
        notes.append(f"{_NAMES[detected].capitalize()} data was summed to {_NAMES[freq]} periods as asked.")
        data = _drop_partial_first_period(_drop_partial_last_period(data, freq, notes, detected), freq, notes,
                                          detected)
    elif freq == "D":
        data[DS] = data[DS].dt.normalize()
    usual = usual_weekday(data[DS]) if freq == "W" == detected else None
    if usual is not None and data[DS].dt.dayofweek.nunique() > 1:
        data = _to_usual_weekday(data, usual, notes)
    elif freq == "W" and (freq != detected or data[DS].dt.dayofweek.nunique() > 1):
        if freq == detected:
            own_days = own_weekdays(data) if (anchors or weekly_per_series(data)) else {}
            notes.append("Weekly dates fall on different weekdays; each was moved to the Monday of its week."
                         + (" The forecasts are dated on each series' own weekday again." if own_days else ""))
            pandas_freq = "W-MON"
        data[DS] = data[DS].dt.to_period("W-SUN").dt.start_time
    if freq == "M":
        if detected == "M" and pandas_freq == "MS":  # rows on the 25th keep their day in the forecast
            own_days = own_month_days(data, notes)
        start = data[DS].dt.to_period("M").dt.start_time
        data[DS] = start + pd.offsets.MonthEnd(0) if pandas_freq == "ME" else start
    elif freq == "Q":
        data = _on_quarters(data, pandas_freq, notes if detected == "Q" else [])  # summed months: no news
    if detected == freq and freq != "D" and int(data.duplicated([ID, DS]).sum()) > repeated:
        notes.append("Some dates fell in the same period after alignment; their rows were summed.")
    note = quarter_description(pandas_freq) if freq == "Q" else {
        "D": "daily", "W": f"weekly (weeks labelled {pandas_freq[2:].title()})",
        "M": "monthly (month " + ("end)" if pandas_freq == "ME" else "start)")}[freq]
    notes.insert(0, f"Frequency: {note}{' (detected)' if options.freq is None else ''}.")
    return freq, pandas_freq, data, own_days


def own_weekdays(data: pd.DataFrame) -> dict[str, int]:
    """Each series' usual weekday (0 = Monday), for series weekly on weekdays of their own."""
    days = data[DS].dt.dayofweek
    counts = days.groupby([data[ID].to_numpy(), days.to_numpy()]).size()
    return {str(sid): int(day) for sid, day in counts.groupby(level=0).idxmax().map(lambda k: k[1]).items()}


_NAMES = {"D": "daily", "W": "weekly", "M": "monthly", "Q": "quarterly"}


def _on_quarters(data: pd.DataFrame, pandas_freq: str, notes: list[str]) -> pd.DataFrame:
    """Dates on their quarter's start or end; dates within a quarter (the 15th of its middle month) said."""
    aligned = on_quarters(data[DS], pandas_freq)
    moved = int((aligned != data[DS].dt.normalize()).sum())
    if moved:
        where = "last day" if pandas_freq.startswith("QE") else "first day"
        notes.append(f"{moved:,} rows were dated within a quarter, not on its {where}; each was put on the {where} "
                     "of its quarter.")
    return data.assign(**{DS: aligned})


def _to_usual_weekday(data: pd.DataFrame, anchor: int, notes: list[str]) -> pd.DataFrame:
    """Weekly rows on another weekday than nearly all the others move to the nearest usual weekday."""
    offset = (data[DS].dt.dayofweek - anchor) % 7
    moved = int((offset != 0).sum())
    shift = offset.where(offset <= 3, offset - 7)
    data[DS] = data[DS] - pd.to_timedelta(shift, unit="D")
    notes.append(f"{moved} rows fell on another weekday than the file's {WEEKDAYS[anchor].title()}; each was "
                 "moved to the nearest one (summed with that week's row, if any).")
    return data


def _drop_partial_last_period(data: pd.DataFrame, freq: str, notes: list[str], detected: str) -> pd.DataFrame:
    """Days summed to weeks (Monday–Sunday), months or quarters, weeks to months or quarters, months to
    quarters: a last period the data only partly covers would look like a sales drop, so it is left out,
    visibly. A week's row covers the days up to the next week's date, a month's row its month."""
    last = data[DS].max()
    period = last.to_period({"W": "W-SUN", "M": "M", "Q": "Q"}[freq])
    covered_to = (last.to_period("M").end_time.normalize() if detected == "M"
                  else last.normalize() + pd.Timedelta(days=6 if detected == "W" else 0))
    if covered_to >= period.end_time.normalize():
        return data
    start = period.start_time
    days = (covered_to - start).days + 1
    total = (period.end_time.normalize() - start).days + 1
    if detected == "D" and _quiet_days_explain(data[DS], (period.end_time.normalize() - covered_to).days):
        return data
    notes.append(f"The last {_NAMES[freq][:-2]} (from {start.date()}) has data for only {days} of its {total} days; "
                 "it was left out so that a part-period does not look like a drop in sales.")
    return data[data[DS] < start]


def _drop_partial_first_period(data: pd.DataFrame, freq: str, notes: list[str], detected: str) -> pd.DataFrame:
    """The first period, like the last: a file starting on a Friday summed to Monday–Sunday weeks has a first
    week of 3 days, which the chart drew as a dip to half the level and the model learnt from as a week's
    sales. A row covers from its own date (a month's row from its month's first day); a week's row may be
    labelled by its first or its last day, so a week summed to months is partial only with a whole week missing."""
    first = data[DS].min()
    period = first.to_period({"W": "W-SUN", "M": "M", "Q": "Q"}[freq])
    start, end = period.start_time.normalize(), period.end_time.normalize()
    covered_from = first.to_period("M").start_time if detected == "M" else first.normalize()
    missing = (covered_from - start).days
    if missing < (7 if detected == "W" else 1) or not (data[DS] > period.end_time).any():
        return data
    if detected == "D" and _quiet_days_explain(data[DS], missing):
        return data
    days, total = (end - covered_from).days + 1, (end - start).days + 1
    notes.append(f"The first {_NAMES[freq][:-2]} (from {start.date()}) has data for only {days} of its {total} days; "
                 "it was left out so that a part-period does not look like a drop in sales.")
    return data[data[DS] > period.end_time]


QUIET_CHANCE = 0.05  # a last period short of this many days is whole if days without a row are this common


def _quiet_days_explain(dates: pd.Series, missing: int) -> bool:
    """Whether days with no row at all are common enough in the table for its last ``missing`` days to be
    quiet days rather than days not yet exported: a Superstore export ends on 30 December while 7 % of its
    days have no order, and dropping December (its peak month) for one quiet day lost the month."""
    days = pd.DatetimeIndex(dates.dt.normalize().unique())
    span = (days.max() - days.min()).days + 1
    if span < 60 or missing < 1:
        return False
    quiet = 1 - len(days) / span
    return quiet ** missing >= QUIET_CHANCE


def on_own_weekdays(forecast: pd.DataFrame, own_days: dict[str, int]) -> pd.DataFrame:
    """Forecast weeks (labelled by their Monday) dated on each series' own weekday again: Friday's store gets
    Fridays, so the forecast joins back to its own week dates."""
    if not own_days or forecast.empty:
        return forecast
    shift = forecast[ID].astype(str).map(own_days).fillna(0).astype(int)
    return forecast.assign(**{DS: forecast[DS] + pd.to_timedelta(shift.to_numpy(), unit="D")})


def _exact_repeats(data: pd.DataFrame) -> list[str]:
    """Rows that repeat another row in every value, time stamp included, are summed like the rest: said, since
    a month exported twice doubles that month (one zone's July: hold-out WAPE 2.7 -> 3.95) without a word."""
    repeated = data.duplicated(keep="first")
    if not repeated.any():
        return []
    first = data[repeated].iloc[0]
    return [f"{int(repeated.sum()):,} rows repeat another row exactly, time stamp and quantity included (e.g. "
            f"{first[ID]} at {first[DS]:%Y-%m-%d %H:%M}); they were summed too. If part of the file was exported "
            "twice, remove the repeats."]


def intraday_to_days(data: pd.DataFrame, options: PrepOptions, notes: list[str]) -> tuple[pd.DataFrame, bool]:
    """Dates put on calendar days: a time of day (01:00 in summer, a stamp) is not a new period. Timestamps
    within the day with several rows per series and day (transaction lines, hourly counts) are events, not a
    missing key: they are summed per series and day, since the desk forecasts days at the finest, and the note
    says that the horizon then counts days."""
    stamps = data[DS]
    days = stamps.dt.normalize()
    timed = bool((stamps != days).any())
    data = data.assign(**{DS: days})
    times_a_day = stamps.groupby([data[ID].to_numpy(), days.to_numpy()]).nunique()
    if not timed or not (times_a_day > 1).any():
        # Dates only, or one time a day per series (a reading at 06:30): daily data, whose repeated rows are
        # repeats (a missing key column), left to the duplicate check.
        return data, False
    distinct = len(times_a_day)
    summed = f"then to {_NAMES[options.freq.upper()][:-2]}s as asked" if options.freq and \
        options.freq.upper() != "D" else (f"since forecasts are daily at the finest; the horizon ({options.horizon})"
                                           " counts days, and weekly, monthly or quarterly sums can be asked for "
                                           "(--freq W, M or Q)")
    notes.append(f"The date column holds times of day ({len(data):,} rows on {distinct:,} series-days): the rows "
                 f"were summed per series and day, {summed}.")
    notes.extend(_exact_repeats(data.assign(**{DS: stamps})))
    last = _part_day(stamps, days)
    if last is not None:
        notes.append(f"The last day ({last.date()}) ends at {stamps[days == last].max():%H:%M}, well before the "
                     "usual closing time: it was left out, so that a part-day does not look like a drop in sales.")
        data = data[data[DS] < last]
    return data, True


def _part_day(stamps: pd.Series, days: pd.Series) -> pd.Timestamp | None:
    """The last day when its rows stop early: less than three quarters of the usual span from the usual first
    time of day to the usual last one (an export taken at noon), not merely a little early (a quiet evening)."""
    of_day = stamps - days
    opening, closing = of_day.groupby(days).min(), of_day.groupby(days).max()
    if len(closing) < 3:
        return None
    usual_open, usual_close = opening.iloc[:-1].median(), closing.iloc[:-1].median()
    span = usual_close - usual_open
    if span <= pd.Timedelta(0):
        return None
    covered = (closing.iloc[-1] - usual_open) / span
    return closing.index[-1] if covered < 0.75 else None

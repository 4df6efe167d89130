"""Dates written with two-digit years, as order exports and sheets saved with a short date format write them:
'04-30-22' (Amazon's sale report, month first), '30/04/22 10:15', '30.04.22', '30-Apr-22' (Oracle's DD-MON-YY).

The file reader reads four-digit years only, so such a column stayed text and the run was refused with "not a date
column (or mixes date formats); use one format such as 2024-01-31", though the column holds one format. They are
read here, the day-month order taken from the values (a first part over 12 is a day, a second over 12 a day too),
and said so; years 00-68 are 2000-2068 and 69-99 1969-1999, as Python's and Excel's two-digit years are.
"""
from __future__ import annotations

import re

import pandas as pd

NUMERIC = re.compile(r"^(\d{1,2})([-/.])(\d{1,2})\2(\d{2})"
                     r"(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?(?:\s*([AaPp])\.?[Mm]\.?)?)?$")
MONTH_NAME = re.compile(r"^(\d{1,2})([- ])([A-Za-z]{3})\2(\d{2})$")  # 30-Apr-22, 30 Apr 22
MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
LABEL_SHARE = 0.95  # of the non-empty cells: the column is written this way
PIVOT = 69  # two-digit years below it are 20xx, as Python's %y reads them


def short_year_dates(text: pd.Series, column: str, notes: list[str]) -> pd.Series | None:
    """A text column (nearly) all dates with a two-digit year, as dates (times of day kept); None for any other
    column, or one whose day-month order the values contradict (days over 12 in both places)."""
    present = (text.notna() & (text != "")).fillna(False).astype(bool)
    if not present.any():
        return None
    numeric, named = text.str.extract(NUMERIC), text.str.extract(MONTH_NAME)
    if numeric[0].notna()[present].mean() >= LABEL_SHARE:
        sep = str(numeric[1].dropna().mode().iloc[0])
        time = {"hour": _hours(numeric[4], numeric[7]), "minute": numeric[5], "second": numeric[6]}
        readings = {f"MM{sep}DD{sep}YY": _dates(numeric[2], numeric[0], numeric[3], time),
                    f"DD{sep}MM{sep}YY": _dates(numeric[0], numeric[2], numeric[3], time)}
        order, other = _order(readings, present, day_first=sep == ".")
        if order is None:
            return None
        dates = readings[order]
    elif named[0].notna()[present].mean() >= LABEL_SHARE:
        month = named[2].str.lower().map(lambda m: MONTHS.index(m) + 1 if m in MONTHS else None)
        order, other, dates = "DD-Mon-YY", None, _dates(named[0], month, named[3], {})
    else:
        return None
    example = text[present].iloc[0]
    notes.append(f"Column {column!r} holds dates with two-digit years (such as {example!r} = "
                 f"{dates[present].iloc[0].date()}): read as {order}, years 00-68 as 2000-2068 and 69-99 as "
                 "1969-1999." + (f" Every date fits {other} too: check a few." if other else ""))
    return pd.Series(dates, index=text.index, name=text.name)


def _dates(day: pd.Series, month: pd.Series, year: pd.Series, time: dict[str, pd.Series]) -> pd.Series:
    """Dates from their parts as written (a two-digit year); NaT where they name no date (31 April)."""
    parts = {"year": year, "month": month, "day": day, "hour": None, "minute": None, "second": None, **time}
    numbers = {k: pd.to_numeric(v, errors="coerce") if v is not None else pd.Series(0, index=day.index)
               for k, v in parts.items()}
    numbers["year"] = numbers["year"] + numbers["year"].lt(PIVOT).map({True: 2000, False: 1900})
    written = [numbers[k].fillna(0 if k in ("hour", "minute", "second") else -1).astype(int).astype(str).str.zfill(2)
               for k in parts]
    stamp = written[0] + "-" + written[1] + "-" + written[2] + " " + written[3] + ":" + written[4] + ":" + written[5]
    return pd.to_datetime(stamp, format="%Y-%m-%d %H:%M:%S", errors="coerce")


def _order(readings: dict[str, pd.Series], present: pd.Series, *, day_first: bool) -> tuple[str | None, str | None]:
    """The reading fewer written dates contradict (a first part over 12 is a day); where both fit (every day of month at
    most 12: a monthly file dated on the 1st), the one under which the distinct dates step evenly, else month
    first (day first for dots, as Europe writes 30.04.22); with the other reading where every date fits it too."""
    missed = {name: int(dates[present].isna().sum()) for name, dates in readings.items()}
    fitting = [name for name in readings if missed[name] == min(missed.values())]
    if missed[fitting[0]] > (1 - LABEL_SHARE) * int(present.sum()):
        return None, None
    if len(fitting) == 1:
        return fitting[0], None
    even = [name for name in fitting if _evenly_spaced(readings[name])]
    chosen = even[0] if len(even) == 1 else fitting[1] if day_first else fitting[0]
    return chosen, next(name for name in fitting if name != chosen)


def _evenly_spaced(dates: pd.Series) -> bool:
    """Distinct days one step apart: all steps equal (days, weeks), or all a calendar month (28-31 days)."""
    steps = pd.Series(dates.dropna().dt.normalize().unique()).sort_values().diff().dropna().dt.days
    return not steps.empty and bool(steps.min() == steps.max() or (steps.min() >= 28 and steps.max() <= 31))


def _hours(hours: pd.Series, half: pd.Series) -> pd.Series:
    """24-hour hours from a 12-hour clock where an AM or PM is written (12 AM is 0, 12 PM is 12)."""
    value = pd.to_numeric(hours, errors="coerce")
    pm, am = half.str.lower().eq("p").fillna(False), half.str.lower().eq("a").fillna(False)
    return value.where(~(am & (value == 12)), 0).where(~pm | (value == 12), value + 12)

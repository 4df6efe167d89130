"""Dates in a question, as pure rules: "in 2017", "between March and May 2019", "Q3 2020", "after
2021-06-30", "in December" (of every year). Half-open ranges, so no month needs an end-of-month rule."""
from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, replace
from datetime import date

MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
MONTHS.update({name.lower(): i for i, name in enumerate(calendar.month_abbr) if name})


@dataclass(frozen=True)
class DateRange:
    """Half-open [start, end) so "in 2017" and "between March and May" need no end-of-month rules."""
    start: date | None
    end: date | None
    text: str
    months: tuple[int, int] | None = None  # "in December", "between June and August": months of no one year
    back: tuple[str, int, bool] | None = None  # "last quarter": (unit, how many, this one), read from the last date
    anchor: str = ""  # how a period counted back from the data's last date was read, said in the reply


YEAR = r"(?:18|19|20|21)\d{2}"  # a four-digit number outside 1800-2199 is an amount ("income between 5000 and 7000")
# "of 2000 or more", "2020 or later": a bound on a number, not a year of a date column
NOT_BOUND = (r"(?! or (?:more|less|fewer|above|below|over|under|higher|lower|greater|later|earlier|after|before)"
             r"| and (?:above|over|up|higher|below|under|less|lower|later|earlier)| onwards)")


def date_range(text: str) -> DateRange | None:
    """The date condition in a question, if any: years, month ranges, ISO dates, before/after. A year followed by
    "or more" / "or less" is a number ("income of 2000 or more")."""
    iso = r"(\d{4}-\d{2}-\d{2})"
    month = "|".join(sorted((m for m in MONTHS if len(m) > 2), key=len, reverse=True))
    rules = (
        (rf"\bbetween {iso} and {iso}", lambda m: (_iso(m[1]), _next_day(_iso(m[2])))),
        (rf"\bfrom {iso} to {iso}", lambda m: (_iso(m[1]), _next_day(_iso(m[2])))),
        (rf"\b(?:after|since|from) {iso}", lambda m: (_next_day(_iso(m[1])) if "after" in m[0] else _iso(m[1]), None)),
        (rf"\b(?:before|until|up to) {iso}",
         lambda m: (None, _iso(m[1]) if "before" in m[0] else _next_day(_iso(m[1])))),
        (rf"\bon {iso}", lambda m: (_iso(m[1]), _next_day(_iso(m[1])))),
        (rf"\b(?:between|from) ({month}) (?:and|to|through) ({month}) (\d{{4}})",
         lambda m: (date(int(m[3]), MONTHS[m[1]], 1), _month_end(int(m[3]), MONTHS[m[2]]))),
        (rf"\b({month}) ({YEAR})\b", lambda m: (date(int(m[2]), MONTHS[m[1]], 1), _month_end(int(m[2]), MONTHS[m[1]]))),
        (rf"\bq([1-4]) (?:of )?({YEAR})\b", lambda m: _quarter(int(m[2]), int(m[1]))),
        (rf"\b(?:the )?(first|second|1st|2nd) half (?:of )?({YEAR})\b",  # "the second half of 2023": July on
         lambda m: (date(int(m[2]), 1 if m[1] in ("first", "1st") else 7, 1),
                    _month_end(int(m[2]), 6 if m[1] in ("first", "1st") else 12))),
        (rf"\bh([12]) (?:of )?({YEAR})\b", lambda m: (date(int(m[2]), 6 * int(m[1]) - 5, 1),
                                                    _month_end(int(m[2]), 6 * int(m[1])))),
        (rf"\b(first|second|third|fourth) quarter (?:of )?({YEAR})\b",
         lambda m: _quarter(int(m[2]), ("first", "second", "third", "fourth").index(m[1]) + 1)),
        (rf"\b(?:after|since) ({YEAR})\b{NOT_BOUND}", lambda m: (date(int(m[1]) + ("after" in m[0]), 1, 1), None)),
        (rf"\bbefore ({YEAR})\b", lambda m: (None, date(int(m[1]), 1, 1))),
        (rf"\b(?:between ({YEAR}) and|from ({YEAR}) (?:to|through|until)) ({YEAR})\b",  # "from 2016 to 2017" too
         lambda m: (date(int(m[1] or m[2]), 1, 1), date(int(m[3]) + 1, 1, 1))),
        (rf"\b(?:in|during|for|of) ({YEAR})\b{NOT_BOUND}",
         lambda m: (date(int(m[1]), 1, 1), date(int(m[1]) + 1, 1, 1))),
    )
    for pattern, build in rules:
        match = re.search(pattern, text)
        if match:
            try:
                start, end = build(match)
            except ValueError:
                return None
            return DateRange(start, end, match.group(0))
    return _months_only(text, month) or _counted_back(text)


# "last quarter", "the most recent month", "the past 3 months", "this year": periods counted back from the data's
# last date (not today's, which the data may not reach); "last 30 days" is a count of days, never "the 30 lowest".
RELATIVE = re.compile(r"\b(?:(last|past|previous|latest|most recent|final)\s+(?:(\d{1,3})\s+)?|(this|current)\s+)"
                      r"(day|week|month|quarter|year)s?\b(?!\s+of\b|\s+\d)")
UNIT_MONTHS = {"month": 1, "quarter": 3, "year": 12}


def _counted_back(text: str) -> DateRange | None:
    match = RELATIVE.search(text)
    if not match or (match[4] == "day" and not match[2] and not match[3] and match[1] != "latest") or re.search(
            r"\b(?:from|since|than|vs|versus|to|with|against)\s+(?:the\s+)?$", text[:match.start()]):
        return None  # "the last day" alone: of what? "change from last year": a comparison (left to the guard)
    return DateRange(None, None, match.group(0), back=(match[4], int(match[2] or 1), bool(match[3])))


def anchored(rng: DateRange, last: date) -> DateRange:
    """A period counted back from ``last``, the data's last date: "this quarter" is the quarter holding it, up to
    it; "last quarter" (or "the last 2 quarters") the latest whole calendar quarter(s) ending on or before it;
    "the last 30 days" the 30 days ending on it."""
    unit, count, this = rng.back
    after = _next_day(last)
    if unit == "day":
        start = date.fromordinal(after.toordinal() - count)
        return replace(rng, start=start, end=after, anchor=f"the {count} day(s) up to the data's last date, {last}")
    if unit == "week":
        opened = date.fromordinal(last.toordinal() - last.weekday())  # Monday of the ISO week holding it
    else:
        step = UNIT_MONTHS[unit]
        opened = date(last.year, (last.month - 1) // step * step + 1, 1)
    if this:
        return replace(rng, start=opened, end=after,
                       anchor=f"the {unit} holding the data's last date, {last}, up to it")
    closed = _shift(opened, unit, 1)
    end = closed if closed == after else opened  # the period holding the last date counts only when it is whole
    whole = f"the last {count} whole calendar {unit}s" if count > 1 else f"the last whole calendar {unit}"
    return replace(rng, start=_shift(end, unit, -count), end=end,
                   anchor=f"{whole} in the data, which ends on {last}")


def _shift(day: date, unit: str, count: int) -> date:
    if unit == "week":
        return date.fromordinal(day.toordinal() + 7 * count)
    months = day.year * 12 + day.month - 1 + UNIT_MONTHS[unit] * count
    return date(months // 12, months % 12 + 1, 1)


def _months_only(text: str, month: str) -> DateRange | None:
    """"in December", "between June and August" with no year: months, to be taken in every year (never
    dropped: the answer for the whole year would be another question's)."""
    match = re.search(rf"\b(?:(?:between|from) ({month}) (?:and|to|through|until) ({month})|"
                      rf"(?:in|during|for|throughout|over) ({month}))\b(?! ?\d| of \d)", text)
    if not match:
        return None
    first, last = (match[1], match[2]) if match[1] else (match[3], match[3])
    return DateRange(None, None, match.group(0), (MONTHS[first], MONTHS[last]))


def _quarter(year: int, quarter: int) -> tuple[date, date]:
    return date(year, 3 * quarter - 2, 1), _month_end(year, 3 * quarter)


def _iso(token: str) -> date:
    return date.fromisoformat(token)


def _next_day(day: date) -> date:
    return date.fromordinal(day.toordinal() + 1)


def _month_end(year: int, month: int) -> date:
    return date(year + (month == 12), month % 12 + 1, 1)


def describe_range(rng: DateRange) -> str:
    if rng.start and rng.end:
        last = date.fromordinal(rng.end.toordinal() - 1)
        return f"from {rng.start.isoformat()} to {last.isoformat()}" + (f" ({rng.anchor})" if rng.anchor else "")
    if rng.start:
        return f"from {rng.start.isoformat()}"
    return f"before {rng.end.isoformat()}" if rng.end else ""

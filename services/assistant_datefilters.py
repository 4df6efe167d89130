"""Dates of a question as query filters: the date (or year) column a period applies to (the one named, the one a
verb points to, else the first) and the filters of the period on it; moved out of ``assistant_filters``."""
from __future__ import annotations

import calendar
import re
from datetime import date, datetime

from data.query_spec import Filter
from domain import assistant as rules
from domain import assistant_dates as dates_rules
from services.assistant_table import Mention, TableContext, column_words

_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")  # "HireYear" -> "Hire Year"
DATE_WORDS = frozenset("date time timestamp datetime day dt".split())
GENERIC_DATE_WORDS = DATE_WORDS | {"year", "at", "on", "of"}


def _root(word: str) -> str:
    """"closed"/"close", "shipped"/"ship", "released"/"release", "added": one root for a verb and a name."""
    for suffix in ("ing", "ed", "es", "s", "e", "d"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[:-len(suffix)]
            break
    return word[:-1] if len(word) > 3 and word[-1] == word[-2] else word


def _year_columns(table: TableContext) -> list[str]:
    return [c for c in table.columns if "year" in rules.normalise(_CAMEL.sub(" ", str(c))).split()
            and table.is_numeric(c)]  # "HireYear", "year_built"; not "YearsAtCompany"


def _text_dates(table: TableContext) -> list[str]:
    """Date columns the importer kept as text ("date_added" holding "September 25, 2021")."""
    return [c for c in table.columns if not table.is_date(c) and not table.is_numeric(c)
            and set(rules.normalise(_CAMEL.sub(" ", str(c))).split()) & DATE_WORDS]


def cued_columns(text: str, used: list[tuple[int, int]], columns: list[str]) -> list[str]:
    """Date columns a verb of the question names: "closed in 2023" -> Close Date, "added in 2019" -> date_added,
    "released after 2015" -> release_year. Words inside a value ("Closed Won") are the value's, not a verb;
    an -ed verb beats a noun ("orders shipped in 2019": Ship Date, not Order Date)."""
    names = {c: {_root(w) for w in rules.normalise(_CAMEL.sub(" ", str(c))).split()} - GENERIC_DATE_WORDS
             for c in columns}
    hits: dict[str, bool] = {}
    for match in re.finditer(r"[a-z]{3,}", text):
        if any(s <= match.start() < e for s, e in used):
            continue
        for column, roots in names.items():
            if _root(match.group(0)) in roots:
                hits[column] = hits.get(column, False) or match.group(0).endswith("ed")
    verbs = [c for c, by_verb in hits.items() if by_verb]
    return verbs or list(hits)


def date_filters(dates: dates_rules.DateRange | None, table: TableContext, mentions: list[Mention], text: str = "",
                 used: list[tuple[int, int]] | None = None) -> tuple[list[Filter], list[str], list[str]]:
    """The period of a question on the date (or year) column it names or a verb of it points to, else the
    first date column, said in the note when there are several."""
    if dates is None:
        return [], [], []
    column, also, problems = period_column(dates.text, table, mentions, text, used)
    if column is None:
        return [], [], problems
    if dates.back:  # "last quarter" from the column's last date ("in the most recent quarter" was the all-time total)
        if not _known_dates(table, column):
            return [], [], [f"'{dates.text}' is counted back from the last date of {column}, which I do not hold"]
        dates = dates_rules.anchored(dates, max(_known_dates(table, column)))
    if column in _year_columns(table):
        return _month_number_filter(dates, table, column) or _year_filter(dates, column)
    if dates.months:
        return _month_filters(dates, table, column, also)
    filters = ([Filter(column, ">=", dates.start)] if dates.start else []) + \
        ([Filter(column, "<", dates.end)] if dates.end else [])
    return filters, [f"{column} {dates_rules.describe_range(dates)}{also}"], outside(dates, table, column)


def period_column(said: str, table: TableContext, mentions: list[Mention], text: str,
                  used: list[tuple[int, int]] | None) -> tuple[str | None, str, list[str]]:
    """The date (or year) column a period ``said`` applies to: the one named or a verb points to, else the first,
    with a note naming the others; None and the problem where there is none to take it."""
    date_columns, year_columns = [c for c in table.columns if table.is_date(c)], _year_columns(table)
    candidates = date_columns + year_columns + _text_dates(table)
    chosen = [m.column for m in mentions if m.column in candidates] or cued_columns(text, used or [], candidates)
    column = chosen[0] if len(chosen) == 1 or (chosen and chosen[0] in [m.column for m in mentions]) else None
    if column is None and len(chosen) > 1:
        return None, "", [f"'{said}' could apply to {' or '.join(chosen)}; name the one you mean"]
    column = column or (date_columns or year_columns or [None])[0]
    if column is None:  # "hired before 2010" with no date or year column: answering without it answers another
        return None, "", [f"the data has no date or year column to apply '{said}' to"]
    if column not in date_columns + year_columns:
        return None, "", [f"{column} holds dates as text, not as dates, so I cannot apply '{said}' to it"]
    others = [c for c in date_columns if c != column] if not chosen else []
    also = f" (the first date column; {', '.join(others)} also holds dates: name it to use it)" if others else ""
    return column, also, []


def _month_number_filter(dates: dates_rules.DateRange, table: TableContext,
                         year: str) -> tuple[list[Filter], list[str], list[str]] | None:
    """"in July" or "in July 2015" where the table holds the date as YEAR and MONTH numbers: MONTH = 7 (and
    YEAR = 2015); it was refused, the year column holding no months."""
    months = [c for c in table.columns if table.is_numeric(c) and {"month", "mo", "mth"} & set(column_words(c).split())
              and set(table.values.get(c) or [0]) <= set(range(1, 13))]
    if len(months) != 1:
        return None
    filters = []
    if dates.months:
        first, last = dates.months
    elif dates.start and dates.end and dates.start.day == 1 and dates.end.day == 1 \
            and (dates.end.year * 12 + dates.end.month) - (dates.start.year * 12 + dates.start.month) == 1:
        first = last = dates.start.month
        filters.append(Filter(year, "=", dates.start.year))
    else:
        return None
    filters.append(Filter(months[0], "=", first) if first == last else Filter(months[0], "between", first, last))
    return filters, [f.describe() for f in filters], []


def _year_filter(dates: dates_rules.DateRange, column: str) -> tuple[list[Filter], list[str], list[str]]:
    """A column of years: "in 2019", "after 2020", "between 2018 and 2020"; a month or a day it cannot hold."""
    whole = (dates.start is None or (dates.start.month, dates.start.day) == (1, 1)) and \
        (dates.end is None or (dates.end.month, dates.end.day) == (1, 1))
    if dates.months or not whole or not (dates.start or dates.end):
        return [], [], [f"{column} holds years only, so '{dates.text}' cannot be applied to it"]
    if dates.start and dates.end:
        upper = dates.end.year - 1
        flt = Filter(column, "between", dates.start.year, upper) if upper != dates.start.year \
            else Filter(column, "=", dates.start.year)
    else:
        flt = Filter(column, ">=", dates.start.year) if dates.start else Filter(column, "<", dates.end.year)
    return [flt], [flt.describe()], []


def _month_filters(dates: dates_rules.DateRange, table: TableContext, column: str,
                   also: str) -> tuple[list[Filter], list[str], list[str]]:
    """"in December" with no year: December of every year (a date written as text is YYYY-MM-DD, so its
    "-12-" is the month); "between June and August" when the data holds one year only, else a refusal."""
    first, last = dates.months
    names = [calendar.month_name[first], calendar.month_name[last]]
    if first == last:
        return ([Filter(column, "contains", f"-{first:02d}-")],
                [f"{column} in {names[0]} (of every year){also}"], [])
    years = sorted({v.year for v in table.values.get(column, []) if isinstance(v, date)})
    if len(years) == 1 and first < last:
        start, end = date(years[0], first, 1), date(years[0] + (last == 12), last % 12 + 1, 1)
        return ([Filter(column, ">=", start), Filter(column, "<", end)],
                [f"{column} from {names[0]} to {names[1]} {years[0]} (the only year in the data){also}"], [])
    return [], [], [f"'{dates.text}' names no year and {column} holds several: add it, e.g. "
                    f"'{dates.text} {years[-1] if years else 2024}'"]


def _known_dates(table: TableContext, column: str) -> list[date]:
    return [v.date() if isinstance(v, datetime) else v for v in table.values.get(column, []) if isinstance(v, date)]


def outside(dates: dates_rules.DateRange, table: TableContext, column: str) -> list[str]:
    known = _known_dates(table, column)
    if not known:
        return []
    low, high = min(known), max(known)
    if (dates.start and dates.start > high) or (dates.end and dates.end <= low):
        return [f"the data in {column} covers {low.isoformat()} to {high.isoformat()} only"]
    return []

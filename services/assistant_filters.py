"""Conditions of a question as query filters: values, numeric comparisons, date ranges, and groupings by
something that is not a column (a problem, never dropped)."""
from __future__ import annotations

import calendar
import re
from datetime import date, datetime
from functools import partial
from typing import Any

from data.query_spec import Filter
from domain import assistant as rules
from domain import assistant_dates as dates_rules
from services.assistant_implied import Chosen, counted_column
from services.assistant_table import (GROUP_NOUNS, NOT_VALUES, ROW_NOUNS, STOPWORDS, Mention, TableContext,
                                      column_words)
from services.assistant_units import unit_column


_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")  # "HireYear" -> "Hire Year"


def span(text: str, fragment: str) -> tuple[int, int]:
    start = text.find(fragment)
    return (start, start + len(fragment)) if start >= 0 else (0, 0)


def value_filters(matches: list[tuple[int, int, str, Any]]) -> tuple[list[Filter], list[str], list[int]]:
    by_column: dict[str, list[Any]] = {}
    first: dict[str, int] = {}
    for start, _, column, value in sorted(matches, key=lambda m: m[0]):
        first.setdefault(column, start)
        if value not in by_column.setdefault(column, []):
            by_column[column].append(value)
    filters = [Filter(c, "=", v[0]) if len(v) == 1 else Filter(c, "in", values=tuple(v)) for c, v in by_column.items()]
    return filters, [f.describe() for f in filters], [first[c] for c in by_column]


def comparison_filters(text: str, comps: list, mentions: list[Mention], table: TableContext,
                        matches: list, money: tuple[str | None, set[float]] = (None, set())
                        ) -> tuple[list[Filter], list[int], list[str]]:
    """Each "more than 20" goes to the numeric column named next to it; one written as an amount of money ("over
    $100", ``money``: the one money column and the amounts written) goes to the money column ("listings under
    $100 a night" is no minimum_nights). A condition that no column can take is a problem, never dropped:
    answering without it would state a wrong number as fact."""
    filters, starts, problems = [], [], []
    consumed = [(s, e) for s, e, *_ in matches]
    numeric = [m for m in mentions if (table.is_numeric(m.column) or table.numbers_in_text(m.column))
               and not any(s <= m.start < e for s, e in consumed)]  # "store 1" is a value, not a measure
    ages = [c for c in table.columns if "age" in rules.normalise(c).split() and table.is_numeric(c)]
    for comp in comps:
        fits = [m for m in numeric if _can_hold(table, m.column, comp)]  # "under 18 survived": not the 0/1 Survived
        before = [m for m in fits if m.end <= comp.start and comp.start - m.end <= 40]
        after = [m for m in fits if m.start >= comp.end and m.start - comp.end <= 25]
        chosen = before[-1] if before else (after[0] if after else (fits[0] if len(fits) == 1 else None))
        if after and before and after[0].start - comp.end <= 1:
            chosen = after[0]  # "price of listings with more than 30 minimum_nights": the column after the number
        unit = unit_column(text, comp, table, chosen, fits)
        if isinstance(unit, str):
            problems.append(unit)
            continue
        chosen = unit or chosen
        if money[0] is not None and comp.value in money[1] and (comp.upper is None or comp.upper in money[1]):
            chosen = Mention(comp.start, comp.start, money[0])
        if ages and (re.match(r"(older|younger) than", text[comp.start:])  # "children under 18": the age column
                     or re.search(r"\b(?:children|kids|minors|teenagers|adults)\s+$", text[:comp.start])
                     or re.match(r"\s+years?\s+old\b", text[comp.end:])  # "between 30 and 40 years old"
                     or _people_aged(text, comp, chosen)):
            chosen = Mention(comp.start, comp.start, ages[0])
        years = comp.op == "between" and all(v is not None and float(v).is_integer() and 1800 <= v <= 2199
                                             for v in (comp.value, comp.upper))
        if years and (chosen is None or (chosen in before and _aggregated(text, chosen))) and any(
                table.is_date(c) or "year" in rules.normalise(c).split() for c in table.columns):
            continue  # "launched between 2018 and 2020", "total sales between 2016 and 2017": a period
        # "average price of listings with more than 30 reviews": the count the number is of, not the price before
        hint = counted_column(text, comp.start, comp.end, table) if chosen is None or chosen in before else None
        chosen = Mention(comp.start, comp.start, hint[0]) if hint else chosen  # "more than 50 reviews"
        if chosen is None:
            problems.append(f"I could not tell which column '{text[comp.start:comp.end]}' applies to (numeric "
                            f"columns: {', '.join(c for c in table.columns if table.is_number(c)) or 'none'})")
            continue
        starts.append(comp.start)
        as_text = not table.is_numeric(chosen.column)
        value = int(comp.value) if comp.value.is_integer() else comp.value
        made = partial(Chosen, why=hint[1]) if hint else Filter
        if comp.op == "between":
            upper = int(comp.upper) if comp.upper.is_integer() else comp.upper
            filters.append(made(chosen.column, "between", value, upper, numeric_text=as_text))
        else:
            filters.append(made(chosen.column, comp.op, value, numeric_text=as_text))
    return filters, starts, problems


def _aggregated(text: str, mention: Mention) -> bool:
    """The column right after an aggregate word ("total sales", "the sum of the sales") is what is added up, so
    years after it bound the period, where "stock between 2018 and 2020" bounds the stock."""
    head = text[:mention.start]
    found = rules.aggregate_words(head)
    return bool(found) and re.fullmatch(r"\s*(?:(?:of|the)\s+)*", head[found[-1][0] + len(found[-1][2]):]) is not None


# People written right before a bound ("how many patients are over 60", "average chol of patients over 60"): their
# age, where no column is named between them and the number (both were refused)
PEOPLE_BEFORE = re.compile(r"\b(?:people|persons|patients|employees|customers|clients|passengers|members|users|"
                           r"individuals|men|women|athletes|players|students|applicants|borrowers)\s+"
                           r"(?:(?:who|that)\s+)?(?:are\s+|were\s+|aged\s+)?$")


def _people_aged(text: str, comp, chosen: Mention | None) -> bool:
    people = PEOPLE_BEFORE.search(text[:comp.start])
    return people is not None and 0 < comp.value <= 120 and (chosen is None or chosen.end <= people.start())


def _can_hold(table: TableContext, column: str, comp) -> bool:
    """A 0/1 column holds no 18: a bound outside 0..1 is about another column (or none)."""
    values = table.values.get(column) or []
    flag = table.is_numeric(column) and bool(values) and set(values) <= {0, 1}
    return not flag or all(v is None or 0 <= v <= 1 for v in (comp.value, comp.upper))


def unmatched_groups(text: str, table: TableContext, mentions: list[Mention],
                      used: list[tuple[int, int]]) -> list[str]:
    """"sales by region" with no region column: grouping by nothing would answer another question."""
    problems = []
    for match in re.finditer(r"\b(?:by|per|(?:for|in) (?:each|every))\s+([a-z][a-z0-9\-]*)", text):
        word, start = match.group(1), match.start(1)
        if word in STOPWORDS or (word in NOT_VALUES - GROUP_NOUNS) or rules.singular(word) in ROW_NOUNS \
                or word in rules.SHARE_WORDS or rules.aggregate_words(word) or any(s <= start < e for s, e in used):
            continue
        named = next((m for m in mentions if m.start <= start < m.end), None)
        problems += _second_grouping(text, named.end if named else match.end(1), mentions)
        if named or (word in rules.GRAINS and any(table.is_date(c) for c in table.columns)):
            continue  # "by month": the intents group by the date column's months
        problems.append(f"no column of '{table.name}' matches '{word}' to group by (columns: "
                        f"{', '.join(table.columns)})")
    return problems


def _second_grouping(text: str, end: int, mentions: list[Mention]) -> list[str]:
    """"by region and segment", "by sex and class": one grouping at a time; answering by the first alone drops
    the second."""
    found = re.match(r"((?:\s+[a-z][a-z0-9\-]*){0,2}?)\s+(?:and|&)\s+(?:by\s+)?([a-z][a-z0-9\-]*)", text[end:])
    if not found or set(found.group(1).split()) & (STOPWORDS | NOT_VALUES - GROUP_NOUNS):
        return []
    word, start = found.group(2), end + found.start(2)
    named = any(m.start <= start < m.end for m in mentions)
    if not named and (word in STOPWORDS or word in NOT_VALUES - GROUP_NOUNS or rules.aggregate_words(word)
                      or word in rules.SHARE_WORDS or rules.singular(word) in ROW_NOUNS):
        return []
    return [f"'{text[text.rfind(' by ', 0, end) + 1:start + len(word)]}' asks for two groupings; I answer one "
            "at a time (ask 'by' each one separately)"]


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

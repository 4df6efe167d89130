"""Conditions of a question as query filters: values, numeric comparisons, date ranges, and groupings by
something that is not a column (a problem, never dropped)."""
from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

from data.query_spec import Filter
from domain import assistant as rules
from services.assistant_table import NOT_VALUES, ROW_NOUNS, STOPWORDS, Mention, TableContext


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
                        matches: list) -> tuple[list[Filter], list[int], list[str]]:
    """Each "more than 20" goes to the numeric column named next to it. A condition that no column can
    take is a problem, never dropped: answering without it would state a wrong number as fact."""
    filters, starts, problems = [], [], []
    consumed = [(s, e) for s, e, *_ in matches]
    numeric = [m for m in mentions if (table.is_numeric(m.column) or table.numbers_in_text(m.column))
               and not any(s <= m.start < e for s, e in consumed)]  # "store 1" is a value, not a measure
    ages = [c for c in table.columns if "age" in rules.normalise(c).split() and table.is_numeric(c)]
    for comp in comps:
        before = [m for m in numeric if m.end <= comp.start and comp.start - m.end <= 40]
        after = [m for m in numeric if m.start >= comp.end and m.start - comp.end <= 25]
        chosen = before[-1] if before else (after[0] if after else (numeric[0] if len(numeric) == 1 else None))
        if ages and re.match(r"(older|younger) than", text[comp.start:]):
            chosen = Mention(comp.start, comp.start, ages[0])
        years = comp.op == "between" and all(v is not None and float(v).is_integer() and 1800 <= v <= 2199
                                             for v in (comp.value, comp.upper))
        if chosen is None and years and any(table.is_date(c) or "year" in rules.normalise(c).split()
                                            for c in table.columns):
            continue  # "launched between 2018 and 2020": a period, which the date filters take
        if chosen is None:
            problems.append(f"I could not tell which column '{text[comp.start:comp.end]}' applies to (numeric "
                            f"columns: {', '.join(c for c in table.columns if table.is_numeric(c)) or 'none'})")
            continue
        starts.append(comp.start)
        as_text = not table.is_numeric(chosen.column)
        value = int(comp.value) if comp.value.is_integer() else comp.value
        if comp.op == "between":
            upper = int(comp.upper) if comp.upper.is_integer() else comp.upper
            filters.append(Filter(chosen.column, "between", value, upper, numeric_text=as_text))
        else:
            filters.append(Filter(chosen.column, comp.op, value, numeric_text=as_text))
    return filters, starts, problems


def unmatched_groups(text: str, table: TableContext, mentions: list[Mention],
                      used: list[tuple[int, int]]) -> list[str]:
    """"sales by region" with no region column: grouping by nothing would answer another question."""
    problems = []
    for match in re.finditer(r"\b(?:by|per|for each|for every)\s+([a-z][a-z0-9\-]*)", text):
        word, start = match.group(1), match.start(1)
        if word in STOPWORDS or word in NOT_VALUES or rules.singular(word) in ROW_NOUNS or word in rules.SHARE_WORDS \
                or rules.aggregate_words(word) \
                or any(m.start <= start < m.end for m in mentions) \
                or any(s <= start < e for s, e in used):
            continue
        if word in rules.GRAINS and any(table.is_date(c) for c in table.columns):
            continue  # "by month": the intents group by the date column's months
        problems.append(f"no column of '{table.name}' matches '{word}' to group by (columns: "
                        f"{', '.join(table.columns)})")
    return problems


def date_filters(dates: rules.DateRange | None, table: TableContext,
                  mentions: list[Mention]) -> tuple[list[Filter], list[str], list[str]]:
    if dates is None:
        return [], [], []
    date_columns = [c for c in table.columns if table.is_date(c)]
    named = [m.column for m in mentions if m.column in date_columns]
    if date_columns:
        column = named[0] if named else date_columns[0]
        filters = []
        if dates.start:
            filters.append(Filter(column, ">=", dates.start))
        if dates.end:
            filters.append(Filter(column, "<", dates.end))
        return filters, [f"{column} {rules.describe_range(dates)}"], outside(dates, table, column)
    year_columns = [c for c in table.columns if "year" in rules.normalise(_CAMEL.sub(" ", str(c))).split()
                    and table.is_numeric(c)]  # "HireYear", "year_built"; not "YearsAtCompany"
    named_years = [m.column for m in mentions if m.column in year_columns]
    year_columns = named_years + [c for c in year_columns if c not in named_years]
    whole = (dates.start is None or (dates.start.month, dates.start.day) == (1, 1)) and \
        (dates.end is None or (dates.end.month, dates.end.day) == (1, 1))
    if year_columns and whole and (dates.start or dates.end):  # a column of years: "after 2020", "before 2018" too
        column = year_columns[0]
        if dates.start and dates.end:
            upper = dates.end.year - 1
            flt = Filter(column, "between", dates.start.year, upper) if upper != dates.start.year \
                else Filter(column, "=", dates.start.year)
        else:
            flt = Filter(column, ">=", dates.start.year) if dates.start else Filter(column, "<", dates.end.year)
        return [flt], [flt.describe()], []
    # "hired before 2010" with no date or year column: answering without it answers another question
    return [], [], [f"the data has no date or year column to apply '{dates.text}' to"]


def outside(dates: rules.DateRange, table: TableContext, column: str) -> list[str]:
    known = [v.date() if isinstance(v, datetime) else v for v in table.values.get(column, []) if isinstance(v, date)]
    if not known:
        return []
    low, high = min(known), max(known)
    if (dates.start and dates.start > high) or (dates.end and dates.end <= low):
        return [f"the data in {column} covers {low.isoformat()} to {high.isoformat()} only"]
    return []

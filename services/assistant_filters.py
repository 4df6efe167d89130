"""Conditions of a question as query filters: values, numeric comparisons, and groupings by something that is not
a column (a problem, never dropped); date ranges are in ``assistant_datefilters``."""
from __future__ import annotations

import re
from functools import partial
from typing import Any

from data.query_spec import Filter
from domain import assistant as rules
from services.assistant_implied import Chosen, counted_column, priced_column
from services.assistant_table import GROUP_NOUNS, NOT_VALUES, ROW_NOUNS, STOPWORDS, Mention, TableContext
from services.assistant_units import unit_column


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
        hint = (counted_column(text, comp.start, comp.end, table) or priced_column(text, comp.start, comp.end, table)) \
            if chosen is None or chosen in before else None  # "loans over 10000": each one's amount
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

"""The deterministic router: a question and a table's columns and values become a checked query plan.

A 135M model cannot choose tools, so this module does, from the grammar in ``domain.assistant``
plus the table itself: words are matched to column names (``assistant_mentions``; failing that, by MiniLM
similarity) and to values actually present in the data. Anything that does not match is reported
as a problem so the assistant says it cannot answer instead of guessing.
"""
from __future__ import annotations

import re
from typing import Any

from data.query_spec import Filter
from domain import assistant as rules
from domain import assistant_dates as dates_rules
from services import assistant_blanks as blanks
from services import assistant_datefilters as datefilters
from services import assistant_filters as conditions
from services import assistant_meanings as meanings
from services.assistant_mentions import find_columns
from services.assistant_table import NOT_VALUES, STOPWORDS, Mention, Parsed, TableContext
from services.assistant_values import find_values, in_lists, value_index
from services.assistant_weekends import weekend_filter


def numeric_equalities(text: str, table: TableContext, mentions: list[Mention],
                       skip: list[tuple[int, int]]) -> tuple[list[tuple[int, int, str, Any]], list[str]]:
    """"store 1", "rank 3", "item number 2": a column named and then a number in it."""
    found, problems = [], []
    for mention in mentions:
        for first, (start, end, token) in enumerate(_listed_numbers(text, mention.end)):
            if any(s <= start < e for s, e in skip):
                break
            held, stored, value = _held(table, mention.column, token)
            if held:
                found.append((mention.start if first == 0 else start, end, mention.column, stored))
            elif held is not None:
                problems.append(f"there is no {mention.column} {value} in the data")
    return found, problems


def _held(table: TableContext, column: str, token: str) -> tuple[bool | None, Any, Any]:
    """Whether ``column`` holds the number written (None where a text column's values are not known), the value
    as stored ("discount 20%" for a cell "20%") and the number."""
    raw = float(token)
    value: Any = int(raw) if raw.is_integer() else raw
    known = table.values.get(column)
    if table.is_numeric(column):
        return known is None or len(known) >= 5000 or any(_same_number(value, v) for v in known), value, value
    if known is None:
        return None, None, value
    stored = next((v for v in known if rules.normalise(v).removesuffix(" percent") == token), None)
    return stored is not None, stored, value


def _listed_numbers(text: str, position: int) -> list[tuple[int, int, str]]:
    """The number after a column ("store 1") and those listed after it ("items 1 and 2", "stores 1, 2 or 3": one
    condition of several values; the second was refused): (start, end, number as written)."""
    found, match = [], NAMED_NUMBER.match(text, position)
    while match:
        found.append((match.start(1), match.end(1), match.group(1)))
        match = LISTED_NUMBER.match(text, match.end())
    return found


NUMBER_TEXT = r"-?\d+(?:\.\d+)?"
NAMED_NUMBER = re.compile(rf"\s+(?:(?:number|no|#|=|is|of|equal to)\s+)?({NUMBER_TEXT})(?![\d-])")
# "1 and 2", "1 or 2", "1, 2 and 3" (normalised to "1 2 and 3": a space alone only before more numbers and an
# and/or, so "store 1 2016" stays a store and a year)
LISTED_NUMBER = re.compile(rf"(?:\s+(?:and|or)\s+|\s+(?=(?:{NUMBER_TEXT}\s+)+(?:and|or)\s+\d))({NUMBER_TEXT})"
                           r"(?![\d.-])")


def unknown_values(text: str, table: TableContext, mentions: list[Mention], matches: list,
                   skip: list[tuple[int, int]]) -> list[str]:
    """"purpose spaceship": a category column named, then a word that is none of its values."""
    problems = []
    spans = [(m.start, m.end) for m in mentions] + [(s, e) for s, e, *_ in matches] + skip
    for mention in mentions:
        known = table.values.get(mention.column)
        if known is None or table.is_numeric(mention.column) or table.is_date(mention.column) or len(known) > 200:
            continue
        if any(column == mention.column for _, _, column, _ in matches) or _yes_no(known):
            continue  # "paid orders": a yes/no column named as a condition, not "paid = orders"
        if re.search(r"\b(?:which|what)\s+$", text[:mention.start]):
            continue  # "which team won the most": the column asked about, then the question's verb
        match = re.match(r"\s+([a-z][a-z0-9\-]*)", text[mention.end:])
        if not match:
            continue
        start = mention.end + match.start(1)
        word = match.group(1)
        if word in STOPWORDS or word in NOT_VALUES or word in rules.SHARE_WORDS or \
                any(s <= start < e for s, e in spans) or \
                rules.aggregate_words(word) or rules.is_count_question(word):
            continue
        problems.append(f"there is no {mention.column} '{word}' in the data")
    return problems


def _yes_no(values: list[Any]) -> bool:
    return bool(values) and all(isinstance(v, bool) or rules.normalise(v) in ("yes", "no", "y", "n", "true", "false")
                                for v in values)


def _same_number(value: float, other: Any) -> bool:
    try:
        return abs(float(other) - float(value)) < 1e-9
    except (TypeError, ValueError):
        return False


ORDINAL = re.compile(r"\b(first|second|third|fourth|fifth|\d+(?:st|nd|rd|th))\s+([a-z]+)")
TIME_WORDS = frozenset("quarter quarters half week weeks month months day days year years time times of row rows "
                       "one ones place".split())


def unbound_ordinals(text: str, used: list[tuple[int, int]]) -> list[str]:
    """"first class passengers", "in 3rd class": an ordinal before a word that no column or value took is a
    condition the data cannot apply (answering without it counts every class)."""
    problems = []
    for match in ORDINAL.finditer(text):
        if match.group(2) in TIME_WORDS or match.group(2).isdigit() or any(s < match.end() and match.start() < e
                                                                             for s, e in used):
            continue
        problems.append(f"'{match.group(0)}' is no column or value of the data")
    return problems


SIGNED = re.compile(r"\b(non ?negative|negative|positive)\s+$")


def signs(text: str, table: TableContext, mentions: list[Mention], filtered: set[str]) -> list[tuple]:
    """"rows with a negative quantity" (returns on invoice lines), "positive balance": the column's sign."""
    found = []
    for mention in mentions:
        match = SIGNED.search(text[:mention.start])
        if match and table.is_numeric(mention.column) and mention.column not in filtered:
            flt = Filter(mention.column, {"negative": "<", "positive": ">"}.get(match.group(1), ">="), 0)
            found.append((match.start(), mention.end, flt,
                          f"{flt.describe()} (for '{text[match.start():mention.end]}')"))
    return found


def parse(question: str, table: TableContext, index: dict | None = None, prefer: tuple[str, ...] = (),
          written: str = "") -> Parsed:
    """Find columns, values, numeric conditions and dates; intents are chosen by ``assistant_intents``.
    ``prefer``: columns a follow-up's value most likely replaces one of, when it is in several; ``written``:
    the question as the user wrote it, where ``question`` is a follow-up's rewritten text."""
    text = rules.normalise(question)
    mentions = find_columns(text, table)
    index = index if index is not None else value_index(table)
    values, problems = find_values(text, table, mentions, index, written or question, prefer)
    values += meanings.bounded_values(text, table, mentions, [(s, e) for s, e, *_ in values])
    # "age [70-80)" is a value of the data, not a range of numbers
    comps = [c for c in rules.comparisons(text) if not any(s <= c.start and c.end <= e for s, e, *_ in values)]
    # "amount over $20,000" where Amount holds "$20,000" as text: the bound, not also that value (0 rows)
    values = [v for v in values
              if not (table.is_number(v[2]) and any(c.start <= v[0] and v[1] <= c.end for c in comps))]
    dates = dates_rules.date_range(text)
    skip = [(c.start, c.end) for c in comps] + ([conditions.span(text, dates.text)] if dates else [])
    topk = re.search(r"\b(?:top|bottom|first|last)\s+\d+", text)
    skip += [(topk.start(), topk.end())] if topk else []
    of_year = [m.span(1) for m in re.finditer(r"\b(?:months?|weeks?|days?|quarters?) (of (?:the )?year)\b", text)]
    mentions = [m for m in mentions if not any(s <= m.start < e for s, e in of_year)]  # no column "year"
    skip += of_year
    mentions = [m for m in mentions if not any(s <= m.start and m.end <= e for s, e, *_ in values)]
    problems += unbound_ordinals(text, skip + [(s, e) for s, e, *_ in values])
    numbers, equal_problems = numeric_equalities(text, table, mentions, skip + [(s, e) for s, e, *_ in values])
    problems += equal_problems
    matches = values + numbers
    problems += unknown_values(text, table, mentions, matches, skip)
    filters, notes, starts = conditions.value_filters(matches)
    filters = [in_lists(f, table) for f in filters]
    notes = [f.describe() for f in filters]
    late, late_problems, cues = meanings.delay_mentions(text, table, skip + [(s, e) for s, e, *_ in matches])
    money, amounts = meanings.money_bound(written or question, table)  # "over $100", "paid more than 100"
    compared, compared_starts, unplaced = conditions.comparison_filters(
        text, comps, mentions + [m for m, *_ in late], table, matches, (money, amounts))
    filters += compared
    starts += compared_starts
    notes += [meanings.money_note(f, money) if f.column == money and not any(m.column == money for m in mentions)
              else f.describe() for f in compared]
    problems += unplaced + late_problems
    for mention, flt, note in late:  # "arrived late" unless "more than 15 minutes late" bound its number
        if flt.column not in [f.column for f in compared]:
            filters, notes, starts = filters + [flt], notes + [note], starts + [mention.start]
    period = conditions.span(text, dates.text) if dates else None
    if period and any(c.start < period[1] and period[0] < c.end for c in comps if c.start in compared_starts):
        dates = None  # "stock between 2018 and 2020": the numbers went to the column named, not to a period
    date_filters, date_notes, date_problems = datefilters.date_filters(
        dates, table, mentions, text, [(s, e) for s, e, *_ in matches])
    if period and any(s < period[1] and period[0] < e for s, e, *_ in matches):
        date_problems = []  # "15 august 1987" is a value of a text column: no date column is needed
    filters += date_filters
    starts += [conditions.span(text, dates.text)[0]] * len(date_filters) if dates else []
    used = [(s, e) for s, e, *_ in matches] + skip + [(m.start, m.end) for m, *_ in late] + cues
    weekend, spans, weekend_problems = weekend_filter(text, table, mentions, used)  # "trips on weekends"
    if weekend is not None:
        filters, notes, starts = filters + [weekend[1]], notes + [weekend[2]], starts + [weekend[0]]
    used, problems = used + spans, problems + weekend_problems
    status, status_problems = meanings.status_filters(text, table, used + [(m.start, m.end) for m in mentions],
                                                      {f.column for f in filters})
    filters += [flt for *_, flt, _ in status]
    notes += [note for *_, note in status]
    starts += [start for start, *_ in status]
    used += [(start, end) for start, end, *_ in status]
    for start, end, flt, note in signs(text, table, mentions, {f.column for f in filters}):
        filters, notes, starts, used = filters + [flt], notes + [note], starts + [start], used + [(start, end)]
    problems += conditions.unmatched_groups(text, table, mentions, used) + status_problems
    for start, end, flt, note in blanks.conditions(text, table, mentions, used, {f.column for f in filters}):
        filters, notes, starts, used = filters + [flt], notes + [note], starts + [start], used + [(start, end)]
    return Parsed(text, tuple(mentions), tuple(filters), tuple(dict.fromkeys(f.column for f in filters)),
                  tuple(notes + date_notes), tuple(problems + date_problems), tuple(used), tuple(starts),
                  tuple(rules.normalise(w) for w in re.findall(r"(?<=\s)[A-Z][\w&'\-]*",
                                                               (written or question).strip())))

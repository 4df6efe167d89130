"""The deterministic router: a question and a table's columns and values become a checked query plan.

A 135M model cannot choose tools, so this module does, from the grammar in ``domain.assistant``
plus the table itself: words are matched to column names (and, failing that, by MiniLM
similarity) and to values actually present in the data. Anything that does not match is reported
as a problem so the assistant says it cannot answer instead of guessing.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from pathlib import Path
from typing import Any

from data.query_spec import Filter, SelectSpec
from domain import assistant as rules

STOPWORDS = frozenset("a an the of in on at to for by per and or is are was were be what which who whom whose how "
                      "many much do does did has have had with from than that this there their its it as all any "
                      "each every number total value values row rows record records data table".split())
NUMERIC_KINDS = ("numeric",)
NOT_VALUES = frozenset("is are was were has have had be been being equal equals not no than over under above below "
                       "between after before since during until within per each among across like only when where "
                       "whose who which what did does do can could should would will dataset datasets file sheet "
                       "spreadsheet table".split())
TEXT_KINDS = ("categorical", "text", "identifier", "boolean")
NUMBER_TEXT = re.compile(r"^\s*[-+]?\s*[$€£¥]?\s*-?\d[\d,.]*\s*"   # "$1,200.50", "12,5 km (2 laps)", "1.200,50 €"
                         r"(?:%|[$€£¥]|[a-zA-Z]{1,6}\.?)?\s*(?:\([^)]*\))?\s*$")
BOOLEAN_WORDS = {True: ("true", "yes", "y"), False: ("false", "no", "n")}
VERB_NOUNS = {"sold": "sale", "sell": "sale", "sells": "sale", "selling": "sale", "failed": "failure",
              "fail": "failure", "fails": "failure", "returned": "return", "defaulted": "default"}
# What a table's rows stand for: "how many machines are in the data" counts rows, even where a column is
# called "Machine failure"; right after "how many" such a word never names a column.
ROW_NOUNS = frozenset("customer client applicant borrower loan account machine unit product order transaction item "
                      "people person employee patient player team country case observation reading sample line "
                      "record row entry data point measurement application".split())


@dataclass(frozen=True)
class TableContext:
    """What the router knows about one dataset: columns, kinds, DuckDB types and small value sets."""
    name: str
    view: str
    path: Path
    rows: int
    columns: tuple[str, ...]
    kinds: dict[str, str]
    types: dict[str, str]
    values: dict[str, list[Any]]
    unique: dict[str, bool]

    def is_numeric(self, column: str) -> bool:
        kind = self.types.get(column, "").upper()
        return any(t in kind for t in ("INT", "DOUBLE", "FLOAT", "DECIMAL", "REAL")) and "[]" not in kind

    def is_date(self, column: str) -> bool:
        return any(t in self.types.get(column, "").upper() for t in ("DATE", "TIMESTAMP"))

    def numbers_in_text(self, column: str) -> bool:
        """A text column whose values are mostly one number each ("3", "1,204", "$4,268.40", "12 km (2 laps)").
        Times ("1:30") and scores ("35–4") are not: their first number is not their value."""
        sample = [str(v) for v in self.values.get(column, [])[:200]]
        return bool(sample) and sum(bool(NUMBER_TEXT.match(s)) for s in sample) >= 0.8 * len(sample)


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    column: str


@dataclass(frozen=True)
class Parsed:
    """Everything found in the question, before an intent is chosen."""
    text: str
    columns: tuple[Mention, ...]
    filters: tuple[Filter, ...]
    filter_columns: tuple[str, ...]
    notes: tuple[str, ...]
    problems: tuple[str, ...]
    used: tuple[tuple[int, int], ...] = field(default=())
    filter_starts: tuple[int, ...] = field(default=())  # where each filter was written, in filter order

    @property
    def free(self) -> list[Mention]:
        """Columns named outside the values and conditions already taken ("store 1" is a value)."""
        return [m for m in self.columns if not any(s <= m.start < e for s, e in self.used)]


def column_aliases(column: str) -> list[str]:
    """Ways a question may name a column: "Air temperature [K]" -> "air temperature k", "air temperature"."""
    full = rules.normalise(column)
    bare = rules.normalise(re.sub(r"[\[(].*?[\])]", " ", column))
    aliases = {full, bare, rules.stem_phrase(full), rules.stem_phrase(bare)}
    # "avg_session_duration" is asked about as "average session duration" or "session duration"
    short = re.sub(r"^(?:avg|average|mean|total|num|number of)\s+", "", bare)
    if short != bare and " " in short:
        aliases |= {short, rules.stem_phrase(short)}
    return sorted((a for a in aliases if a), key=len, reverse=True)


def find_columns(text: str, table: TableContext) -> list[Mention]:
    """Column names in the question, longest first, not overlapping; then unique single words."""
    stemmed = rules.stem_phrase(text)
    found: list[Mention] = []
    taken: list[tuple[int, int]] = []
    candidates = sorted(((alias, c) for c in table.columns for alias in column_aliases(c)), key=lambda p: -len(p[0]))
    for alias, column in candidates:
        for haystack in (text, stemmed):
            for match in re.finditer(rf"(?<![a-z0-9]){re.escape(alias)}(?![a-z0-9])", haystack):
                span = _map_span(text, haystack, match.start(), match.end())
                if not any(s < span[1] and span[0] < e for s, e in taken):
                    taken.append(span)
                    found.append(Mention(span[0], span[1], column))
    found.extend(_single_word_mentions(text, table, taken))
    return sorted(found, key=lambda m: m.start)


def _map_span(text: str, haystack: str, start: int, end: int) -> tuple[int, int]:
    """Spans found in the stemmed text point at the same words in the original."""
    if haystack is text:
        return start, end
    first = len(haystack[:start].split())
    count = len(haystack[start:end].split())
    words = list(re.finditer(r"\S+", text))
    if first + count > len(words) or count == 0:
        return start, end
    return words[first].start(), words[first + count - 1].end()


def _single_word_mentions(text: str, table: TableContext, taken: list[tuple[int, int]]) -> list[Mention]:
    owners: dict[str, set[str]] = {}
    for column in table.columns:
        for word in rules.stem_phrase(rules.normalise(column)).split():
            if len(word) >= 3 and word not in STOPWORDS and not word.isdigit():
                owners.setdefault(word, set()).add(column)
    found = []
    for match in re.finditer(r"[a-z][a-z0-9]*", text):
        word = VERB_NOUNS.get(match.group(0)) or rules.singular(match.group(0))
        if word in ROW_NOUNS and re.search(r"(how many|number of|count of)\s+$", text[:match.start()]):
            continue  # "how many machines" counts rows, not the "Machine failure" column
        # "return rate" for a column "returned", "refund" for "refunded": the word plus -ed, nothing looser
        columns = owners.get(word) or owners.get(word + "ed") or owners.get(word + "d") or set()
        if word in STOPWORDS or len(word) < 4:
            columns = owners.get(word, set())
        span = (match.start(), match.end())
        if len(columns) == 1 and not any(s < span[1] and span[0] < e for s, e in taken):
            taken.append(span)
            found.append(Mention(span[0], span[1], next(iter(columns))))
    return found


def value_index(table: TableContext) -> dict[str, list[tuple[str, Any]]]:
    """normalised value text -> [(column, stored value)] for every text column's values."""
    index: dict[str, list[tuple[str, Any]]] = {}
    for column, values in table.values.items():
        if table.is_numeric(column) or table.is_date(column):
            continue
        for value in values:
            keys = BOOLEAN_WORDS[bool(value)] if isinstance(value, bool) else (rules.normalise(value),)
            for key in keys:  # a yes/no column stored as booleans is still asked about as "yes"
                if key and len(key) <= 80:
                    index.setdefault(key, []).append((column, value))
    return index


def find_values(text: str, table: TableContext, mentions: list[Mention], index: dict,
                original: str = "") -> list[tuple[int, int, str, Any]]:
    """Values present in the data written in the question: (start, end, column, value), longest first. A
    short or common value ("de", "us", "no") counts only next to its column, or written exactly as stored
    ("sessions from DE": country DE; "tell us" is not country US)."""
    words = list(re.finditer(r"\S+", text))
    found: list[tuple[int, int, str, Any]] = []
    for size in range(min(8, len(words)), 0, -1):
        for i in range(len(words) - size + 1):
            start, end = words[i].start(), words[i + size - 1].end()
            key = text[start:end]
            hits = index.get(key) or index.get(rules.stem_phrase(key)) or []
            if not hits or any(s < end and start < e for s, e, *_ in found):
                continue
            column, value = _choose_column(hits, start, mentions)
            weak = len(key) <= 2 or key in STOPWORDS or key in ("yes", "no", "none", "other", "unknown")
            covers_column = any(m.start <= start and end <= m.end for m in mentions)
            if weak and not _near(mentions, column, start) and not _as_stored(value, original):
                continue
            if covers_column and size == 1 and not _near(mentions, column, start):
                continue
            found.append((start, end, column, value))
    return found


def _as_stored(value: Any, original: str) -> bool:
    """A value with capitals written with the same capitals, as a word of its own: "DE", "NY", "A+"."""
    shown = str(value).strip()
    return (isinstance(value, str) and shown != shown.lower() and len(shown) >= 2
            and re.search(rf"(?<![A-Za-z0-9]){re.escape(shown)}(?![A-Za-z0-9])", original) is not None)


def _choose_column(hits: list[tuple[str, Any]], position: int, mentions: list[Mention]) -> tuple[str, Any]:
    """A value present in several columns belongs to the column named closest to it."""
    if len(hits) == 1:
        return hits[0]
    named = [(abs(m.start - position), h) for h in hits for m in mentions if m.column == h[0]]
    return min(named, key=lambda p: p[0])[1] if named else hits[0]


def _near(mentions: list[Mention], column: str, position: int, distance: int = 30) -> bool:
    return any(m.column == column and abs(m.start - position) <= distance for m in mentions)


def numeric_equalities(text: str, table: TableContext, mentions: list[Mention],
                       skip: list[tuple[int, int]]) -> tuple[list[tuple[int, int, str, Any]], list[str]]:
    """"store 1", "rank 3", "item number 2": a column named and then a number in it."""
    found, problems = [], []
    for mention in mentions:
        tail = text[mention.end:]
        match = re.match(r"\s+(?:(?:number|no|#|=|is|of|equal to)\s+)?(-?\d+(?:\.\d+)?)(?![\d-])", tail)
        if not match:
            continue
        start, end = mention.end + match.start(1), mention.end + match.end(1)
        if any(s <= start < e for s, e in skip):
            continue
        raw = float(match.group(1))
        value: Any = int(raw) if raw.is_integer() else raw
        known = table.values.get(mention.column)
        if table.is_numeric(mention.column):
            if known is not None and len(known) < 5000 and not any(_same_number(value, v) for v in known):
                problems.append(f"there is no {mention.column} {value} in the data")
                continue
            found.append((mention.start, end, mention.column, value))
        elif known is not None:
            match_value = next((v for v in known if rules.normalise(v) == match.group(1)), None)
            if match_value is None:
                problems.append(f"there is no {mention.column} {value} in the data")
                continue
            found.append((mention.start, end, mention.column, match_value))
    return found, problems


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


def parse(question: str, table: TableContext, index: dict | None = None) -> Parsed:
    """Find columns, values, numeric conditions and dates; intents are chosen by ``assistant_intents``."""
    text = rules.normalise(question)
    mentions = find_columns(text, table)
    index = index if index is not None else value_index(table)
    comps = rules.comparisons(text)
    dates = rules.date_range(text)
    skip = [(c.start, c.end) for c in comps] + ([_span(text, dates.text)] if dates else [])
    topk = re.search(r"\b(?:top|bottom|first|last)\s+\d+", text)
    skip += [(topk.start(), topk.end())] if topk else []
    values = find_values(text, table, mentions, index, question)
    numbers, problems = numeric_equalities(text, table, mentions, skip)
    matches = values + numbers
    problems += unknown_values(text, table, mentions, matches, skip)
    filters, notes, starts = _value_filters(matches)
    compared, compared_starts, unplaced = _comparison_filters(text, comps, mentions, table, matches)
    filters += compared
    starts += compared_starts
    notes += [f.describe() for f in compared]
    problems += unplaced
    date_filters, date_notes, date_problems = _date_filters(dates, table, mentions)
    filters += date_filters
    starts += [_span(text, dates.text)[0]] * len(date_filters) if dates else []
    used = [(s, e) for s, e, *_ in matches] + skip
    problems += _unmatched_groups(text, table, mentions, used)
    return Parsed(text, tuple(mentions), tuple(filters), tuple(dict.fromkeys(f.column for f in filters)),
                  tuple(notes + date_notes), tuple(problems + date_problems), tuple(used), tuple(starts))


def _span(text: str, fragment: str) -> tuple[int, int]:
    start = text.find(fragment)
    return (start, start + len(fragment)) if start >= 0 else (0, 0)


def _value_filters(matches: list[tuple[int, int, str, Any]]) -> tuple[list[Filter], list[str], list[int]]:
    by_column: dict[str, list[Any]] = {}
    first: dict[str, int] = {}
    for start, _, column, value in sorted(matches, key=lambda m: m[0]):
        first.setdefault(column, start)
        if value not in by_column.setdefault(column, []):
            by_column[column].append(value)
    filters = [Filter(c, "=", v[0]) if len(v) == 1 else Filter(c, "in", values=tuple(v)) for c, v in by_column.items()]
    return filters, [f.describe() for f in filters], [first[c] for c in by_column]


def _comparison_filters(text: str, comps: list, mentions: list[Mention], table: TableContext,
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


def _unmatched_groups(text: str, table: TableContext, mentions: list[Mention],
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


def _date_filters(dates: rules.DateRange | None, table: TableContext,
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
        return filters, [f"{column} {rules.describe_range(dates)}"], _outside(dates, table, column)
    year_columns = [c for c in table.columns if "year" in rules.normalise(c).split() and table.is_numeric(c)]
    if year_columns and dates.start and dates.end and dates.start.month == 1 and dates.end.month == 1:
        upper = dates.end.year - 1
        flt = Filter(year_columns[0], "between", dates.start.year, upper) if upper != dates.start.year \
            else Filter(year_columns[0], "=", dates.start.year)
        return [flt], [flt.describe()], []
    return [], [], []


def _outside(dates: rules.DateRange, table: TableContext, column: str) -> list[str]:
    known = [v.date() if isinstance(v, datetime) else v for v in table.values.get(column, []) if isinstance(v, date)]
    if not known:
        return []
    low, high = min(known), max(known)
    if (dates.start and dates.start > high) or (dates.end and dates.end <= low):
        return [f"the data in {column} covers {low.isoformat()} to {high.isoformat()} only"]
    return []


def with_filters(spec: SelectSpec, filters: tuple[Filter, ...]) -> SelectSpec:
    return replace(spec, filters=filters)

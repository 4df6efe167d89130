"""What every intent needs: the plan, the refusal, and how a question's words become a measure column.

Shared by ``assistant_intents`` (counts, aggregates, rankings, lookups), ``assistant_buckets`` (time buckets) and
``assistant_shares`` (percentages), so none imports the intents.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from data.query_spec import Filter, SelectSpec
from domain import assistant as rules
from services.assistant_implied import implied_measure
from services.assistant_table import NOT_VALUES, ROW_NOUNS, STOPWORDS, Mention, Parsed, TableContext, column_words

AGG_NAMES = {"count": "number of rows", "count_distinct": "number of distinct", "sum": "total", "avg": "average",
             "median": "median", "min": "minimum", "max": "maximum"}


TIE_LIMIT = 20


SEMANTIC_MIN = 0.8  # "profit" vs "sales" scores ~0.6: below this a refusal beats a confident wrong column


FILLER = frozenset("is are was were the a an of kind type sort one single do does did has have had".split())


# Words a question may hold besides columns and values: question words, aggregates, and the nouns a
# table's rows stand for ("how many customers are there?" counts the rows).
KNOWN_WORDS = frozenset(
    "what which who whom whose how many much is are was were be been the a an of in on at to for by per and or "
    "with from than that this these those there their its it as all any each every do does did has have had "
    "can could would will shall should please tell me us show give list find name get i we you our my "
    "number count total sum value values row record entry data dataset table file sheet in overall altogether "
    "average mean avg median maximum max minimum min highest lowest largest smallest biggest greatest most least "
    "top bottom best worst peak combined distinct different unique times often whole entire "
    "thing one ones type kind category group grand so far up ever across current currently now today "
    "placed recorded listed lent taken made make generated collected logged entered stored available included "
    "present contained contain contains hold holds exist exists there usd eur gbp dollar euro currency "
    "spreadsheet csv point measurement application observation entry s t earned received billed invoiced "
    "booked spent raised paid charged work works worked working them they recent".split()) | ROW_NOUNS


@dataclass(frozen=True)
class Plan:
    intent: str
    spec: SelectSpec
    target: str | None = None
    measure: str | None = None
    notes: tuple[str, ...] = ()
    statistic: str | None = None  # grain_stat: the average (or max ...) over the buckets' rows


class CannotAnswer(Exception):
    """The data cannot answer; the message says why (shown to the user as is)."""


def column_after(text: str, mentions: list[Mention], words: tuple[str, ...], gap: int = 3,
           content: int = 1) -> Mention | None:
    """The first column named within ``gap`` words (at most ``content`` of them not filler) after ``words``."""
    for word in words:
        for match in re.finditer(rf"(?<![a-z0-9]){re.escape(word)}(?![a-z0-9])", text):
            for mention in mentions:
                between = text[match.end():mention.start].split()
                filler = FILLER if content == 0 else STOPWORDS
                if mention.start >= match.end() and len([w for w in between if w not in filler]) <= content \
                        and len(between) <= gap:
                    return mention
    return None


def measure_column(parsed: Parsed, table: TableContext, free: list[Mention], exclude: set[str], embedder) -> str | None:
    numeric = [m for m in free if m.column not in exclude
               and (table.is_numeric(m.column) or table.numbers_in_text(m.column))]
    words = [w for p, _, w in rules.aggregate_words(parsed.text)]
    after = column_after(parsed.text, numeric, tuple(words)) if words else None
    if after:
        return after.column
    if numeric:
        return numeric[-1].column
    dated = [m.column for m in free if m.column not in exclude and table.is_date(m.column)]
    # "the most titles" counts rows; only "the latest / earliest / highest" date is a date's own extreme
    funcs = {func for _, func, word in rules.aggregate_words(parsed.text) if word not in ("most", "least", "fewest")}
    if dated and funcs & {"max", "min"} and not funcs & {"avg", "sum", "median"}:
        return dated[-1]  # "the earliest Close Date": a date's smallest value, printed as a date
    # "who is the oldest applicant": Age; "the cheapest listing": price
    return implied_measure(parsed.text, table, exclude) or semantic_measure(parsed, table, exclude, embedder)


def semantic_measure(parsed: Parsed, table: TableContext, exclude: set[str], embedder) -> str | None:
    """Paraphrases ("revenue" for sales) matched by MiniLM similarity; a high bar, since a wrong column
    gives a confident wrong answer."""
    candidates = [c for c in table.columns if table.is_number(c) and c not in exclude]
    phrase = phrase_after_aggregate(parsed.text)
    if embedder is None or not candidates or not phrase:
        return None
    from ml.embeddings import similarities

    scores = similarities(embedder, phrase, [rules.normalise(c) for c in candidates])
    best = int(scores.argmax())
    return candidates[best] if float(scores[best]) >= SEMANTIC_MIN else None


def phrase_after_aggregate(text: str) -> str:
    found = rules.aggregate_words(text)
    if not found:
        return ""
    position, _, word = found[0]
    tail = [w for w in text[position + len(word):].split() if w not in STOPWORDS][:2]
    return " ".join(tail)


def known_words() -> frozenset[str]:
    words = [w for group in rules.AGGREGATES.values() for w in group] + list(rules.GRAINS) + list(rules.SHARE_WORDS)
    words += " ".join(rules.COUNT_WORDS + rules.DISTINCT_WORDS + rules.COMPARE_WORDS + rules.GROUP_WORDS).split()
    return KNOWN_WORDS | STOPWORDS | FILLER | NOT_VALUES | frozenset(words)


def is_flag(table: TableContext, column: str) -> bool:
    """0/1 or true/false columns ("Machine failure", "returned"): "how many machines failed" counts the ones."""
    if "BOOL" in table.types.get(column, "").upper():
        return True
    values = table.values.get(column) or []
    return table.is_numeric(column) and bool(values) and set(values) <= {0, 1} and 1 in values


def flag_value(table: TableContext, column: str) -> bool | int:
    return True if "BOOL" in table.types.get(column, "").upper() else 1


NEGATIONS = frozenset("not no without never non didn doesn isn wasn weren haven hasn don dont didnt".split())


def flag_filter(parsed: Parsed, table: TableContext, mention: Mention) -> Filter:
    """A 0/1 or yes/no column named as a condition: "failed machines" is = 1, "machines that did not fail",
    "orders without returns" or "non-smokers" (one word with the column's) is = 0."""
    before = parsed.text[max(0, mention.start - 25):mention.start].split()[-3:]
    after = parsed.text[mention.end:mention.end + 8].split()[:1]
    negated = bool(NEGATIONS & set(before)) or after in (["no"], ["false"], ["0"], ["n"])  # "returned no"
    negated = negated or bool(re.match(r"non\b", parsed.text[mention.start:mention.end]))  # "non-smokers"
    value = flag_value(table, mention.column)
    if negated:
        value = False if isinstance(value, bool) else 0
    return Filter(mention.column, "=", value)


def is_time_column(table: TableContext, column: str | None) -> bool:
    """A date column or a column of years ("release_year", "HireYear"; not "YearsAtCompany")."""
    return bool(column) and (table.is_date(column) or (
        table.is_numeric(column) and "year" in column_words(column).split()))


def unused_words(parsed: Parsed, table: TableContext | None = None) -> list[str]:
    """Words of the question that name no column, value, condition or known question word."""
    spans = [(m.start, m.end) for m in parsed.columns] + list(parsed.used)
    own_name = set(re.findall(r"[a-z]+", rules.normalise(table.name))) if table is not None else set()
    own_name |= {rules.singular(w) for w in own_name}  # "the oldest athlete" of "olympic_athletes"
    if table is not None:  # "passengers" for PassengerId, unique on every row: what the rows are
        own_name |= {w for c in table.columns if table.unique.get(c) for w in column_words(c).split()
                     if len(w) >= 4 and w != "id"}
    left = []
    for match in re.finditer(r"[a-z][a-z\-]*", parsed.text):
        word = match.group(0)
        if any(s <= match.start() < e for s, e in spans) or {word, rules.singular(word)} & (known_words() | own_name):
            continue
        if any(len(name) >= 4 and word.startswith(name) for name in own_name):
            continue  # "shipments" in the dataset "ship" says what the rows are
        if word in ("id", "ids") and any(m.end == match.start() - 1 for m in parsed.columns):
            continue  # "how many distinct store ids": the values of the store column, called ids
        left.append(word)
    return left


def top_buckets(parsed: Parsed) -> str | None:
    """The grain of "top 3 months by sales", "bottom 2 hours by rentals" where no column is named by the period; they
    listed the 3 largest rows ("The 3 rows with the highest sales"), or ranked the values of the measure itself."""
    words = "|".join(sorted(rules.GRAINS, key=len, reverse=True))
    top = re.search(rf"\b(?:top|bottom)\s+\d{{1,3}}\s+({words})s?\b", parsed.text)
    if top is None or any(m.start <= top.start(1) < m.end for m in parsed.columns):
        return None
    return rules.GRAINS[top.group(1)]

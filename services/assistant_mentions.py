"""Which columns a question names: column names and their written-out forms, longest first, then single words
that only one column holds ("arrival" for ARR_DELAY), and row words whose id column repeats over rows ("orders"
on order lines). Split out of ``assistant_router``, which binds these mentions to values and conditions.
"""
from __future__ import annotations

import re

from domain import assistant as rules
from services.assistant_acronyms import acronym_mentions
from services.assistant_counted import counted_nouns
from services.assistant_money import sales_amounts
from services.assistant_places import PLACE_WORDS, place_column
from services.assistant_running import daily_column, not_running
from services.assistant_table import (GROUP_NOUNS, ROW_NOUNS, STOPWORDS, VERB_NOUNS, Mention, TableContext,
                                      abbreviated_mentions, column_aliases, column_words, is_code, derived_aliases,
                                      expanded_words, one_side)


def find_columns(text: str, table: TableContext) -> list[Mention]:
    """Column names in the question, longest first, not overlapping; then unique single words."""
    stemmed = rules.stem_phrase(text)
    found: list[Mention] = acronym_mentions(text, table)  # "heat dissipation failures": AI4I's HDF
    taken: list[tuple[int, int]] = [(m.start, m.end) for m in found]
    candidates = sorted(_alias_pairs(table), key=lambda p: -len(p[0]))
    for alias, column in candidates:
        for haystack in (text, stemmed):
            for match in re.finditer(rf"(?<![a-z0-9]){re.escape(alias)}(?![a-z0-9])", haystack):
                span = _mapspan(text, haystack, match.start(), match.end())
                if not any(s < span[1] and span[0] < e for s, e in taken):
                    taken.append(span)
                    found.append(Mention(span[0], span[1], column))
    found.extend(abbreviated_mentions(text, table.columns, taken))  # "loan amount" for loan_amnt
    found.extend(_single_word_mentions(text, table, taken))
    found.extend(counted_nouns(text, table, found))  # "rentals" of UCI bike sharing: its `cnt`
    found.extend(sales_amounts(text, table, found))  # "total sales" of a point-of-sale table's `amount`
    found = [m for m in found if not _coded_year(text, table, m)]
    return _statistic_words(text, table, sorted((_counted_group(text, table, m) for m in found), key=lambda m: m.start))


def _coded_year(text: str, table: TableContext, mention: Mention) -> bool:
    """"By year" said of UCI bike sharing's `yr` (0 for 2011, 1 for 2012) beside the date `dteday`: the year of the
    date, not the code (it grouped into years "0" and "1"). A column of real years (2011, 2012) stays the year, and
    so does a code said with its value ("year 1")."""
    said = text[mention.start:mention.end]
    if rules.GRAINS.get(said) != "year" or not table.is_numeric(mention.column) \
            or re.match(r"\s*(?:=\s*)?\d", text[mention.end:]) or not any(table.is_date(c) for c in table.columns):
        return False
    values = [v for v in table.values.get(mention.column, []) if isinstance(v, (int, float))]
    return bool(values) and max(abs(v) for v in values) < 1000


def _statistic_words(text: str, table: TableContext, found: list[Mention]) -> list[Mention]:
    """"Total gross income by city" where `Total` is a column too: the statistic of the column named right after
    it, not a second measure (the question was refused, naming no column)."""
    starts = {m.start: m for m in found}
    return [m for m in found if not (
        rules.aggregate_words(text[m.start:m.end]) and " " not in text[m.start:m.end].strip()
        and (after := re.match(r"\s+", text[m.end:])) and (nxt := starts.get(m.end + after.end())) is not None
        and table.is_number(nxt.column))]


GROUPED_COUNT = re.compile(r"\b(?:by|average|avg|mean|median)\s+(?:the\s+)?((?:number|count)\s+of\s+)$")


def _counted_group(text: str, table: TableContext, mention: Mention) -> Mention:
    """"By number of children", "average number of children" where `children` holds each row's count: the column,
    "number of" included (both were read as a count of distinct children: "There are 6 distinct values")."""
    prefix = GROUPED_COUNT.search(text[:mention.start])
    if prefix is None or not table.is_numeric(mention.column) or is_code(mention.column):
        return mention
    return Mention(prefix.start(1), mention.end, mention.column)


def _alias_pairs(table: TableContext) -> list[tuple[str, str]]:
    """(alias, column) for every column's names, and its written-out abbreviations ("arrival delay" for
    ARR_DELAY, "carrier" for OP_CARRIER) where no other column is named that way: a shared one names neither."""
    pairs = [(alias, c) for c in table.columns for alias in column_aliases(c)]
    named = {alias for alias, _ in pairs}
    derived: dict[str, set[str]] = {}
    for column in table.columns:
        for alias in derived_aliases(column):
            derived.setdefault(alias, set()).add(column)
    return pairs + [(alias, next(iter(cols))) for alias, cols in derived.items() if len(cols) == 1
                    and alias not in named]


def _mapspan(text: str, haystack: str, start: int, end: int) -> tuple[int, int]:
    """Spans found in the stemmed text point at the same words in the original."""
    if haystack is text:
        return start, end
    first = len(haystack[:start].split())
    first -= bool(start and not haystack[start - 1].isspace())  # "category" inside "sub-category": that word
    count = len(haystack[start:end].split())
    words = list(re.finditer(r"\S+", text))
    if first + count > len(words) or count == 0:
        return start, end
    return words[first].start(), words[first + count - 1].end()


def _single_word_mentions(text: str, table: TableContext, taken: list[tuple[int, int]]) -> list[Mention]:
    owners: dict[str, set[str]] = {}
    for column in table.columns:
        words = {*rules.stem_phrase(rules.normalise(column)).split(), *rules.stem_phrase(column_words(column)).split(),
                 *(w for w in rules.stem_phrase(" ".join(next(iter(expanded_words(column)), []))).split()
                   if not rules.aggregate_words(w))}  # "arrival" of ARR_DELAY; "average" asks, it names nothing
        words |= {w[:-2] for w in words if len(w) >= 7 and w.endswith("ional")}  # "region" of Regional indicator
        for word in words:
            if len(word) >= 3 and word not in STOPWORDS and not word.isdigit():
                owners.setdefault(word, set()).add(column)
    found = []
    for match in re.finditer(r"[a-z][a-z0-9]*", text):
        said = rules.singular(match.group(0))
        word = VERB_NOUNS.get(match.group(0)) or VERB_NOUNS.get(said) or said  # "cancellations": cancelled
        plural = said != match.group(0)
        counted = re.search(r"(how many|number of|count of)\s+$", text[:match.start()])
        distinct = re.search(r"\b(?:distinct|different|unique)\s+$", text[:match.start()])
        # "top 3 accounts by total amount": the accounts ranked, not the rows
        ranked = re.search(r"\b(?:top|bottom)\s+\d+\s+$", text[:match.start()]) and re.match(r"\s+by\b",
                                                                                             text[match.end():])
        columns = owners.get(word) or owners.get(word + "ed") or owners.get(word + "d") or set()
        if not columns and word in PLACE_WORDS:  # "which country" where the countries are in `location`
            columns = {c for c in [place_column(table, word)] if c}
        if not columns and word in GROUP_NOUNS:  # "survival rate by class": Titanic's `Pclass`
            columns = _glued(table, word)
        # "how many cancellations": rows of a 0/1 column "cancelled" that are 1, not the rows
        # "how many failures": rows whose 0/1 "Machine failure" is 1 (it was refused; "machines" are still the rows)
        flag = (word != said or (plural and word not in ROW_NOUNS)) and len(columns) == 1 \
            and _flag_like(table, next(iter(columns)))
        columns = not_running(table, columns)  # "cases": new_cases, not its running total total_cases
        amount = len(columns) == 1 and _amount(table, next(iter(columns)))  # "how many cases" adds new_cases up
        # "how many countries" where a country has many rows (one a day): its distinct names, not the rows
        place = word in PLACE_WORDS and len(columns) == 1 and not table.unique.get(next(iter(columns)))
        if not distinct and not flag and not amount and not place:  # "how many distinct customers": their ids
            if word in ROW_NOUNS and counted:
                continue  # "how many machines" counts rows, not the "Machine failure" column
            if word in ROW_NOUNS and plural and not (ranked and not _flags_only(table, columns)):
                continue  # "percentage of employees", "top 3 employees": the rows, not the EmployeeNumber column;
                # "top 5 machines by torque": the rows, never 2 groups of the 0/1 `Machine failure`
            if counted and plural:
                continue  # "how many complaints" counts rows, not the values of "Complaint Type"
        # "return rate" for a column "returned", "refund" for "refunded": the word plus -ed, nothing looser
        if word in STOPWORDS or len(word) < 4:
            columns = owners.get(word, set())
        only = next(iter(columns)) if len(columns) == 1 else ""  # "the youngest passenger" of PassengerId too
        superlative = re.search(r"[a-z]{3,}est\s+$", text[:match.start()]) and "id" in column_words(only).split()
        # "which country": the unique text column Country name, not the rows (ids and numbers still are the rows)
        named_rows = only and not table.is_numeric(only) and not is_code(only) and not counted
        # (a measure whose values happen to be all different, 90 days of new cases, is no id: ids are text or named so)
        id_like = table.unique.get(only) and (is_code(only) or not table.is_numeric(only))
        if id_like and not named_rows and (plural or ((word in ROW_NOUNS or superlative)
                                                  and not re.match(r"\s+(?:number\s+|no\s+|id\s+|#\s*)?\d",
                                                                   text[match.end():]))):
            continue  # "passengers", "the oldest employee": the rows, not the PassengerId / EmployeeNumber column
        following = re.match(r"\s+", text[match.end():])
        modifier = following and any(s == match.end() + following.end() for s, _ in taken)
        if word in ROW_NOUNS and not plural and modifier and all(len(column_words(c).split()) > 1 for c in columns):
            continue  # "flight distance" is DISTANCE of a flight, not FLIGHT_NUMBER beside it
        if word in ROW_NOUNS and not plural and (re.search(r"\b(?:per|each|every)\s+$", text[:match.start()])
                                                 or re.match(r"\s+counts?\b", text[match.end():])) and \
                columns and all(table.is_numeric(c) and not is_code(c) and len(column_words(c).split()) > 1
                                for c in columns):
            continue  # "average tip per trip" is per row, not grouped by each trip_distance; "trip count" the rows
        if word in rules.SHARE_WORDS and re.match(r"\s+of\b", text[match.end():]) and all(
                len(column_words(c).split()) > 1 for c in columns):
            continue  # "what percentage of customers …" asks a share, not `gross margin percentage`
        if word in COMMON_WORDS and all(len(column_words(c).split()) > 1 for c in columns):
            continue  # "women who work in R&D" is not WorkLifeBalance, "attrition count" not EmployeeCount
        if len(columns) > 1:  # "carrier": OP_CARRIER, named by that word alone, not OP_CARRIER_FL_NUM
            exact = [c for c in columns if any(rules.stem_phrase(" ".join(v)) == word for v in expanded_words(c))]
            columns = set(exact) if len(exact) == 1 else one_side(word, columns, text)
            columns = _measured(text[:match.start()], columns)  # "the longest bill": bill_length_mm, not its depth
        span = (match.start(), match.end())
        if len(columns) == 1 and not any(s < span[1] and span[0] < e for s, e in taken):
            taken.append(span)
            found.append(Mention(span[0], span[1], next(iter(columns))))
    return found


def _glued(table: TableContext, word: str) -> set[str]:
    """Columns named by a kind word ("class", "type") with a letter or two glued before it (`Pclass`, P for
    passenger): the word alone names them; "survival rate by class" was refused, naming no column."""
    return {c for c in table.columns if re.fullmatch(rf"[a-z]{{1,2}}{word}", rules.normalise(c))}


# A superlative saying which dimension of a thing is meant: "the longest bill" of bill_length_mm and bill_depth_mm
DIMENSIONS = {"length": ("longest", "shortest", "longer", "shorter"), "depth": ("deepest", "shallowest", "deeper"),
              "width": ("widest", "narrowest", "wider"), "height": ("tallest", "taller", "shortest"),
              "mass": ("heaviest", "lightest", "heavier"), "weight": ("heaviest", "lightest", "heavier")}


def _measured(before: str, columns: set[str]) -> set[str]:
    """Of several columns one word names, the one a superlative right before it measures ("the longest bill")."""
    said = re.search(r"([a-z]+)\s+$", before)
    if said is None or len(columns) < 2:
        return columns
    kept = {c for c in columns for dimension, words in DIMENSIONS.items()
            if said.group(1) in words and dimension in column_words(c).split()}
    return kept if len(kept) == 1 else columns


PEOPLE = frozenset("patient customer client member user employee person".split())


# Everyday verbs and grammar words that are also one word of a longer column name ("WorkLifeBalance",
# "EmployeeCount"): alone they do not name that column.
COMMON_WORDS = frozenset("work worked working count make made take taken give get got go went come use used "
                         "like need want keep live life play run".split())


def _amount(table: TableContext, column: str) -> bool:
    """A daily amount beside its running total (new_cases by total_cases): "cases" names it, not the rows."""
    return any(daily_column(table, c) == column for c in table.columns)


def _flags_only(table: TableContext, columns: set[str]) -> bool:
    return bool(columns) and all(_flag_like(table, c) for c in columns)


def _flag_like(table: TableContext, column: str) -> bool:
    values = table.values.get(column) or []
    return "BOOL" in table.types.get(column, "").upper() or (
        table.is_numeric(column) and bool(values) and set(values) <= {0, 1} and 1 in values)


def repeated_id_words(text: str, table: TableContext) -> list[tuple[str, str]]:
    """(word, column): row words ("orders", "per order", "customers") whose id column repeats over rows
    (order_id on order lines): counting, averaging or sharing over rows would answer for lines, not orders."""
    owners: dict[str, set[str]] = {}
    for column in table.columns:
        for word in rules.stem_phrase(column_words(column)).split():
            owners.setdefault(word, set()).add(column)
    found = []
    for match in re.finditer(r"[a-z][a-z0-9]*", text):
        word = rules.singular(match.group(0))
        per = re.search(r"\b(?:per|each|every|an|a)\s+$", text[:match.start()])
        column = _repeated_id(owners.get(word, set()), table)
        if column and (word != match.group(0) or per) and word in ROW_NOUNS | {"purchase", "invoice", "visit"}:
            found.append((match.group(0), column))
    return found


def _repeated_id(columns: set[str], table: TableContext) -> str | None:
    """The one id column among those a row word names, when its ids repeat over rows ("order" for order_id on
    order lines, "customer" for customer_id): "how many orders" counts its values, not the lines."""
    ids = [c for c in columns if table.unique.get(c) is False and ("id" in column_words(c).split() or (
        column_words(c).split()[-1:] == ["nbr"] and column_words(c).split()[0] in PEOPLE)  # patient_nbr
        or _numbered(column_words(c).split()))]  # InvoiceNo on invoice lines: "how many invoices" counted the lines
    return ids[0] if len(ids) == 1 else None


def _numbered(words: list[str]) -> bool:
    """"invoice no", "order number": a document's number, one value a document, over its lines."""
    return len(words) == 2 and words[0] in ("invoice", "order", "receipt", "transaction", "booking", "ticket") \
        and words[1] in ("no", "nr", "num", "number", "nbr")

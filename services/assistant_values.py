"""Values of the data written in a question, bound to the column they belong to.

A value stored in several columns ("JFK" as both ORIGIN and DEST) is bound by the column named next to it,
or by a direction word ("from JFK", "to LAX") that matches one column's name; when nothing decides, the
question is refused naming the candidate columns: binding it to the first column states a wrong number.
"""
from __future__ import annotations

import re
from typing import Any

from data.query_periods import over_list_items
from data.query_spec import Filter
from domain import assistant as rules
from services.assistant_places import group_reading
from services.assistant_table import (BOOLEAN_WORDS, ROW_NOUNS, STOPWORDS, Mention, TableContext, column_aliases,
                                      column_words)


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
                    if re.search(r"[a-z]{3}ies$", key):  # "grocery" for a value "Groceries"
                        index.setdefault(key[:-3] + "y", []).append((column, value))
                    spaced = re.sub(r"(?<=[a-z])-(?=[a-z])", " ", key)
                    if spaced != key:  # "never married" for a value "Never-married"
                        index.setdefault(spaced, []).append((column, value))
            head = rules.normalise(re.sub(r"/\S*", " ", value)) if isinstance(value, str) and "/" in value else ""
            if " " in head:  # "entire home" for a value "Entire home/apt"
                index.setdefault(head, []).append((column, value))
    return index


# A summary row's label that is also a word of the question ("total revenue", "all regions"); not every stopword:
# "in IT" is the department IT.
SUMMARY_WORDS = frozenset({"total", "totals", "all", "overall", "grand total", "sum"})


def find_values(text: str, table: TableContext, mentions: list[Mention], index: dict,
                original: str = "", prefer: tuple[str, ...] = ()) -> tuple[list[tuple[int, int, str, Any]], list[str]]:
    """Values present in the data written in the question: (start, end, column, value), longest first, and
    the values that could not be bound to one column (problems). A short or common value ("de", "us", "no")
    counts only next to its column, or written exactly as stored ("sessions from DE": country DE; "tell us"
    is not country US)."""
    words = list(re.finditer(r"\S+", text))
    found: list[tuple[int, int, str, Any]] = []
    problems: list[str] = []
    ambiguous: dict[tuple[str, ...], list[str]] = {}
    for size in range(min(8, len(words)), 0, -1):
        for i in range(len(words) - size + 1):
            start, end = words[i].start(), words[i + size - 1].end()
            key = text[start:end]
            hits = (index.get(key) or index.get(rules.stem_phrase(key)) or _said_otherwise(key, index)
                    or (index.get(key[:-1]) if key.endswith("s") and len(key) > 3 else None)  # "movies"
                    or _doers(key, index))
            if not hits or any(s < end and start < e for s, e, *_ in found):
                continue
            chosen, problem = _choose_column(hits, start, mentions, text[:start], table, prefer)
            column, value = chosen or hits[0]
            weak = len(key) <= 2 or key in STOPWORDS or key in ("yes", "no", "none", "other", "unknown")
            covers_column = any(m.start <= start and end <= m.end for m in mentions)
            # a follow-up's value in the column of the value it replaces ("and for aa?" after "… for DL")
            near = chosen is not None and (_near(mentions, column, start) or column in prefer)
            if weak and not near and not any(_as_stored(v, original) for _, v in hits):
                continue
            if key in SUMMARY_WORDS and not _named_before(text, mentions, column, start):
                continue  # "total revenue by region" asks a sum: no filter Region = Total ("region total" is one)
            if covers_column and size == 1 and not near and not _partial_mention(text, mentions, start, end):
                continue  # "closed" is Status Closed, not the "Closed Date" column it is one word of
            if table.unique.get(column) and NUMBER.fullmatch(key) and not _named_before(text, mentions, column, start):
                continue  # "older than 60" is no PassengerId 60, "in 2016" no Row ID 2016: ids only when named
            if problem == AMBIGUOUS:
                ambiguous.setdefault(tuple(dict.fromkeys(c for c, _ in hits)), []).append(str(value))
            elif problem:
                problems.append(problem)
            found.append((start, end, column, value))  # a problem's span is taken: no other reading of it
    return found, problems + [_ambiguity(columns, shown) for columns, shown in ambiguous.items()]


def _ambiguity(columns: tuple[str, ...], values: list[str]) -> str:
    """"'JFK', 'LAX' are values of both ORIGIN and DEST": how to say which, never a guess."""
    how = " or 'from …' / 'to …'" if any(direction(c) for c in columns) else ""
    said = ", ".join(f"'{v}'" for v in values)
    return (f"{said} {'is a value' if len(values) == 1 else 'are values'} of several columns ({', '.join(columns)}); "
            f"name the one you mean, e.g. '{columns[0]} {values[0]}'{how}")


# Everyday words for values usually stored otherwise: "women" for Gender Female (or F), "men" for Male (or M).
SYNONYMS = {"women": ("female", "f"), "woman": ("female", "f"), "ladies": ("female", "f"), "girls": ("female", "f"),
            "men": ("male", "m"), "man": ("male", "m"), "gentlemen": ("male", "m"), "boys": ("male", "m"),
            "female": ("female", "f"), "females": ("female", "f"), "male": ("male", "m"), "males": ("male", "m")}


def _said_otherwise(key: str, index: dict) -> list[tuple[str, Any]]:
    """Hits for a synonym of ``key``; a one-letter code only in a gender or sex column."""
    word, code = SYNONYMS.get(key, (None, None))
    if word is None:
        return []
    return index.get(word) or [(c, v) for c, v in index.get(code, [])
                               if set(column_words(c).split()) & {"gender", "sex"}]


def _doers(key: str, index: dict) -> list[tuple[str, Any]]:
    """"renters" for housing rent, "owners" for own: those who do what a one-word value says ("what fraction of
    renters are bad" was refused, 'renters' no column or value); "foreigners" for the yes rows of a yes/no
    column named "foreign …" (`foreign_worker`); "homeowners" for the owners of a column "home" names (`housing`,
    `home_ownership`). The last two were refused."""
    match = re.fullmatch(r"([a-z]{3,}?)ers", key)  # plural only: "higher", "older" compare, they are no doers
    if not match or rules.singular(key) in ROW_NOUNS:
        return []
    stem = match.group(1)
    return (index.get(stem) or [(c, v) for c, v in index.get("yes", []) if column_words(c).split()[:1] == [stem]]
            or next((hits for cut in range(3, len(stem) - 2) if (hits := _named_doers(key[:cut], key[cut:], index))),
                    []))


# A word glued before a doer that names its column without spelling it: "homeowners" are the owners of `housing`.
PREFIX_NAMES = {"home": ("home", "housing", "house", "residence"), "house": ("house", "housing", "home")}


def _named_doers(prefix: str, rest: str, index: dict) -> list[tuple[str, Any]]:
    names = set(PREFIX_NAMES.get(prefix, (prefix,)))
    return [(c, v) for c, v in _doers(rest, index) if names & set(column_words(c).split())]


def _partial_mention(text: str, mentions: list[Mention], start: int, end: int) -> bool:
    """The word is a column's mention only as one word of a longer name ("closed" of "Closed Date")."""
    return any(m.start <= start and end <= m.end and text[m.start:m.end] not in column_aliases(m.column)
               and " " in column_words(m.column) for m in mentions)


NUMBER = re.compile(r"[-+]?\d+(?:[.,]\d+)?")
ID_LINK = re.compile(r"\s*(?:(?:number|no\.?|id|#|=|:)\s*)*")  # "PassengerId 5", "order number #5", "Row ID = 7"


def _named_before(text: str, mentions: list[Mention], column: str, position: int) -> bool:
    """The id column named right before its number; "passengers are 80" is an age, not passenger 80."""
    return any(m.column == column and m.end <= position and ID_LINK.fullmatch(text[m.end:position])
               for m in mentions)


def _as_stored(value: Any, original: str) -> bool:
    """A value with capitals written with the same capitals, as a word of its own: "DE", "NY", "A+"."""
    shown = str(value).strip()
    return (isinstance(value, str) and shown != shown.lower() and len(shown) >= 2
            and re.search(rf"(?<![A-Za-z0-9]){re.escape(shown)}(?![A-Za-z0-9])", original) is not None)


AMBIGUOUS = "several columns"
AFTER_PENALTY = 20  # characters: a value is written after its column ("attrition yes"), rarely before it
# Words of a column's name saying which end of a trip, transfer or link it holds ("ORIGIN", "Start Station",
# "dest_city", "Receiver") and words of a question pointing at that end ("from JFK", "to LAX").
SOURCE_NAMES = frozenset("origin orig source src from departure depart start sender pickup".split())
TARGET_NAMES = frozenset("dest destination dst to arrival arrive end target receiver recipient dropoff".split())
PLACE = r"(?:\s+(?:the|airport|city|station|port|country|state))*\s+$"
SOURCE_CUE = re.compile(rf"\b(?:from|origin|source|departing|departure|departs?|leaving|out of){PLACE}")
TARGET_CUE = re.compile(rf"\b(?:to|into|towards?|destination|dest|arriving(?: at| in)?|arrivals?(?: at| in)?|"
                        rf"arrives?(?: at| in)?|bound for|destined for){PLACE}")


def direction(column: str) -> str | None:
    """"source" or "target" when the column's name says which end it holds, else None."""
    words = set(column_words(column).split())
    return "source" if words & SOURCE_NAMES else "target" if words & TARGET_NAMES else None


def _cue(before: str) -> str | None:
    return "source" if SOURCE_CUE.search(before) else "target" if TARGET_CUE.search(before) else None


def _choose_column(hits: list[tuple[str, Any]], position: int, mentions: list[Mention], before: str,
                   table: TableContext, prefer: tuple[str, ...] = ()) -> tuple[tuple[str, Any] | None, str | None]:
    """The (column, value) a value belongs to, and a problem when that cannot be told. A direction word
    decides first ("from JFK": ORIGIN, "to LAX": DEST, never the other end); then the column named closest
    before it ("attrition yes and overtime no": yes is attrition's, though 'overtime' starts nearer to it),
    else closest after it. Nothing deciding between several columns is a problem naming them."""
    cue = _cue(before)
    ends = [c for c in table.columns if direction(c) == cue] if cue else []
    if cue and ends:
        cued = [h for h in hits if direction(h[0]) == cue]
        if len({c for c, _ in cued}) == 1:
            return cued[0], None
        if not cued and any(direction(c) for c, _ in hits):  # "to LAX" where LAX is only ever an ORIGIN
            return None, f"there is no {' or '.join(ends)} {hits[0][1]} in the data"
    if len({c for c, _ in hits}) == 1:
        return hits[0], None
    # "how many countries in Europe": the places counted are not what Europe is a value of (continent is)
    named = [(position - m.end if m.end <= position else m.start - position + AFTER_PENALTY, h)
             for h in hits for m in mentions if m.column == h[0]
             and not (m.end <= position and re.search(r"\b(?:how many|number of)\s+$", before[:m.start]))]
    if named:
        return min(named, key=lambda p: p[0])[1], None
    preferred = [h for h in hits if h[0] in prefer]
    if len({c for c, _ in preferred}) == 1:  # "and for ORD?" after "… from ATL": the value it replaces
        return preferred[0], None
    grouped = group_reading(table, hits)  # "new cases in Europe": continent Europe, checked against its own row
    return (grouped, None) if grouped else (None, AMBIGUOUS)


def _near(mentions: list[Mention], column: str, position: int, distance: int = 30) -> bool:
    return any(m.column == column and abs(m.start - position) <= distance for m in mentions)


def in_lists(flt: Filter, table: TableContext) -> Filter:
    """A value of a column of comma-separated lists ("Anupam Kher, Shah Rukh Khan"): rows whose list holds it,
    not only the rows where it stands alone (66 of 1,000 titles with Shah Rukh Khan)."""
    if flt.op != "=" or not isinstance(flt.value, str):
        return flt
    return Filter(flt.column, "contains", flt.value) if is_list_column(table, flt.column) else flt


def is_list_column(table: TableContext, column: str) -> bool:
    """Cells that are comma-separated lists ("Drake, Bad Bunny"): a tenth of its cells are lists, most of whose
    items are also cells of their own (not prose)."""
    known = [str(v) for v in table.values.get(column) or []]
    parts = [p for v in known[:500] if ", " in v for p in v.split(", ")]
    return bool(parts) and len(parts) >= 0.2 * len(known[:500]) and \
        sum(p in set(known) for p in parts) >= 0.5 * len(parts)


def unnest_lists(table: TableContext, spec, text: str) -> str:
    """The query grouping by a column of lists, over one row per listed value ("Drake, SZA": Drake and SZA)."""
    column = spec.group_by if not spec.grain else None
    if not column or not is_list_column(table, column):
        return text
    return over_list_items(text, table.view, column)

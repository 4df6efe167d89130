""""Best" and "worst" name a ranking, never a measure: "who is the best employee" and "the alcohol of the best wine"
say by what nothing is ranked, and "the best store" or "which store had the best month" gave MAX(store), the highest
store number. The thing right after the word is what is ranked ("best selling item", "the best store by average
sales"); split out of ``assistant_guard`` and ``assistant_intents``."""
from __future__ import annotations

import re

from domain import assistant as rules
from services.assistant_slots import CannotAnswer
from services.assistant_table import Mention, Parsed, TableContext, is_code

KEY_VALUES = 50  # at most this many whole numbers: a column of group labels ("store 1" .. "store 10")
SUPERLATIVE_WITHOUT_MEASURE = re.compile(r"\b(best|worst|top performing|most successful|least successful)\b")
# "best selling item", "the best store by average sales": the thing right after the superlative is ranked
BEST_THING = re.compile(r"\b(?:best|worst|top|least)\s+(?:selling\s+)?")


def refuse_vague(parsed: Parsed, measure: str | None, table: TableContext | None = None) -> None:
    """"who is the best employee", "the alcohol of the best wine": no count of rows nor the column asked is 'best'.
    "The best store" names what is ranked, not by what: it gave MAX(store), the highest store number."""
    match = SUPERLATIVE_WITHOUT_MEASURE.search(parsed.text)
    ranked = match and next((m.column for m in parsed.free if m.start == match.end() + 1), None)
    if match and (measure is None or re.search(rf"\bof (?:the|a) {match.group(0)} [a-z]+\W*$", parsed.text)
                  or (ranked == measure and table is not None and _keys(table, measure))):
        raise CannotAnswer(f"{rules.CANNOT}: '{match.group(0)}' by what? Name a measure, e.g. 'which store has "
                           "the highest total units'.")


def ranked_thing(parsed: Parsed, table: TableContext, free: list[Mention]) -> Mention | None:
    """The column named right after "best", "worst" or "top" where it is the thing ranked: a label, or anything
    beside another number to rank by ("top sales" alone ranks the sales themselves)."""
    said = BEST_THING.search(parsed.text)
    return next((m for m in free if said and m.start == said.end() and (
        not table.is_number(m.column) or is_code(m.column)
        or any(o is not m and table.is_number(o.column) for o in free))), None)


def _keys(table: TableContext, column: str) -> bool:
    """Whole numbers that label groups (a store or item number, a code), not amounts to rank by."""
    known = table.values.get(column) or []
    return is_code(column) or (0 < len(known) <= KEY_VALUES and all(isinstance(v, int) for v in known))

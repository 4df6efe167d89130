"""Refusals about what a question measures: a measure no column holds ("the profit margin of item 10"), a second
measure beside the first ("total sales and the average profit") and a text column named as what rows were
("how many encounters were readmitted"); moved out of ``assistant_guard`` to keep it under the module size."""
from __future__ import annotations

import re

from domain import assistant as rules
from services.assistant_slots import CannotAnswer, Plan
from services.assistant_table import Mention, Parsed, TableContext

# Measures a question may ask for by name: with no column for them, the answer would count rows instead
# ("the profit margin of item 10" answered "1,098 rows where item = 10").
MEASURE_NOUNS = frozenset("profit profits margin margins revenue revenues turnover earnings income price prices cost "
                          "costs spend spending expense expenses salary salaries wage wages fee fees tax taxes "
                          "discount discounts budget".split())

def refuse_unknown_measure(parsed: Parsed, table: TableContext, unused: list[str]) -> None:
    """"What is the profit margin of item 10?" on (date, store, item, sales): no column holds it, and a row
    count beside "item = 10" is no margin. The words are said as written together ("profit margin")."""
    measures = [w for w in unused if w in MEASURE_NOUNS and _as_noun(parsed.text, w)]
    if not measures:
        return
    phrase = re.search(r"\b" + r"(?:\s+\w+)?\s+".join(map(re.escape, measures)) + r"\b", parsed.text) \
        if len(measures) > 1 else None
    said = phrase.group(0) if phrase else measures[0]
    raise CannotAnswer(f"{rules.CANNOT}: no column of '{table.name}' matches '{said}'. "
                       f"Its columns are: {', '.join(table.columns)}.")


_BEFORE_NOUN = r"(?:the|a|an|total|average|mean|median|sum|net|gross|highest|lowest|max(?:imum)?|min(?:imum)?|my|our|" \
               r"their|its|what|which|by)"


def _as_noun(text: str, word: str) -> bool:
    """'the profit margin of item 10', 'revenue by store': a measure asked for; 'listings that cost more than
    $500' uses the word as a verb, on the price column."""
    w = re.escape(word)
    return bool(re.search(rf"\b{_BEFORE_NOUN}\s+(?:\w+\s+)?{w}\b", text)
                or re.search(rf"\b{w}\s+(?:of|per|for|by|in)\b", text) or re.fullmatch(rf"\W*{w}\b.*", text))


def refuse_second_measure(parsed: Parsed, table: TableContext, chosen: Plan) -> None:
    """"total sales by region and the average profit": a query computes one measure; answering for the first
    alone drops the second, so the question is refused naming it."""
    spec = chosen.spec
    if chosen.intent not in ("aggregate", "group", "argmax", "top") or not spec.measure:
        return
    used = {spec.measure, spec.group_by, chosen.target} | {f.column for f in spec.filters}
    first = next((m for m in parsed.free if m.column == spec.measure), None)
    for other in parsed.free:
        if first is None or other.column in used or not table.is_number(other.column):
            continue
        between = parsed.text[min(first.end, other.end):max(first.start, other.start)]
        if re.search(r"\b(and|plus|as well as|along with)\b|,", between):
            said = parsed.text[other.start:other.end]
            raise CannotAnswer(f"{rules.CANNOT}: I answer one measure at a time, and '{said}' ({other.column}) "
                               f"would be dropped beside {spec.measure}; ask for each one separately.")


def refuse_column_as_verb(text: str, table: TableContext, first: Mention | None, distinct: bool) -> None:
    """"How many encounters were readmitted?" names a text column as what the rows were, with none of its values
    (NO, <30, >30): its 3 distinct values were counted. A yes/no column is a condition instead, read before this."""
    if first is None or distinct or table.is_number(first.column) or not re.search(
            r"\b(?:how many|number of)\s+[a-z]+\s+(?:were|was|are|is|have|has|had|got|did)\s+(?:not\s+)?$",
            text[:first.start]):
        return
    shown = ", ".join(str(v) for v in (table.values.get(first.column) or [])[:5])
    raise CannotAnswer(f"{rules.CANNOT}: '{text[first.start:first.end]}' names the column {first.column} but none "
                       f"of its values ({shown}); name the value, e.g. '… with {first.column} "
                       f"{(table.values.get(first.column) or ['…'])[0]}'.")

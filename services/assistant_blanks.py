"""Blank cells as conditions: "athletes with a medal", "listings without a last review", "how many medals did the
United States win" where Medal is blank on most rows. A mostly-blank column records an event (a medal won, a
review left): counting it as a noun counts the rows where it happened, not its few distinct values ("3 distinct
values of Medal" answered "how many medals"). The reply says which rows were counted and that blanks were not.
"""
from __future__ import annotations

import re
from dataclasses import replace

from data.query_spec import Filter
from domain import assistant as rules
from services.assistant_meanings import yes_no_values
from services.assistant_slots import Plan
from services.assistant_table import Mention, TableContext, column_words, is_code

MOSTLY_BLANK = 50.0  # % of rows with no value: the column records an event, not a property of every row
WITH = re.compile(r"\b(?:with|has|have|had|having|won|win|wins|got|get|gets|received|earned|held)\s+"
                  r"(?:a|an|any|some|at least one)\s+$")
WITHOUT = re.compile(r"\b(?:without|with no|has no|have no|had no|lacking|missing|never (?:won|got|had|received)|"
                     r"(?:did not|didn t|not) (?:win|get|have|receive))\s+(?:a |an |any )?$")
# "trips with tolls", "orders that had a discount": an amount never blank and often 0 is had where it is above 0
WITH_AMOUNT = re.compile(r"\b(?:with|has|have|had|having|paid|pay|pays)\s+(?:a |an |any |some )?$")
COUNTED = re.compile(r"\b(?:how many|number of|count of|most|fewest|least|more|fewer|total)\s+(?:[a-z]+\s+)?$")
BARE = re.compile(r"\b(?:distinct|different|unique|by|per|each|every|of the)\s+$")


def mostly_blank(table: TableContext, column: str) -> bool:
    return table.missing.get(column, 0.0) >= MOSTLY_BLANK


Found = tuple[int, int, Filter, str]  # where the words are, the filter they mean, the note saying so


def conditions(text: str, table: TableContext, mentions: list[Mention], spans: list[tuple[int, int]],
               filtered: set[str]) -> list[Found]:
    """"with a medal", "without a review", and a mostly-blank column counted as a noun ("how many medals",
    "the most medals"): the rows with (or without) a value. Not for a column a value or condition already took,
    nor for yes/no columns, whose "without" is their "no" value."""
    found: list[Found] = []
    for mention in mentions:
        column, before = mention.column, text[:mention.start]
        if column in filtered | {f.column for _, _, f, _ in found} or any(s <= mention.start < e for s, e in spans) \
                or yes_no_values(table, column) is not None:
            continue
        without, with_ = WITHOUT.search(before), WITH.search(before)
        if without and (not table.is_numeric(column) or _unrecorded(table, column)):
            found.append((without.start(), mention.end, Filter(column, "is_blank"), f"{column} is blank"))
        elif without and not table.missing.get(column) and 0 in (table.values.get(column) or []):
            # "lines that had no discount" where discount is never blank and often 0: discount = 0
            said = text[without.start():mention.end]
            found.append((without.start(), mention.end, Filter(column, "=", 0), f"{column} = 0 (for '{said}')"))
        elif WITH_AMOUNT.search(before) and _zero_or_more(table, column):
            # "how many trips with tolls": tolls_amount > 0 (it counted the 2 distinct values of tolls_amount)
            said = text[WITH_AMOUNT.search(before).start():mention.end]
            found.append((WITH_AMOUNT.search(before).start(), mention.end, Filter(column, ">", 0),
                          f"{column} > 0 (for '{said}')"))
        elif with_ and table.missing.get(column, 0.0) > 0:  # on a column never blank, "have a housing" names no value
            found.append((with_.start(), mention.end, Filter(column, "not_blank"), f"{column} is not blank"))
        elif mostly_blank(table, column) and _counted(text, mention):
            found.append((mention.start, mention.end, Filter(column, "not_blank"),
                          f"{column} is not blank (rows with no {column} are not counted)"))
    return found


def _unrecorded(table: TableContext, column: str) -> bool:
    """"no reviews" of a count column is 0, not blank; "no age" where Age has blanks and never 0 is a blank."""
    counts = set(column_words(column).split()) & {"number", "count", "num", "nbr", "per", "total", "times"}
    return table.missing.get(column, 0.0) > 0 and 0 not in (table.values.get(column) or [0]) and not counts


def _zero_or_more(table: TableContext, column: str) -> bool:
    """A numeric amount never blank, holding 0 and amounts above it (tolls, a discount, a tip), not a count."""
    known = table.values.get(column) or []
    return table.is_numeric(column) and not table.missing.get(column) and 0 in known and min(known) == 0 \
        and len(known) > 1 and not is_code(column) and not _unrecorded(table, column)


def _counted(text: str, mention: Mention) -> bool:
    """"how many medals", "the most medals", "medals won": the column's word as a plural noun, counted."""
    said = text[mention.start:mention.end].split()[-1]
    before = text[:mention.start]
    return not BARE.search(before) and (rules.singular(said) != said or bool(COUNTED.search(before)))


def finish(table: TableContext, chosen: Plan) -> Plan:
    """"average discount" where most orders have none is the average over the rows with one: the reply says so."""
    measure = chosen.spec.measure
    if chosen.spec.agg in ("avg", "median") and measure and mostly_blank(table, measure):
        return replace(chosen, notes=chosen.notes + (f"{measure} is not blank",))
    return chosen

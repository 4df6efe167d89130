"""Tables whose rows are already counts (UCI bike sharing's hour.csv: one row an hour, `cnt` the rentals in it):
"busiest month", "which month had the most rentals", "how many rentals in 2012" add up the count column; counting
the rows gave the hours of each month (every month near 1,470), a number the question did not ask.

The count column is the one whole-number column named only as a count (`cnt`, `count`, `Count`, `total_count`);
`passenger_count` or `review_count` name what each row holds of something else and are left alone. The rows are
still counted where the question says so ("number of rows by month", "how many records"), where it puts a
condition on the count column ("how many hours had cnt over 500"), and where it names nothing counted beside
the busiest or quietest bucket.

A table with no count column but exactly one numeric column of what is sold or done (a daily store/item file's
`sales`, rules.FLOW_WORDS, not a level such as a price) ranks "busiest/quietest month" by that column's total: its
rows are one per store, item and day, so every month with 31 days tied on the rows. A table whose row is one
event still ranks by its rows: a trips table (`fare_amount`, `trip_distance` are no flows), and an invoice table with
a `Quantity` (each row has its own id or time of day)."""
from __future__ import annotations

import re
from dataclasses import replace

from domain import assistant as rules
from services.assistant_hours import BUSY, clock_columns
from services.assistant_slots import Plan, unused_words
from services.assistant_table import Mention, Parsed, TableContext, column_words, is_code

COUNT_NAMES = frozenset({"cnt", "count", "counts", "total count", "total cnt", "count total"})
ROWS_SAID = re.compile(r"\b(rows?|records?|entries|entry|lines?|observations?)\b")
GRAIN_WORDS = frozenset(rules.GRAINS) | frozenset(f"{w}s" for w in rules.GRAINS)
COUNTED_INTENTS = ("count", "group", "argmax", "argmin", "top", "grain_stat")
BEST = re.compile(r"\b(?:best|worst)\b")
DAYS_ASKED = re.compile(r"^how many (?:different |distinct )?days\b")
# What a count column counts, as analysts say it: "number of rentals by year", "top 3 months by rides"
COUNTED_NOUNS = re.compile(r"\b(?:rentals?|rides?|trips?|pickups?|bookings?|checkouts?|hires?|journeys?)\b")


def count_column(table: TableContext) -> str | None:
    """The one column holding a count per row, or None (none, or more than one)."""
    found = [c for c in table.columns if column_words(c) in COUNT_NAMES and table.is_numeric(c)
             and "INT" in table.types.get(c, "").upper() and not table.unique.get(c)]
    return found[0] if len(found) == 1 else None


def flow_column(table: TableContext) -> str | None:
    """The one numeric column that counts what is sold or done per row (`sales`, `units`, `Total Volume`), or None.
    None where a row is one event: an id for each row (supermarket sales' `Invoice ID`) or its time of day."""
    if any(table.unique.get(c) and is_code(c) for c in table.columns) or clock_columns(table):
        return None
    found = [c for c in table.columns if table.is_numeric(c) and not is_code(c) and not rules.is_level(c)
             and set(column_words(c).split()) & rules.FLOW_WORDS]
    return found[0] if len(found) == 1 else None


def counted_nouns(text: str, table: TableContext, found: list[Mention]) -> list[Mention]:
    """"Rentals", "rides", "trips" on a table of counts: its count column (they were refused, naming no column)."""
    column = count_column(table)
    if column is None:
        return []
    return [Mention(m.start(), m.end(), column) for m in COUNTED_NOUNS.finditer(text)
            if not any(f.start < m.end() and m.start() < f.end for f in found)]


def counts_summed(parsed: Parsed, table: TableContext, chosen: Plan) -> Plan:
    """A count of rows asked of what the rows count ("rentals", "busiest") is the total of the count column."""
    spec = chosen.spec
    if spec.agg != "count" or spec.measure is not None or chosen.intent not in COUNTED_INTENTS:
        return chosen
    busy = BUSY.search(parsed.text) or best_bucket(parsed, chosen)
    column = count_column(table) or (flow_column(table) if busy else None)
    if column is None or ROWS_SAID.search(parsed.text) or column in {f.column for f in spec.filters}:
        return chosen
    counted = [w for w in unused_words(parsed, table) if w.endswith("s") and w not in GRAIN_WORDS]
    if not counted and not busy and not COUNTED_NOUNS.search(parsed.text):
        return chosen
    label = f"total {column}"
    order = "value" if spec.order_by in (spec.label, "value") else spec.order_by
    spec = replace(spec, agg="sum", measure=column, label=label, order_by=order if spec.order_by else None)
    return replace(chosen, intent="aggregate" if chosen.intent == "count" else chosen.intent, spec=spec,
                   measure=column)


def best_bucket(parsed: Parsed, chosen: Plan) -> bool:
    """"Which month was best", "the best quarter": buckets ranked with no measure named, which on a table of one
    flow (a store/item file's `sales`) is its total, as "busiest month" is (it was refused: 'best' by what?)."""
    return chosen.intent in ("argmax", "top") and bool(chosen.spec.grain) and chosen.spec.measure is None \
        and BEST.search(parsed.text) is not None


def days_counted(parsed: Parsed, table: TableContext, chosen: Plan) -> Plan:
    """"How many days are there (in 2012)" where a day holds several rows (hours, stores): the distinct dates; it
    counted the rows (the hours). Only with no condition but the period: under "store 1 item 1" a day may be one row,
    and "days with cnt over 500" may mean an hour's count or the day's total."""
    spec = chosen.spec
    if chosen.intent != "count" or spec.agg != "count" or spec.measure or spec.group_by \
            or not DAYS_ASKED.search(parsed.text):
        return chosen
    dates = [c for c in table.columns if table.is_date(c) and "TIMESTAMP" not in table.types.get(c, "").upper()]
    if len(dates) != 1 or table.unique.get(dates[0]) or any(f.column != dates[0] for f in spec.filters):
        return chosen  # one row a day: the rows are the days
    spec = replace(spec, agg="count_distinct", measure=dates[0], label=f"distinct {dates[0]}")
    return replace(chosen, intent="count_distinct", spec=spec, target=dates[0])

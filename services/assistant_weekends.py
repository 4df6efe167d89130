"""Weekends and weekdays as conditions on a date: "weekend trips", "how many trips on weekends", "average fare on
weekdays" keep the rows whose date falls on a Saturday or Sunday (or Monday to Friday); they were refused, the word
being no column or value. The date is the one named or a verb points to, else the first, as for a period
("weekend dropoffs": `tpep_dropoff_datetime`). "By weekday" or "which weekday" still group by the day of the week.
"""
from __future__ import annotations

import re

from data.query_spec import Filter
from services.assistant_datefilters import period_column
from services.assistant_table import Mention, TableContext

DAYS = re.compile(r"\b(?:week[\s-]?ends?|weekdays?)\b")
GROUPED = re.compile(r"\b(?:by|per|each|every|which|what)\s+(?:the\s+)?$")


def weekend_filter(text: str, table: TableContext, mentions: list[Mention], used: list[tuple[int, int]]
                   ) -> tuple[tuple[int, Filter, str] | None, list[tuple[int, int]], list[str]]:
    """(start, filter, note) for a weekend or weekday said as a condition, the spans it takes, and the problems:
    both said at once (two groups, not one condition), or no date column to take it."""
    taken = used + [(m.start, m.end) for m in mentions]
    said = [m for m in DAYS.finditer(text) if not any(s <= m.start() < e for s, e in taken)
            and not GROUPED.search(text[:m.start()])]
    kinds = {"weekday" if m.group(0).startswith("weekday") else "weekend" for m in said}
    if len(kinds) > 1:
        return None, [], ["weekends and weekdays are two groups, not one condition; ask for each separately"]
    if not said:
        return None, [], []
    column, also, problems = period_column(said[0].group(0), table, mentions, text, used)
    if column is None or not table.is_date(column):
        return None, [], problems or [f"{column} holds years only, so '{said[0].group(0)}' cannot be applied to it"]
    flt = Filter(column, kinds.pop())
    return (said[0].start(), flt, f"{flt.describe()} (for '{said[0].group(0)}'){also}"), [m.span() for m in said], []

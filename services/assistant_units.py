"""Units written after a number ("2000 miles", "30 minutes", "7 days"): which column holds numbers in that unit,
by its name (DISTANCE, AIR_TIME, ARRIVAL_DELAY, time_in_hospital) or by its values ("12 km")."""
from __future__ import annotations

import re

from services.assistant_table import Mention, TableContext, column_words, expanded_words

# Each unit and the words of the columns that hold it.
UNITS = ((re.compile(r"\s+(?:miles?|mi|km|kms|kilomet(?:er|re)s?|met(?:er|re)s?|feet|ft)\b"),
          {"distance", "miles", "mile", "km", "kilometers", "mileage", "length", "meters", "metres", "feet"}),
         (re.compile(r"\s+(?:kg|kgs|kilos?|kilograms?|lbs?|pounds?|grams?)\b"),
          {"weight", "kg", "kgs", "lbs", "mass", "pounds", "grams"}),
         (re.compile(r"\s+(?:minutes?|mins?|hours?|hrs?|seconds?|secs?)\b"),
          {"minutes", "minute", "min", "mins", "hours", "hour", "seconds", "secs", "delay", "time", "duration",
           "elapsed"}),
         (re.compile(r"\s+(?:days?|nights?)\b"), {"days", "nights", "stay", "duration", "time", "los", "tenure"}),
         (re.compile(r"\s+(?:years?|yrs?)\b(?!\s+old)"), {"years", "age", "tenure"}))


def unit_carriers(text: str, end: int, table: TableContext) -> tuple[str, list[str]]:
    """The unit written right after ``end`` ("" when none) and the numeric columns that hold it."""
    pattern, words = next(((p, w) for p, w in UNITS if p.match(text, end)), (None, set()))
    if pattern is None:
        return "", []

    def carries(column: str) -> bool:
        names = set(column_words(column).split()) | {w for v in expanded_words(column) for w in v}
        values = [str(v) for v in (table.values.get(column) or [])[:50]]
        return bool(names & words) or (bool(values) and all(pattern.search(" " + v) for v in values))

    carriers = [c for c in table.columns if table.is_number(c) and not table.unique.get(c) and carries(c)]
    return pattern.match(text, end).group(0).strip(), carriers


def unit_column(text: str, comp, table: TableContext, chosen: Mention | None,
                named: list[Mention]) -> Mention | str | None:
    """"Flights longer than 2000 miles": the number goes to the one column holding the unit, not to
    DEPARTURE_DELAY named before it; of several, the one named nearest ("departing more than 60 minutes late":
    the departure delay); a problem (str) where none of several was named; None where no unit is written, the
    chosen column holds it, or no column does."""
    unit, carriers = unit_carriers(text, comp.end, table)
    if not carriers or (chosen is not None and chosen.column in carriers):
        return None
    near = sorted((m for m in named if m.column in carriers),
                  key=lambda m: min(abs(m.start - comp.end), abs(comp.start - m.end)))
    if len(carriers) == 1 or near:
        return Mention(comp.start, comp.start, near[0].column if near else carriers[0])
    number = text[comp.start:comp.end]
    return (f"'{number} {unit}' could be {' or '.join(carriers)}; name the column, e.g. "
            f"'{column_words(carriers[0])} {number}'")

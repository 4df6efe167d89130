"""Time buckets of the date column ("total sales by month", "which month had the highest sales", "average monthly
sales"); percentages, which may be taken by such a bucket, are in ``assistant_shares``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace

from data.query_periods import months_of_year
from data.query_spec import SelectSpec
from domain import assistant as rules
from services.assistant_datefilters import cued_columns
from services.assistant_table import ROW_NOUNS, Mention, Parsed, TableContext, is_code
from services.assistant_slots import (AGG_NAMES, TIE_LIMIT, CannotAnswer, Plan, measure_column, phrase_after_aggregate,
                                      top_buckets)

GROUP_ROWS = 500   # buckets listed in a "by day" answer; the sentence says when there are more
# A superlative right before a bucket word ranks the buckets: "the best month for sales", "worst day"
RANKED_BUCKET = re.compile(r"\b(?:best|worst|highest|lowest|biggest|smallest|top|peak|strongest|weakest)\s+"
                           r"(year|quarter|month|week|day|weekday)s?\b")


@dataclass(frozen=True)
class Grain:
    grain: str            # year, quarter, month, week, day
    column: str           # the date column it buckets
    role: str             # "entity" (which month ...), "group" (by month) or "per" (average monthly ...)
    instead_of: str | None = None  # a column the grain word also names ("year": release_year), not a measure


def find_grain(parsed: Parsed, table: TableContext, free: list[Mention], group: Mention | None,
           entity: Mention | None) -> Grain | None:
    """"which month had the highest sales", "total sales by year", "average monthly sales": a time bucket
    of the table's date column (the one named, else the first) when no column is named that way."""
    dates = [c for c in table.columns if table.is_date(c)]
    if not dates:
        return None
    named = [m.column for m in free if m.column in dates]
    column, text = (named or dates)[0], parsed.text
    words = "|".join(sorted(rules.GRAINS, key=len, reverse=True))
    spans = [(m.start, m.end) for m in parsed.columns]

    def free_word(match: re.Match, group_index: int) -> bool:
        return not any(s <= match.start(group_index) < e for s, e in spans)

    which = re.search(rf"\b(?:which|what|name the)\s+(?:(?:the|a)\s+)?({words})\b", text)
    if which and entity is None and free_word(which, 1):
        return Grain(rules.GRAINS[which.group(1)], column, "entity")
    ranked = RANKED_BUCKET.search(text)  # "what was the best year for sales": it gave MAX(sales), one row's
    if not which and ranked and free_word(ranked, 1) and (entity is None or _measure(table, entity, text)):
        return Grain(rules.GRAINS[ranked.group(1)], column, "entity")
    if entity is None and top_buckets(parsed):  # "top 3 months by sales": the 3 months with the highest total
        return Grain(top_buckets(parsed), column, "entity")
    cued = (named or cued_columns(text, spans, dates)) if which and entity is not None else []
    if len(set(cued)) == 1 and entity.start == which.start(1) and entity.end == which.end(1):
        # "which year were the most titles added": the year of date_added, not the column release_year
        return Grain(rules.GRAINS[which.group(1)], cued[0], "entity", entity.column)
    if group is not None and group.column in dates:
        follows = re.match(rf"\s+(?:date\s+)?({words})\b", text[group.end:])
        if follows:  # "by ship month", "by ship_date month": months of that date column
            return Grain(rules.GRAINS[follows.group(1)], group.column, "group")
    if group is not None:
        if re.search(rf"\band\s+(?:the\s+)?({words})\b", text[group.end:group.end + 20]):
            raise CannotAnswer(f"{rules.CANNOT}: I can group by one thing at a time; ask by {group.column} "
                               "and by the period separately.")
        return None
    # "by month", and "by ship month" / "by ship date month" naming which date column
    by = re.search(rf"\b(by|per|for each|for every|each|every)\s+((?:[a-z]+\s+){{0,2}}?)({words})\b", text)
    if by and free_word(by, 3):
        between = by.group(2).strip()
        named_here = [m.column for m in free if m.column in dates and by.start(2) <= m.start < by.end(2)]
        if between and not named_here:
            by = None
        else:
            column = named_here[0] if named_here else column
    if by and free_word(by, 3) and by.group(1) == "per" and entity is not None and entity.column not in dates:
        return None  # "which family sells the most on average per day": families ranked by their mean
    if by and free_word(by, 3):
        after = text[by.end():by.end() + 25]
        also = [m for m in free if by.end() <= m.start < by.end() + 25 and m.column not in dates]
        if also and re.match(r"\s+and\b", after):
            raise CannotAnswer(f"{rules.CANNOT}: I can group by one thing at a time; ask by {by.group(3)} and by "
                               f"{also[0].column} separately.")
        return Grain(rules.GRAINS[by.group(3)], column, "per" if by.group(1) == "per" else "group")
    adjective = re.search(rf"\b({'|'.join(rules.GRAIN_ADJECTIVES)})\b", text)
    if adjective and free_word(adjective, 1) and entity is not None and entity.column not in dates \
            and any(m.column != entity.column for m in free):
        return None  # "which store has the highest average daily sales": stores ranked by their day totals
    if adjective and free_word(adjective, 1):
        return Grain(rules.GRAINS[adjective.group(1)], column, "per")
    return None


def _measure(table: TableContext, mention: Mention, text: str) -> bool:
    """"What were the sales in the best month": the entity the question names is what ranks the months; in "which
    store had the best month" it is the thing ranked, which a bucket of dates does not answer."""
    subject = re.search(r"\b(?:which|what)\s+$", text[:mention.start])
    return subject is None and table.is_number(mention.column) and not is_code(mention.column)


def by_grain(parsed: Parsed, table: TableContext, free: list[Mention], base: SelectSpec, grain: Grain,
              agg: str | None, direction: str | None, embedder, notes: tuple[str, ...]) -> Plan:
    measure = measure_column(parsed, table, free, {grain.column, grain.instead_of} | set(parsed.filter_columns),
                             embedder)
    rows_counted = agg in ("avg", "median") and grain.role == "per" and _rows_counted(parsed.text)
    if measure is None and (agg or (direction and grain.role != "entity")) and not rows_counted:
        raise CannotAnswer(f"{rules.CANNOT}: no numeric column of '{table.name}' matches "
                           f"'{phrase_after_aggregate(parsed.text) or 'that'}'.")
    # Inside a bucket, amounts add up ("monthly sales" is the month's total); "average sales by month"
    # averages the rows of each month. Levels (prices, temperatures) do not add up: a month's temperature is
    # its average, and "the month with the highest temperature" is the one with the highest reading.
    inner = "count" if measure is None else _within_bucket(measure, grain, agg, direction)
    label = ("number of rows" if rows_counted else "rows") if measure is None else f"{AGG_NAMES[inner]} {measure}"
    spec = replace(base, agg=inner, measure=measure, group_by=grain.grain, grain=grain.grain,
                   grain_column=grain.column, label=label,
                   numeric_measure_text=bool(measure) and not table.is_numeric(measure))
    if grain.role == "entity":
        topk = rules.top_k(parsed.text) if top_buckets(parsed) else None
        if topk:
            return Plan("top", replace(spec, descending=topk[1] == "desc", limit=topk[0]), target=spec.group_by,
                        measure=measure, notes=notes)
        descending = direction != "min"
        if _seasonal(parsed, table, grain):  # "which month are most titles added": August, over all years
            spec, notes = replace(spec, group_by=MONTH_OF_YEAR), notes + (f"{grain.column} in any year",)
        return Plan("argmax", replace(spec, descending=descending, limit=TIE_LIMIT), target=spec.group_by,
                    measure=measure, notes=notes)
    every = replace(spec, order_by=grain.grain, descending=False, limit=None)
    statistic = direction if agg in (None, "sum") else agg  # "total sales per month" is a table of totals
    if grain.role == "per" and statistic in ("max", "min") and re.search(r"\bwhen\b", parsed.text):
        # "what was the highest daily sales and when": the day(s) of the extreme, ranked first, not only its value
        return Plan("argmax", replace(spec, descending=statistic == "max", limit=TIE_LIMIT), target=spec.group_by,
                    measure=measure, notes=notes)
    if grain.role == "per" and statistic:
        return Plan("grain_stat", every, target=grain.grain, measure=measure, notes=notes, statistic=statistic)
    return Plan("group", replace(every, limit=GROUP_ROWS), target=grain.grain, measure=measure, notes=notes)


MONTH_OF_YEAR = "month of year"
ROWS_A_PERIOD = re.compile(r"\b(?:average|avg|mean|median)\s+(?:(?:daily|weekly|monthly|quarterly|yearly)\s+)?"
                           r"(?:number of\s+|count of\s+)?([a-z]+)\b")


def _rows_counted(text: str) -> bool:
    """"Average number of trips per day", "average daily trips": the rows of each period counted, then averaged."""
    found = ROWS_A_PERIOD.search(text)
    return found is not None and (rules.singular(found.group(1)) in ROW_NOUNS or found.group(1) in ("rows", "records"))


# "which month are most titles added", "which month of the year is busiest": the pattern over the years. A past
# tense ("which month had the highest sales") asks for the one month when it happened (2015-05).
HABITUAL = re.compile(r"\b(?:of the year|of year|in general|on average)\b|\b(?:month|months) (?:are|is|do|does|tend|"
                      r"tends|usually|typically|generally|normally)\b")


def _seasonal(parsed: Parsed, table: TableContext, grain: Grain) -> bool:
    """"Which month" asked in the present over data of several years, no year named: a month of the calendar
    (August), not one year's month (2020-08), which would rank months of different years against each other."""
    if grain.grain != "month" or grain.column in parsed.filter_columns or not HABITUAL.search(parsed.text):
        return False
    known = table.values.get(grain.column)
    return known is None or len({v.year for v in known if hasattr(v, "year")}) > 1


def of_year(spec: SelectSpec, text: str) -> str:
    """The query's year-month buckets as months of the year, where the plan asked for them."""
    if spec.grain != "month" or spec.group_by != MONTH_OF_YEAR:
        return text
    return months_of_year(text, spec.grain_column)


def _within_bucket(measure: str, grain: Grain, agg: str | None, direction: str | None) -> str:
    if agg and (grain.role == "group" or (grain.role == "entity" and agg not in ("max", "min"))):
        return agg  # "which month had the highest average temperature": the months' averages are ranked
    if not rules.is_level(measure):
        return "sum"
    if grain.role == "entity" and direction:
        return direction
    return "avg"

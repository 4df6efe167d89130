"""Two shapes of question beyond one aggregate: time buckets of the date column ("total sales by month",
"which month had the highest sales", "average monthly sales") and percentages ("what percentage of loans
are for purpose car", "failure rate by type", "share of total sales from store 1").
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace

from data.query_periods import months_of_year
from data.query_spec import SelectSpec
from domain import assistant as rules
from services.assistant_filters import cued_columns
from services.assistant_table import ROW_NOUNS, Mention, Parsed, TableContext
from services.assistant_slots import (AGG_NAMES, TIE_LIMIT, CannotAnswer, Plan, flag_filter, is_flag,
                                      measure_column, phrase_after_aggregate, top_buckets)

SHARE_VERBS = (r"\b(are|is|were|was|have|has|had|came|come|comes|did|do|does|went|go|goes|got|get|gets|"
               r"failed|defaulted|churned|broke|died|survived|quit|cancelled|canceled|led|leads?|resulted|results?|"
               r"ended|left|resigned|exited|stayed)\b")  # "… machines failed", "… in Sales left"


GROUP_ROWS = 500   # buckets listed in a "by day" answer; the sentence says when there are more


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


def share_position(parsed: Parsed) -> int | None:
    """Where a percentage is asked for ("what percentage of", "failure rate"), outside column names."""
    spans = [(m.start, m.end) for m in parsed.columns if " " in parsed.text[m.start:m.end]]  # "interest rate"
    for word in rules.SHARE_WORDS:
        for match in re.finditer(rf"(?<![a-z0-9]){re.escape(word)}(?![a-z0-9])", parsed.text):
            if re.search(r"\d\s$", parsed.text[:match.start()]):
                continue  # "discount 20%" (read "20 percent"): a value, not a percentage asked for
            if not any(s <= match.start() < e for s, e in spans):
                return match.start()
    return None


def _refuse_rate_of_several_values(parsed: Parsed, table: TableContext, free: list[Mention]) -> None:
    """"Readmission rate" where readmitted holds NO, <30 and >30: which value is the readmission is not the data's
    to say (it was answered as the share of insulin = Steady within each readmitted value)."""
    rated = next((m for m in free if re.match(r"\s+rates?\b", parsed.text[m.end:]) and not is_flag(table, m.column)
                  and not table.is_number(m.column) and m.column not in parsed.filter_columns), None)
    if rated is not None:
        shown = ", ".join(str(v) for v in (table.values.get(rated.column) or [])[:5])
        raise CannotAnswer(f"{rules.CANNOT}: {rated.column} holds several values ({shown}), so which rows "
                           f"'{parsed.text[rated.start:rated.end]} rate' counts is not the data's to say; ask e.g. "
                           f"'what percentage of rows have {rated.column} {shown.split(', ')[0]}'.")


# A condition written after "for", "among" or "in" picks the rows a rate is taken over, not the rows counted
SCOPED = re.compile(r"\b(?:for|among|amongst|within|in)\s+(?:the\s+)?(?:[a-z_][\w\-]*\s+){0,2}$")


def share_plan(parsed: Parsed, table: TableContext, free: list[Mention], base: SelectSpec,
               keys: tuple[Mention | None, ...], topk: tuple[int, str] | None, direction: str | None,
               notes: tuple[str, ...], grain: Grain | None = None) -> Plan:
    """"What percentage of loans are for purpose car", "failure rate by type", "share of sales from store 1".

    The rows counted are the conditions written after the verb (or a 0/1 column named before "rate");
    the rest of the filters choose the population. Nothing to count is a refusal, not a row count."""
    text, position = parsed.text, share_position(parsed)
    _refuse_rate_of_several_values(parsed, table, free)
    starts = parsed.filter_starts if len(parsed.filter_starts) == len(parsed.filters) else (0,) * len(parsed.filters)
    flags = [m for m in free if is_flag(table, m.column) and m.end <= position and position - m.end <= 2]
    pivot = _pivot(text, position)
    # A period ("in 2023") scopes the population wherever it is written; it is never the counted part.
    dated = [table.is_date(f.column) for f in parsed.filters]
    if flags:
        condition, population = (flag_filter(parsed, table, flags[-1]),), base.filters
    else:
        after_verb = [pivot is None or at >= pivot for at in starts]  # "… died": the verb is the condition
        condition = tuple(f for f, d, a in zip(parsed.filters, dated, after_verb) if a and not d)
        population = tuple(f for f, d, a in zip(parsed.filters, dated, after_verb) if not a or d)
        named = [m for m in free if is_flag(table, m.column) and (pivot is None or m.start >= pivot)
                 and m.column not in parsed.filter_columns]
        if not condition and named:  # "what percentage of orders were (not) returned" (a 0/1 or yes/no column)
            condition = (flag_filter(parsed, table, named[0]),)
        if pivot is None and len(condition) > 1:  # "default rate for grade A": the rate among grade A's rows
            scoped = tuple(f for f, at in zip(parsed.filters, starts) if f in condition and SCOPED.search(text[:at]))
            if len(scoped) < len(condition):
                condition = tuple(f for f in condition if f not in scoped)
                population = tuple(population) + scoped
        periods = tuple(f for f, d, a in zip(parsed.filters, dated, after_verb) if a and d)
        if not condition and periods:  # "what percentage of orders were placed in 2023": the period is counted
            condition, population = periods, tuple(f for f in population if f not in periods)
    # A yes/no column named as the population ("what percentage of foreign workers have bad risk", "bad rate
    # for foreign workers"): those rows only, not every row.
    keyed_columns = {k.column for k in keys if k is not None}
    taken = {f.column for f in (*condition, *population)} | keyed_columns
    added = tuple(flag_filter(parsed, table, m) for m in free if is_flag(table, m.column)
                  and m.column not in taken and (pivot is None or m.end <= pivot))
    population = tuple(population) + added
    if not condition:
        raise CannotAnswer(f"{rules.CANNOT}: I could not tell which rows the percentage should count. Name "
                           f"them with a column and a value, e.g. 'what percentage of rows have "
                           f"{_two_valued(table, free, position) or _example(table)}'.")
    counted_columns = {f.column for f in condition}
    group = next((k for k in keys if k is not None and k.column not in counted_columns), None)
    compared = next((f for f in population if f.op == "in"), None)  # "compare churn rate of A and B": each one's
    if group is None and compared is not None and rules.has_any(text, rules.COMPARE_WORDS):
        group = Mention(0, 0, compared.column)
    keyed = {group.column} if group else set()
    numeric = [m for m in free if m.column not in keyed and not is_flag(table, m.column)
               and table.is_number(m.column) and (m.start < pivot if pivot is not None else
                                                   m.column not in counted_columns)]
    measure = numeric[0].column if numeric and rules.has_any(text, rules.AGGREGATES["sum"] + ("of",)) else None
    agg = "share" if measure else "rate"
    what = " and ".join(f.describe() for f in condition)
    spec = replace(base, filters=population, agg=agg, measure=measure, condition=condition,
                   numeric_measure_text=bool(measure) and not table.is_numeric(measure),
                   label=f"% {what}" if agg == "rate" else f"% of {measure} with {what}")
    counted = {f.describe() for f in condition}
    counted_periods = {f.column for f in condition if table.is_date(f.column)}
    shown = tuple(n for n in notes if not any(n == c or n.startswith(f"{c} (") for c in counted)  # "(for 'died')"
                  and n.split(" ")[0] not in counted_periods) + tuple(f.describe() for f in added)
    if group is None and grain is not None and grain.role != "entity":
        # "what share of sales came from store 2 by year": the share in each year
        spec = replace(spec, group_by=grain.grain, grain=grain.grain, grain_column=grain.column,
                       order_by=grain.grain, descending=False, limit=500)
        return Plan("group", spec, target=grain.grain, measure=measure, notes=shown)
    if group is None:
        return Plan("share", spec, measure=measure, notes=shown)
    grouped = replace(spec, group_by=group.column, descending=direction != "min",
                      limit=(topk[0] if topk else TIE_LIMIT) if (topk or direction) else 200)
    return Plan("argmax" if direction and not topk else "top" if topk else "group", grouped, target=group.column,
                measure=measure, notes=shown)


def _pivot(text: str, position: int) -> int | None:
    """The verb after which the counted rows are written. One in a relative clause ("passengers who survived
    are female") picks the population; the verb after it is the pivot."""
    verbs = list(re.finditer(SHARE_VERBS, text[position:]))
    main = [v for v in verbs if not re.search(r"\b(?:who|that|which)\s+(?:(?:did|do|does|had|have|has)\s+)?"
                                              r"(?:not\s+|never\s+)?$", text[:position + v.start()])]
    verb = (main or verbs or [None])[0]  # else "percentage of homicides with an arrest": counted after "with"
    verb = verb or re.search(r"\b(?:with|having)\b", text[position:])
    return position + verb.start() if verb else None


def _two_valued(table: TableContext, free: list[Mention], position: int) -> str | None:
    """"default rate" where default holds 1 and 2: which one is the default is not the data's to say, so the
    refusal names both (a guess would state the other value's rate as fact)."""
    for mention in free:
        values = sorted(v for v in (table.values.get(mention.column) or []) if v is not None)
        if mention.end <= position and position - mention.end <= 2 and len(values) == 2:
            return f"{mention.column} {values[0]}' or '... {mention.column} {values[1]}"
    return None


def _example(table: TableContext) -> str:
    for column in table.columns:
        values = table.values.get(column) or []
        if values and not table.is_numeric(column) and not table.is_date(column) and len(values) <= 50:
            return f"{column} {values[0]}"
    return "<column> <value>"


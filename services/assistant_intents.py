"""From a parsed question to one query plan (count, aggregate, top-k, argmax, group, lookup) and from
its rows to a plain sentence that holds only numbers the rows contain.
"""
from __future__ import annotations

import re
from typing import Any

from data.query_spec import SelectSpec
from domain import assistant as rules
from services import assistant_bands as bands
from services import assistant_best as best
from services import assistant_blanks as blanks
from services import assistant_guard as guard, assistant_measures as measures
from services.assistant_mentions import DIMENSIONS
from services.assistant_money import with_spending
from services.assistant_outcomes import finished_only
from services.assistant_periods import averaged_per_id, averaged_per_period
from services.assistant_counted import best_bucket, counts_summed, days_counted, flow_column
from services.assistant_buckets import by_grain, find_grain
from services.assistant_shares import share_plan, share_position
from services.assistant_hours import (busiest, hour_column, hourly, hourly_of_column, in_time_order, of_column,
                                      when_asked, with_time_of_day)
from services.assistant_table import column_words, is_code
from services.assistant_table import GROUP_NOUNS, ROW_NOUNS, Mention, Parsed, TableContext, measure_names
from services.assistant_ranking import COUNTING_WORDS, chronological, mode, ranked, row_of
from services.assistant_levels import LATEST_WORDS, asks_a_level, latest_levels, level_asked
from services.assistant_places import without_aggregates
from services.assistant_toprows import ranked_rows, rows_asked
from services.assistant_running import counted_amount, daily_for_running, once_per_row
from services.assistant_slots import (AGG_NAMES, CannotAnswer, Plan, column_after, is_flag, known_words,
                                      measure_column, top_buckets, unused_words)
from services.assistant_tally import (QUESTION_START, ROW_WORDS, aggregate_plan, count_plan, distinct_ids,
                                      implied_statistic, lookup_plan)

NUMBER_WORDS = frozenset("two three four five six seven eight nine ten".split())

__all__ = ["AGG_NAMES", "CannotAnswer", "Plan", "keep_ties", "plan", "unused_words"]


def _aggregate(text: str) -> str | None:
    for position, func, _ in rules.aggregate_words(text):
        if func in ("avg", "median", "sum"):
            return func
    return None


def _without_names(text: str, mentions, ranked: bool = False) -> str:
    """The question with the column names that hold a statistic's word blanked ("line_total", "max_temp",
    "avg_price" as written): the word names the column, not what to compute. ``ranked`` (a highest or lowest asked
    of no group): also "average price" for AveragePrice, and an "average" written just before avg_price's "price"
    ("the highest average price" is the highest of the averages the column holds, not the average of them)."""
    out = text
    for m in mentions:
        held = {f for _, f, _ in rules.aggregate_words(rules.normalise(m.column))}
        spelled = held or (ranked and {f for _, f, _ in rules.aggregate_words(column_words(m.column))})
        if not spelled:
            continue
        if rules.aggregate_words(text[m.start:m.end]):
            out = out[:m.start] + " " * (m.end - m.start) + out[m.end:]
            continue
        before = re.search(r"(\S+)\s+$", text[:m.start])
        if ranked and before and {f for _, f, _ in rules.aggregate_words(before.group(1))} & spelled:
            out = out[:before.start(1)] + " " * len(before.group(1)) + out[before.end(1):]
    return out


def _counts(text: str, mentions) -> bool:
    """A count asked for outside column names: "average number of diagnoses" names number_diagnoses."""
    for m in mentions:
        if rules.is_count_question(text[m.start:m.end]):
            text = text[:m.start] + " " * (m.end - m.start) + text[m.end:]
    return rules.is_count_question(text)


def _direction(text: str) -> str | None:
    for _, func, _ in rules.aggregate_words(text):
        if func in ("max", "min"):
            return func
    return None


RELATIVE = re.compile(r"(?<=[a-z0-9]) (who|which|whose|that) (?=[a-z])")
PREPOSITIONS = {"in", "on", "at", "for", "of", "from", "during", "to", "by", "with"}


def _entity(parsed: Parsed, table: TableContext, free: list[Mention]) -> Mention | None:
    # "employees who left" is a condition, not "which left_company …": a who/which after a noun is blanked
    asked = RELATIVE.sub(lambda m: m.group(0) if parsed.text[:m.start()].split()[-1] in PREPOSITIONS
                         else " " + "_" * len(m.group(1)) + " ", parsed.text)
    if rules.top_k(parsed.text):  # "which 3 items sold the most": the count of a ranking, not a word of it
        asked = re.sub(r"\b((?:which|what)\s+)(\d{1,3})\b", lambda m: m.group(1) + " " * len(m.group(2)), asked)
    entity = column_after(asked, free, ("which", "what", "who", "whose", "name the", "list the"), gap=4, content=0)
    entity = entity or best.ranked_thing(parsed, table, free)  # "(what is the) best selling item": items ranked
    while entity is not None:  # "which product type": the last word of a compound names the thing
        following = next((m for m in free if m.start > entity.end and not parsed.text[entity.end:m.start].strip()
                          and not table.is_number(m.column)), None)  # "which category sold": not Sales ($ text)
        if following is None:
            break
        entity = following
    if entity is None and re.match(r"^(who|whom)\b", parsed.text):
        return _row_names(table)
    return entity


def _row_names(table: TableContext) -> Mention | None:
    """"Who is the oldest employee": the column naming each row (a name, else an id, one value a row); a
    category such as BusinessTravel names groups, and a ranking of groups answers another question."""
    named = [c for c in table.columns if table.unique.get(c) and not table.is_date(c)]
    named.sort(key=lambda c: not set(column_words(c).split()) & {"name", "title", "full"})
    if not named:
        raise CannotAnswer(f"{rules.CANNOT}: no column of '{table.name}' names each row (a name or an id), so I "
                           "cannot say who; ask for the value instead, e.g. 'what is the highest …'.")
    return Mention(0, 0, named[0])


def plan(parsed: Parsed, table: TableContext, embedder=None) -> Plan:
    """Choose the intent; raise CannotAnswer when the question names nothing in this table, or when an
    answer over every row would leave words of the question unused ("how many customers defaulted":
    1,000 rows would be a wrong number stated as fact)."""
    asked = re.match(r"^(?:which|what)\s+(?:(?:kind|type|sort)s?\s+of\s+)?([a-z]+)", parsed.text)  # "… of computer"
    if asked and not ({asked.group(1), rules.singular(asked.group(1))} & ((known_words() - ROW_NOUNS - GROUP_NOUNS)
                                                                         | set(rules.GRAINS) | NUMBER_WORDS)) \
            and not any(m.start <= asked.start(1) < m.end for m in parsed.columns) \
            and rows_asked(parsed, table) is None:  # "which employee has …" where each row is one
        # "which purpose has ..." with no purpose column: answering for all rows drops the question's subject
        raise CannotAnswer(f"{rules.CANNOT}: no column of '{table.name}' matches '{asked.group(1)}'. "
                           f"Its columns are: {', '.join(table.columns)}.")
    parsed = with_spending(parsed, table)
    guard.refuse_why(parsed.text)
    guard.refuse_future(parsed)
    guard.refuse_unsupported(parsed, table)
    chosen = chronological(parsed, table, row_of(parsed, table, _choose(parsed, table, embedder)))
    chosen = averaged_per_id(parsed, table, chosen)  # "average quantity per invoice": each invoice's lines summed
    flow = flow_column(table) if best_bucket(parsed, chosen) else None  # "which month was best": total sales
    best.refuse_vague(parsed, chosen.spec.measure or flow, table)
    chosen = distinct_ids(parsed, table, chosen)
    guard.refuse_lines_for_ids(parsed, table, chosen)
    measures.refuse_second_measure(parsed, table, chosen)
    chosen = blanks.finish(table, guard.list_groups(table, chosen))
    chosen = level_asked(parsed.text, table, chosen)  # "what is the price?": its latest value
    chosen = latest_levels(table, chosen, latest_asked=bool(LATEST_WORDS.search(parsed.text))  # "latest close"
                           or asks_a_level(parsed.text, table))
    guard.refuse_latest_value(parsed, table, chosen)
    if chosen.intent == "share" and chosen.measure is None:
        guard.refuse_unnamed_share(parsed, table, unused_words(parsed, table))
    if chosen.intent in ("count", "aggregate", "count_distinct"):
        guard.refuse_unused(parsed, table, chosen)
    elif chosen.intent in ("group", "argmax", "top", "share", "grain_stat"):
        guard.refuse_unused_population(parsed, table)
        _refuse_one_row_groups(table, chosen)
        bands.refuse_unbanded(parsed, table, chosen)  # "default rate by age group": not one group per age
        if any(m.column == chosen.spec.measure for m in parsed.columns):  # "profit margin by category": no margin
            measures.refuse_unknown_measure(parsed, table, unused_words(parsed, table))  # (it gave the total Profit)
    # "mean sales per day by store": each store's day totals; "default rate by term": finished loans only
    # "total cases in France": a running total's rows are not added up (its daily column is); "total new cases"
    # leaves out World and the continents beside the countries
    chosen = daily_for_running(table, averaged_per_period(parsed, table, finished_only(parsed, table, chosen)))
    # "total balance": each account's balance at its latest date, added up (not every day's)
    chosen = counts_summed(parsed, table, without_aggregates(table, latest_levels(table, chosen)))  # rows of counts
    chosen = days_counted(parsed, table, chosen)  # "how many days" where a day holds several rows
    return in_time_order(table, chosen)  # "cnt by hour" of `hr`: the hours in order


def _refuse_one_row_groups(table: TableContext, chosen: Plan) -> None:
    """"Which club scored the most goals" where each club is one row and 'goals' names two columns: ranking the
    clubs by their rows tied all 20 at 1 ("a tie of 20 Clubs"), an answer to no question asked."""
    spec = chosen.spec
    if chosen.intent in ("argmax", "top") and spec.agg == "count" and not spec.measure and spec.group_by \
            and not spec.grain and table.unique.get(spec.group_by):
        numbers = [c for c in table.columns if table.is_number(c) and c != spec.group_by]
        raise CannotAnswer(f"{rules.CANNOT}: each {spec.group_by} is on one row, so ranking them by their number "
                           f"of rows ties them all; name the column to rank by"
                           + (f" ({', '.join(numbers[:8])})." if numbers else "."))


# Superlatives of weather that name no column: "which month is the hottest" counted each month's rows
# and of size: "which species is the heaviest" counted each species' penguins
UNNAMED_SUPERLATIVE = re.compile(r"\b(hottest|coldest|warmest|coolest|wettest|driest|windiest|sunniest|rainiest|"
                                 r"snowiest|cloudiest|stormiest|humidest|heaviest|lightest|tallest|deepest|"
                                 r"shallowest|widest|narrowest)\b")


def _refuse_unnamed_superlative(named: str, table: TableContext) -> None:
    found = UNNAMED_SUPERLATIVE.search(named)
    if found:
        numeric = measure_names(table)
        sized = [c for c in numeric.split(", ") for dimension, words in DIMENSIONS.items()
                 if found.group(1) in words and dimension in column_words(c).split()]  # body_mass_g for "heaviest"
        raise CannotAnswer(f"{rules.CANNOT}: '{found.group(1)}' does not say which column to rank by; name one, "
                           f"e.g. 'the highest average {(sized or numeric.split(', '))[0]}' (numeric columns: "
                           f"{numeric}).")


def _refuse_ratio(text: str, table: TableContext, group: Mention | None) -> None:
    """"Average price per carat (by color)": an amount per unit of a measure holding fractions is a ratio of two
    columns, not a group of each of its values; it grouped by 273 carat values and dropped "by color"."""
    if group is None or not re.search(r"\bper\s+(?:the\s+|each\s+|a\s+|one\s+)?$", text[:group.start]):
        return
    if is_code(group.column) or table.kinds.get(group.column) == "identifier":  # CustomerID 17850.0: an id
        return
    if any(t in table.types.get(group.column, "").upper() for t in ("DOUBLE", "FLOAT", "DECIMAL", "REAL")):
        raise CannotAnswer(f"{rules.CANNOT}: an amount per {group.column} is a ratio of two columns, which I do not "
                           f"compute; ask '… by {group.column}' to group by its values, or for the average of each "
                           "column.")


def _plural_of(written: str, column: str) -> bool:
    """"ratings" for a column "rating": the count of ratings, not their sum ("years" for "Years" sums)."""
    name = rules.normalise(column)
    return written != name and rules.singular(written) == name


MODAL = re.compile(r"\b(most|least) (?:common|frequent|popular)\s+$")


def _choose(parsed: Parsed, table: TableContext, embedder=None) -> Plan:
    if parsed.problems:
        raise CannotAnswer(f"{rules.CANNOT}: {'; '.join(parsed.problems)}.")
    text, filters = parsed.text, parsed.filters
    base = SelectSpec(view=table.view, filters=filters)
    free = parsed.free
    by_rows = ranked_rows(parsed, table, free, base, tuple(parsed.notes))  # "top 3 employees by monthly income"
    if by_rows is not None:
        return by_rows
    group = column_after(text, free, rules.GROUP_WORDS, gap=2, content=0)
    modal = next((m for m in free if MODAL.search(text[:m.start]) and not table.unique.get(m.column)), None)
    if modal is not None and group is None:  # "the most common quality" (a number): its mode, not MAX(quality)
        return mode(base, modal.column, MODAL.search(text[:modal.start]).group(1) == "most", tuple(parsed.notes))
    _refuse_ratio(text, table, group)
    entity = _entity(parsed, table, free)
    topk = rules.top_k(text)
    if topk and entity is None and not top_buckets(parsed):  # "top 3 hours by rentals": hours ranked, not cnt
        entity = column_after(text, free, ("top", "bottom", "first", "last", "highest", "lowest"), gap=3)
    total_of = re.search(r"\btotal (?:number|count) of\s+", text)
    summed = total_of and any(m.start == total_of.end() and (
        table.is_numeric(m.column) or table.numbers_in_text(m.column))
        and not _plural_of(text[m.start:m.end], m.column) and not re.match(ROW_WORDS, text[m.end:]) for m in free)
    # "the total number of records" counts rows; "the total number of years" (a numeric column) sums it
    named = _without_names(text, parsed.columns)  # "highest line_total": the maximum, not a total
    if _direction(named) and group is None and entity is None:  # "the highest average price": of AveragePrice
        named = _without_names(text, parsed.columns, ranked=True)
    agg = _aggregate(named if summed or not total_of else named.replace(total_of.group(0), "number of ", 1))
    if entity is not None and agg and all(entity.start <= p < entity.end for p, _, _ in rules.aggregate_words(named)):
        entity = None  # "what is the average price" of AveragePrice: its average, not its most common value
    direction = _direction(named)
    notes = tuple(parsed.notes)
    if (not agg and not direction) or not any(table.is_number(m.column) and not is_code(m.column) for m in free):
        _refuse_unnamed_superlative(named, table)  # "which species is the heaviest": no column named
    found = find_grain(parsed, table, free, group, entity) or hourly(parsed, table, free, entity) \
        or when_asked(parsed, table, (group, entity), direction)  # "the highest price and when": its day
    found, direction, entity = busiest(parsed, table, found, direction, entity)  # "busiest pickup hour"
    hours = hour_column(found, parsed, table)  # "rentals by hour" where the dates hold no times: the column `hr`
    if hours is not None and (entity if found.role == "entity" else group) is None:
        agg, entity = hourly_of_column(found, table, free, agg, entity, direction)  # "what is the hourly cnt"
        found, entity, group = None, hours if found.role == "entity" else entity, group or hours
    grain = with_time_of_day(found, parsed, table, free)
    if share_position(parsed) is not None:
        return of_column(share_plan(parsed, table, free, base, (group, entity), topk, direction, notes, grain), table)
    if grain is not None:
        return of_column(by_grain(parsed, table, free, base, grain, agg, direction, embedder, notes), table)
    if (topk or best.BEST_THING.search(text)) and entity and group and group.column != entity.column and (
            table.is_numeric(group.column) or table.numbers_in_text(group.column) or is_flag(table, group.column)):
        group = None  # "top 3 types by torque", "by attrition count": what follows "by" ranks, it does not group
    said = next((w for _, f, w in rules.aggregate_words(named) if f in ("max", "min")), None)
    if entity and not topk and not group and said and said not in COUNTING_WORDS \
            and not table.unique.get(entity.column) and table.is_number(entity.column) and not measure_column(
            parsed, table, free, {entity.column} | set(parsed.filter_columns), None):
        # "what is the age of the oldest employee": the largest age, not the age most employees have; "which store
        # had the best month" names no measure ('best' ranks things, it gave MAX(store))
        best.refuse_vague(parsed, None)
        return aggregate_plan(parsed, table, free, base, None, direction, set(), embedder, notes)
    keyed = {m.column for m in (group, entity) if m}
    counting = _counts(text, free) and not re.match(r"^(which|what|who)\b", text)
    if topk or (entity and (direction or agg) and not counting):
        return ranked(parsed, table, free, base, entity or group, topk, agg, direction, keyed, embedder, notes)
    if _counts(text, free) and not (agg == "sum" and measure_column(parsed, table, free, keyed, None)):
        amount = counted_amount(text, table, free)  # "how many new cases in Germany": new_cases added up, not rows
        if amount and amount.column not in parsed.filter_columns:  # "how many sales above 500" counts the rows
            return aggregate_plan(parsed, table, free, base, group, "sum", keyed, embedder, notes)
        return count_plan(parsed, table, free, base, group, notes)
    if agg or direction:
        return aggregate_plan(parsed, table, free, base, group, agg or direction, keyed, embedder, notes)
    implied = implied_statistic(parsed, table, free, group, keyed)
    if implied:  # "profit by category": a total (an average for a level such as a price or a rate), as the reply says
        chosen = aggregate_plan(parsed, table, free, base, group, implied, keyed if group else set(), embedder, notes)
        return once_per_row(table, chosen) if group is None else chosen  # "population of India": one value, not a sum
    if (filters or entity or free) and (filters or re.match(QUESTION_START, text)):
        return lookup_plan(parsed, table, free, base, entity, notes)
    raise CannotAnswer(f"{rules.CANNOT}: the question names no column or value of the dataset '{table.name}'. "
                       f"Its columns are: {', '.join(table.columns)}.")


def keep_ties(plan_: Plan, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """"Which X has the most Y" answers every X tied for first, not an arbitrary one."""
    if plan_.intent not in ("argmax", "argmax_rows") or not rows:
        return rows
    key = plan_.spec.label if plan_.intent == "argmax" else plan_.measure
    best = rows[0].get(key)
    return [r for r in rows if r.get(key) == best] if best is not None else rows[:1]


"""Rankings: "which X has the most Y", "top N X by Y", the single row with the highest value, and the order of
dates and years ("the oldest release year" is the smallest). Split from ``assistant_intents``, which chooses
the intent; this module builds the ranked plan.
"""
from __future__ import annotations

import re
from dataclasses import replace

from data.query_spec import SelectSpec
from domain import assistant as rules
from services.assistant_slots import (AGG_NAMES, TIE_LIMIT, CannotAnswer, Plan, flag_filter, is_flag,
                                      is_time_column, known_words, measure_column)
from services.assistant_implied import implied_columns
from services.assistant_toprows import name_column, one_row_asked
from services.assistant_table import (ROW_NOUNS, Mention, Parsed, TableContext, column_words, expanded_words,
                                      measure_names)

COUNTING_WORDS = ("most", "least", "fewest", "more", "less", "fewer")


MODE_WORDS = ("most common", "most frequent", "most popular", "most often", "least common", "least frequent")


SHARE_MEASURES = frozenset("pct percent percentage rate ratio margin probability share".split())


def holds_shares(measure: str) -> bool:
    """Percentages or rates, which do not add up; "Tax 5%" (a tax at 5 %) holds amounts."""
    return bool(set(re.sub(r"\b\d+(?:\.\d+)? percent\b", " ", rules.normalise(measure)).split()) & SHARE_MEASURES)


# Superlatives of one thing's size ("the longest distance", "the heaviest parcel"): a group's longest is its
# longest row, never the sum of its rows ("highest sales" of a store stays its total).
EXTENT = re.compile(r"\b(longest|shortest|farthest|furthest|tallest|heaviest|lightest|fastest|slowest)\b")
EARLY = re.compile(r"\b(oldest|earliest|first(?!\s+\d))\b")
# Words naming one row's extreme, not a group's level: "which airline has the max delay" takes the maximum
EXPLICIT = re.compile(r"\b(max|maximum|min|minimum|peak|record|oldest|youngest|cheapest|priciest)\b")
LATE = re.compile(r"\b(newest|latest|most recent)\b")


def chronological(parsed: Parsed, table: TableContext, chosen: Plan) -> Plan:
    """On a date or year column "oldest", "earliest" and "first" are its smallest value and "newest", "latest",
    "most recent" its largest ("the oldest release year" was MAX, 2021): an age's oldest stays the largest."""
    spec = chosen.spec
    measure = spec.measure or spec.order_by
    early, late = EARLY.search(parsed.text), LATE.search(parsed.text)
    if not is_time_column(table, measure) or bool(early) == bool(late):
        return chosen
    want = "min" if early else "max"
    if spec.agg in ("max", "min"):
        spec = replace(spec, agg=want, label=f"{AGG_NAMES[want]} {measure}", descending=want == "max")
    elif spec.agg is None and spec.order_by:
        spec = replace(spec, descending=want == "max")
    return replace(chosen, spec=spec)


def mode(base: SelectSpec, column: str, most: bool, notes: tuple[str, ...]) -> Plan:
    spec = replace(base, agg="count", group_by=column, label="count", descending=most, limit=TIE_LIMIT)
    return Plan("argmax", spec, target=column, notes=notes)


def ranked(parsed: Parsed, table: TableContext, free: list[Mention], base: SelectSpec, entity: Mention | None,
            topk: tuple[int, str] | None, agg: str | None, direction: str | None, keyed: set[str], embedder,
            notes: tuple[str, ...]) -> Plan:
    k, order = topk if topk else (1, "asc" if direction == "min" else "desc")
    descending = order == "desc"
    base, notes, measure = _flag_conditions(parsed, table, free, base, keyed, agg, embedder, notes)
    free = [m for m in free if m.column not in {f.column for f in base.filters}]  # a condition now, not a rank
    limit = k if topk else TIE_LIMIT
    if measure is None and topk and entity is not None and _amounts(table, entity.column):
        measure = entity.column  # "top 3 fares": the 3 largest fares, not the 3 most common
    measure = measure or units_sold(parsed, table) or sales_sold(parsed, table)  # "sold the most units": quantity
    if measure is None:
        if entity is None:
            raise CannotAnswer(f"{rules.CANNOT}: I could not tell which column to rank by in '{table.name}'.")
        if table.unique.get(entity.column) and entity.start == entity.end == 0:
            # "who sold the most": rows named by their ids, one row each; ranking them by rows says nothing
            raise CannotAnswer(f"{rules.CANNOT}: {entity.column} has a different value on every row, so every one "
                               "of them has one row; name the column whose values to count.")
        _check_rank_words(parsed, table, free, entity)
        if topk:
            spec = replace(base, agg="count", group_by=entity.column, label="count", descending=descending, limit=k)
            return Plan("top", spec, target=entity.column, notes=notes)
        return mode(base, entity.column, descending, notes)
    if agg == "sum" and holds_shares(measure):
        # "total margin" of margin_pct: 3,236.9 by summing percentages, where the overall margin was 33.8 %
        raise CannotAnswer(f"{rules.CANNOT}: {measure} holds percentages or rates, which do not add up over rows. "
                           f"Ask for the average {measure}, or for the totals it is computed from.")
    as_text = not table.is_numeric(measure) and not table.is_date(measure)
    target = entity.column if entity else None
    if target and (agg or not table.unique.get(target, False)) and target != measure \
            and not (agg is None and not topk and one_row_asked(parsed, table)):
        func = agg or _group_statistic(parsed, table, measure, descending)
        spec = replace(base, agg=func, measure=measure, group_by=target, label=f"{AGG_NAMES[func]} {measure}",
                       descending=descending, limit=limit, numeric_measure_text=as_text)
        return Plan("top" if topk else "argmax", spec, target=target, measure=measure, notes=notes)
    if target in (None, measure):  # "top 3 games by global sales": each row's Name beside its sales
        target = name_column(table, measure) or target
    columns = tuple(dict.fromkeys(c for c in (target, measure) if c)) or table.columns
    spec = replace(base, select=columns, order_by=measure, descending=descending, limit=limit,
                   numeric_measure_text=as_text)
    return Plan("top_rows" if topk else "argmax_rows", spec, target=target or measure, measure=measure, notes=notes)


UNITS = re.compile(r"\b(?:how many|number of|most|least|fewest|more|fewer)\s+(?:[a-z]+\s+)?(?:units|items|pieces)\b")
SOLD = re.compile(r"\b(sold|ordered|bought|purchased|shipped)\b")
# "which customer bought the most": the units bought, where the rows are order lines (it ranked by lines)
# "which region sold the most avocados": the noun after is what was sold (the rows counted before)
SOLD_MOST = re.compile(r"\b(?:sold|ordered|bought|purchased|shipped)\s+(?:the\s+)?(?:most|least|fewest)"
                       r"(?:\s+[a-z]+)?\s*$")
# The words of a column counting what was sold: Quantity, Qty, Units, the avocado prices' `Total Volume`
QUANTITY_WORDS = frozenset({"quantity", "qty", "units", "volume"})


def units_sold(parsed: Parsed, table: TableContext) -> str | None:
    """"How many items were sold", "which category sold the most units": the one quantity column's total where
    the table has one (its rows are order lines, each of several units), else None."""
    if not (UNITS.search(parsed.text) and SOLD.search(parsed.text)) and not SOLD_MOST.search(parsed.text):
        return None
    columns = [c for c in table.columns if table.is_numeric(c) and QUANTITY_WORDS & {
        w for words in expanded_words(c) for w in words}]
    return columns[0] if len(columns) == 1 else None


SELLS_MOST = re.compile(r"\b(?:sells?|selling|sold)\s+(?:the\s+)?(?:most|least|best|worst)\b|"
                        r"\b(?:best|worst|top|least)\s+(?:selling|sellers?)\b")  # "best selling item", "top seller"
SALES_WORDS = frozenset({"sales", "sale", "revenue", "revenues", "turnover"})


def sales_sold(parsed: Parsed, table: TableContext) -> str | None:
    """"Which genre sells the most" with no quantity column: the one sales column's total; several (vgsales'
    NA_Sales … Global_Sales) are refused naming them. It counted each genre's rows."""
    if not SELLS_MOST.search(parsed.text):
        return None
    columns = [c for c in table.columns if table.is_number(c) and SALES_WORDS & set(column_words(c).split())]
    if len(columns) > 1:
        raise CannotAnswer(f"{rules.CANNOT}: several columns hold sales ({', '.join(columns)}); name the one to rank "
                           f"by, e.g. 'the highest total {columns[-1]}'.")
    return columns[0] if columns else None


def _group_statistic(parsed: Parsed, table: TableContext, measure: str, descending: bool) -> str:
    """How groups are ranked with no statistic named: amounts by their total; levels (a delay, a stay, a price)
    by their mean ("which airline has the highest departure delay", "the longest stay"): one outlier row is no
    group's level; "the single highest amount", "the longest distance", "max delay" and years by one row's value."""
    extreme, single = "max" if descending else "min", re.search(r"\bsingle\b", parsed.text)
    if is_time_column(table, measure):
        return extreme  # "which country has the oldest release year" ranks years, not their sums
    if rules.is_level(measure):  # "the longest stay" of a hospital is its average stay
        return extreme if single or EXPLICIT.search(parsed.text) else "avg"
    return extreme if single or EXTENT.search(parsed.text) else "sum"


def _amounts(table: TableContext, column: str) -> bool:
    """Money or measurements (a fraction somewhere, or "$1,234.50" text): ranked by size, never by how often."""
    if not table.is_numeric(column):
        return table.is_number(column)
    return any(isinstance(v, float) and not v.is_integer() for v in table.values.get(column) or [])


def _flag_conditions(parsed: Parsed, table: TableContext, free: list[Mention], base: SelectSpec, keyed: set[str],
                     agg: str | None, embedder,
                     notes: tuple[str, ...]) -> tuple[SelectSpec, tuple[str, ...], str | None]:
    """A ranking's measure, and its 0/1 or yes/no columns as conditions: "top 5 job roles by attrition count"
    counts the rows with attrition, "the highest average income of overtime workers" keeps those rows. An
    average of the flag itself ("highest average failure") is a rate: the flag stays the measure."""
    flags = [m for m in free if is_flag(table, m.column) and m.column not in keyed | set(parsed.filter_columns)]
    measure = measure_column(parsed, table, free, keyed | {m.column for m in flags}, embedder)
    if not flags or (measure is None and agg not in (None, "sum")):
        return base, notes, measure_column(parsed, table, free, keyed, embedder)
    counted = tuple({f.column: f for f in (flag_filter(parsed, table, m) for m in flags)}.values())
    return replace(base, filters=base.filters + counted), notes + tuple(f.describe() for f in counted), measure


def _check_rank_words(parsed: Parsed, table: TableContext, free: list[Mention], entity: Mention) -> None:
    """"Which team has the most rows" may count rows; "which team has the highest score" with a text
    score, or "the highest total amount" with no amount column, must not."""
    found = rules.aggregate_words(parsed.text)
    if not found or rules.has_any(parsed.text, MODE_WORDS):
        return
    position, _, word = found[-1]
    tail = parsed.text[position + len(word):]
    named = [m for m in free if m.start >= position + len(word) and m.column != entity.column]
    counted = named and re.search(r"\b(?:number|count) of\s+$", parsed.text[:named[0].start])
    if named and (word in COUNTING_WORDS or counted) and table.unique.get(named[0].column, False):
        return  # "which country has the most tickets", "by number of titles": one per row, the rows are counted
    if named:
        raise CannotAnswer(f"{rules.CANNOT}: {named[0].column} does not hold numbers to rank by.")
    if word in COUNTING_WORDS:
        return  # "which party had the most candidates": candidates are rows, counted
    thing = re.match(r"\s+([a-z]+)", tail)
    if thing and rules.singular(thing.group(1)) in ROW_NOUNS:  # "which account has the largest deal": not a count
        raise CannotAnswer(f"{rules.CANNOT}: '{word} {thing.group(1)}' names no measure; name the column to rank "
                           f"by (numeric columns: {measure_names(table)}).")
    unknown = [w for w in tail.split()[:3] if not ({w, rules.singular(w)} & known_words()) and not w.isdigit()
               and not any(m.start <= position + len(word) + tail.find(w) < m.end for m in free)]
    if unknown:
        raise CannotAnswer(f"{rules.CANNOT}: no numeric column of '{table.name}' matches '{unknown[0]}'.")


def row_of(parsed: Parsed, table: TableContext, chosen: Plan) -> Plan:
    """"What is the cheapest listing", "the longest track": the row with the lowest price (highest duration),
    shown whole, where the question names the thing, not the column ("the age of the oldest athlete" and
    "the lowest price" stay values)."""
    spec = chosen.spec
    if chosen.intent != "aggregate" or spec.agg not in ("max", "min") or spec.group_by \
            or spec.measure in {m.column for m in parsed.columns}:
        return chosen
    hits = [match for match, column in implied_columns(parsed.text, table, set()) if column == spec.measure]
    thing = re.match(r"\s+([a-z]+)", parsed.text[hits[0].end():]) if hits else None
    own = {rules.singular(w) for w in re.findall(r"[a-z]+", rules.normalise(table.name))}
    if thing is None or not ({rules.singular(thing.group(1))} & (ROW_NOUNS | own)):
        return chosen
    names = [c for c in table.columns if table.unique.get(c) and not table.is_date(c)]
    names.sort(key=lambda c: not set(column_words(c).split()) & {"name", "title"})
    ranked = replace(spec, agg=None, measure=None, label="value", select=table.columns, order_by=spec.measure,
                     descending=spec.agg == "max", limit=TIE_LIMIT)
    return replace(chosen, intent="argmax_rows", spec=ranked, target=names[0] if names else spec.measure,
                   measure=spec.measure)

"""Plans for the intents that tally rows, once ``assistant_intents`` has chosen one: counts (rows, distinct
values, per group), aggregates (sum, mean, min, max, per group) and lookups of the rows a condition picks.
Split from ``assistant_intents``, which chooses among these, rankings and buckets.
"""
from __future__ import annotations

import re
from dataclasses import replace

from data.query_spec import SelectSpec
from domain import assistant as rules
from services.assistant_measures import refuse_column_as_verb
from services.assistant_ranking import MODE_WORDS, holds_shares, mode, units_sold
from services.assistant_mentions import repeated_id_words
from services.assistant_table import Mention, Parsed, TableContext, column_words, is_code, measure_names
from services.assistant_slots import (AGG_NAMES, CannotAnswer, Plan, column_after, flag_filter, is_flag,
                                      is_time_column, measure_column, phrase_after_aggregate, unused_words)

ROW_WORDS = r"\s+(records|rows|entries|lines|observations)\b"  # "the number of sales records" counts rows
# A bare column name ("sales") or a command ("delete the sales dataset") is not a question to answer.
QUESTION_START = r"^(what|which|who|whom|whose|list|show|give|name|tell|how|where|when|is|are|does|do|can)\b"


def implied_statistic(parsed: Parsed, table: TableContext, free: list[Mention], group: Mention | None,
                      keyed: set[str]) -> str | None:
    """"<numeric column> by <column>" with no statistic named: sum, or avg for a level; None otherwise. An amount
    over a period ("sales in December 2016") is its total too: its first 50 rows listed were no answer; a level
    over a period ("departure delay for flights to SEA in March") is its average."""
    if group is None:  # "total volume for region West": `region` names the condition's column, not a measure
        named = [m for m in free if m.column not in parsed.filter_columns]
        if len(named) == 1 and _total_in_name(parsed, table, named[0]):
            return "sum"  # "(what is the) total volume" of `Total Volume`: refused, or its distinct values counted
        if not _amount_over_rows(parsed, table, named, keyed):
            return None
        return "avg" if rules.is_level(named[0].column) else "sum"
    if re.match(QUESTION_START, parsed.text):
        return None
    measures = [m for m in free if m.column not in keyed and m.start < group.start and table.is_number(m.column)]
    if len(measures) != 1 or len([m for m in free if m.column not in keyed]) != 1:
        return None
    return "avg" if rules.is_level(measures[0].column) else "sum"


def _total_in_name(parsed: Parsed, table: TableContext, mention: Mention) -> bool:
    """The column asked is an amount named as a total and said so ("total volume" for the avocado `Total Volume`)."""
    said = parsed.text[mention.start:mention.end].split()
    return said[:1] == ["total"] and column_words(mention.column).split()[:1] == ["total"] \
        and table.is_numeric(mention.column) and not rules.is_level(mention.column) and not holds_shares(mention.column)


def _amount_over_rows(parsed: Parsed, table: TableContext, free: list[Mention], keyed: set[str]) -> bool:
    """"Sales for Binders in the West", "what were the sales in March 2016": one amount over the rows of a
    condition is their total (their first 50 amounts were listed). Not a year, an id or a
    0/1 column, not "which store …" (the thing asked for), and not where a condition picks one row by its id."""
    if len(free) != 1 or not parsed.filters:
        return False
    column = free[0].column
    asked = column in keyed and not re.match(r"^(?:what|how much)\s+(?:is|are|was|were)\s+(?:the\s+)?$",
                                              parsed.text[:free[0].start])  # "which store …" names a store
    # a condition on an id ("PassengerId 7", "flight number 2640") names rows, whose own values are shown
    one_row = any((table.unique.get(f.column) or _code(f.column)) and f.op == "=" for f in parsed.filters)
    return not (asked or one_row or _code(column) or column in parsed.filter_columns or not table.is_number(column)
                or (table.unique.get(column) and not _fractions(table, column))  # Weekly_Sales: all different
                or is_time_column(table, column)
                or is_flag(table, column))


_code = is_code
VS_NOT = re.compile(r"(?:\s+[a-z]+)?\s*(?:vs\.?|versus|compared (?:to|with))\s+(?:those\s+)?not\s*$")


def _fractions(table: TableContext, column: str) -> bool:
    """Amounts stored with fractions ("Weekly_Sales" 1,643,690.90): all different without naming rows as ids do."""
    return not is_code(column) and table.kinds.get(column) != "identifier" and any(
        t in table.types.get(column, "").upper() for t in ("DOUBLE", "FLOAT", "DECIMAL", "REAL"))


def count_plan(parsed: Parsed, table: TableContext, free: list[Mention], base: SelectSpec, group: Mention | None,
               notes: tuple[str, ...]) -> Plan:
    text = parsed.text
    units = units_sold(parsed, table)
    if units is not None:  # "how many items were sold": the quantity's total, not the order lines
        return _units_plan(base, units, group, notes)
    compare = next((f for f in base.filters if f.op == "in"), None)
    if group is None and compare is not None and rules.has_any(text, rules.COMPARE_WORDS):
        group = Mention(0, 0, compare.column)  # "how many movies vs tv shows": a count for each, not their sum
    first = column_after(text, free, ("how many", "number of", "count of", "count"), gap=2)
    if first and re.match(ROW_WORDS, text[first.end:]):
        first = None  # "the number of sales records" counts rows, not distinct sales
    flags = [m for m in free if is_flag(table, m.column) and m.column not in parsed.filter_columns
             and (group is None or m.column != group.column)]
    if group and first and first.column != group.column and not flags and not table.is_numeric(first.column) \
            and first.column not in parsed.filter_columns:  # "how many have on_time = no by carrier" counts rows
        # "number of customers per product": distinct customers in each product, not rows
        spec = replace(base, agg="count_distinct", measure=first.column, group_by=group.column,
                       label=f"distinct {first.column}", limit=200)
        return Plan("group", spec, target=group.column, notes=notes)
    if flags:
        # "how many machines of type H failed", "how many orders were not paid": the flag is a condition
        counted = tuple({f.column: f for f in (flag_filter(parsed, table, m) for m in flags)}.values())
        base, notes = replace(base, filters=base.filters + counted), notes + tuple(f.describe() for f in counted)
    if group:
        spec = replace(base, agg="count", group_by=group.column, label="count", limit=200)
        return Plan("group", spec, target=group.column, notes=notes)
    if flags:
        return Plan("count", replace(base, agg="count", label="rows"), notes=notes)
    distinct = rules.is_distinct_question(text)
    if first is None or first.column not in parsed.filter_columns:
        refuse_column_as_verb(text, table, first, distinct)
    named_next = first is not None and re.search(
        rf"\b(?:how many|number of)\s+(?:the\s+)?{re.escape(text[first.start:first.end])}\b", text) is not None
    if named_next and not distinct and table.is_numeric(first.column) and rules.is_level(first.column):
        # "how many ratings are there": ratings given, not the 5 distinct ratings
        spec = replace(base, agg="count", measure=first.column, label=f"rows with {first.column}")
        return Plan("count", spec, target=first.column, notes=notes)
    if first and (distinct or (not table.unique.get(first.column, False) and first.column not in parsed.filter_columns
                               and len(table.values.get(first.column, [])) <= max(100, table.rows // 10))):
        spec = replace(base, agg="count_distinct", measure=first.column, label=f"distinct {first.column}")
        return Plan("count_distinct", spec, target=first.column, notes=notes)
    return Plan("count", replace(base, agg="count", label="rows"), notes=notes)


def _units_plan(base: SelectSpec, units: str, group: Mention | None, notes: tuple[str, ...]) -> Plan:
    spec = replace(base, agg="sum", measure=units, label=f"total {units}")
    if group is not None:
        return Plan("group", replace(spec, group_by=group.column, limit=200), target=group.column, measure=units,
                    notes=notes)
    return Plan("aggregate", spec, measure=units, notes=notes)


def _both_values(parsed: Parsed, table: TableContext, base: SelectSpec, notes: tuple[str, ...]):
    """A 0/1 value written with "vs not" after it ("target 1 vs not"): grouped by its column, not that side alone."""
    for flt in base.filters:
        said = re.search(rf"\b{re.escape(column_words(flt.column))}\s+(?:=\s*)?{re.escape(str(flt.value))}\b",
                         parsed.text) if flt.op == "=" and is_flag(table, flt.column) else None
        if said and VS_NOT.match(parsed.text[said.end():]):
            kept = tuple(f for f in base.filters if f != flt)
            left = tuple(n for n in notes if n != flt.describe())
            return replace(base, filters=kept), left, Mention(0, 0, flt.column)
    return base, notes, None


def aggregate_plan(parsed: Parsed, table: TableContext, free: list[Mention], base: SelectSpec,
                   group: Mention | None, agg: str, keyed: set[str], embedder, notes: tuple[str, ...]) -> Plan:
    flags = [m for m in free if is_flag(table, m.column) and m.column not in keyed | set(parsed.filter_columns)]
    measure = measure_column(parsed, table, free, keyed | set(parsed.filter_columns) | {m.column for m in flags},
                             embedder)
    if measure is not None and flags:  # "average rotational speed for failed machines": failure = 1
        found = [flag_filter(parsed, table, m) for m in flags]
        both = [f.column for f in found if len({str(g.value) for g in found if g.column == f.column}) > 1]
        both += [m.column for m in flags if VS_NOT.match(parsed.text[m.end:])]  # "holiday weeks vs not": each side
        if both and group is None:  # "failed vs not failed": the measure for each side, not the last one said
            group = Mention(0, 0, both[0])
        counted = tuple({f.column: f for f in found if f.column not in both}.values())
        base = replace(base, filters=base.filters + counted)
        notes = notes + tuple(f.describe() for f in counted)
    elif measure is not None and group is None:  # "average thalach for target 1 vs not": each side of target
        base, notes, group = _both_values(parsed, table, base, notes)
    if flags and measure is None:  # "average Machine failure": the flag itself is the measure
        measure = measure_column(parsed, table, free, keyed | set(parsed.filter_columns), embedder)
    if measure is None:
        texts = [m for m in free if not table.is_numeric(m.column)]
        if texts and rules.has_any(parsed.text, MODE_WORDS + ("most", "least")):
            return mode(base, texts[0].column, "least" not in parsed.text, notes)
        phrase = phrase_after_aggregate(parsed.text) or "that"
        raise CannotAnswer(f"{rules.CANNOT}: no numeric column of '{table.name}' matches '{phrase}'. "
                           f"Numeric columns are: {measure_names(table)}.")
    if agg == "sum" and holds_shares(measure):
        # "total margin" of margin_pct: 3,236.9 by summing percentages, where the overall margin was 33.8 %
        raise CannotAnswer(f"{rules.CANNOT}: {measure} holds percentages or rates, which do not add up over rows. "
                           f"Ask for the average {measure}, or for the totals it is computed from.")
    as_text = not table.is_numeric(measure) and not table.is_date(measure)
    compare = next((f for f in base.filters if f.op == "in"), None)
    group_column = group.column if group else (compare.column if compare else None)
    spec = replace(base, agg=agg, measure=measure, label=f"{AGG_NAMES[agg]} {measure}", numeric_measure_text=as_text)
    if group_column and table.unique.get(group_column) and not compare:
        # "average fare by passenger class" read as by PassengerId: one row per group, nothing averaged
        raise CannotAnswer(f"{rules.CANNOT}: {group_column} has a different value on every row, so the "
                           f"{AGG_NAMES[agg]} by it is each row's own value. Name the column to group by.")
    if group_column:
        return Plan("group", replace(spec, group_by=group_column, limit=200), target=group_column, measure=measure,
                    notes=notes)
    return Plan("aggregate", spec, measure=measure, notes=notes)


ASKED_OF = re.compile(r"^(?:what|which) (?:is|are|was|were) (?:the |a |an )?([a-z]+) (?:of|for|in|at) ")


def lookup_plan(parsed: Parsed, table: TableContext, free: list[Mention], base: SelectSpec, entity: Mention | None,
                notes: tuple[str, ...]) -> Plan:
    targets = [m.column for m in free if m.column not in parsed.filter_columns]
    if entity and entity.column not in targets:
        targets.insert(0, entity.column)
    if not parsed.filters:
        if not targets:
            raise CannotAnswer(f"{rules.CANNOT}: the question names no value present in '{table.name}'.")
        spec = replace(base, agg="count_distinct", measure=targets[0], label=f"distinct {targets[0]}")
        return Plan("count_distinct", spec, target=targets[0], notes=notes)
    if not targets:
        asked = ASKED_OF.match(parsed.text)  # "what is the weather of ACC-001" is no count of its 60 rows
        if asked and asked.group(1) in unused_words(parsed, table):
            raise CannotAnswer(f"{rules.CANNOT}: no column of '{table.name}' matches '{asked.group(1)}'. Its "
                               f"columns are: {', '.join(table.columns)}.")
        return Plan("count", replace(base, agg="count", label="rows"), notes=notes)
    spec = replace(base, select=tuple(dict.fromkeys(targets)), limit=50)
    return Plan("lookup", spec, target=targets[0], notes=notes)


COUNTED = re.compile(r"\b(?:how many|number of|count of|the most|the fewest|the least)\s+"
                     r"(?:(?:different|distinct|unique)\s+)?([a-z]+)(?:\s+([a-z]+))?")  # "how many female patients"


def distinct_ids(parsed: Parsed, table: TableContext, chosen: Plan) -> Plan:
    """"How many patients per admission type", "which country has the most customers" where the id repeats over
    rows (one patient, several admissions): the distinct ids, not the rows, and the reply names the distinct count."""
    spec, counted = chosen.spec, COUNTED.search(parsed.text)
    if spec.agg != "count" or spec.measure is not None or counted is None:
        return chosen
    column = next((c for word, c in repeated_id_words(parsed.text, table) if word in counted.groups()), None)
    if column is None:
        return chosen
    spec = replace(spec, agg="count_distinct", measure=column, label=f"distinct {column}")
    if chosen.intent == "count":
        return replace(chosen, intent="count_distinct", spec=spec, target=column)
    return replace(chosen, spec=spec)


"""Running totals and counted amounts in daily tables (COVID-style ``total_cases`` beside ``new_cases``).

A running total grows day by day: adding its rows up counts every day again ("total cases in France" summed
``total_cases`` to 75,755,733 where France had 295,059 cases). A total asked of one is the total of its daily
column beside it, said in the reply; a running total with no daily column (``cumulative_sales``) is refused.
"How many new cases …" names an amount to add up, not rows to count ("487 rows where location = Germany").
A value repeated on every row of an entity ("population" on each day of a country) asked with no statistic is that
value: "the population of India" had added up 487 days of it (672,060,000,000).
"""
from __future__ import annotations

import re
from dataclasses import replace
from functools import lru_cache
from pathlib import Path

from data import query as sql
from data import query_probes as probes
from data.query_spec import render
from domain import assistant as rules
from services.assistant_slots import CannotAnswer, Plan, is_flag
from services.assistant_table import Mention, TableContext, column_words, is_code

RUNNING_FIRST = frozenset({"total", "cumulative", "cum", "cumul", "running"})
DAILY_FIRST = frozenset({"new", "daily"})
SUMMED = ("sum", "share", "part")
# An amount earned or sold in each period: adding its rows up is its total even where it grew every month
# ("total revenue by store" of a chain growing for 2 years had been refused as a running total).
FLOW_NAMES = frozenset("revenue revenues sales sale income profit profits turnover spend spending cost costs "
                       "sold units quantity qty orders".split())


def daily_column(table: TableContext, column: str | None) -> str | None:
    """For a running total, its daily column, or "" where it has none; None for any other column. A date column
    is needed (a running total runs over time); "total_amount" counts as one only beside a "new_amount"."""
    if not column or not table.is_numeric(column) or not any(table.is_date(c) for c in table.columns):
        return None
    words = column_words(column).split()
    if len(words) < 2 or words[0] not in RUNNING_FIRST:
        return None
    for other in table.columns:
        split = column_words(other).split()
        if other != column and split[:1] and split[0] in DAILY_FIRST and split[1:] == words[1:] \
                and table.is_numeric(other):
            return other
    return None if words[0] == "total" else ""


def not_running(table: TableContext, columns: set[str]) -> set[str]:
    """Of columns a word fits ("cases": total_cases, new_cases), the daily ones where their running total is
    among them too: "which location has the most cases" adds up new cases."""
    dropped = {c for c in columns if daily_column(table, c) in columns}
    return columns - dropped if dropped else columns


def daily_for_running(table: TableContext, chosen: Plan) -> Plan:
    """A sum (or share of a sum) of a running total becomes the sum of its daily column, with a note; with no
    daily column it is refused. "Total cases in France" names the running total itself (no statistic is left
    once "total" is read as part of total_cases): its rows were listed day by day; it is the daily column's
    total too."""
    chosen = _running_lookup(table, chosen)
    spec = chosen.spec
    daily = daily_column(table, spec.measure) if spec.agg in SUMMED else None
    daily = "" if daily is None and spec.agg in SUMMED and grows(table, spec.measure) else daily
    if daily is None:
        return chosen
    if not daily:
        raise CannotAnswer(f"{rules.CANNOT}: {spec.measure} is a running total (it grows over the dates), so "
                           "adding its rows up counts each date again. Ask for its maximum, or its value on a "
                           "date you name.")
    label = spec.label.replace(spec.measure, daily) if spec.label else spec.label
    extra = {**spec.extra, "running": spec.measure}
    spec = replace(spec, measure=daily, label=label, extra=extra,
                   order_by=label if spec.order_by == spec.label else spec.order_by)
    return replace(chosen, spec=spec, measure=daily if chosen.measure == chosen.spec.measure else chosen.measure)


def grows(table: TableContext, column: str | None) -> bool:
    """A column that never falls and mostly rises over the dates of each entity (``people_vaccinated`` per
    location): a running total whatever its name; adding its rows up counted each day again (15 billion people)."""
    dates = [c for c in table.columns if table.is_date(c)]
    if not column or not dates or not table.is_numeric(column) or is_code(column) or rules.is_level(column) \
            or set(column_words(column).split()) & FLOW_NAMES \
            or not Path(table.path).is_file():  # a table known only by its columns: nothing to read
        return False
    texts = tuple(c for c in table.columns if "VARCHAR" in table.types.get(c, "").upper() and not table.unique.get(c))
    try:
        return _grows(table.view, str(table.path), column, dates[0], texts)
    except (sql.QueryRejected, sql.QueryTimeout, OSError):
        return False


@lru_cache(maxsize=256)
def _grows(view: str, path: str, column: str, date: str, texts: tuple[str, ...]) -> bool:
    views = {view: Path(path)}
    keyed = [c for c in (*texts, None) if probes.one_row_a_date(views, view, date, c)]  # the entity a row is a day of
    if not keyed:
        return False
    found = probes.date_steps(views, view, column, date, keyed[0])
    pairs = found["pairs"]
    return pairs >= 10 and found["down"] <= 0.01 * pairs and found["up"] >= 0.5 * pairs


def _running_lookup(table: TableContext, chosen: Plan) -> Plan:
    spec = chosen.spec
    if chosen.intent != "lookup" or len(spec.select) != 1 or not spec.filters or spec.group_by:
        return chosen
    if not daily_column(table, spec.select[0]):
        return chosen
    total = replace(spec, select=(), agg="sum", measure=spec.select[0], limit=None, label=f"total {spec.select[0]}")
    return Plan("aggregate", total, measure=spec.select[0], notes=chosen.notes)


def running_note(chosen: Plan) -> str:
    """The sentence the reply ends with when a running total was replaced by its daily column."""
    running = chosen.spec.extra.get("running")
    if not running:
        return ""
    return (f" {running} is a running total (adding its rows up counts each date again), so the total of "
            f"{chosen.spec.measure} is given.")


def counted_amount(text: str, table: TableContext, free: list[Mention]) -> Mention | None:
    """"How many new cases were there in Germany?": the column named right after "how many" holds an amount
    counted per row (``new_cases``, ``deaths``), which is added up; "how many stores" (a column "store") still
    counts stores, and ids, codes, 0/1 flags, years and levels are never added up."""
    asked = re.search(r"\bhow many\s+", text)
    if asked is None:
        return None
    for mention in free:
        column = mention.column
        written = text[mention.start:mention.end]
        if mention.start != asked.end() or not written.endswith("s") or not table.is_numeric(column):
            continue
        name = rules.normalise(column_words(column))
        if written != name and rules.singular(written) == name:
            return None  # "how many stores": a column "store" counted, not added up
        # Every value distinct is no id here: 90 days of new cases rarely repeat ("how many new cases in Germany"
        # counted Germany's 30 rows); ids are text by now, and codes and numbers are named so.
        if is_code(column) or is_flag(table, column) or rules.is_level(column) or "year" in name.split():
            return None
        return mention
    return None


def once_per_row(table: TableContext, chosen: Plan) -> Plan:
    """An amount asked with no statistic named ("population of India") in a table over dates is marked: where it
    is the same on every row the condition picks, the reply gives that value, not its total."""
    if chosen.spec.agg != "sum" or chosen.spec.group_by or not any(table.is_date(c) for c in table.columns):
        return chosen
    return replace(chosen, spec=replace(chosen.spec, extra={**chosen.spec.extra, "implied": True}))


def repeated_value(views: dict, chosen: Plan) -> tuple[list[dict], str] | None:
    """The one value of the measure over the rows picked, with the row count and the query, where an implied
    total would add up a value repeated on every row; None otherwise."""
    spec = chosen.spec
    if not spec.extra.get("implied") or spec.agg != "sum" or spec.group_by or not spec.measure:
        return None
    counted = replace(spec, agg="count", label="rows", extra={})
    distinct = replace(spec, agg="count_distinct", label="values", extra={})
    one = replace(spec, agg="max", label=spec.measure, extra={})
    found, shown = {}, []
    for part in (counted, distinct, one):
        text, params = render(part)
        found.update(sql.run_select(views, text, params).records()[0])
        shown.append(sql.inline(text, params))
    if found.get("values") != 1 or (found.get("rows") or 0) < 2:
        return None
    return [{spec.measure: found[spec.measure], "rows": found["rows"]}], ";\n".join(shown)


def repeated_sentence(chosen: Plan, row: dict) -> str:
    where = f" where {' and '.join(chosen.notes)}" if chosen.notes else ""
    measure = chosen.spec.measure
    value = row[measure]
    shown = f"{value:,.0f}" if float(value).is_integer() else f"{value:,}"
    return (f"The {measure}{where} is {shown}, the same on all {row['rows']:,} rows (their total would count it "
            f"{row['rows']:,} times).")

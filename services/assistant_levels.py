"""Levels over dates: a balance, a stock on hand, a headcount or a price is a value at a date, not an amount.

A bank table holds each account's ``balance`` every day: "total balance" added 60 days of 4 accounts (228,609
where the 4 accounts held 3,660), "what is the balance of ACC-002" listed its 60 balances, and "headcount by
department" added 12 months of each department. Where the table is a panel (one row per entity and date, the
entities on most of the dates), such a column asked for a total, a ranking by total or its value is read at each
entity's latest date (within the rows the question picks), added up across entities, and the reply says which
date it took. Averages, maxima and a date named in the question are left as asked.
"""
from __future__ import annotations

import re
from dataclasses import replace
from functools import lru_cache
from itertools import combinations
from pathlib import Path
from typing import Any

from data import query as sql
from data import query_probes as probes
from data.query_latest import render_latest
from domain import assistant as rules
from services.assistant_slots import Plan
from services.assistant_table import TableContext, column_words, is_code

# Words naming a stock (a value at a date) rather than a flow; "on hand" is matched as a phrase.
STOCK_WORDS = frozenset("balance balances inventory stock stocks level levels headcount population pop price prices "
                        "rate rates close nav outstanding holdings subscribers enrollment enrolment".split())
WEAK_WORDS = frozenset("price prices rate rates close nav level levels".split())
ENTITY_WORDS = frozenset("store shop branch item product sku account customer department dept region site "
                         "location warehouse ticker symbol country state city team unit".split())
DATE_COLUMN, ENTITIES, FIRST, LAST = "latest date", "entities", "earliest latest date", "latest date"
MAX_KEYS = 8


def is_stock(column: str) -> bool:
    words = column_words(column)
    return bool(set(words.split()) & STOCK_WORDS) or " on hand" in f" {words}" or "onhand" in words.split()


def latest_levels(table: TableContext, chosen: Plan, latest_asked: bool = False) -> Plan:
    """A total (implied or named), a ranking by total or a listed value of a stock column over dates becomes its
    value at each entity's latest date, summed across entities; "the latest price" asks for it by name."""
    spec = chosen.spec
    lookup = chosen.intent == "lookup" and len(spec.select) == 1 and not spec.group_by
    measure = spec.select[0] if lookup else spec.measure
    summed = spec.agg == "sum" and chosen.intent in ("aggregate", "group", "argmax", "top")
    asked = latest_asked and spec.agg in ("max", "min") and chosen.intent == "aggregate" and not spec.group_by
    done = any(spec.extra.get(k) for k in ("running", "per", "per_id", "latest"))
    if not measure or not (summed or lookup or asked) or done or not table.is_number(measure) or is_code(measure) \
            or (lookup and any(f.column == measure for f in spec.filters)):  # "balances above 1,200": the rows
        return chosen
    if not (asked or is_stock(measure) or _constant_per_entity(table, measure)):
        return chosen
    panel = panel_keys(table, measure)
    if panel is None or spec.group_by == panel[0] or (spec.grain and spec.grain_column != panel[0]):
        return chosen
    date, keys = panel
    extra = {**spec.extra, "latest": {"date": date, "keys": list(keys)}}
    if asked and len(keys) == 1:  # "the latest close" of 3 tickers: each one's, not their sum
        spec = replace(spec, agg="sum", group_by=keys[0], label=f"latest {measure}", order_by=None, limit=None,
                       descending=True, extra=extra)
        return Plan("group", spec, target=keys[0], measure=measure, notes=chosen.notes)
    if lookup or asked:
        label = f"total {measure}" if keys else measure
        spec = replace(spec, select=(), agg="sum", measure=measure, limit=None, order_by=None, label=label)
        return Plan("aggregate", replace(spec, extra=extra), measure=measure, notes=chosen.notes)
    if spec.group_by and list(keys) == [spec.group_by]:  # "which account has the highest balance": one each
        label = f"latest {measure}"
        spec = replace(spec, label=label, order_by=label if spec.order_by == spec.label else spec.order_by)
    return replace(chosen, spec=replace(spec, extra=extra))


def panel_keys(table: TableContext, measure: str) -> tuple[str, tuple[str, ...]] | None:
    """The date column and the entity columns (none for one series) that make each row one entity on one date,
    with the entities on most dates; None where the table is no such panel (orders, events, one row a thing)."""
    dates = [c for c in table.columns if table.is_date(c)] or _years(table)  # Gapminder: country and year
    if not dates or not Path(table.path).is_file():
        return None
    candidates = tuple(sorted((c for c in table.columns if c not in (measure, dates[0]) and _entity_like(table, c)),
                              key=is_code))[:MAX_KEYS]  # "location" before "iso_code" where both name a country
    try:
        keys = _panel(table.view, str(table.path), dates[0], candidates, table.is_date(dates[0]), _strong(measure))
    except (sql.QueryRejected, sql.QueryTimeout, OSError):
        return None
    return None if keys is None else (dates[0], keys)


def _strong(measure: str) -> bool:
    """A stock whatever the table's shape (a balance, a stock on hand), where a price or a rate may be a row's."""
    return is_stock(measure) and not set(column_words(measure).split()) & WEAK_WORDS


def _years(table: TableContext) -> list[str]:
    """An integer column of years ("year", "Year"), when the table has no date column."""
    return [c for c in table.columns if "INT" in table.types.get(c, "").upper()
            and column_words(c).split()[-1:] == ["year"]
            and all(isinstance(v, int) and 1700 <= v <= 2200 for v in table.values.get(c) or [0])]


def _named_entity(column: str) -> bool:
    return is_code(column) or bool(set(column_words(column).split()) & ENTITY_WORDS)


def _entity_like(table: TableContext, column: str) -> bool:
    if table.is_date(column) or table.unique.get(column) or column not in table.values:
        return False
    kind = table.types.get(column, "").upper()
    if "VARCHAR" in kind or "BOOL" in kind:
        return True
    return "INT" in kind and _named_entity(column)


@lru_cache(maxsize=128)
def _panel(view: str, path: str, date: str, candidates: tuple[str, ...], dated: bool,
           strong: bool) -> tuple[str, ...] | None:
    """One key at most first, then pairs (stores and items) only where no single column is the entity. A balance
    (``strong``) is read per entity in a ledger too: one row per account and time, the accounts on some dates."""
    views = {view: Path(path)}
    for sets in ([()] + [(c,) for c in candidates], list(combinations(candidates, 2))):
        found = probes.key_counts(views, view, date, sets) if sets else None
        if found is None:
            return None
        rows, days = found["n"] or 0, found["d"] or 0
        if days < 3 or (days == rows and dated and not strong and not probes.whole_days(views, view, date)):
            return None  # one row a timestamp (events, orders) is no series of dates
        fits = [keys for i, keys in enumerate(sets) if found[f"u{i}"] == rows and rows >= 2 * (found[f"k{i}"] or 0)
                and (strong or rows >= 0.5 * (found[f"k{i}"] or 0) * days)]  # a balanced panel, one row a key
        named = [keys for keys in fits if keys and all(_named_entity(c) for c in keys)]
        if fits:  # a ledger's rows may be one a time over all accounts: the account, where one is named, first
            return named[0] if strong and named else fits[0]
    return None


def _constant_per_entity(table: TableContext, measure: str) -> bool:
    """A value repeated on every date of each entity ("population" on each day of a country) is a level too."""
    panel = panel_keys(table, measure)
    if panel is None or not panel[1]:
        return False
    try:
        return _constant(table.view, str(table.path), measure, panel[1])
    except (sql.QueryRejected, sql.QueryTimeout, OSError):
        return False


@lru_cache(maxsize=256)
def _constant(view: str, path: str, measure: str, keys: tuple[str, ...]) -> bool:
    return probes.constant_per_key({view: Path(path)}, view, measure, keys)


def is_latest(chosen: Plan) -> bool:
    return bool(chosen.spec.extra.get("latest"))


def run_latest(views: dict, chosen: Plan) -> tuple[list[dict[str, Any]], str]:
    latest = chosen.spec.extra["latest"]
    text, params = render_latest(chosen.spec, latest["date"], latest["keys"], (ENTITIES, FIRST, LAST))
    rows = sql.run_select(views, text, params).records()
    if not chosen.spec.group_by and rows and not rows[0].get(ENTITIES):
        rows = []
    return rows, sql.inline(text, params)


def _when(rows: list[dict[str, Any]]) -> str:
    first = min(str(r[FIRST]) for r in rows)
    last = max(str(r[LAST]) for r in rows)
    on = "in" if len(last) == 4 else "on"  # a year
    return f"{on} {last[:10]}" if first == last else f"{on} each one's latest date ({first[:10]} to {last[:10]})"


def latest_sentence(chosen: Plan, rows: list[dict[str, Any]]) -> str:
    """"The balance where account_id = ACC-002 is 694.07, on 2024-02-29 (its latest date)."""
    spec = chosen.spec
    where = f" where {' and '.join(chosen.notes)}" if chosen.notes else ""
    if not rows or rows[0].get(spec.label) is None:
        return f"{rules.CANNOT}: no rows with a {spec.measure} value match{where}."
    row, keys = rows[0], spec.extra["latest"]["keys"]
    value = rules.format_number(row[spec.label])
    if row[ENTITIES] == 1:
        return f"The {spec.measure}{where} is {value}, {_when(rows)} (the latest date with a value)."
    return (f"The total {spec.measure}{where} is {value}: the {spec.measure} of each of the {row[ENTITIES]:,} "
            f"{' and '.join(keys)} values {_when(rows)}, added up.")


def latest_note(chosen: Plan, rows: list[dict[str, Any]]) -> str:
    """What a grouped or ranked answer over a level took: each entity's value at its latest date."""
    if not rows or not is_latest(chosen):
        return ""
    keys, spec = chosen.spec.extra["latest"]["keys"], chosen.spec
    each = f"each {' and '.join(keys)}'s" if keys else "the"
    taken = "is given" if keys == [spec.group_by] else "is added up"
    when = f"on the last date of each {spec.grain} with a value" if spec.grain else _when(rows)
    return (f" {spec.measure} is a level (a value on each date, not an amount), so {each} {spec.measure} "
            f"{when} {taken}, not the sum of every date's.")


LATEST_WORDS = re.compile(r"\b(currently|now|today|(?:latest|most recent|current|last)(?!\s+(?:year|month|week|"
                          r"quarter|day|\d)))\b")  # "in the latest month": a period ("sales" was the last day's)
# "What is the price?", "what's the current balance", "show me the price": a level named alone, read from the
# data, not the docs
LEVEL_ASKED = re.compile(r"(?:(?:what|how much) (?:is|was|are|s)|(?:show|tell|give)(?: me)?) (?:the |our |my )?"
                         r"(?:(?:current|latest|last|today s) )?([a-z][a-z0-9_ ]{0,40}?)"
                         r"(?: (?:now|today|currently))?\??")


def asks_a_level(text: str, table: TableContext) -> bool:
    """The question is "what is the <column>" for a numeric stock column of a table with dates."""
    found = LEVEL_ASKED.fullmatch(text.strip())
    if found is None or not any(table.is_date(c) for c in table.columns):
        return False
    return any(is_stock(c) and table.is_number(c) and found.group(1) in (column_words(c), c.lower())
               for c in table.columns)


def level_asked(text: str, table: TableContext, chosen: Plan) -> Plan:
    """"What is the price?" read as "the latest price" (it counted the distinct prices, or answered from the docs)."""
    spec = chosen.spec
    if chosen.intent != "count_distinct" or spec.group_by or not asks_a_level(text, table):
        return chosen
    return Plan("aggregate", replace(spec, agg="max", label=f"maximum {spec.measure}"), measure=spec.measure,
                notes=chosen.notes)

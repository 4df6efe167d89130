"""Averages per period over groups: "mean sales per day by store", "which store has the highest average daily
sales". Where a date holds several rows of a group (a store's items), a day's sales are the sum of its rows, so
each group's rows are summed per day first and those day totals averaged; averaging the rows answered per item-day.
The same holds per document on its lines: "average quantity per invoice" sums each invoice's lines first.
"""
from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from data import query as sql
from data import query_periods
from domain import assistant as rules
from services.assistant_mentions import repeated_id_words
from services.assistant_slots import Plan
from services.assistant_table import Parsed, TableContext

ADJECTIVES = {"day": "daily", "week": "weekly", "month": "monthly", "quarter": "quarterly", "year": "yearly"}
PER_PERIOD = re.compile(r"\b(?:(daily|weekly|monthly|quarterly|yearly|annual|annually)|"
                        r"(?:per|a|each|every)\s+(day|week|month|quarter|year))\b")


def per_period_word(parsed: Parsed) -> str | None:
    """The period of "daily", "per day", "a month" written outside column names, as a grain ("day")."""
    spans = [(m.start, m.end) for m in parsed.columns]
    for match in PER_PERIOD.finditer(parsed.text):
        if not any(s <= match.start() < e for s, e in spans):
            return rules.GRAINS[match.group(1) or match.group(2)]
    return None


def averaged_per_period(parsed: Parsed, table: TableContext, chosen: Plan) -> Plan:
    """A grouped average (or a ranking by an amount) asked per period becomes the average of each group's
    period totals; anything else is returned as it is."""
    spec = chosen.spec
    grain = per_period_word(parsed)
    dates = [c for c in table.columns if table.is_date(c)]
    if grain is None or not dates or chosen.intent not in ("group", "argmax", "top") or spec.grain \
            or not spec.group_by or not spec.measure or table.is_date(spec.group_by) \
            or not (table.is_numeric(spec.measure) or table.numbers_in_text(spec.measure)) \
            or rules.is_level(spec.measure):
        return chosen
    summed_words = [w for _, func, w in rules.aggregate_words(parsed.text) if func == "sum"]
    if not (spec.agg == "avg" or (spec.agg == "sum" and not summed_words and not _names_group(parsed, spec))):
        return chosen  # "total daily sales by store" is left as it was asked
    named = [m.column for m in parsed.columns if m.column in dates]
    label = f"average {ADJECTIVES[grain]} {spec.measure}"
    extra = {**spec.extra, "per": grain, "date": (named or dates)[0]}
    return replace(chosen, spec=replace(spec, agg="avg", label=label, extra=extra))


def _names_group(parsed: Parsed, spec) -> bool:
    """"Rentals per month" whose "month" names the group column (UCI bike sharing's `mnth`): each month's total, as
    "number of rentals per month" gives; it was "average monthly cnt by mnth (summed per month over 2 months …)"."""
    return any(m.group(2) and any(c.column == spec.group_by and c.start <= m.start(2) < c.end for c in parsed.columns)
               for m in PER_PERIOD.finditer(parsed.text))


def averaged_per_id(parsed: Parsed, table: TableContext, chosen: Plan) -> Plan:
    """"Average quantity per invoice" where InvoiceNo repeats over invoice lines: each invoice's lines summed, then
    the invoice totals averaged (it was refused: over rows it is the average line)."""
    spec = chosen.spec
    if spec.agg != "avg" or chosen.intent not in ("aggregate", "group", "argmax", "top") or spec.grain \
            or not spec.measure or rules.is_level(spec.measure) or not table.is_numeric(spec.measure):
        return chosen
    ids = {c for word, c in repeated_id_words(parsed.text, table)
           if re.search(rf"\b(?:per|each|every|an|a)\s+{re.escape(word)}\b", parsed.text)}
    if len(ids) != 1 or next(iter(ids)) == spec.measure:
        return chosen
    column = next(iter(ids))
    extra = {**spec.extra, "per_id": column}
    label = f"average {spec.measure} per {column}"
    if spec.group_by == column:  # "average quantity per customer": one figure over the customers, not each one's
        if chosen.intent != "group":
            return chosen
        return replace(chosen, intent="aggregate", target=None,
                       spec=replace(spec, group_by=None, label=label, extra=extra, limit=None, order_by=None))
    return replace(chosen, spec=replace(spec, label=label, extra=extra))


def is_per_period(chosen: Plan) -> bool:
    return bool(chosen.spec.extra.get("per") or chosen.spec.extra.get("per_id"))


def _unit(chosen: Plan) -> tuple[str, str]:
    """What each bucket is, and the name of the column counting them: ("day", "days"), ("InvoiceNo", "InvoiceNo
    values")."""
    grain = chosen.spec.extra.get("per")
    return (grain, f"{grain}s") if grain else (chosen.spec.extra["per_id"], f"{chosen.spec.extra['per_id']} values")


def render_per_period(chosen: Plan) -> tuple[str, list[Any]]:
    """Rows of the group picked (filters applied), summed per group and period, then averaged per group; the
    periods and the rows each group's average is made of come with it."""
    spec, grain = chosen.spec, chosen.spec.extra.get("per")
    keyed = spec.extra["date"] if grain else spec.extra["per_id"]
    return query_periods.render_per_period(spec, keyed, grain, _unit(chosen)[1])


def run_per_period(views: dict, chosen: Plan) -> tuple[list[dict[str, Any]], str]:
    text, params = render_per_period(chosen)
    return sql.run_select(views, text, params).records(), sql.inline(text, params)


def how_averaged(chosen: Plan, rows: list[dict[str, Any]]) -> str:
    """"(summed per day over 365 days, then averaged)" where a group has several rows on one day; nothing
    where every day is one row (the average of the rows is then the same number)."""
    unit, counted = _unit(chosen)
    periods = sorted({int(r[counted]) for r in rows if r.get(counted) is not None})
    if not periods or all(r.get("rows") == r.get(counted) for r in rows):
        return ""
    span = rules.format_number(periods[0]) if len(periods) == 1 else \
        f"{rules.format_number(periods[0])} to {rules.format_number(periods[-1])}"
    return f" (summed per {unit} over {span} {counted}, then averaged)"


def per_id_sentence(chosen: Plan, rows: list[dict[str, Any]], where: str) -> str:
    """"The average Quantity per InvoiceNo is 51.97 (summed per InvoiceNo over 830 InvoiceNo values, then
    averaged)." for an average over documents, not grouped."""
    value = rows[0].get(chosen.spec.label) if rows else None
    if value is None:
        return f"{rules.CANNOT}: no rows match{where}."
    return f"The {chosen.spec.label}{where} is {rules.format_number(value)}{how_averaged(chosen, rows)}."

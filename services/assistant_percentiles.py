"""Percentiles and quartiles of a column: "what is the 90th percentile of credit amount", "95th percentile of sales
by store", "upper quartile of torque for type H". They were refused ("'90th percentile' is no column or value of the
data"). The question is planned as a median (its column, conditions and grouping checked as any other), and the
spec asks ``data.query_spec`` for that quantile instead of the median (DuckDB's ``quantile_cont``, with the fraction
bound as a parameter): linear interpolation between the closest ranks, as pandas' ``quantile`` computes it."""
from __future__ import annotations

import re
from dataclasses import replace

from data import query as sql
from data.query_spec import QUANTILE, render
from domain import assistant as rules
from services.assistant_intents import CannotAnswer, Plan, keep_ties, plan
from services.assistant_phrase import phrase
from services.assistant_places import aggregates_note
from services.assistant_router import parse
from services.assistant_table import TableContext
from services.assistant_tools import ToolResult

PERCENTILE = re.compile(r"\b(?:the\s+)?(\d{1,2}(?:\.\d+)?)(?:st|nd|rd|th)?[ -]percentile\b")
QUARTILES = {"lower quartile": 25, "first quartile": 25, "upper quartile": 75, "third quartile": 75}
QUARTILE = re.compile(r"\b(?:the\s+)?(" + "|".join(QUARTILES) + r")\b")
INTENTS = ("aggregate", "group", "argmax", "argmin", "top")


def asked(question: str) -> tuple[float, str, tuple[int, int]] | None:
    """(percent, its words, span in the normalised question) of the percentile asked; None when none is."""
    text = rules.normalise(question)
    found = PERCENTILE.search(text)
    if found and 0 < float(found.group(1)) < 100:
        return float(found.group(1)), found.group(0).removeprefix("the ").strip(), found.span()
    found = QUARTILE.search(text)
    if found:
        return float(QUARTILES[found.group(1)]), found.group(1), found.span()
    return None


def query_percentile(table: TableContext, question: str, index: dict, embedder=None) -> ToolResult | None:
    """The percentile asked, over the rows and groups the question picks; None when no percentile is asked."""
    found = asked(question)
    if found is None:
        return None
    percent, words, (start, end) = found
    text = rules.normalise(question)
    as_median = f"{text[:start]} median {text[end:]}".replace(" median of of ", " median of ")
    try:
        chosen = plan(parse(as_median, table, index), table, embedder)
    except CannotAnswer as exc:
        return ToolResult("query_dataset", str(exc).replace("median", words), "", [], table.name, cannot=True)
    if chosen.spec.agg != "median" or chosen.intent not in INTENTS or chosen.spec.grain:
        return ToolResult("query_dataset", f"{rules.CANNOT}: a {words} is read over the rows of one column "
                          "(optionally by a group), not over time buckets or a count.", "", [], table.name,
                          cannot=True)
    return _run(table, chosen, percent, words)


def _run(table: TableContext, chosen: Plan, percent: float, words: str) -> ToolResult:
    spec = replace(chosen.spec, label=f"{words} of {chosen.spec.measure}",
                   extra={**chosen.spec.extra, QUANTILE: percent / 100})
    chosen = replace(chosen, spec=spec)
    text, params = render(chosen.spec)
    rows = sql.run_select({table.view: table.path}, text, params).records()
    if chosen.intent != "aggregate" and chosen.spec.group_by:
        rows = keep_ties(chosen, [r for r in rows if r.get(chosen.spec.group_by) is not None][:chosen.spec.limit])
    said = re.sub(r"\b[Mm]edian(?: of)?\b", f"{words} of", phrase(chosen, rows, table, {"intent": chosen.intent}))
    said = said[:1].upper() + said[1:]
    said += aggregates_note(chosen) if rows and not said.startswith(rules.CANNOT) else ""
    return ToolResult("query_dataset", said, sql.inline(text, params), rows, table.name,
                      state={"intent": chosen.intent, "notes": list(chosen.notes)})

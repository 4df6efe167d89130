"""Planning by a stronger configured model (local folder or endpoint): it answers with a JSON plan,
which is checked against a fixed schema and the table's real columns and values before it is used.
Anything invalid returns None and the deterministic router answers instead.
"""
from __future__ import annotations

import json
import re
from typing import Any

from data.query_spec import AGGREGATES, OPERATORS, Filter, SelectSpec
from services.assistant_intents import AGG_NAMES, Plan
from services.assistant_table import TableContext
from services.assistant_tools import ToolResult, run_plan

INTENTS = ("count", "aggregate", "group", "top", "argmax", "lookup")
SYSTEM = ("You translate a question about one table into a JSON plan. Reply with JSON only, shaped as "
          '{"intent": one of %s, "agg": one of %s or null, "measure": column or null, "group_by": column or null, '
          '"select": [columns], "filters": [{"column": c, "op": one of %s, "value": v}], "descending": true, '
          '"limit": integer or null}. Use only the listed columns.')


class InvalidPlan(ValueError):
    """The model's plan does not fit the schema or the table."""


def prompt(question: str, table: TableContext) -> list[dict[str, str]]:
    columns = "; ".join(f"{c} ({table.types.get(c, '?')})" for c in table.columns)
    system = SYSTEM % (list(INTENTS), list(AGGREGATES), list(OPERATORS))
    return [{"role": "system", "content": system},
            {"role": "user", "content": f"Table {table.view!r} columns: {columns}\nQuestion: {question}"}]


def _column(value: Any, table: TableContext, *, optional: bool = True) -> str | None:
    if value in (None, "") and optional:
        return None
    if not isinstance(value, str) or value not in table.columns:
        raise InvalidPlan(f"unknown column {value!r}")
    return value


def _filter(item: Any, table: TableContext) -> Filter:
    if not isinstance(item, dict):
        raise InvalidPlan("a filter must be an object")
    column = _column(item.get("column"), table, optional=False)
    op, value = item.get("op"), item.get("value")
    if op not in OPERATORS or op in ("between", "in"):
        raise InvalidPlan(f"operator {op!r} is not allowed here")
    if not isinstance(value, (str, int, float)) or isinstance(value, bool):
        raise InvalidPlan("filter values must be text or numbers")
    known = table.values.get(column)
    if op == "=" and known is not None and not table.is_numeric(column) and value not in known:
        raise InvalidPlan(f"{value!r} is not a value of {column}")
    return Filter(column, op, value, numeric_text=op in ("<", "<=", ">", ">=") and not table.is_numeric(column))


def validate(raw: str, table: TableContext) -> Plan:
    """The model's text -> a Plan, or InvalidPlan. No text of the model ever becomes SQL."""
    match = re.search(r"\{.*\}", raw, re.DOTALL)
    try:
        data = json.loads(match.group(0) if match else raw)
    except (json.JSONDecodeError, TypeError) as exc:
        raise InvalidPlan("not JSON") from exc
    if not isinstance(data, dict) or data.get("intent") not in INTENTS:
        raise InvalidPlan("missing or unknown intent")
    agg = data.get("agg")
    if agg is not None and agg not in AGGREGATES:
        raise InvalidPlan(f"unknown aggregate {agg!r}")
    measure, group = _column(data.get("measure"), table), _column(data.get("group_by"), table)
    select = tuple(_column(c, table, optional=False) for c in data.get("select") or [])
    filters = tuple(_filter(f, table) for f in data.get("filters") or [])
    limit = data.get("limit")
    if limit is not None and (not isinstance(limit, int) or not 0 < limit <= 1000):
        raise InvalidPlan("limit must be 1..1000")
    intent = data["intent"]
    if intent in ("aggregate", "group", "top", "argmax") and agg is None:
        raise InvalidPlan("this intent needs an aggregate")
    if agg not in (None, "count") and measure is None:
        raise InvalidPlan("this aggregate needs a measure")
    if intent in ("group", "top", "argmax") and group is None:
        raise InvalidPlan("this intent needs group_by")
    label = "rows" if agg == "count" else f"{AGG_NAMES.get(agg, '')} {measure}".strip()
    spec = SelectSpec(view=table.view, agg=agg if intent != "lookup" else None, measure=measure,
                      group_by=group if intent != "aggregate" else None, select=select or tuple(table.columns),
                      filters=filters, descending=bool(data.get("descending", True)),
                      limit=limit if intent != "aggregate" else None, label=label,
                      numeric_measure_text=bool(measure) and not table.is_numeric(measure))
    notes = tuple(f.describe() for f in filters)
    return Plan(intent if intent != "lookup" else "lookup", spec, target=group or (select[0] if select else None),
                measure=measure, notes=notes)


def plan_with_model(llm, question: str, table: TableContext) -> ToolResult | None:
    try:
        raw = llm.generate(prompt(question, table), max_new_tokens=200, json_mode=True)
        chosen = validate(raw, table)
        if chosen.intent == "count" and chosen.spec.agg is None:
            raise InvalidPlan("count needs agg=count")
        return run_plan(table, chosen)
    except Exception:  # noqa: BLE001 - any model or plan failure falls back to the rules
        return None

"""The query for a level over dates (a balance, a stock on hand, a headcount): each entity's row at its latest
date among the rows a spec picks (with a value), summed across entities (per group); by a time bucket ("by month"),
each entity's last value in each bucket. The reply says which dates were taken: the rows carry the count of
entities and the earliest and latest of those dates."""
from __future__ import annotations

from dataclasses import replace
from typing import Any

from data.query import quote_identifier as q
from data.query_spec import GRAIN_SQL, SelectSpec, numeric_expr, render


def render_latest(spec: SelectSpec, date: str, keys: list[str], labels: tuple[str, str, str]) -> tuple[str, list[Any]]:
    """SQL and parameters; ``labels`` name the entities counted and the earliest and latest dates taken."""
    entities, first, last = labels
    group, measure = spec.group_by, spec.measure
    bucket = GRAIN_SQL[spec.grain].format(c=q(date)) if spec.grain else None
    columns = tuple(dict.fromkeys(c for c in (*keys, None if bucket else group, date, measure) if c))
    picked, params = render(replace(spec, agg=None, group_by=None, select=columns, order_by=None, limit=None,
                                    numeric_measure_text=False, extra={}, grain=None, grain_column=None))
    if bucket:
        picked = f"SELECT *, {bucket} AS {q(group)} FROM ({picked}) AS rows"
    parts = [q(c) for c in keys] + ([q(group)] if bucket else [])
    part = f"PARTITION BY {', '.join(parts)} " if parts else ""
    value = numeric_expr(measure, spec.numeric_measure_text)
    latest = (f"SELECT * FROM ({picked}) AS picked WHERE {value} IS NOT NULL "
              f"QUALIFY row_number() OVER ({part}ORDER BY {q(date)} DESC) = 1")
    head = f"{q(group)}, " if group else ""
    text = (f"SELECT {head}SUM({value}) AS {q(spec.label)}, COUNT(*) AS {q(entities)}, "
            f"CAST(MIN({q(date)}) AS VARCHAR) AS {q(first)}, CAST(MAX({q(date)}) AS VARCHAR) AS {q(last)} "
            f"FROM ({latest}) AS latest")
    if group:
        order = q(group) if spec.order_by == group else q(spec.label)
        text += f" GROUP BY 1 ORDER BY {order} {'DESC' if spec.descending else 'ASC'} NULLS LAST, 1"
        text += f" LIMIT {int(spec.limit)}" if spec.limit is not None else ""
    return text, params

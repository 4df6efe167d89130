"""Queries over periods and lists the plain ``render`` cannot write in one SELECT.

"Mean sales per day by store": each group's rows are summed per period (a day, a month) or per document (an
invoice's lines) first, and those totals averaged; the periods and the rows behind each average come with it.
"Top artists" over a column of comma-separated lists ("Drake, SZA") groups one row per listed value. "Which month"
asked of the calendar buckets months of the year (August), not year-months (2020-08). Column names are quoted
here and values stay parameters, as in ``data.query_spec``.
"""
from __future__ import annotations

from dataclasses import replace
from typing import Any

from data.query import quote_identifier as q
from data.query_spec import GRAIN_SQL, SelectSpec, numeric_expr, render

BUCKET, TOTAL, ROWS = "bucket", "bucket total", "bucket rows"
ROWS_LABEL = "rows"  # the column of the rows each average is made of


def render_per_period(spec: SelectSpec, keyed: str, grain: str | None, counted: str) -> tuple[str, list[Any]]:
    """SQL and parameters: the spec's rows (filters applied) summed per group and bucket of ``keyed`` (a date's
    ``grain``, or each value of an id column with ``grain`` None), then averaged per group into ``spec.label``;
    ``counted`` names the column counting the buckets, and ``rows`` the rows summed."""
    group, measure = spec.group_by, spec.measure
    columns = tuple(c for c in dict.fromkeys((group, keyed, measure)) if c)
    picked, params = render(replace(spec, agg=None, group_by=None, select=columns, order_by=None, limit=None,
                                    numeric_measure_text=False, extra={}, grain=None, grain_column=None))
    bucket = GRAIN_SQL[grain].format(c=q(keyed)) if grain else q(keyed)
    known = " AND ".join(f"{q(c)} IS NOT NULL" for c in (keyed, group) if c)
    head = f"{q(group)}, " if group else ""
    middle = (f"SELECT {head}{bucket} AS {q(BUCKET)}, SUM({numeric_expr(measure, spec.numeric_measure_text)}) "
              f"AS {q(TOTAL)}, COUNT(*) AS {q(ROWS)} FROM ({picked}) AS picked WHERE {known} "
              f"GROUP BY {'1, 2' if group else '1'}")
    text = (f"SELECT {head}AVG({q(TOTAL)}) AS {q(spec.label)}, COUNT(*) AS {q(counted)}, "
            f"SUM({q(ROWS)}) AS {q(ROWS_LABEL)} FROM ({middle}) AS buckets")
    if group:
        order = q(spec.label) if spec.order_by in (None, "value") else q(spec.order_by)  # as ``render``: hours 0-23
        text += f" GROUP BY 1 ORDER BY {order} {'DESC' if spec.descending else 'ASC'} NULLS LAST, 1"
        text += f" LIMIT {int(spec.limit)}" if spec.limit is not None else ""
    return text, params


def over_list_items(text: str, view: str, column: str) -> str:
    """The query ``text`` (rendered over ``view``) read over one row per item of ``column``'s comma-separated
    lists: "Drake, SZA" counts for Drake and for SZA."""
    name, source = q(column), q(view)
    split = (f"FROM (SELECT * EXCLUDE ({name}), unnest(string_split(CAST({name} AS VARCHAR), ', ')) AS {name} "
             f"FROM {source})")
    return text.replace(f"FROM {source}", split, 1)


def months_of_year(text: str, column: str) -> str:
    """The query ``text``'s year-month buckets of ``column`` as months of the year ("August")."""
    quoted = q(column)
    return text.replace(GRAIN_SQL["month"].format(c=quoted), f"monthname({quoted})", 1)


def render_key_totals(view: str, column: str, measure: str, keys: tuple[str, ...]) -> str:
    """SQL: the sum of ``measure`` per key (``keys`` joined by '|') and per value of ``column`` (as text), blanks
    of ``column`` left out: the amounts the assistant compares to find a larger area beside its parts."""
    key = "concat_ws('|', " + ", ".join(f"CAST({q(k)} AS VARCHAR)" for k in keys) + ")"
    return (f"SELECT {key} AS k, CAST({q(column)} AS VARCHAR) AS e, SUM({q(measure)}) AS v FROM {q(view)} "
            f"WHERE {q(column)} IS NOT NULL GROUP BY 1, 2")

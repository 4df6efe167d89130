"""A validated query plan rendered to parameterised DuckDB SQL.

The assistant never writes SQL text from words: it fills a ``SelectSpec`` whose column names were
checked against the table, and this module renders it with quoted identifiers and ``?``
parameters, so text in a question or in the data can never become SQL.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from data.query import quote_identifier as q

AGGREGATES = ("count", "count_distinct", "sum", "avg", "median", "min", "max")
OPERATORS = ("=", "!=", ">", ">=", "<", "<=", "between", "in", "contains")
_SQL_AGG = {"sum": "SUM", "avg": "AVG", "median": "MEDIAN", "min": "MIN", "max": "MAX"}


@dataclass(frozen=True)
class Filter:
    column: str
    op: str
    value: Any = None
    upper: Any = None
    values: tuple[Any, ...] = ()
    numeric_text: bool = False  # compare a text column's numbers ("3 years" -> 3)

    def describe(self) -> str:
        if self.op == "between":
            return f"{self.column} between {self.value} and {self.upper}"
        if self.op == "in":
            return f"{self.column} in ({', '.join(map(str, self.values))})"
        return f"{self.column} {self.op} {self.value}"


@dataclass(frozen=True)
class SelectSpec:
    view: str
    agg: str | None = None
    measure: str | None = None
    group_by: str | None = None
    select: tuple[str, ...] = ()
    filters: tuple[Filter, ...] = ()
    order_by: str | None = None  # a column, or "value" for the aggregate
    descending: bool = True
    limit: int | None = None
    numeric_measure_text: bool = False
    label: str = "value"
    extra: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.agg is not None and self.agg not in AGGREGATES:
            raise ValueError(f"unknown aggregate {self.agg!r}")
        for item in self.filters:
            if item.op not in OPERATORS:
                raise ValueError(f"unknown operator {item.op!r}")


def numeric_expr(column: str, from_text: bool) -> str:
    """Numbers stored as text ("1,234", "3 years") are compared and summed as numbers."""
    if not from_text:
        return q(column)
    return f"TRY_CAST(NULLIF(regexp_replace(CAST({q(column)} AS VARCHAR), '[^0-9.\\-]', '', 'g'), '') AS DOUBLE)"


def _condition(item: Filter) -> tuple[str, list[Any]]:
    target = numeric_expr(item.column, item.numeric_text)
    if item.op == "between":
        return f"{target} BETWEEN ? AND ?", [item.value, item.upper]
    if item.op == "in":
        return f"{q(item.column)} IN ({', '.join('?' for _ in item.values)})", list(item.values)
    if item.op == "contains":
        return f"contains(lower(CAST({q(item.column)} AS VARCHAR)), lower(?))", [str(item.value)]
    return f"{target} {item.op} ?", [item.value]


def _where(filters: tuple[Filter, ...]) -> tuple[str, list[Any]]:
    parts, params = [], []
    for item in filters:
        sql, values = _condition(item)
        parts.append(sql)
        params.extend(values)
    return (" WHERE " + " AND ".join(parts)) if parts else "", params


def _aggregate(spec: SelectSpec) -> str:
    if spec.agg == "count":
        return "COUNT(*)"
    if spec.agg == "count_distinct":
        return f"COUNT(DISTINCT {q(spec.measure)})"
    return f"{_SQL_AGG[spec.agg]}({numeric_expr(spec.measure, spec.numeric_measure_text)})"


def render(spec: SelectSpec) -> tuple[str, list[Any]]:
    """SQL text with ``?`` placeholders and its parameters."""
    where, params = _where(spec.filters)
    source = f" FROM {q(spec.view)}{where}"
    if spec.agg:
        value = f"{_aggregate(spec)} AS {q(spec.label)}"
        if spec.group_by:
            sql = f"SELECT {q(spec.group_by)}, {value}{source} GROUP BY {q(spec.group_by)}"
            direction = "DESC" if spec.descending else "ASC"
            order = q(spec.label) if spec.order_by in (None, "value") else q(spec.order_by)
            sql += f" ORDER BY {order} {direction} NULLS LAST, {q(spec.group_by)}"
        else:
            sql = f"SELECT {value}{source}"
    else:
        columns = ", ".join(q(c) for c in spec.select) if spec.select else "*"
        sql = f"SELECT {columns}{source}"
        if spec.order_by:
            direction = "DESC" if spec.descending else "ASC"
            sql += f" ORDER BY {numeric_expr(spec.order_by, spec.numeric_measure_text)} {direction} NULLS LAST"
    if spec.limit is not None:
        sql += f" LIMIT {int(spec.limit)}"
    return sql, params

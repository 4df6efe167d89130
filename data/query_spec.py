"""A validated query plan rendered to parameterised DuckDB SQL.

The assistant never writes SQL text from words: it fills a ``SelectSpec`` whose column names were
checked against the table, and this module renders it with quoted identifiers and ``?``
parameters, so text in a question or in the data can never become SQL.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from data.query import quote_identifier as q

AGGREGATES = ("count", "count_distinct", "sum", "avg", "median", "min", "max", "rate", "share", "part")
# Time buckets for "by month" / "which year": the bucket's label sorts in time order as text or number.
GRAIN_SQL = {"year": "CAST(year({c}) AS VARCHAR)",
             "quarter": "CAST(year({c}) AS VARCHAR) || '-Q' || CAST(quarter({c}) AS VARCHAR)",
             "month": "strftime({c}, '%Y-%m')",
             "week": "CAST(isoyear({c}) AS VARCHAR) || '-W' || lpad(CAST(week({c}) AS VARCHAR), 2, '0')",
             "day": "CAST({c} AS DATE)",
             # Of the day and of the week over all dates ("trips by hour"): 0-23, and "1 Monday" .. "7 Sunday"
             "hour": "hour({c})",
             "clock_hour": "hour(TRY_CAST({c} AS TIME))",  # a time of day kept apart from the date ("13:08")
             "weekday": "CAST(isodow({c}) AS VARCHAR) || ' ' || dayname({c})"}
OPERATORS = ("=", "!=", ">", ">=", "<", "<=", "between", "in", "contains", "is_blank", "not_blank", "weekend",
             "weekday")
QUANTILE = "quantile"  # SelectSpec.extra: with agg "median", that quantile (0.9) instead of the median
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
        if self.op in ("is_blank", "not_blank"):
            return f"{self.column} is {'' if self.op == 'is_blank' else 'not '}blank"
        if self.op in ("weekend", "weekday"):
            return f"{self.column} is a " + ("weekend day (Saturday or Sunday)" if self.op == "weekend" else
                                             "weekday (Monday to Friday)")
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
    grain: str | None = None          # group_by names a time bucket of grain_column ("month")
    grain_column: str | None = None
    condition: tuple[Filter, ...] = ()  # "rate" / "share": the rows counted in the percentage

    def __post_init__(self) -> None:
        if self.agg is not None and self.agg not in AGGREGATES:
            raise ValueError(f"unknown aggregate {self.agg!r}")
        for item in self.filters + self.condition:
            if item.op not in OPERATORS:
                raise ValueError(f"unknown operator {item.op!r}")
        if self.grain is not None and (self.grain not in GRAIN_SQL or not self.grain_column or not self.group_by):
            raise ValueError(f"unknown time grain {self.grain!r}")
        if self.agg in ("rate", "share") and not self.condition:
            raise ValueError("a percentage needs the condition of the rows it counts")


def numeric_expr(column: str, from_text: bool) -> str:
    """Numbers stored as text ("1,234", "3 years") are compared and summed as numbers."""
    if not from_text:
        return q(column)
    # The first number of the cell: "12 km (2 laps)" is 12, "$1,200.50" 1200.5, "-$5" -5, "12,5 km" 12.5,
    # "1.200,50 €" 1200.5. A comma followed by one or two digits is a decimal comma; by three, thousands.
    text = f"regexp_replace(CAST({q(column)} AS VARCHAR), '([-+]?)\\s*[$€£¥]\\s*', '\\1', 'g')"
    token = f"regexp_extract({text}, '-?[0-9][0-9.,]*', 0)"
    cleaned = (f"CASE WHEN regexp_matches({token}, '^-?[0-9]{{1,3}}(([.][0-9]{{3}})+,[0-9]+|([.][0-9]{{3}}){{2,}})$') "
               f"THEN replace(replace({token}, '.', ''), ',', '.') "
               f"WHEN regexp_matches({token}, '^-?[0-9]+,[0-9]{{1,2}}$') THEN replace({token}, ',', '.') "
               f"ELSE rtrim(replace({token}, ',', ''), '.') END")
    return f"TRY_CAST({cleaned} AS DOUBLE)"


def _condition(item: Filter) -> tuple[str, list[Any]]:
    target = numeric_expr(item.column, item.numeric_text)
    if item.op == "between":
        return f"{target} BETWEEN ? AND ?", [item.value, item.upper]
    if item.op == "in":
        return f"{q(item.column)} IN ({', '.join('?' for _ in item.values)})", list(item.values)
    if item.op == "contains":
        return f"contains(lower(CAST({q(item.column)} AS VARCHAR)), lower(?))", [str(item.value)]
    if item.op in ("weekend", "weekday"):  # ISO days of the week: 6 Saturday, 7 Sunday
        return f"isodow({q(item.column)}) {'>=' if item.op == 'weekend' else '<'} 6", []
    if item.op in ("is_blank", "not_blank"):  # no value: NULL, or text of spaces only
        blank = f"({q(item.column)} IS NULL OR trim(CAST({q(item.column)} AS VARCHAR)) = '')"
        return (blank if item.op == "is_blank" else f"NOT {blank}"), []
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
        return f"COUNT({q(spec.measure)})" if spec.measure else "COUNT(*)"  # rows where the column has a value
    if spec.agg == "count_distinct":
        return f"COUNT(DISTINCT {q(spec.measure)})"
    return f"{_SQL_AGG[spec.agg]}({numeric_expr(spec.measure, spec.numeric_measure_text)})"


def _value_columns(spec: SelectSpec) -> tuple[str, list[Any]]:
    """The aggregate column(s) and their parameters. A percentage also returns its parts (rows matching
    and rows in all, or the matching and whole totals), so the rows show what the number is made of."""
    if spec.agg == "part":  # each group's part of the whole ("share of employees by department"), with its parts
        part = f"SUM({numeric_expr(spec.measure, spec.numeric_measure_text)})" if spec.measure else "COUNT(*)"
        names = (f"total {spec.measure}", f"total {spec.measure} in all") if spec.measure else ("rows", "rows in all")
        return (f"{part} AS {q(names[0])}, SUM({part}) OVER () AS {q(names[1])}, "
                f"100.0 * {part} / NULLIF(SUM({part}) OVER (), 0) AS {q(spec.label)}"), []
    if spec.agg == "median" and spec.extra.get(QUANTILE) is not None:  # "the 90th percentile": a parameter
        fraction = float(spec.extra[QUANTILE])
        if not 0 < fraction < 1:
            raise ValueError(f"a quantile is between 0 and 1, not {fraction!r}")
        measure = numeric_expr(spec.measure, spec.numeric_measure_text)
        return f"quantile_cont({measure}, ?) AS {q(spec.label)}", [fraction]  # interpolated, as pandas' quantile
    if spec.agg not in ("rate", "share"):
        return f"{_aggregate(spec)} AS {q(spec.label)}", []
    condition, params = _where(spec.condition)
    condition = condition.removeprefix(" WHERE ")
    if spec.agg == "rate":
        part, whole = f"SUM(CASE WHEN {condition} THEN 1 ELSE 0 END)", "COUNT(*)"
    else:
        measure = numeric_expr(spec.measure, spec.numeric_measure_text)
        part, whole = f"SUM(CASE WHEN {condition} THEN {measure} ELSE 0 END)", f"SUM({measure})"
    names = ("matching rows", "rows") if spec.agg == "rate" else (f"{spec.measure} matching", f"{spec.measure} in all")
    sql = (f"{part} AS {q(names[0])}, {whole} AS {q(names[1])}, "
           f"100.0 * {part} / NULLIF({whole}, 0) AS {q(spec.label)}")
    return sql, params * 2  # the matching part is written twice


def render_bucket_statistic(spec: SelectSpec, statistic: str) -> tuple[str, list[Any]]:
    """"Average monthly sales": the statistic over every bucket of a grouped spec, however many there
    are (the bucket rows a reply shows are capped, the statistic is not), and the bucket count."""
    inner, params = render(replace(spec, limit=None))
    function = {"avg": "AVG", "median": "MEDIAN", "max": "MAX", "min": "MIN", "sum": "SUM"}[statistic]
    return (f"SELECT {function}({q(spec.label)}) AS {q('value')}, COUNT(*) AS {q('buckets')} "
            f"FROM ({inner}) AS buckets"), params


def render(spec: SelectSpec) -> tuple[str, list[Any]]:
    """SQL text with ``?`` placeholders and its parameters."""
    where, params = _where(spec.filters)
    source = f" FROM {q(spec.view)}{where}"
    if spec.agg:
        value, value_params = _value_columns(spec)
        params = value_params + params
        if spec.group_by:
            key, group = q(spec.group_by), q(spec.group_by)
            if spec.grain:
                key, group = f"{GRAIN_SQL[spec.grain].format(c=q(spec.grain_column))} AS {q(spec.group_by)}", "1"
            sql = f"SELECT {key}, {value}{source} GROUP BY {group}"
            direction = "DESC" if spec.descending else "ASC"
            order = q(spec.label) if spec.order_by in (None, "value") else q(spec.order_by)
            sql += f" ORDER BY {order} {direction} NULLS LAST, {group}"
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

"""Small checks the assistant runs on a stored table before it plans a query: which column holds Our World in
Data's aggregate codes, the distinct values under a condition, whether any row matches one, whether rows are one
a date (per entity), and how a column steps from date to date. Each is one checked SELECT through ``run_select``:
column names are quoted here, values are parameters, and conditions are built by the clause helpers below.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from data.query import quote_identifier as q
from data.query import run_select


def blank_clause(column: str) -> str:
    return f"{q(column)} IS NULL"


def owid_clause(column: str) -> str:
    """Rows whose code is an Our World in Data aggregate's (OWID_WRL, OWID_EUR …)."""
    return f"CAST({q(column)} AS VARCHAR) LIKE 'OWID\\_%' ESCAPE '\\'"


def in_clause(column: str, count: int) -> str:
    """The column among ``count`` parameters."""
    return f"{q(column)} IN ({', '.join('?' * count)})"


def not_clause(clause: str) -> str:
    return f"NOT ({clause})"


def all_of(*clauses: str) -> str:
    return " AND ".join(c for c in clauses if c)


def owid_code_column(views: dict[str, Path], view: str, texts: tuple[str, ...]) -> str | None:
    """The first of ``texts`` holding an aggregate's OWID code, in one query."""
    if not texts:
        return None
    probes = ", ".join(f"bool_or({owid_clause(c)}) AS c{i}" for i, c in enumerate(texts))
    found = run_select(views, f"SELECT {probes} FROM {q(view)}", []).records()[0]
    return next((c for i, c in enumerate(texts) if found.get(f"c{i}")), None)


def has_row(views: dict[str, Path], view: str, where: str, params: list[Any] | None = None) -> bool:
    text = f"SELECT 1 AS hit FROM {q(view)} WHERE {where} LIMIT 1"
    return bool(run_select(views, text, list(params or [])).records())


def distinct_where(views: dict[str, Path], view: str, column: str, where: str, limit: int = 200) -> list[Any]:
    """The column's distinct values (sorted, at most ``limit``) on the rows the condition picks."""
    text = f"SELECT DISTINCT {q(column)} AS v FROM {q(view)} WHERE {all_of(where, f'{q(column)} IS NOT NULL')} " \
           f"ORDER BY 1 LIMIT {int(limit)}"
    return [r["v"] for r in run_select(views, text, []).records()]


def one_row_a_date(views: dict[str, Path], view: str, date: str, entity: str | None) -> bool:
    """Whether each row is one date (of one entity, with ``entity``)."""
    key = f"{q(entity)}, {q(date)}" if entity else q(date)
    text = f"SELECT count(*) = count(DISTINCT ({key})) AS once FROM {q(view)}"
    return bool(run_select(views, text, []).records()[0]["once"])


def date_steps(views: dict[str, Path], view: str, column: str, date: str, entity: str | None) -> dict[str, int]:
    """How often the column rises and falls from one date to the next (per entity): pairs, up, down."""
    part = f"PARTITION BY {q(entity)} " if entity else ""
    steps = f"SELECT {q(column)} - lag({q(column)}) OVER ({part}ORDER BY {q(date)}) AS step FROM {q(view)}"
    found = run_select(views, f"SELECT count(step) AS pairs, count(*) FILTER (WHERE step < 0) AS down, "
                              f"count(*) FILTER (WHERE step > 0) AS up FROM ({steps}) AS steps", []).records()[0]
    return {k: int(found[k] or 0) for k in ("pairs", "up", "down")}


def key_counts(views: dict[str, Path], view: str, date: str, sets: list[tuple[str, ...]]) -> dict[str, Any]:
    """Rows and distinct dates (n, d), and per set of key columns i its distinct (keys, date) pairs (u{i}) and
    distinct keys (k{i}), on the rows with a date: whether the keys make each row one entity on one date."""
    counted = ["count(*) AS n", f"count(DISTINCT {q(date)}) AS d"]
    for i, keys in enumerate(sets):
        both = ", ".join(q(c) for c in (*keys, date))
        counted.append(f"count(DISTINCT ({both})) AS u{i}")
        counted.append(f"count(DISTINCT ({', '.join(q(c) for c in keys)})) AS k{i}" if keys else f"1 AS k{i}")
    return run_select(views, f"SELECT {', '.join(counted)} FROM {q(view)} WHERE {q(date)} IS NOT NULL",
                      []).records()[0]


def whole_days(views: dict[str, Path], view: str, date: str) -> bool:
    """Whether every value of the date column is a whole day (no time of day)."""
    text = f"SELECT count(*) FILTER (WHERE CAST({q(date)} AS TIMESTAMP) <> CAST(CAST({q(date)} AS DATE) " \
           f"AS TIMESTAMP)) AS timed FROM {q(view)}"
    return not run_select(views, text, []).records()[0]["timed"]


def constant_per_key(views: dict[str, Path], view: str, measure: str, keys: tuple[str, ...]) -> bool:
    """Whether the measure holds one value per key (a population repeated on each date of a country)."""
    named = ", ".join(q(c) for c in keys)
    text = (f"SELECT count(DISTINCT ({named}, {q(measure)})) = count(DISTINCT ({named})) AS same "
            f"FROM {q(view)} WHERE {q(measure)} IS NOT NULL")
    return bool(run_select(views, text, []).records()[0]["same"])

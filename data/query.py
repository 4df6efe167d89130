"""Read-only SQL over stored Parquet files with DuckDB.

Every query gets a fresh in-memory connection that can see only the whitelisted files (DuckDB's
own ``allowed_paths`` with external access switched off and the configuration locked), the text is
parsed by DuckDB and must be one SELECT, functions that read files or settings are refused by
name, values travel as parameters, and rows and seconds are capped.
"""
from __future__ import annotations

import re
import threading
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

MAX_ROWS = 1000
TIMEOUT_S = 10.0
FORBIDDEN_FUNCTIONS = frozenset({
    "read_csv", "read_csv_auto", "read_parquet", "parquet_scan", "read_json", "read_json_auto",
    "read_json_objects", "read_ndjson", "read_ndjson_objects", "read_text", "read_blob", "glob", "sniff_csv",
    "parquet_metadata", "parquet_schema", "parquet_file_metadata", "parquet_kv_metadata", "query", "query_table",
    "getenv", "current_setting", "duckdb_settings", "duckdb_extensions", "duckdb_secrets", "iceberg_scan",
    "delta_scan", "sqlite_scan", "sqlite_attach", "postgres_scan", "postgres_attach", "mysql_scan", "read_xlsx",
    "load_extension", "install_extension", "pragma", "which_secret", "duckdb_databases", "duckdb_temporary_files",
})
_FUNCTION_CALL = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)\s*\(")


class QueryRejected(ValueError):
    """The SQL is not a single read-only SELECT over the allowed views."""


class QueryTimeout(RuntimeError):
    """The query ran past its time limit and was interrupted."""


@dataclass(frozen=True)
class QueryResult:
    sql: str
    params: tuple[Any, ...]
    columns: tuple[str, ...]
    rows: tuple[tuple[Any, ...], ...]
    truncated: bool
    types: tuple[str, ...] = ()

    def records(self) -> list[dict[str, Any]]:
        return [dict(zip(self.columns, (jsonable(v) for v in row))) for row in self.rows]


def jsonable(value: Any) -> Any:
    """Rows leave this module as JSON-safe values (dates as ISO text, decimals as floats)."""
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    try:
        return float(value)
    except (TypeError, ValueError):
        return str(value)


def quote_identifier(name: str) -> str:
    return '"' + str(name).replace('"', '""') + '"'


def quote_literal(value: Any) -> str:
    """For showing a query to a person only; execution always uses parameters."""
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, (date, datetime)):
        return f"DATE '{value.isoformat()}'" if isinstance(value, date) and not isinstance(value, datetime) \
            else f"TIMESTAMP '{value.isoformat()}'"
    return "'" + str(value).replace("'", "''") + "'"


def inline(sql: str, params: tuple[Any, ...] | list[Any]) -> str:
    """The query as a person reads it: ``?`` placeholders replaced by quoted literals (display only)."""
    parts = _outside_quotes(sql)
    if len(parts) - 1 != len(params):
        return sql
    out = [parts[0]]
    for value, rest in zip(params, parts[1:]):
        out.extend([quote_literal(value), rest])
    return "".join(out)


def _outside_quotes(sql: str) -> list[str]:
    """``sql`` split at the ``?`` placeholders only: not at a ``?`` inside a string literal or a quoted name
    (the number-cleaning pattern '^[^0-9]*?' holds one)."""
    parts, current, quote = [], [], None
    for char in sql:
        if quote is None and char == "?":
            parts.append("".join(current))
            current = []
            continue
        if char in ("'", '"'):
            quote = None if quote == char else (char if quote is None else quote)  # '' inside stays quoted
        current.append(char)
    parts.append("".join(current))
    return parts


def check_select(sql: str) -> None:
    """Raise QueryRejected unless ``sql`` is exactly one SELECT with no file or settings functions."""
    import duckdb

    try:
        statements = duckdb.extract_statements(sql)
    except duckdb.Error as exc:
        raise QueryRejected(f"The query does not parse: {exc}") from exc
    if len(statements) != 1:
        raise QueryRejected(f"Exactly one statement is allowed; got {len(statements)}.")
    if statements[0].type != duckdb.StatementType.SELECT:
        raise QueryRejected(f"Only SELECT is allowed; got {statements[0].type.name}.")
    called = {name.lower() for name in _FUNCTION_CALL.findall(_strip_strings(sql))}
    refused = sorted(called & FORBIDDEN_FUNCTIONS)
    if refused:
        raise QueryRejected(f"Functions that read files or settings are not allowed: {', '.join(refused)}.")
    if re.search(r"\bfrom\s+'", sql, re.IGNORECASE):
        raise QueryRejected("Reading a file by its name is not allowed; use the dataset views.")


def _strip_strings(sql: str) -> str:
    return re.sub(r"'(?:[^']|'')*'", "''", sql)


@dataclass
class _Watchdog:
    """Interrupts the connection after ``seconds`` so one query cannot hold a worker forever."""
    connection: Any
    seconds: float
    fired: bool = False
    _timer: threading.Timer | None = field(default=None, repr=False)

    def __enter__(self) -> "_Watchdog":
        self._timer = threading.Timer(self.seconds, self._fire)
        self._timer.daemon = True
        self._timer.start()
        return self

    def _fire(self) -> None:
        self.fired = True
        self.connection.interrupt()

    def __exit__(self, *exc: object) -> None:
        if self._timer is not None:
            self._timer.cancel()


def _connect(views: dict[str, Path]):
    import duckdb

    connection = duckdb.connect(":memory:", config={"threads": 2})
    paths = [str(Path(p).resolve()) for p in views.values()]
    connection.execute("SET allowed_paths = " + "[" + ", ".join(quote_literal(p) for p in paths) + "]")
    connection.execute("SET enable_external_access = false")
    connection.execute("SET lock_configuration = true")
    for name, path in views.items():
        connection.execute(f"CREATE VIEW {quote_identifier(name)} AS SELECT * FROM read_parquet("
                           f"{quote_literal(str(Path(path).resolve()))})")
    return connection


def run_select(views: dict[str, Path], sql: str, params: tuple[Any, ...] | list[Any] = (), *,
               max_rows: int = MAX_ROWS, timeout_s: float = TIMEOUT_S) -> QueryResult:
    """Run one checked SELECT over views of the given Parquet files; at most ``max_rows`` come back."""
    import duckdb

    check_select(sql)
    connection = _connect(views)
    try:
        with _Watchdog(connection, timeout_s) as watchdog:
            try:
                cursor = connection.execute(sql, list(params))
                rows = cursor.fetchmany(max_rows + 1)
            except duckdb.InterruptException as exc:
                raise QueryTimeout(f"The query took longer than {timeout_s:g} s and was stopped.") from exc
            except duckdb.Error as exc:
                if watchdog.fired:
                    raise QueryTimeout(f"The query took longer than {timeout_s:g} s and was stopped.") from exc
                raise QueryRejected(f"The query failed: {exc}") from exc
        columns = tuple(d[0] for d in cursor.description or ())
        types = tuple(str(d[1]) for d in cursor.description or ())
    finally:
        connection.close()
    return QueryResult(sql, tuple(params), columns, tuple(tuple(r) for r in rows[:max_rows]), len(rows) > max_rows,
                       types)


def distinct_values(views: dict[str, Path], view: str, columns: list[str], *, limit: int = 5000) -> dict[str, list]:
    """Distinct values of several columns in one scan (to match words in a question to the data), sorted: DuckDB
    gives a DISTINCT list in whatever order its threads finish, which made replies built on it vary run to run."""
    if not columns:
        return {}
    parts = ", ".join(f"list_sort(list(DISTINCT {quote_identifier(c)}) FILTER (WHERE {quote_identifier(c)} IS NOT "
                      f"NULL))" for c in columns)
    row = run_select(views, f"SELECT {parts} FROM {quote_identifier(view)}").rows[0]
    return {c: list(values or [])[:limit] for c, values in zip(columns, row)}


def describe(views: dict[str, Path], view: str) -> tuple[int, dict[str, str]]:
    """Row count and DuckDB column types of a view."""
    result = run_select(views, f"SELECT * FROM {quote_identifier(view)} LIMIT 0")
    count = run_select(views, f"SELECT COUNT(*) FROM {quote_identifier(view)}").rows[0][0]
    return int(count), dict(zip(result.columns, result.types))

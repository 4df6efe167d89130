"""Questions about the data's own dates: "what was the latest month", "what is the first date", "which months does
the data cover". "The latest month" was read as the period "last month" (930 rows of 2017-12 counted, the month
never named) and "the last year in the data" got a docs excerpt: the date column's edge or span is the answer."""
from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

from data import query as sql
from domain import assistant as rules
from services.assistant_datefilters import period_column
from services.assistant_mentions import find_columns
from services.assistant_table import TableContext
from services.assistant_tools import ToolResult

_DATA = r"(?:\s+(?:in|of|covered by|held by)\s+(?:the\s+|this\s+)?(?:data(?:set)?|table|file|rows))?"
EDGE = re.compile(r"^(?:what|which|when)\s+(?:is|was)\s+the\s+(first|earliest|oldest|start(?:ing)?|last|latest|"
                  r"newest|most recent|final|end(?:ing)?)\s+(date|day|week|month|quarter|year)" + _DATA + "$")
COVER = re.compile(r"^(?:what|which)\s+(dates|days|weeks|months|quarters|years|period|time span|date range)\s+"
                   r"(?:does|do|did)\s+(?:the\s+|this\s+)?(?:data(?:set)?|table|file)\s+(?:cover|span|include|hold)$|"
                   r"^(?:what|which)\s+(months|quarters|years)\s+are\s+(?:in|covered by)\s+(?:the\s+|this\s+)?"
                   r"(?:data(?:set)?|table|file)$|"
                   r"^what\s+is\s+the\s+(date range|time span|period covered)" + _DATA + "$")
FIRST_WORDS = ("first", "earliest", "oldest", "start", "starting")
LISTED = ("month", "quarter", "year")  # grains listed one row each when the span is asked


def asked(question: str) -> tuple[str, str] | None:
    """("last"|"first"|"span", grain) for a question about the data's dates, else None."""
    text = rules.normalise(question)
    edge = EDGE.match(text)
    if edge:
        return ("first" if edge.group(1) in FIRST_WORDS else "last"), edge.group(2).replace("date", "day")
    cover = COVER.match(text)
    if cover:
        said = next(g for g in cover.groups() if g)
        return "span", (rules.singular(said) if rules.singular(said) in LISTED + ("day", "week") else "day")
    return None


def date_span(table: TableContext, question: str) -> ToolResult | None:
    """The first or last period of the date column with its rows, or the periods the data covers; a refusal in
    words where the table has no date column or holds years only and a finer period is asked."""
    found = asked(question)
    if found is None:
        return None
    end, grain = found
    text = rules.normalise(question)
    column, also, problems = period_column(f"the {grain}", table, find_columns(text, table), text, [])
    if column is None:
        return _cannot(table, problems[0])
    years_only = not table.is_date(column)
    if years_only and grain != "year":
        return _cannot(table, f"{column} holds years only, so it names no {grain}; ask for the first or last year")
    key = sql.quote_identifier(column) if years_only else _key(column, grain)
    if end == "span":
        return _span(table, column, key, grain, also)
    return _edge(table, column, key, grain, end, also)


def _key(column: str, grain: str) -> str:
    quoted = sql.quote_identifier(column)
    return f"CAST({quoted} AS DATE)" if grain == "day" else f"CAST(date_trunc('{grain}', {quoted}) AS DATE)"


def _edge(table: TableContext, column: str, key: str, grain: str, end: str, also: str) -> ToolResult:
    quoted, view = sql.quote_identifier(column), sql.quote_identifier(table.view)
    query = (f'SELECT {key} AS "{grain}", COUNT(*) AS "rows", MIN({quoted}) AS "first", MAX({quoted}) AS "last" '
             f"FROM {view} WHERE {quoted} IS NOT NULL GROUP BY 1 ORDER BY 1 {'ASC' if end == 'first' else 'DESC'} "
             "LIMIT 1")
    rows = sql.run_select({table.view: table.path}, query).records()
    if not rows:
        return _cannot(table, f"{column} holds no dates")
    whole = _whole(table, column)
    row = {**rows[0], grain: _label(rows[0][grain], grain)}
    inside = "" if grain == "day" else f", from {_day(row['first'])} to {_day(row['last'])}"
    answer = (f"The {'first' if end == 'first' else 'last'} {grain} in {table.name} is {row[grain]} ({column}{also}: "
              f"{row['rows']:,} rows{inside}); the data runs from {_day(whole['first'])} to {_day(whole['last'])}.")
    return ToolResult("query_dataset", answer, f"{query};\n{whole['query']}", [row], table.name,
                      state={"data from": whole["first"], "data to": whole["last"]})  # said: the number check's


def _span(table: TableContext, column: str, key: str, grain: str, also: str) -> ToolResult:
    whole = _whole(table, column)
    if whole["rows"] == 0:
        return _cannot(table, f"{column} holds no dates")
    said = f"{table.name} ({column}{also}) runs from {_day(whole['first'])} to {_day(whole['last'])}, " \
           f"{whole['rows']:,} rows"
    if grain not in LISTED:
        row = {key: whole[key] for key in ("first", "last", "rows")}
        return ToolResult("query_dataset", f"{said}.", whole["query"], [row], table.name)
    quoted, view = sql.quote_identifier(column), sql.quote_identifier(table.view)
    query = f'SELECT {key} AS "{grain}", COUNT(*) AS "rows" FROM {view} WHERE {quoted} IS NOT NULL GROUP BY 1 ' \
        "ORDER BY 1"
    rows = [{**r, grain: _label(r[grain], grain)} for r in sql.run_select({table.view: table.path}, query).records()]
    missing = [p for p in _between(rows[0][grain], rows[-1][grain], grain) if p not in {r[grain] for r in rows}]
    gaps = f", and none in {len(missing)} {grain}{'s' * (len(missing) > 1)} between ({', '.join(missing[:12])})" \
        if missing else f", with rows in every {grain} between"
    answer = f"{said}: {len(rows):,} {grain}s from {rows[0][grain]} to {rows[-1][grain]}{gaps}."
    return ToolResult("query_dataset", answer, f"{whole['query']};\n{query}", rows, table.name)


def _whole(table: TableContext, column: str) -> dict[str, Any]:
    quoted, view = sql.quote_identifier(column), sql.quote_identifier(table.view)
    query = f'SELECT MIN({quoted}) AS "first", MAX({quoted}) AS "last", COUNT({quoted}) AS "rows" FROM {view}'
    return {**sql.run_select({table.view: table.path}, query).records()[0], "query": query}


def _label(value: Any, grain: str) -> str:
    """2017-12-01 as the month "2017-12", the quarter "2017 Q4", the year "2017", the week "the week of 2017-12-25"."""
    if grain == "year" and not str(value)[4:5] == "-":
        return str(value)
    day = date.fromisoformat(str(value)[:10])
    return {"month": f"{day:%Y-%m}", "quarter": f"{day.year} Q{(day.month - 1) // 3 + 1}", "year": f"{day.year}",
            "week": f"the week of {day.isoformat()}"}.get(grain, day.isoformat())


def _between(first: str, last: str, grain: str) -> list[str]:
    """Every month, quarter or year label from ``first`` to ``last``."""
    if grain == "year":
        return [str(y) for y in range(int(first), int(last) + 1)]
    step = 1 if grain == "month" else 3
    start = int(first[:4]) * 12 + (int(first[5:7]) - 1 if grain == "month" else (int(first[-1]) - 1) * 3)
    stop = int(last[:4]) * 12 + (int(last[5:7]) - 1 if grain == "month" else (int(last[-1]) - 1) * 3)
    return [_label(date(m // 12, m % 12 + 1, 1).isoformat(), grain) for m in range(start, stop + 1, step)]


def _day(value: Any) -> str:
    """A timestamp at midnight written as its day ("2017-12-31", not "2017-12-31T00:00:00")."""
    text = value.isoformat() if isinstance(value, (date, datetime)) else str(value)
    return text[:10] if text.endswith("T00:00:00") else text


def _cannot(table: TableContext, problem: str) -> ToolResult:
    return ToolResult("query_dataset", f"{rules.CANNOT}: {problem} ('{table.name}').", dataset=table.name,
                      cannot=True)

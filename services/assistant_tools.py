"""The assistant's dataset tools: pick a dataset, describe it, and run a plan as a read-only query,
turning the rows into a sentence. Every tool returns a ``ToolResult`` holding the exact query and rows.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field, replace
from typing import Any

from data import query as sql
from data.query_spec import SelectSpec, render, render_bucket_statistic
from domain import assistant as rules
from services import datasets
from services.assistant_buckets import of_year
from services.assistant_counts import blank_conditions, tied_rows
from services.assistant_intents import AGG_NAMES, CannotAnswer, Plan, keep_ties, plan
from services.assistant_router import column_words, parse, value_index
from services.assistant_values import unnest_lists
from services.assistant_table import TableContext
from services.runtime import Runtime

MAX_VALUE_COLUMNS = 60
MAX_DISTINCT = 5000


@dataclass(frozen=True)
class ToolResult:
    tool: str
    answer: str
    query: str = ""
    rows: list[dict[str, Any]] = field(default_factory=list)
    dataset: str | None = None
    cannot: bool = False
    state: dict[str, Any] = field(default_factory=dict)

    @property
    def evidence(self) -> str:
        """Everything a reply may quote: rows, query and row count."""
        return " ".join((json.dumps(self.rows, default=str), self.query, str(len(self.rows)),
                         json.dumps(self.state, default=str), self.dataset or ""))


def table_context(runtime: Runtime, dataset: str | int) -> TableContext:
    """Columns, DuckDB types and the distinct values of small columns, read through DuckDB."""
    info = datasets.get_dataset(runtime, dataset)
    with runtime.uow() as uow:
        path = runtime.datasets_dir / uow.datasets.get(info.id).parquet_path
    views = {info.name: path}
    rows, types = sql.describe(views, info.name)
    distinct = {p["name"]: int(p.get("distinct") or 0) for p in info.profile}
    small = [c for c in types if distinct.get(c, MAX_DISTINCT + 1) <= MAX_DISTINCT][:MAX_VALUE_COLUMNS]
    values = sql.distinct_values(views, info.name, small)
    unique = {c: distinct.get(c, 0) == rows and rows > 0 for c in types}
    return TableContext(name=info.name, view=info.name, path=path, rows=rows, columns=tuple(types),
                        kinds=dict(info.schema), types=types, values=values, unique=unique,
                        missing={p["name"]: float(p.get("missing_pct") or 0) for p in info.profile})


def choose_dataset(runtime: Runtime, question: str) -> str | None:
    """Without --dataset: the dataset whose column names and common values the question names most
    (ties: the most recent)."""
    from services.assistant_router import column_aliases

    text = rules.normalise(question)
    stemmed = rules.stem_phrase(text)
    best, best_score = None, 0.0
    for info in sorted(datasets.list_datasets(runtime), key=lambda d: d.id):
        score = 0.0
        for column in info.schema:
            if any(rules.find_phrase(text, a) >= 0 or rules.find_phrase(stemmed, a) >= 0
                   for a in column_aliases(column)):
                score += 1.0
        for profile in info.profile:
            for value, _ in (profile.get("top_values") or [])[:20]:
                key = rules.normalise(value)
                if len(key) > 2 and rules.find_phrase(text, key) >= 0:
                    score += 0.5
        if score >= best_score:
            best, best_score = info.name, score
    return best


def describe_dataset(runtime: Runtime, dataset: str) -> ToolResult:
    info = datasets.get_dataset(runtime, dataset)
    rows = [{"column": p["name"], "kind": p["kind"], "distinct": p.get("distinct"), "min": p.get("min"),
             "max": p.get("max")} for p in info.profile]
    answer = (f"Dataset '{info.name}' has {info.rows:,} rows and {info.columns} columns: "
              f"{', '.join(info.schema)}.")
    return ToolResult("describe_dataset", answer, f"datasets.get_dataset({info.name!r}).profile", rows, info.name)


def list_datasets(runtime: Runtime) -> ToolResult:
    stored = datasets.list_datasets(runtime)
    rows = [{"dataset": d.name, "rows": d.rows, "columns": d.columns} for d in stored]
    if not rows:
        return ToolResult("list_datasets", "No datasets are stored yet.", "datasets.list_datasets()", rows)
    names = ", ".join(f"{d.name} ({d.rows:,} rows)" for d in stored)
    return ToolResult("list_datasets", f"There are {len(rows)} datasets: {names}.", "datasets.list_datasets()", rows)


def query_dataset(table: TableContext, question: str, *, embedder=None, parsed=None) -> ToolResult:
    """Parse, plan, run and phrase one question over one table; CannotAnswer becomes a plain refusal."""
    if re.search(r"\b(how many|number of|count of|count the) (columns|fields|variables|features|attributes)\b",
                 rules.normalise(question)):
        return column_count(table)
    try:
        parsed = parsed or parse(question, table, value_index(table))
        chosen = plan(parsed, table, embedder)
    except CannotAnswer as exc:
        facts = date_coverage(table) if "covers" in str(exc) else []
        return ToolResult("query_dataset", str(exc), "", facts, table.name, cannot=True)
    return run_plan(table, chosen)


def date_coverage(table: TableContext) -> list[dict[str, Any]]:
    """The facts behind a refusal that names the data's date range."""
    rows = []
    for column in table.columns:
        known = [v for v in table.values.get(column, []) if table.is_date(column) and v is not None]
        if known:
            rows.append({"column": column, "first": sql.jsonable(min(known)), "last": sql.jsonable(max(known))})
    return rows


def run_plan(table: TableContext, chosen: Plan) -> ToolResult:
    views = {table.view: table.path}
    ranked = chosen.intent in ("argmax", "top") and bool(chosen.spec.group_by) and not chosen.spec.grain
    limit = chosen.spec.limit
    text, params = render(replace(chosen.spec, limit=limit + 1) if ranked and limit else chosen.spec)
    text = unnest_lists(table, chosen.spec, of_year(chosen.spec, text))
    result = sql.run_select(views, text, params)
    records = result.records()
    if ranked:  # a blank group never wins a ranking ("director None (1,323)"): left out, and counted below
        records = [r for r in records if r.get(chosen.spec.group_by) is not None][:limit]
    rows = keep_ties(chosen, records)
    shown = sql.inline(text, params)
    state: dict[str, Any] = {"intent": chosen.intent, "notes": list(chosen.notes)}
    if ranked:
        blanks, counted = _blank_groups(views, chosen.spec)
        if blanks:
            state["blank_rows"] = blanks
            shown += ";\n" + counted
    if chosen.intent == "share" and chosen.spec.agg == "rate" and records:
        blanks, counted = blank_conditions(views, chosen.spec)
        if blanks:  # rows with no value are in the whole but never match: the reply says how many
            state["blank_conditions"] = blanks
            shown += ";\n" + counted
    if chosen.intent == "argmax_rows" and limit and len(records) >= limit and len(rows) == len(records):
        state["tied"], counted = tied_rows(views, chosen.spec, chosen.measure, rows[0].get(chosen.measure))
        shown += ";\n" + counted
    if chosen.intent == "grain_stat" or (chosen.spec.grain and (result.truncated or len(rows) == chosen.spec.limit)):
        # Bucket rows shown are capped; the statistic and the bucket count come from all of them.
        stat_sql, stat_params = render_bucket_statistic(chosen.spec, chosen.statistic or "sum")
        summary = sql.run_select(views, stat_sql, stat_params).records()[0]
        state.update(value=summary["value"], buckets=summary["buckets"])
        shown += ";\n" + sql.inline(stat_sql, stat_params)
    return ToolResult("query_dataset", phrase(chosen, rows, table, state), shown, rows, table.name, state=state)


def _blank_groups(views: dict, spec: SelectSpec) -> tuple[int, str]:
    """How many of the rows ranked have no value of the grouping column, and the queries that say so."""
    every = replace(spec, agg="count", measure=None, group_by=None, label="rows", limit=None, order_by=None,
                    numeric_measure_text=False)
    counts, shown = [], []
    for counted in (every, replace(every, measure=spec.group_by, label=f"rows with {spec.group_by}")):
        text, params = render(counted)
        counts.append(next(iter(sql.run_select(views, text, params).records()[0].values())) or 0)
        shown.append(sql.inline(text, params))
    return counts[0] - counts[1], ";\n".join(shown)


def column_count(table: TableContext) -> ToolResult:
    rows = [{"column": c, "type": table.types.get(c, "")} for c in table.columns]
    return ToolResult("query_dataset", f"'{table.name}' has {len(rows)} columns: {', '.join(table.columns)}.",
                      f"DESCRIBE {sql.quote_identifier(table.view)}", rows, table.name)


def _fmt(value: Any) -> str:
    return rules.format_number(value) if isinstance(value, (int, float)) else str(value)


_PLAIN_KEY = re.compile(r"(^|\s)(id|year|code|zip|no|number|fy)(\s|$)")


def _key(value: Any, column: str | None) -> str:
    """A group or row label as written: a year or an id without separators ("HireYear 2021", not 2,021)."""
    whole = isinstance(value, (int, float)) and not isinstance(value, bool) and float(value).is_integer()
    if whole and column and _PLAIN_KEY.search(column_words(column)):
        return str(int(value))
    return _fmt(value)


_YEARS = re.compile(r"(^|\s)(year|fy)(\s|$)")


def _stat(value: Any, column: str | None, agg: str | None) -> str:
    """A statistic as written: a year's maximum, minimum or average without separators (2021, 1990.11)."""
    if agg in ("max", "min", "avg", "median", None) and column and _YEARS.search(column_words(column)) \
            and isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(int(value)) if float(value).is_integer() else f"{value:.2f}"
    return _fmt(value)


def _where(chosen: Plan) -> str:
    return f" where {' and '.join(chosen.notes)}" if chosen.notes else ""


def phrase(chosen: Plan, rows: list[dict[str, Any]], table: TableContext, state: dict[str, Any] | None = None) -> str:
    """The template answer: plain sentences holding only values from ``rows`` and the filters."""
    spec, where, state = chosen.spec, _where(chosen), state or {}
    if not rows:
        return f"{rules.CANNOT}: no rows of '{table.name}' match{where}."
    if chosen.intent == "grain_stat":
        if state.get("value") is None:
            return f"{rules.CANNOT}: no rows of '{table.name}' match{where}."
        name = {"avg": "average", "median": "median", "max": "highest", "min": "lowest", "sum": "total"}
        shown = f" (the first {len(rows)} are shown)" if len(rows) < state["buckets"] else ""
        return (f"The {name.get(chosen.statistic, chosen.statistic)} {spec.grain}ly {spec.label}{where} is "
                f"{_fmt(state['value'])}, over {_fmt(state['buckets'])} {spec.grain}s{shown}."
                ).replace("dayly", "daily")
    if chosen.intent == "group" and state.get("buckets"):
        head = f"{spec.label[:1].upper()}{spec.label[1:]} by {spec.group_by}{where}"
        items = ", ".join(f"{_key(r[spec.group_by], spec.group_by)} ({_fmt(r[spec.label])})" for r in rows)
        return f"{head}, the first {len(rows)} of {_fmt(state['buckets'])}: {items}."
    if chosen.intent == "share":
        return _share_sentence(chosen, rows[0], where, state.get("blank_conditions") or {})
    if chosen.intent in ("count", "aggregate", "count_distinct"):
        value = next(iter(rows[0].values()))
        if value is None:
            return f"{rules.CANNOT}: no rows of '{table.name}' match{where}."
        one = value == 1
        if chosen.intent == "count":
            with_value = f" with a value of {spec.measure}" if spec.measure else ""
            return f"There {'is' if one else 'are'} {_fmt(value)} row{'' if one else 's'}{with_value}{where}."
        if chosen.intent == "count_distinct":
            return f"There {'is' if one else 'are'} {_fmt(value)} distinct value{'' if one else 's'} of " \
                   f"{spec.measure}{where}."
        name = {"min": "earliest", "max": "latest"}.get(spec.agg, AGG_NAMES[spec.agg]) \
            if table.is_date(spec.measure) else AGG_NAMES[spec.agg]  # a date's minimum is its earliest
        return f"The {name} {spec.measure}{where} is {_stat(value, spec.measure, spec.agg)}." \
            if table.is_date(spec.measure) else f"The {name} of {spec.measure}{where} is " \
                                               f"{_stat(value, spec.measure, spec.agg)}."
    if chosen.intent in ("argmax", "top", "group"):
        label = spec.label
        items = [f"{_key(r[spec.group_by], spec.group_by)} ({_stat(r[label], spec.measure, spec.agg)})" for r in rows]
        what = f"{label}" if spec.agg != "count" else "number of rows"
        blank = f" ({_fmt(state['blank_rows'])} rows with no {spec.group_by} are left out)" \
            if state.get("blank_rows") else ""
        if chosen.intent == "argmax":
            best = "highest" if spec.descending else "lowest"
            return f"{spec.group_by} {' and '.join(items)} has the {best} {what}{where}{blank}."
        if chosen.intent == "top":
            head = f"Top {len(rows)}" if spec.descending else f"Bottom {len(rows)}"
            return f"{head} {spec.group_by} by {what}{where}{blank}: {', '.join(items)}."
        return f"{what[:1].upper()}{what[1:]} by {spec.group_by}{where}: {', '.join(items)}."
    if chosen.intent in ("argmax_rows", "top_rows"):
        target, measure = chosen.target, chosen.measure
        items = [_key(r.get(target), target) + (f" ({measure} {_stat(r.get(measure), measure, None)})"
                                                if measure != target else "")
                 for r in rows]
        best = "highest" if spec.descending else "lowest"
        values = {r.get(measure) for r in rows}
        if chosen.intent == "argmax_rows" and target != measure and len(values) == 1:
            names = ", ".join(_key(r.get(target), target) for r in rows)
            more = f" (the first {len(rows)} of {_fmt(state['tied'])} rows with it)" \
                if state.get("tied", 0) > len(rows) else ""
            return f"The {best} {measure}{where} is {_stat(rows[0].get(measure), measure, None)}, for {target} " \
                   f"{names}{more}."
        if chosen.intent == "argmax_rows":
            return f"The {best} {measure}{where} is for {target} {' and '.join(items)}." if target != measure \
                else f"The {best} {measure}{where} is {' and '.join(items)}."
        return f"The {len(rows)} rows with the {best} {measure}{where}: {', '.join(items)}."
    return _lookup_sentence(chosen, rows, where)


def _share_sentence(chosen: Plan, row: dict[str, Any], where: str, blanks: dict[str, int]) -> str:
    spec = chosen.spec
    value = row.get(spec.label)
    if value is None:
        return f"{rules.CANNOT}: there is nothing to take a percentage of{where}."
    counted = " and ".join(f.describe() for f in spec.condition)
    part, whole = list(row.values())[:2]
    if spec.agg == "rate" and blanks:  # "of all 20,000 rows; 488 have no ARR_DELAY": blanks never match
        missing = "; ".join(f"{_fmt(n)} have no {c}" for c, n in blanks.items())
        return f"{_fmt(value)}% of all {_fmt(whole)} rows{where} have {counted} ({_fmt(part)}); {missing}."
    if spec.agg == "rate":
        return f"{_fmt(value)}% of the rows{where} have {counted} ({_fmt(part)} of {_fmt(whole)})."
    return (f"{_fmt(value)}% of the total {spec.measure}{where} comes from rows with {counted} "
            f"({_fmt(part)} of {_fmt(whole)}).")


def _lookup_sentence(chosen: Plan, rows: list[dict[str, Any]], where: str) -> str:
    columns = list(chosen.spec.select)
    if len(columns) == 1:
        values = list(dict.fromkeys(_fmt(r[columns[0]]) for r in rows))
        verb = "is" if len(values) == 1 else "are"
        return f"The {columns[0]}{where} {verb} {', '.join(values)}."
    parts = ["; ".join(f"{c} {_fmt(r[c])}" for c in columns) for r in rows[:10]]
    more = f" (and {len(rows) - 10} more rows)" if len(rows) > 10 else ""
    return f"{len(rows)} matching rows{where}: " + " | ".join(parts) + more + "."

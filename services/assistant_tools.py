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
from services.assistant_intents import CannotAnswer, Plan, keep_ties, plan
from services.assistant_outcomes import left_out, left_out_sentence
from services.assistant_picking import match_scores
from services.assistant_periods import is_per_period, per_id_sentence, run_per_period
from services.assistant_phrase import partial_period, phrase, with_coverage
from services.assistant_router import parse, value_index
from services.assistant_places import aggregates_note, region_sentence, region_swap
from services.assistant_levels import asks_a_level, is_latest, latest_note, latest_sentence, run_latest
from services.assistant_running import repeated_sentence, repeated_value, running_note
from services.assistant_toprows import ids_as_numbers
from services.assistant_values import unnest_lists
from services.assistant_yesno import in_words, spellings
from services.assistant_table import TableContext, column_aliases
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
                        missing={p["name"]: float(p.get("missing_pct") or 0) for p in info.profile},
                        words=spellings(info.profile, dict(info.schema)))


def choose_dataset(runtime: Runtime, question: str) -> str | None:
    """Without --dataset: the dataset whose column names and common values the question names most
    (ties: the most recent)."""
    tied = tied_datasets(runtime, question)
    return tied[0] if tied else None


def tied_datasets(runtime: Runtime, question: str) -> list[str]:
    """The datasets with the best match score, most recent first (none when nothing matches and none is stored)."""
    scores = match_scores(runtime, question)
    best = max((score for _, score in scores), default=0.0)
    return list(dict.fromkeys(name for name, score in reversed(scores) if score == best))


def names_data(runtime: Runtime, question: str, dataset: str | None) -> bool:
    """The question names a column and a value of the dataset picked (else of the best match): "what is the
    population of India?" asks the data, not the docs' PSI section on population stability."""
    name = dataset or choose_dataset(runtime, question)
    if not name:
        return False
    text = rules.normalise(question)
    table = table_context(runtime, name)
    stemmed = rules.stem_phrase(text)
    if asks_a_level(text, table):  # "what is the price?" on a table of one price a day
        return True
    if not any(rules.find_phrase(text, a) >= 0 or rules.find_phrase(stemmed, a) >= 0
               for column in table.columns for a in column_aliases(column)):
        return False
    return any(len(key) > 2 and rules.find_phrase(text, key) >= 0 for key in value_index(table))


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
    """The plan's query run and phrased; a yes/no value is written in the file's words ("Attrition Yes")."""
    result = _run_plan(table, chosen)
    swapped = region_swap(table, chosen) if result.rows and not result.answer.startswith(rules.CANNOT) else None
    if swapped is not None:  # "new cases in Europe": the continent's countries, and the Europe row beside them
        other = _run_plan(table, swapped[0])
        value = next(iter(result.rows[0].values()))
        check = next(iter(other.rows[0].values())) if other.rows else None
        answer = result.answer + region_sentence(swapped[1], swapped[2], value, check)
        result = replace(result, answer=answer, query=f"{result.query};\n{other.query}",
                         state={**result.state, "summary_rows": other.rows})
    return replace(result, answer=in_words(table, result.answer), rows=ids_as_numbers(table, result.rows))


def _run_plan(table: TableContext, chosen: Plan) -> ToolResult:
    views = {table.view: table.path}
    if is_per_period(chosen):  # "mean sales per day by store", "average quantity per invoice": summed first
        return _run_per_period(table, views, chosen)
    repeated = repeated_value(views, chosen)  # "population of India": one value on all 487 rows, not their sum
    if repeated is not None:
        return ToolResult("query_dataset", repeated_sentence(chosen, repeated[0][0]), repeated[1], repeated[0],
                          table.name, state={"intent": chosen.intent, "notes": list(chosen.notes)})
    if is_latest(chosen):  # "total balance": each account's latest balance, added up
        return _run_latest(table, views, chosen)
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
    if chosen.intent == "argmax" and len(records) > len(rows):  # "next: others (41.67%, 5 of 12 rows)"
        state["runner_up"] = records[len(rows)]
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
        if chosen.intent == "grain_stat" and chosen.statistic == "avg" and chosen.spec.agg == "sum":
            state["bucket_rows"], counted = bucket_rows(views, chosen.spec)  # several rows a day: said in the reply
            shown += ";\n" + counted
    if chosen.spec.extra.get("finished"):  # loans still running are out of the rate: the reply counts them
        state["left_out"], counted = left_out(views, chosen)
        state["loans_left_out"] = sum(state["left_out"].values())  # the total the reply states is a result too
        shown += ";\n" + counted
    coverage = partial_period(chosen, table)
    if coverage:  # the reply may quote the dates covered: they are part of what the tool returned
        state["coverage"] = coverage
    answer = phrase(chosen, rows, table, state)
    answer = with_coverage(answer + left_out_sentence(state.get("left_out") or {}) if rows else answer, coverage)
    answer += running_note(chosen) + aggregates_note(chosen) if rows and not answer.startswith(rules.CANNOT) else ""
    return ToolResult("query_dataset", answer, shown, ranked_rows(chosen, rows, records), table.name, state=state)


def ranked_rows(chosen: Plan, winners: list[dict[str, Any]], records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """"Which purpose has the highest default rate": every group the query ranked, the answer's first, so the rows
    shown back the comparison (they held only the winner, hiding a runner-up of 41.7% on 12 rows). Time buckets
    ("the busiest hour", "when was the price lowest") keep the bucket(s) answered."""
    grouped = chosen.intent == "argmax" and bool(chosen.spec.group_by) and not chosen.spec.grain
    return records if grouped and winners and records[:len(winners)] == winners else winners


def _run_per_period(table: TableContext, views: dict, chosen: Plan) -> ToolResult:
    records, shown = run_per_period(views, chosen)
    rows = keep_ties(chosen, records)
    state = {"intent": chosen.intent, "notes": list(chosen.notes)}
    where = f" where {' and '.join(chosen.notes)}" if chosen.notes else ""
    answer = per_id_sentence(chosen, rows, where) if chosen.intent == "aggregate" else \
        phrase(chosen, rows, table, state)
    answer += aggregates_note(chosen) if rows and not answer.startswith(rules.CANNOT) else ""
    return ToolResult("query_dataset", answer, shown, ranked_rows(chosen, rows, records), table.name, state=state)


def _run_latest(table: TableContext, views: dict, chosen: Plan) -> ToolResult:
    records, shown = run_latest(views, chosen)
    rows = keep_ties(chosen, records)
    state = {"intent": chosen.intent, "notes": list(chosen.notes)}
    if chosen.intent == "aggregate":
        answer = latest_sentence(chosen, rows)
    else:
        answer = phrase(chosen, rows, table, state) + latest_note(chosen, rows)
    answer += aggregates_note(chosen) if rows and not answer.startswith(rules.CANNOT) else ""
    return ToolResult("query_dataset", answer, shown, ranked_rows(chosen, rows, records), table.name, state=state)


def bucket_rows(views: dict, spec: SelectSpec) -> tuple[int, str]:
    """The rows the buckets are summed from, and the query that counts them."""
    text, params = render(replace(spec, agg="count", measure=None, group_by=None, grain=None, grain_column=None,
                                  label="rows", order_by=None, limit=None, numeric_measure_text=False))
    return sql.run_select(views, text, params).records()[0]["rows"] or 0, sql.inline(text, params)


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

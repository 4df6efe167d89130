"""The assistant's tools over stored runs and predictions, written against the stored prediction
conventions in docs/foundation.md (desk, kind, output keys) rather than any desk's code, so they work
for whatever runs the desks store.
"""
from __future__ import annotations

import re
from collections import Counter
from typing import Any

from domain import assistant as rules
from services import maintenance_plan, runs
from services.assistant_tools import ToolResult
from services.errors import UserFacingError
from services.results import RunInfo
from services.runtime import Runtime

DESKS = ("finance", "retail", "triage", "maintenance", "baseline")
RUN_WORDS = ("run", "model", "metric", "metrics", "auc", "smape", "rmse", "wape", "accuracy", "champion")
RISK_WORDS = ("at risk", "alert", "alerts", "remaining useful life", "rul", "failing", "failure risk")
TRIAGE_WORDS = ("worklist", "triage", "studies", "study")
RUL_RISK_DEFAULT = 30.0
MISSING_RUN = "run_lookup"  # the tool name of "there is no run 999": it stands even when datasets are stored


def desk_in(text: str) -> str | None:
    return next((d for d in DESKS if rules.find_phrase(text, d) >= 0), None)


def route(runtime: Runtime, question: str) -> ToolResult | None:
    """A tool over runs when the question is about runs or predictions; None otherwise."""
    text = rules.normalise(question)
    if rules.has_any(text, TRIAGE_WORDS) and not rules.has_any(text, ("run",)):
        return triage_counts(runtime)
    if rules.has_any(text, RISK_WORDS) and rules.has_any(text, ("unit", "units", "machine", "machines", "risk")):
        return units_at_risk(runtime, text)
    if rules.find_phrase(text, "forecast") >= 0:
        return series_forecast(runtime, text)
    if rules.has_any(text, ("reason", "reasons", "reason codes")) or re.search(r"\bscore (of|for) \S*\d", text):
        return record_score(runtime, question)
    if re.search(r"\brun \d+\b", text) or (rules.has_any(text, RUN_WORDS) and (desk_in(text) or
                                                                             rules.has_any(text, ("latest", "last")))):
        return run_metrics(runtime, text)
    return None


def _latest(runtime: Runtime, desk: str | None, kind: str | None = None) -> RunInfo | None:
    for run in runs.list_runs(runtime, desk=desk):
        if kind is None or not runs.predictions_frame(runtime, run.id, kind, limit=1).empty:
            return run
    return None


def _no_run(tool: str, desk: str | None, what: str = "") -> ToolResult:
    who = f"{desk} " if desk else ""
    return ToolResult(tool, f"{rules.CANNOT}: there is no stored {who}run{what} yet.", cannot=True)


def _missing_run(runtime: Runtime, number: int) -> ToolResult:
    stored = runs.list_runs(runtime)
    if not stored:
        return _no_run(MISSING_RUN, None, f" {number}")
    ids = sorted(r.id for r in stored)
    latest = max(stored, key=lambda r: r.id)
    listed = (f"The only stored run is run {latest.id} ({latest.desk})." if len(ids) == 1 else
              f"The stored runs are numbered {ids[0]} to {ids[-1]} ({len(ids)} in all); the latest is run "
              f"{latest.id} ({latest.desk}).")
    return ToolResult(MISSING_RUN, f"{rules.CANNOT}: there is no run {number}. {listed}",
                      f"runs.get_run({number})", [], cannot=True)


def run_metrics(runtime: Runtime, text: str) -> ToolResult:
    match = re.search(r"\brun (\d+)\b", text)
    desk = desk_in(text)
    run = None
    if match:
        run = next((r for r in runs.list_runs(runtime) if r.id == int(match.group(1))), None)
    elif "champion" in text:
        run = next((r for r in runs.list_runs(runtime, desk=desk) if r.champion), None)
    else:
        run = _latest(runtime, desk)
    if run is None and match:  # a run asked for by number: said plainly, never answered from a dataset instead
        return _missing_run(runtime, int(match.group(1)))
    if run is None:
        return _no_run("run_metrics", desk)
    numeric = {k: v for k, v in run.metrics.items() if isinstance(v, (int, float)) and not isinstance(v, bool)}
    asked = {k: v for k, v in numeric.items() if any(rules.find_phrase(text, w) >= 0
                                                     for w in rules.normalise(k).split() if len(w) > 2)}
    chosen = asked or numeric
    rows = [{"run": run.id, "desk": run.desk, "metric": k, "value": v} for k, v in chosen.items()]
    if not rows:
        return ToolResult("run_metrics", f"Run {run.id} ({run.desk}) has no numeric metrics stored.",
                          f"runs.get_run({run.id}).metrics", [])
    listed = ", ".join(f"{k} = {rules.format_number(v)}" for k, v in chosen.items())
    return ToolResult("run_metrics", f"Run {run.id} ({run.desk}, {run.task}): {listed}.",
                      f"runs.get_run({run.id}).metrics", rows)


def record_score(runtime: Runtime, question: str) -> ToolResult:
    run = _latest(runtime, "finance", "score")
    if run is None:
        return _no_run("record_score", "finance", " with scores")
    frame = runs.latest_predictions(runtime, run.id, "score")
    keys = {str(k).lower(): str(k) for k in frame["record_key"]}
    tokens = [t.strip(".,?!'\"").lower() for t in question.split()]
    key = next((keys[t] for t in tokens if t in keys), None)
    query = f"predictions(run={run.id}, kind='score', record_key={key!r})"
    if key is None:
        return ToolResult("record_score", f"{rules.CANNOT}: the question names no record scored in run {run.id}.",
                          query, [], cannot=True)
    row = frame[frame["record_key"].astype(str) == key].iloc[0].to_dict()
    row = _jsonable([{k: v for k, v in row.items() if v == v}])[0]  # drop NaN from keys other rows have
    reasons = [str(row[k]) for k in sorted(row) if k.startswith("reason_") and row[k]]
    parts = [f"probability of default {rules.format_number(float(row['pd']))}" if "pd" in row else "",
             f"grade {row['grade']}" if "grade" in row else "", f"decision {row['decision']}" if "decision" in row else ""]
    body = ", ".join(p for p in parts if p)
    because = f"; reasons: {'; '.join(reasons)}" if reasons else ""
    return ToolResult("record_score", f"Record {key} (run {run.id}): {body}{because}.", query, [row])


def _series_filters(text: str) -> list[str]:
    return [f"{name}={value}" for name, value in re.findall(r"(?=\b([a-z_]+)\s+(\w+)\b)", text)]


def series_forecast(runtime: Runtime, text: str) -> ToolResult:
    run = _latest(runtime, "retail", "forecast")
    if run is None:
        return _no_run("series_forecast", "retail", " with a forecast")
    frame = runs.predictions_frame(runtime, run.id, "forecast")
    wanted = [w for w in _series_filters(text) if frame["record_key"].str.contains(re.escape(w) + r"(?:\||$)").any()]
    chosen = frame
    for part in wanted:
        chosen = chosen[chosen["record_key"].str.contains(re.escape(part) + r"(?:\||$)")]
    query = f"predictions(run={run.id}, kind='forecast', series={'|'.join(wanted) or 'all'})"
    if chosen.empty or not wanted:
        return ToolResult("series_forecast", f"{rules.CANNOT}: name a series of run {run.id} "
                          "(for example 'forecast for store 1 item 2').", query, [], cannot=True)
    rows = _jsonable([{k: v for k, v in r.items() if v == v} for r in chosen.sort_values("date").to_dict("records")])
    first, last = rows[0], rows[-1]
    return ToolResult("series_forecast",
                      f"The forecast for {' '.join(wanted)} (run {run.id}) covers {len(rows)} dates from "
                      f"{first['date']} to {last['date']}; p50 on {first['date']} is "
                      f"{rules.format_number(float(first['p50']))} (p10 {rules.format_number(float(first['p10']))}, "
                      f"p90 {rules.format_number(float(first['p90']))}).", query, rows)


def units_at_risk(runtime: Runtime, text: str) -> ToolResult:
    run = _latest(runtime, "maintenance")
    if run is None:
        return _no_run("units_at_risk", "maintenance")
    rul = runs.latest_predictions(runtime, run.id, "rul")
    limit = next((c.value for c in rules.comparisons(text) if c.op in ("<", "<=")), RUL_RISK_DEFAULT)
    if not rul.empty:
        risky = rul[rul["rul"].astype(float) < limit].sort_values("rul")
        rows = _jsonable([{k: v for k, v in r.items() if v == v} for r in risky.to_dict("records")])
        names = ", ".join(f"{r.get('unit', r['record_key'])} (RUL {rules.format_number(float(r['rul']))})"
                          for r in rows[:20])
        answer = (f"{_units(len(rows))} a remaining useful life below {rules.format_number(limit)} "
                  f"(run {run.id})")
        return ToolResult("units_at_risk", answer + (f": {names}." if rows else "."),
                          f"predictions(run={run.id}, kind='rul', rul < {rules.format_number(limit)})", rows)
    try:  # the plan's fleet: one row per unit, and a run without ids reads its latest scored file only
        score = maintenance_plan.fleet(runtime, run.id)
    except UserFacingError:
        return _no_run("units_at_risk", "maintenance", " with scores")
    risky = score[score["alert"].astype(bool)].sort_values("p_failure", ascending=False)
    rows = _jsonable([{k: v for k, v in r.items() if v == v} for r in risky.to_dict("records")])
    names = ", ".join(str(r["unit"]) for r in rows[:20])
    return ToolResult("units_at_risk", f"{_units(len(rows))} an alert in run {run.id}" +
                      (f": {names}." if rows else "."), f"predictions(run={run.id}, kind='score', alert)", rows)


def _units(count: int) -> str:
    return "1 unit has" if count == 1 else f"{count:,} units have"


def triage_counts(runtime: Runtime) -> ToolResult:
    run = _latest(runtime, "triage", "worklist")
    if run is None:
        return _no_run("triage_counts", "triage", " with a worklist")
    frame = runs.predictions_frame(runtime, run.id, "worklist")
    counts: Counter[str] = Counter(str(p) for p in frame.get("priority", []))
    rows = [{"priority": k, "studies": v} for k, v in sorted(counts.items())]
    listed = ", ".join(f"{r['priority']}: {r['studies']}" for r in rows)
    return ToolResult("triage_counts", f"The worklist of run {run.id} has {len(frame)} studies ({listed}).",
                      f"predictions(run={run.id}, kind='worklist') grouped by priority", rows)


def _jsonable(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{k: (v.item() if hasattr(v, "item") else v) for k, v in r.items()} for r in rows]

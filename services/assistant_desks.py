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
from services.assistant_runs import asked_metrics, desk_in, latest_run, no_run, run_metrics
from services.assistant_tools import ToolResult
from services.errors import UserFacingError
from services.runtime import Runtime

RUN_WORDS = ("run", "model", "metric", "metrics", "auc", "smape", "rmse", "wape", "accuracy", "champion")
RUN_CONTEXT = ("run", "runs", "champion")  # "model" alone may be a column ("average cost by model")
RISK_WORDS = ("at risk", "alert", "alerts", "remaining useful life", "rul", "failing", "failure risk")
TRIAGE_WORDS = ("worklist", "triage", "studies", "study")
RUL_RISK_DEFAULT = 30.0


def route(runtime: Runtime, question: str) -> ToolResult | None:
    """A tool over runs when the question is about runs or predictions; None otherwise. A metric word with a
    desk, run or model named asks for run metrics first ("which triage model has the best AUC" is no worklist
    count, "the WAPE of the latest retail forecast run" no series forecast)."""
    text = rules.normalise(question)
    if asked_metrics(text) and (desk_in(text) or rules.has_any(text, RUN_CONTEXT)):
        return run_metrics(runtime, text)
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


def record_score(runtime: Runtime, question: str) -> ToolResult:
    run = latest_run(runtime, "finance", "score")
    if run is None:
        return no_run("record_score", "finance", " with scores")
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


SHOWN_SERIES = 5


def _series_ids(frame) -> list[str]:
    """A forecast row's key is '<series>|<date>' with the series as 'store=1|item=2' (key columns by name)."""
    return frame["record_key"].str.rsplit("|", n=1).str[0]


def _asked_parts(text: str, series: list[str]) -> dict[str, str]:
    """Key columns the question gives a value for ("store 3", "item=10"), with the value as written."""
    names = {part.split("=", 1)[0] for sid in series for part in sid.split("|") if "=" in part}
    found = {name: re.search(rf"(?<![a-z0-9]){re.escape(rules.normalise(name))}\s*=?\s*([a-z0-9][\w.\-]*)", text)
             for name in names}
    return {name: match.group(1) for name, match in sorted(((n, m) for n, m in found.items() if m),
                                                            key=lambda item: item[1].start())}  # as written


def _matches(text: str, sid: str, asked: dict[str, str]) -> bool:
    parts = dict(part.split("=", 1) for part in sid.split("|") if "=" in part)
    return bool(asked) and all(name in parts and (rules.find_phrase(text, rules.normalise(f"{name} {parts[name]}")) >= 0
                                                  or rules.find_phrase(text, rules.normalise(f"{name}={parts[name]}"))
                                                  >= 0) for name in asked)


def series_forecast(runtime: Runtime, text: str) -> ToolResult:
    """The forecast of the series the question names, from the newest retail run that holds it (an older run
    may be the one that forecast this series); else what the stored forecasts hold."""
    stored: list[tuple[int, list[str]]] = []
    asked: dict[str, str] = {}
    for run in runs.list_runs(runtime, desk="retail"):
        frame = runs.predictions_frame(runtime, run.id, "forecast")
        if frame.empty:
            continue
        ids = _series_ids(frame)
        series = list(dict.fromkeys(ids))
        stored.append((run.id, series))
        parts = _asked_parts(text, series)
        asked = asked or parts
        matched = [sid for sid in series if _matches(text, sid, parts)]
        if matched:
            return _forecast_answer(run.id, frame[ids.isin(matched)], matched, text)
    if not stored:
        return no_run("series_forecast", "retail", " with a forecast")
    named = "|".join(f"{k}={v}" for k, v in asked.items())
    rows = [{"run": run_id, "series": len(series), "examples": series[:SHOWN_SERIES]} for run_id, series in stored]
    listed = "; ".join(f"run {r['run']}: {', '.join(r['examples'])}" + (", …" if r["series"] > SHOWN_SERIES else "")
                       for r in rows)
    what = f"no stored retail forecast has the series {named}" if named else "name a series"
    return ToolResult("series_forecast", f"{rules.CANNOT}: {what}. The forecast series are {listed}.",
                      f"predictions(kind='forecast', series={named or 'all'}) in retail runs "
                      f"{', '.join(str(r['run']) for r in rows)}", rows, cannot=True)


def _forecast_answer(run_id: int, chosen, matched: list[str], text: str) -> ToolResult:
    asked = _asked_parts(text, matched)
    wanted = "|".join(p for p in matched[0].split("|") if p.split("=", 1)[0] in asked)  # in the series' order
    query = f"predictions(run={run_id}, kind='forecast', series={wanted})"
    rows = _jsonable([{k: v for k, v in r.items() if v == v} for r in chosen.sort_values("date").to_dict("records")])
    if len(matched) > 1:
        shown = ", ".join(matched[:SHOWN_SERIES]) + (", …" if len(matched) > SHOWN_SERIES else "")
        return ToolResult("series_forecast", f"Run {run_id} forecasts several series with {wanted}: {shown}. "
                          "Name one for its forecast.", query, rows)
    first, last = rows[0], rows[-1]
    return ToolResult("series_forecast",
                      f"The forecast for {matched[0]} (run {run_id}) covers {len(rows)} dates from "
                      f"{first['date']} to {last['date']}; p50 on {first['date']} is "
                      f"{rules.format_number(float(first['p50']))} (p10 {rules.format_number(float(first['p10']))}, "
                      f"p90 {rules.format_number(float(first['p90']))}).", query, rows)


def units_at_risk(runtime: Runtime, text: str) -> ToolResult:
    run = latest_run(runtime, "maintenance")
    if run is None:
        return no_run("units_at_risk", "maintenance")
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
        return no_run("units_at_risk", "maintenance", " with scores")
    risky = score[score["alert"].astype(bool)].sort_values("p_failure", ascending=False)
    rows = _jsonable([{k: v for k, v in r.items() if v == v} for r in risky.to_dict("records")])
    names = ", ".join(str(r["unit"]) for r in rows[:20])
    return ToolResult("units_at_risk", f"{_units(len(rows))} an alert in run {run.id}" +
                      (f": {names}." if rows else "."), f"predictions(run={run.id}, kind='score', alert)", rows)


def _units(count: int) -> str:
    return "1 unit has" if count == 1 else f"{count:,} units have"


def triage_counts(runtime: Runtime) -> ToolResult:
    run = latest_run(runtime, "triage", "worklist")
    if run is None:
        return no_run("triage_counts", "triage", " with a worklist")
    frame = runs.predictions_frame(runtime, run.id, "worklist")
    counts: Counter[str] = Counter(str(p) for p in frame.get("priority", []))
    rows = [{"priority": k, "studies": v} for k, v in sorted(counts.items())]
    listed = ", ".join(f"{r['priority']}: {r['studies']}" for r in rows)
    return ToolResult("triage_counts", f"The worklist of run {run.id} has {len(frame)} studies ({listed}).",
                      f"predictions(run={run.id}, kind='worklist') grouped by priority", rows)


def _jsonable(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{k: (v.item() if hasattr(v, "item") else v) for k, v in r.items()} for r in rows]

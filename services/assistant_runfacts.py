"""Run questions that are neither a metric nor a dataset question: the columns a run left out, two runs side by
side, and how many records a run scored or flagged. They were answered from the newest dataset ("what columns
were left out in finance run 5" described a table), with run 4 alone, or with the run's metrics."""
from __future__ import annotations

import json
import re
from typing import Any

import pandas as pd

from domain import assistant as rules
from domain.finance import APPROVE, DECLINE
from services import assistant_scored, assistant_worklists, labels, runs
from services.assistant_fleet import RUL_RISK_DEFAULT
from services.assistant_runs import desk_in, desk_runs, metric_name, missing_run, task_named
from services.assistant_tools import ToolResult
from services.results import RunInfo
from services.runtime import Runtime

COUNT = re.compile(r"\b(?:how many|number of|count of)\b")
LEFT_OUT = r"\b(?:left out|leave out|excluded|exclude|dropped|drop|not used|unused|removed|ignored)\b"
COUNTED = ("alert", "alerts", "readings", "scored", "score", "predictions", "records", "units", "machines",
           "applicants", "loans", "studies")
KINDS = ("score", "rul", "worklist", "forecast")
ALERTED = ("alert", "alerts", "flag", "flags", "flagged")
SERVICE = re.compile(r"\b(?:needs?|needing|due for|requires?|requiring)\s+(?:an?\s+)?(?:service|servicing|maintenance|"
                     r"repairs?|attention)\b")  # "how many units need service": those with an alert
DECISIONS = {"declined": DECLINE, "decline": DECLINE, "rejected": DECLINE, "approved": APPROVE, "approve": APPROVE,
             "accepted": APPROVE}
PARAMETER_LISTS = ("exclude", "excluded", "leak_columns")
FEATURES = re.compile(r"\b(?:features?|columns|variables|inputs|predictors)\b")
FEATURES_USED = re.compile(r"\b(?:used?|uses|using|reads?|trained on|went into|fed|inputs?|features of|"
                           r"(?:which|what) (?:features|columns|variables|inputs|predictors))\b")


DESK_RUNS = re.compile(r"\b(finance|retail|triage|maintenance)\s+runs?\s+(\d+)"
                       r"(?:\s*(?:,|and|vs\.?|versus|with|to)\s*(?:run\s+)?(\d+))?")


def other_desks_run(runtime: Runtime, text: str) -> ToolResult | None:
    """A refusal when a desk named with a run number is not that run's desk: "compare finance run 1 and run 2"
    had compared two maintenance runs, and "alerts of finance run 1" counted a maintenance run's alerts."""
    for match in DESK_RUNS.finditer(text):
        desk = match.group(1)
        for number in (int(n) for n in match.groups()[1:] if n):
            run = next((r for r in runs.list_runs(runtime) if r.id == number), None)
            if run is not None and run.desk != desk:
                own = sorted(r.id for r in runs.list_runs(runtime, desk=desk))
                listed = (f"the {desk} runs are {', '.join(map(str, own))}" if own else f"there is no {desk} run yet")
                return ToolResult("run_desk", f"{rules.CANNOT}: run {number} is a {run.desk} run "
                                  f"({labels.task_label(run.task)}), not a {desk} run; {listed}.",
                                  f"runs.get_run({number})", [{"run": number, "desk": run.desk}], cannot=True)
    return None


def route(runtime: Runtime, text: str) -> ToolResult | None:
    mismatch = other_desks_run(runtime, text)
    if mismatch is not None:
        return mismatch
    if assistant_worklists.asks_for_counts(text) and not assistant_scored.bounded_score(text):
        return None  # "how many urgent studies did run 3 flag": its worklist's
    pair = re.search(r"\bruns? (\d+)\s*(?:,|and|vs\.?|versus|with|to)\s*(?:run )?(\d+)\b", text)
    if pair and rules.has_any(text, ("compare", "comparison", "vs", "versus", "side by side", "difference",
                                     "differ", "better")):
        return compare_two(runtime, int(pair.group(1)), int(pair.group(2)))
    match = re.search(r"\brun (\d+)\b", text)
    features = FEATURES.search(text) and FEATURES_USED.search(text)
    if match is None:  # "which features does the finance model use", "how many applicants did the finance run
        return _newest_of_desk(runtime, text, bool(features))  # score": the desk's newest run
    run = next((r for r in runs.list_runs(runtime) if r.id == int(match.group(1))), None)
    if re.search(LEFT_OUT, text) and rules.has_any(text, ("column", "columns", "feature", "features", "sensor",
                                                           "sensors", "variables", "fields")):
        return missing_run(runtime, int(match.group(1))) if run is None else left_out(run)
    if features:  # "which features were used in run 3": not its metrics
        return missing_run(runtime, int(match.group(1))) if run is None else features_used(run)
    figure = None if run is None else assistant_scored.scored_figures(runtime, run, text, _flagged)
    if figure is not None:  # "what share of applicants were declined in run 1": not the run's metrics
        return figure
    if COUNT.search(text) and rules.has_any(text, COUNTED):
        return missing_run(runtime, int(match.group(1))) if run is None else scored_counts(runtime, run, text)
    return None


def _newest_of_desk(runtime: Runtime, text: str, features: bool) -> ToolResult | None:
    """The features or scored counts of a desk's newest run named by its desk, not its number ("how many units did
    the maintenance run flag"); the counts were the run's metrics listed."""
    desk = desk_in(text)  # or a task named ("the average predicted RUL in the RUL run" listed its metrics)
    tasked = any(task_named(text, t) for t in {r.task for r in runs.list_runs(runtime)})
    newest = desk_runs(runtime, text, desk)[:1] if (desk or tasked) and rules.has_any(text, ("run", "model")) else []
    if not newest:
        return None
    if features:
        return features_used(newest[0])
    counted = COUNT.search(text) and rules.has_any(text, COUNTED) and not rules.has_any(text, ("at risk",))
    figure = assistant_scored.scored_figures(runtime, newest[0], text, _flagged)
    return figure or (scored_counts(runtime, newest[0], text) if counted else None)  # units at risk: the fleet tool's


def _notes(run: RunInfo) -> list[str]:
    notes = run.parameters.get("notes") or []
    if isinstance(notes, str):
        try:
            notes = json.loads(notes)
        except ValueError:
            notes = [notes]
    return [str(n) for n in notes]


def left_out(run: RunInfo) -> ToolResult:
    """The run's own notes about columns it did not use, and the parameter lists that name them."""
    said = [n for n in _notes(run) if re.search(LEFT_OUT, n, re.I) and (re.search(r"\bcolumns?\b", n, re.I) or
                                                                      re.match(r"\s*(left out|dropped)", n, re.I))]
    listed = {k: [str(c) for c in run.parameters[k]] for k in PARAMETER_LISTS
              if isinstance(run.parameters.get(k), list) and run.parameters[k]}
    rows: list[dict[str, Any]] = [{"run": run.id, "source": "notes", "text": n} for n in said]
    rows += [{"run": run.id, "source": k, "columns": v} for k, v in listed.items()]
    head = f"Run {run.id} ({run.desk}, {labels.task_label(run.task)})"
    query = f"runs.get_run({run.id}).parameters[notes, {', '.join(PARAMETER_LISTS)}]"
    if not rows:
        return ToolResult("run_columns", f"{head} records no columns left out.", query, [])
    parts = [" ".join(said)] if said else []
    parts += [f"{k.replace('_', ' ')}: {', '.join(v)}." for k, v in listed.items()
              if not all(c in " ".join(said) for c in v)]
    return ToolResult("run_columns", f"{head}: {' '.join(parts)}", query, rows)


def features_used(run: RunInfo) -> ToolResult:
    """The columns a run's model reads, as the run stored them: a finance run's feature list (and its ratios), a
    maintenance run's feature names in words; a run that stores none says what it records instead."""
    head = f"Run {run.id} ({run.desk}, {labels.task_label(run.task)})"
    params = run.parameters
    names = [str(f) for f in params.get("features") or []] + [str(r) for r in params.get("ratios") or {}]
    key = "features" if names else "feature_words"
    if not names and isinstance(params.get("feature_words"), dict):
        names = [str(v) for v in params["feature_words"].values()]
    query = f"runs.get_run({run.id}).parameters[{key}{', ratios' if params.get('ratios') else ''}]"
    if names:
        rows = [{"run": run.id, "feature": n} for n in names]
        return ToolResult("run_features", f"{head} reads these features: {', '.join(names)}.", query, rows)
    recorded = {k: params[k] for k in ("target", "keys", "series", "exogenous") if k in params}
    said = "; ".join(f"{k}: {', '.join(map(str, v)) if isinstance(v, list) else v}" if v not in ([], None, "")
                     else f"{k}: none" for k, v in recorded.items())
    return ToolResult("run_features", f"{head} stores no list of feature columns" + (f"; it records {said}."
                      if said else "."), f"runs.get_run({run.id}).parameters", [{"run": run.id, **recorded}])


def compare_two(runtime: Runtime, first: int, second: int) -> ToolResult:
    stored = {r.id: r for r in runs.list_runs(runtime)}
    for number in (first, second):
        if number not in stored:
            return missing_run(runtime, number)
    a, b = stored[first], stored[second]
    numeric = [{k: v for k, v in r.metrics.items() if isinstance(v, (int, float)) and not isinstance(v, bool)}
               for r in (a, b)]
    shared = [k for k in numeric[0] if k in numeric[1]]
    shown = [k for k in shared if k in labels.METRICS] or shared
    rows = [{"metric": k, f"run {first}": numeric[0][k], f"run {second}": numeric[1][k]} for k in shared]
    query = f"runs.get_run({first}).metrics; runs.get_run({second}).metrics"
    about = [f"run {r.id} ({r.desk}, {labels.task_label(r.task)})" for r in (a, b)]
    if not shown:
        return ToolResult("run_metrics", f"{rules.CANNOT}: {about[0]} and {about[1]} share no metric.", query, [],
                          cannot=True)
    number = rules.format_number
    listed = "; ".join(f"{metric_name(k, a.desk)}: {number(numeric[0][k])} vs {number(numeric[1][k])}"
                       for k in shown)
    rest = "; the other shared metrics are in the rows" if len(shown) < len(shared) else ""
    return ToolResult("run_metrics", f"{about[0][0].upper()}{about[0][1:]} vs {about[1]}: {listed}{rest}.",
                      query, rows)


def scored_counts(runtime: Runtime, run: RunInfo, text: str) -> ToolResult:
    """How many records the run scored (the latest score of each) and, for alerts, how many of them alert."""
    kind = next((k for k in KINDS if not runs.predictions_frame(runtime, run.id, k, limit=1).empty), None)
    head = f"Run {run.id} ({run.desk}, {labels.task_label(run.task)})"
    if kind is None:
        return ToolResult("run_predictions", f"{head} has no stored scores yet.",
                          f"predictions(run={run.id})", [{"run": run.id, "records": 0}])
    every = runs.predictions_frame(runtime, run.id, kind)
    latest = runs.latest_predictions(runtime, run.id, kind)
    row: dict[str, Any] = {"run": run.id, "kind": kind, "records": len(latest), "stored rows": len(every)}
    said = f"{head} has stored {kind} predictions for {len(latest):,} records"
    said += f" ({len(every):,} rows, a record scored again counted once)" if len(every) != len(latest) else ""
    query = f"predictions(run={run.id}, kind={kind!r}): latest row per record"
    found = _flagged(latest, text)
    if found is not None:
        key, count, note, counted = found
        row[key] = count
        said += f"; {count:,} of them {note}"
        query += f", {counted} counted"
    return ToolResult("run_predictions", said + ".", query, [row])


def _flagged(latest: pd.DataFrame, text: str) -> tuple[str, int, str, str] | None:
    """(row key, count, what it says, what the query counts) of the scored records the question counts: alerts
    ("how many units did the maintenance run flag", "flag" read as "alert": it listed the run's metrics), a remaining
    useful life below the alert threshold, or a finance decision ("how many applicants were declined")."""
    decision = next((v for w, v in DECISIONS.items() if rules.find_phrase(text, w) >= 0), None)
    if decision is not None and "decision" in latest.columns:
        count = int((latest["decision"].astype(str) == decision).sum())
        return f"{decision}d", count, f"are {decision}d", f"decision = {decision!r}"
    if not rules.has_any(text, ALERTED) and not SERVICE.search(text):
        return None
    if "alert" in latest.columns:
        return "alerts", int(latest["alert"].astype(bool).sum()), "raise an alert", "alert = 1"
    if "rul" in latest.columns:  # RUL scores carry no alert column: a unit alerts below the plan's RUL threshold
        # (30 unless the question gives one), as the page counts it
        limit = next((c.value for c in rules.comparisons(text) if c.op in ("<", "<=")), RUL_RISK_DEFAULT)
        count = int((pd.to_numeric(latest["rul"], errors="coerce") < limit).sum())
        said = f"have a remaining useful life below {limit:g} (the alert threshold)"
        return "alerts", count, said, f"rul < {limit:g}"
    return None

"""The assistant's run-metrics tool: one run's metrics, or the runs of a desk ranked by one metric, read out
with the app's plain labels ("WAPE (%)", "demand forecast"); the query and rows keep the stored names."""
from __future__ import annotations

import re
from typing import Any

from domain import assistant as rules
from services import labels, runs
from services.assistant_tools import ToolResult
from services.results import RunInfo
from services.runtime import Runtime

DESKS = ("finance", "retail", "triage", "maintenance", "baseline")
MISSING_RUN = "run_lookup"  # the tool name of "there is no run 999": it stands even when datasets are stored
# Words that name a metric a desk stores (a key holding the word is that metric: "val_auc", "seasonal_naive_wape").
METRIC_WORDS = ("auc", "wape", "smape", "rmse", "mase", "mae", "mape", "accuracy", "f1", "brier", "gini",
                "log loss", "sensitivity", "specificity", "precision", "recall", "cost per case", "cost", "bias",
                "coverage", "nasa score", "threshold", "cutoff")
HIGHER_BETTER = frozenset("auc accuracy f1 gini ks sensitivity specificity precision recall".split())
LOWER_BETTER = frozenset("wape smape rmse mase mae mape brier loss cost nasa".split())
RANKING = {"best": None, "better": None, "worst": None, "worse": None, "highest": True, "largest": True,
           "lowest": False, "smallest": False}


def desk_in(text: str) -> str | None:
    return next((d for d in DESKS if rules.find_phrase(text, d) >= 0), None)


def asked_metrics(text: str) -> tuple[str, ...]:
    return tuple(w for w in METRIC_WORDS if rules.find_phrase(text, w) >= 0)


def latest_run(runtime: Runtime, desk: str | None, kind: str | None = None) -> RunInfo | None:
    for run in runs.list_runs(runtime, desk=desk):
        if kind is None or not runs.predictions_frame(runtime, run.id, kind, limit=1).empty:
            return run
    return None


def no_run(tool: str, desk: str | None, what: str = "") -> ToolResult:
    who = f"{desk} " if desk else ""
    return ToolResult(tool, f"{rules.CANNOT}: there is no stored {who}run{what} yet.", cannot=True)


def missing_run(runtime: Runtime, number: int) -> ToolResult:
    stored = runs.list_runs(runtime)
    if not stored:
        return no_run(MISSING_RUN, None, f" {number}")
    ids = sorted(r.id for r in stored)
    latest = max(stored, key=lambda r: r.id)
    listed = (f"The only stored run is run {latest.id} ({latest.desk})." if len(ids) == 1 else
              f"The stored runs are numbered {ids[0]} to {ids[-1]} ({len(ids)} in all); the latest is run "
              f"{latest.id} ({latest.desk}).")
    return ToolResult(MISSING_RUN, f"{rules.CANNOT}: there is no run {number}. {listed}",
                      f"runs.get_run({number})", [], cannot=True)


def metric_name(key: str, desk: str | None = None) -> str:
    """A stored metric's plain label: 'WAPE (%)' for wape, 'WAPE (%) of seasonal naive' for seasonal_naive_wape
    (a model's own figure beside the run's), the name with spaces for anything else. With the run's desk, a
    figure two desks store under one name reads as that desk's (finance's baseline_auc is a logistic model's,
    not triage's pixel baseline)."""
    if key in labels.METRICS:
        return labels.metric_label(key, desk)
    for base in sorted(labels.METRICS, key=len, reverse=True):
        if key.endswith("_" + base):
            return f"{labels.metric_label(base, desk)} of {key[:-len(base) - 1].replace('_', ' ')}"
    return key.replace("_", " ")


def _numeric(run: RunInfo) -> dict[str, float]:
    return {k: v for k, v in run.metrics.items() if isinstance(v, (int, float)) and not isinstance(v, bool)}


def _matching(metrics: dict[str, float], text: str, words: tuple[str, ...]) -> dict[str, float]:
    """The metrics the question names: a metric word inside the key ("auc" in val_auc), or the whole key
    ("threshold"). Words such as "run" or "model" name no metric (epochs_run is not asked by "run 3")."""
    def named(key: str) -> bool:
        name = rules.normalise(key)
        return rules.find_phrase(text, name) >= 0 or any(rules.find_phrase(name, w) >= 0 for w in words)
    return {k: v for k, v in metrics.items() if named(k)}


def run_metrics(runtime: Runtime, text: str) -> ToolResult:
    match = re.search(r"\brun (\d+)\b", text)
    desk, words = desk_in(text), asked_metrics(text)
    ranking = next((w for w in RANKING if rules.find_phrase(text, w) >= 0), None)
    if ranking and words and not match and "champion" not in text:
        return compare_runs(runtime, text, desk, words, ranking)
    if match:
        run = next((r for r in runs.list_runs(runtime) if r.id == int(match.group(1))), None)
    elif "champion" in text:
        run = next((r for r in runs.list_runs(runtime, desk=desk) if r.champion), None)
    else:
        run = latest_run(runtime, desk)
    if run is None and match:  # a run asked for by number: said plainly, never answered from a dataset instead
        return missing_run(runtime, int(match.group(1)))
    if run is None:
        return no_run("run_metrics", desk)
    numeric = _numeric(run)
    chosen = _matching(numeric, text, words) or numeric
    rows = [{"run": run.id, "desk": run.desk, "metric": k, "value": v} for k, v in chosen.items()]
    query = f"runs.get_run({run.id}).metrics"
    head = f"Run {run.id} ({run.desk}, {labels.task_label(run.task)})"
    if not rows:
        return ToolResult("run_metrics", f"{head} has no numeric metrics stored.", query, [])
    shown = chosen if chosen is not numeric else {k: v for k, v in chosen.items() if k in labels.METRICS} or chosen
    listed = ", ".join(f"{metric_name(k, run.desk)} = {rules.format_number(v)}" for k, v in shown.items())
    rest = "; the other metrics are in the rows" if len(shown) < len(chosen) else ""
    return ToolResult("run_metrics", f"{head}: {listed}{rest}.", query, rows)


def _headline(metrics: dict[str, float], text: str, words: tuple[str, ...]) -> str | None:
    """The run's own figure for the asked metric: a labelled key (val_auc, wape) before a model's (lightgbm_wape)."""
    found = list(_matching(metrics, text, words))
    return next((k for k in found if k in labels.METRICS), found[0] if found else None)


def _higher_first(key: str, ranking: str) -> bool | None:
    if RANKING[ranking] is not None:
        return RANKING[ranking]
    parts = set(key.split("_"))
    better = True if parts & HIGHER_BETTER else False if parts & LOWER_BETTER else None
    if better is None:
        return None
    return better if ranking in ("best", "better") else not better


def compare_runs(runtime: Runtime, text: str, desk: str | None, words: tuple[str, ...], ranking: str) -> ToolResult:
    """"Which triage model has the best AUC": every run of the desk holding the metric, best first."""
    found: list[tuple[RunInfo, str, float]] = []
    for run in runs.list_runs(runtime, desk=desk):
        numeric = _numeric(run)
        key = _headline(numeric, text, words)
        if key is not None:
            found.append((run, key, numeric[key]))
    asked = labels.metric_label(words[0])
    who = f"{desk} " if desk else ""
    if not found:
        return ToolResult("run_metrics", f"{rules.CANNOT}: no stored {who}run has {asked}.",
                          f"runs.list_runs(desk={desk!r})", [], cannot=True)
    higher = _higher_first(found[0][1], ranking)
    if higher is not None:
        found.sort(key=lambda f: f[2], reverse=higher)
    rows: list[dict[str, Any]] = [{"run": r.id, "desk": r.desk, "metric": k, "value": v} for r, k, v in found]
    query = "; ".join(f"runs.get_run({r.id}).metrics" for r, _, _ in found)
    run, key, value = found[0]
    figure = f"{metric_name(key, run.desk)} = {rules.format_number(value)}"
    if len(found) == 1:
        return ToolResult("run_metrics", f"Run {run.id} ({labels.task_label(run.task)}) is the only {who}run with "
                          f"{asked}: {figure}.", query, rows)
    others = "; ".join(f"run {r.id}: {rules.format_number(v)}" for r, _, v in found[1:])
    if higher is None:
        return ToolResult("run_metrics", f"The {len(found)} {who}runs with {asked}: run {run.id}: "
                          f"{rules.format_number(value)}; {others} (I do not know which way is better).", query, rows)
    which = f" ({metric_name(key, run.desk)})" if metric_name(key, run.desk) != asked else ""
    return ToolResult("run_metrics", f"Of the {len(found)} {who}runs with {asked}, run {run.id} "
                      f"({labels.task_label(run.task)}) has the {ranking}: {rules.format_number(value)}{which}; "
                      f"{others}.", query, rows)

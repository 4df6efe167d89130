"""The assistant's run-metrics tool: one run's metrics, or the runs of a desk ranked by one metric, read out
with the app's plain labels ("WAPE (%)", "demand forecast"); the query and rows keep the stored names."""
from __future__ import annotations

import re
from typing import Any

from domain import assistant as rules
from services import labels, runs
from services.assistant_runasked import asked_thing, same_decimals, setting_answer
from services.assistant_tools import ToolResult
from services.results import RunInfo
from services.runtime import Runtime

DESKS = ("finance", "retail", "triage", "maintenance", "baseline")
MISSING_RUN = "run_lookup"  # the tool name of "there is no run 999": it stands even when datasets are stored
STANDS = "stands"  # a state key: this refusal about runs stands over any answer from a dataset (a run named by number)
# Words that name a metric a desk stores (a key holding the word is that metric: "val_auc", "seasonal_naive_wape").
METRIC_WORDS = ("auc", "wape", "smape", "rmse", "mase", "mae", "mape", "accuracy", "f1", "brier", "gini",
                "log loss", "sensitivity", "specificity", "precision", "recall", "cost per case", "cost", "bias",
                "coverage", "nasa score", "threshold", "cutoff")
HIGHER_BETTER = frozenset("auc accuracy f1 gini ks sensitivity specificity precision recall".split())
LOWER_BETTER = frozenset("wape smape rmse mase mae mape brier loss cost nasa".split())
CUT_OFF = re.compile(r"\bcut[- ]offs?\b")
RANKING = {"best": None, "better": None, "worst": None, "worse": None, "highest": True, "largest": True,
           "lowest": False, "smallest": False}


def desk_in(text: str) -> str | None:
    return next((d for d in DESKS if rules.find_phrase(text, d) >= 0), None)


def asked_metrics(text: str) -> tuple[str, ...]:
    text = CUT_OFF.sub("cutoff", text)  # "the cut-off of the finance run" is its cutoff
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


def named_run(runtime: Runtime, text: str, tool: str, desk: str, what: str = ""
              ) -> tuple[int | None, RunInfo | None, ToolResult | None]:
    """(number, run, refusal) for the run a question names by number ("in run 1"): the run, or a refusal when
    there is none or it is another desk's (``what``: how the desk's run is called, 'a retail forecast'); a run
    named is the one answered from, never another. (None, None, None) when no run is named."""
    match = re.search(r"\brun (\d+)\b", text)
    if match is None:
        return None, None, None
    number = int(match.group(1))
    run = next((r for r in runs.list_runs(runtime) if r.id == number), None)
    if run is None:
        return number, None, missing_run(runtime, number)
    if run.desk != desk:
        return number, None, ToolResult(tool, f"{rules.CANNOT}: run {number} is a {run.desk} run "
                                        f"({labels.task_label(run.task)}), not {what or f'a {desk} run'}.",
                                        f"runs.get_run({number})", [], cannot=True, state={STANDS: True})
    return number, run, None


def metric_name(key: str, desk: str | None = None) -> str:
    """A stored metric's plain label: 'WAPE (%)' for wape, 'WAPE (%) of seasonal naive' for seasonal_naive_wape
    (a model's own figure beside the run's), the name with spaces for anything else. With the run's desk, a
    figure two desks store under one name reads as that desk's (finance's baseline_auc is a logistic model's,
    not triage's pixel baseline)."""
    if key in labels.METRICS:
        return labels.metric_label(key, desk)
    for base in sorted(labels.METRICS, key=len, reverse=True):
        if key.endswith("_" + base):
            model = key[:-len(base) - 1]  # in words, as the pages write it: LightGBM, not lightgbm
            return f"{labels.metric_label(base, desk)} of {labels.MODELS.get(model, model.replace('_', ' '))}"
        model = key[len(base) + 1:] if key.startswith(base + "_") else ""
        if model in labels.MODELS:  # a model's figure stored after the metric: rmse_lightgbm, nasa_score_blend
            return f"{labels.metric_label(base, desk)} of {labels.MODELS[model]}"
    return key.replace("_", " ")


def _numeric(run: RunInfo) -> dict[str, float]:
    return {k: v for k, v in run.metrics.items() if isinstance(v, (int, float)) and not isinstance(v, bool)}


def _matching(metrics: dict[str, float], text: str, words: tuple[str, ...]) -> dict[str, float]:
    """The metrics the question names: a metric word inside the key ("auc" in val_auc), or the whole key
    ("threshold"). Words such as "run" or "model" name no metric (epochs_run is not asked by "run 3"). A key of
    several words named whole is the one asked: "the urgent threshold of run 1" is urgent_threshold alone (every
    key holding "threshold" was listed). Words after "at" qualify what a key measures: "which threshold …" is not
    val_accuracy_at_threshold (it listed "Accuracy at the operating point" among the cut-offs)."""
    def named(key: str) -> bool:
        name = rules.normalise(key)
        measured = re.split(r"\bat\b", name)[0]  # "accuracy at threshold" measures accuracy, not a threshold
        return rules.find_phrase(text, name) >= 0 or any(rules.find_phrase(measured, w) >= 0 for w in words)
    whole = {k: v for k, v in metrics.items() if " " in rules.normalise(k) and
             rules.find_phrase(text, rules.normalise(k)) >= 0}
    return whole or {k: v for k, v in metrics.items() if named(k)}


def task_named(text: str, task: str) -> bool:
    """A run's task said in the question: its label ("remaining useful life"), its stored name, the label's
    initials of three letters or more ("RUL"), or a distinctive word of the label ("forecast", "failure")."""
    label = rules.normalise(labels.task_label(task).replace("-", " "))
    words = label.split()
    initials = "".join(w[0] for w in words)
    said = (label, rules.normalise(task.replace("_", " ")), *([initials] if len(initials) >= 3 else []),
            *(w for w in words if len(w) >= 6))
    return rules.has_any(text, said)


def desk_runs(runtime: Runtime, text: str, desk: str | None) -> list[RunInfo]:
    """The stored runs of the desk asked, newest first, narrowed to the tasks the question names ("the RUL run"
    is the remaining-useful-life run, never the newer failure-risk run of the same desk)."""
    stored = runs.list_runs(runtime, desk=desk)
    named = {r.task for r in stored if task_named(text, r.task)}
    return [r for r in stored if r.task in named] if named else stored


def _pick_run(runtime: Runtime, text: str, desk: str | None, words: tuple[str, ...]) -> RunInfo | None:
    """The run a question without a run number means: the desk's run marked champion when "champion" is said
    without "latest" or "last" (else the latest run: "the champion of the last forecast" is that run's champion
    model), and among those the newest run that stores a metric asked for."""
    stored = desk_runs(runtime, text, desk)
    flagged = [r for r in stored if r.champion]
    if "champion" in text and flagged and not rules.has_any(text, ("latest", "last", "newest", "most recent")):
        stored = flagged
    holding = [r for r in stored if _matching(_numeric(r), text, words)] if words else stored
    return next(iter(holding or stored), None)


def _champion_model(run: RunInfo, text: str) -> str:
    model = run.parameters.get("champion")
    if not re.search(r"\b(?:champion|which model|what model)\b", text) or not isinstance(model, str):
        return ""
    return f", champion model {labels.MODELS.get(model, model.replace('_', ' '))}"


def run_metrics(runtime: Runtime, text: str) -> ToolResult:
    match = re.search(r"\brun (\d+)\b", text)
    desk, words = desk_in(text), asked_metrics(text)
    ranking = next((w for w in RANKING if rules.find_phrase(text, w) >= 0), None)
    if ranking and words and not match and "champion" not in text:
        return compare_runs(runtime, text, desk, words, ranking)
    if match:
        run = next((r for r in runs.list_runs(runtime) if r.id == int(match.group(1))), None)
    else:
        run = _pick_run(runtime, text, desk, words)
    if run is None and match:  # a run asked for by number: said plainly, never answered from a dataset instead
        return missing_run(runtime, int(match.group(1)))
    if run is None:
        return no_run("run_metrics", desk)
    numeric = _numeric(run)
    asked = _matching(numeric, CUT_OFF.sub("cutoff", text), words)
    query = f"runs.get_run({run.id}).metrics"
    head = f"Run {run.id} ({run.desk}, {labels.task_label(run.task)}){_champion_model(run, text)}"
    if words and not asked and not match:  # no stored run of the desk or task holds the metric: said so
        who = f"{desk} " if desk else ""
        return ToolResult("run_metrics", f"{rules.CANNOT}: no stored {who}run has "
                          f"{labels.metric_label(words[0])}.", f"runs.list_runs(desk={desk!r})", [], cannot=True)
    thing = None if words or asked or match is None and _champion_model(run, text) else asked_thing(text)
    if thing and setting_answer(run, head, thing):  # "the horizon of run 3": a setting, not the metrics
        return setting_answer(run, head, thing)
    chosen = asked or numeric
    rows = [{"run": run.id, "desk": run.desk, "metric": k, "value": v} for k, v in chosen.items()]
    if not rows:
        return ToolResult("run_metrics", f"{head} has no numeric metrics stored.", query, [])
    shown = chosen if chosen is not numeric else {k: v for k, v in chosen.items() if k in labels.METRICS} or chosen
    number = same_decimals(list(shown.values()))
    listed = ", ".join(f"{metric_name(k, run.desk)} = {number(v)}" for k, v in shown.items())
    rest = "; the other metrics are in the rows" if len(shown) < len(chosen) else ""
    lacks = f" has no {labels.metric_label(words[0])}; its metrics" if words and not asked else (
        f" stores no {thing}; its metrics" if thing else "")  # "the learning rate of run 1" is not its AUC
    return ToolResult("run_metrics", f"{head}{lacks}: {listed}{rest}.", query, rows)


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
    for run in desk_runs(runtime, text, desk):
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


SERIES_ERROR_WORDS = ("error", "errors", "backtest", "wape", "smape", "accurate", "accuracy", "worst", "best")


def _series_error_table(runtime: Runtime, run: RunInfo) -> tuple[list[dict[str, Any]], str]:
    """The champion's backtest error per series: the run's by-series file (the Results tab's ranking), else its
    stored backtest rows (WAPE and sMAPE of P50 against the actuals); none when the run stores neither."""
    from services import retail_views

    table = retail_views.ranked_series(runtime, run)
    if len(table):
        rows = [{"series": str(r["unique_id"]), **{k: r[k] for k in ("wape", "smape", "mase") if k in r}}
                for r in table.to_dict("records")]
        return rows, f"retail_views.ranked_series(run={run.id})"
    frame = runs.predictions_frame(runtime, run.id, "backtest")
    if frame.empty or not {"actual", "p50"} <= set(frame.columns):
        return [], ""
    from ml.forecast_metrics import smape_terms

    frame = frame.assign(series=frame["record_key"].str.rsplit("|", n=1).str[0], error=(frame["actual"].astype(float)
                         - frame["p50"].astype(float)).abs(), smape=smape_terms(frame["actual"].to_numpy(float),
                                                                                frame["p50"].to_numpy(float)))
    grouped = frame.groupby("series", sort=True)
    rows = [{"series": sid, "wape": 100 * float(g["error"].sum()) / float(g["actual"].astype(float).abs().sum())
             if g["actual"].astype(float).abs().sum() > 0 else None, "smape": float(g["smape"].mean())}
            for sid, g in grouped]
    return rows, f"predictions(run={run.id}, kind='backtest') per series: WAPE and sMAPE of p50 against actual"


def series_errors(runtime: Runtime, text: str) -> ToolResult:
    """"Which series have the worst backtest error in run 6": series ranked by their backtest error, worst first
    (best first for "best" or "most accurate"); it was the run's overall metrics."""
    match = re.search(r"\brun (\d+)\b", text)
    run = next((r for r in runs.list_runs(runtime) if r.id == int(match.group(1))), None) if match else \
        latest_run(runtime, "retail")
    if run is None:
        return missing_run(runtime, int(match.group(1))) if match else no_run("series_errors", "retail")
    if run.desk != "retail":
        return ToolResult("series_errors", f"{rules.CANNOT}: run {run.id} is a {run.desk} run, not a retail forecast "
                          "with series.", f"runs.get_run({run.id})", [], cannot=True, state={STANDS: True})
    rows, query = _series_error_table(runtime, run)
    metric = next((m for m in ("smape", "mase", "wape") if rules.find_phrase(text, m) >= 0 and rows and m in rows[0]),
                  "wape")
    rows = [r for r in rows if isinstance(r.get(metric), (int, float)) and r[metric] == r[metric]]
    if not rows:
        return ToolResult("series_errors", f"{rules.CANNOT}: run {run.id} stores its backtest error over all series "
                          "only (its metrics), not per series.", f"runs.get_run({run.id}).metrics", [], cannot=True,
                          state={STANDS: True})
    best = rules.has_any(text, ("best", "most accurate", "lowest", "smallest"))
    rows.sort(key=lambda r: r[metric], reverse=not best)
    count = (rules.top_k(text) or (SHOWN_SERIES_ERRORS, ""))[0]
    listed = ", ".join(f"{r['series']} ({rules.format_number(round(r[metric], 2))})" for r in rows[:count])
    label = labels.metric_label(metric)
    return ToolResult("series_errors", f"The {min(count, len(rows))} of run {run.id}'s {len(rows)} series with the "
                      f"{'lowest' if best else 'highest'} backtest {label}: {listed}.", query, rows)


SHOWN_SERIES_ERRORS = 5

"""The assistant's tools over stored runs and predictions, written against the stored prediction
conventions in docs/foundation.md (desk, kind, output keys) rather than any desk's code, so they work
for whatever runs the desks store.
"""
from __future__ import annotations

import re
from typing import Any

from domain import assistant as rules
from domain import assistant_dates as dates_rules
from services import (assistant_fleet, assistant_horizon, assistant_riskiest, assistant_runfacts, assistant_runlist,
                      assistant_worklists, runs)
from services.assistant_runs import (SERIES_ERROR_WORDS, STANDS, asked_metrics, desk_in, latest_run,
                                     no_run, run_metrics, series_errors, task_named)
from services.assistant_series import SHOWN_SERIES, asked_parts, asked_run, forecast_runs, matches, series_ids
from services.assistant_tools import ToolResult
from services.errors import UserFacingError
from services.runtime import Runtime

RUN_WORDS = ("run", "model", "metric", "metrics", "auc", "smape", "rmse", "wape", "accuracy", "champion")
RUN_CONTEXT = ("run", "runs", "champion")  # "model" alone may be a column ("average cost by model")
RISK_WORDS = ("at risk", "alert", "alerts", "remaining useful life", "rul", "failing", "failure risk", "riskiest",
              *assistant_fleet.RUL_WORDS)
TRIAGE_WORDS = ("worklist", "triage", "studies", "study")
# Figures of the Inventory tab's purchase plan (services.retail_plan), by the words that ask for them: never columns
INVENTORY_WORDS = {"reorder point": "reorder_point", "safety stock": "safety_stock", "order quantity": "order_quantity",
                   "order-up-to": "order_up_to", "order up to": "order_up_to", "lead time demand": "lead_time_demand",
                   "lead-time demand": "lead_time_demand", "how much to order": "order_quantity",
                   "how much should i order": "order_quantity"}
PLAN_FIGURES = {"reorder_point": "reorder point", "safety_stock": "safety stock", "order_quantity": "order quantity",
                "order_up_to": "order-up-to level", "lead_time_demand": "lead-time demand"}
PLAN_SETTINGS = {"lead_time": 2, "review_period": 1, "service_level": 0.95}  # the Inventory tab's and CLI's defaults
ABOUT_THE_APP = (r"\b(how (is|are|do|does)|what does|what is an?|mean|means|meaning|computed|calculated|defined|"
                 r"explain)\b")
PLAN_TOOL = "purchase_plan"


def route(runtime: Runtime, question: str) -> ToolResult | None:
    """A tool over runs when the question is about runs or predictions; None otherwise. A metric word with a
    desk, run or model named asks for run metrics first ("which triage model has the best AUC" is no worklist
    count, "the WAPE of the latest retail forecast run" no series forecast)."""
    text = rules.normalise(question)
    about_run = assistant_runfacts.route(runtime, text)
    if about_run is not None:
        return about_run
    if assistant_worklists.asks_for_counts(text):  # "in the newest triage run how many were routine?"
        return assistant_worklists.triage_counts(runtime, text)
    if rules.has_any(text, ("series",)) and rules.has_any(text, SERIES_ERROR_WORDS):
        return series_errors(runtime, text)
    if rules.has_any(text, tuple(INVENTORY_WORDS)) and not re.search(ABOUT_THE_APP, text):  # "how is it computed": docs
        return purchase_plan(runtime, text)
    if asked_metrics(text) and (desk_in(text) or rules.has_any(text, RUN_CONTEXT) or task_said(runtime, text)):
        return run_metrics(runtime, text)
    if assistant_runlist.asks_for_runs(runtime, text):
        return assistant_runlist.list_runs(runtime, text)
    if rules.has_any(text, TRIAGE_WORDS) and not rules.has_any(text, ("run",)):
        return assistant_worklists.triage_counts(runtime, text)
    if assistant_riskiest.asks_for_riskiest(text):  # "show me the riskiest loans": a finance run's scores
        return assistant_riskiest.riskiest_records(runtime, text)
    if (rules.has_any(text, RISK_WORDS) or assistant_fleet.URGENT.search(text)) and rules.has_any(
            text, ("unit", "units", "machine", "machines", "engine", "engines", "risk")):
        return assistant_fleet.units_at_risk(runtime, text)
    if rules.find_phrase(text, "forecast") >= 0 and not (CHAMPION.search(text) and not _series_named(text)):
        return series_forecast(runtime, text)  # "the champion of the last retail forecast" is the run's model
    if rules.has_any(text, ("reason", "reasons", "reason codes")) or re.search(r"\bscore (of|for) \S*\d", text):
        return record_score(runtime, question)
    if re.search(r"\brun \d+\b", text) or (rules.has_any(text, RUN_WORDS) and (desk_in(text) or
                                                                             rules.has_any(text, ("latest", "last")))):
        return run_metrics(runtime, text)
    if rules.has_any(text, ("run", "model", "champion", "results")) and task_said(runtime, text):
        return run_metrics(runtime, text)  # "the champion of the RUL run", "show the RUL run's results"
    return None


CHAMPION = re.compile(r"\b(?:champion|(?:which|what) model (?:won|was chosen|was picked|is best|was best))\b")


def _series_named(text: str) -> bool:
    """A series key with its value ("store 1", "item=2", "store_nbr 3"): a forecast of that series."""
    return re.search(r"\b[a-z][a-z_]*\s*=?\s*\d+\b", re.sub(r"\brun \d+\b", " ", text)) is not None


def task_said(runtime: Runtime, text: str) -> bool:
    """A stored run's task named as a run or model ("the RUL model"), not a grouping of a table ("by model")."""
    return re.search(r"\b(?:by|per)\s", text) is None and any(task_named(text, t)
                                                               for t in {r.task for r in runs.list_runs(runtime)})


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
             f"grade {row['grade']}" if "grade" in row else "",
             f"decision {row['decision']}" if "decision" in row else ""]
    body = ", ".join(p for p in parts if p)
    because = f"; reasons: {'; '.join(reasons)}" if reasons else ""
    return ToolResult("record_score", f"Record {key} (run {run.id}): {body}{because}.", query, [row])


def series_forecast(runtime: Runtime, text: str) -> ToolResult:
    """The forecast of the series the question names, from the run named by number, else from the newest retail
    run that holds it (an older run may be the one that forecast this series); else what the stored forecasts
    hold."""
    number, refused = asked_run(runtime, text, "series_forecast")
    if refused is not None:
        return refused
    every = forecast_runs(runtime, None)  # key names of every run: "item 1" is asked even of a run keyed by store
    stored = [found for found in every if number is None or found[0] == number]
    if not stored:
        if number is not None:
            return ToolResult("series_forecast", f"{rules.CANNOT}: run {number} has no stored forecast.",
                              f"predictions(run={number}, kind='forecast')", [], cannot=True, state={STANDS: True})
        return no_run("series_forecast", "retail", " with a forecast")
    asked = asked_parts(text, [sid for _, _, series in every for sid in series])
    if not asked and assistant_horizon.asks_coverage(text):  # "how many days does the forecast cover"
        return assistant_horizon.dates_covered(stored)
    summed = None if asked else assistant_horizon.all_series_total(stored[0][0], stored[0][1],
                                                                   series_ids(stored[0][1]), text)
    if summed is not None:  # "the total forecast for all series"
        return summed
    for run_id, frame, series in stored:
        matched = [sid for sid in series if matches(text, sid, asked)]
        if matched:
            return _forecast_answer(run_id, frame[series_ids(frame).isin(matched)], matched, text)
    named = "|".join(f"{k}={v}" for k, v in asked.items())
    rows = [{"run": run_id, "series": len(series), "examples": series[:SHOWN_SERIES]} for run_id, _, series in stored]
    listed = "; ".join(f"run {r['run']}: {', '.join(r['examples'])}" + (", …" if r["series"] > SHOWN_SERIES else "")
                       for r in rows)
    if not asked and rules.is_count_question(text):  # "how many series did run 4 forecast" (it was refused)
        counted = "; ".join(f"run {r['run']} forecasts {r['series']} series ({', '.join(r['examples'])}"
                            + (", …)" if r["series"] > SHOWN_SERIES else ")") for r in rows)
        return ToolResult("series_forecast", f"{counted[0].upper()}{counted[1:]}.",
                          f"predictions(kind='forecast') series counted in retail runs "
                          f"{', '.join(str(r['run']) for r in rows)}", rows)
    where = f"run {number}" if number is not None else "no stored retail forecast"
    what = (f"{where} has no series {named}" if number is not None else f"{where} has the series {named}") \
        if named else "name a series"
    return ToolResult("series_forecast", f"{rules.CANNOT}: {what}. The forecast series are {listed}.",
                      f"predictions(kind='forecast', series={named or 'all'}) in retail runs "
                      f"{', '.join(str(r['run']) for r in rows)}", rows, cannot=True,
                      state={STANDS: True} if number is not None else {})


def _forecast_answer(run_id: int, chosen, matched: list[str], text: str) -> ToolResult:
    asked = asked_parts(text, matched)
    wanted = "|".join(p for p in matched[0].split("|")
                      if rules.normalise(p.split("=", 1)[0]) in asked)  # in the series' order
    query = f"predictions(run={run_id}, kind='forecast', series={wanted})"
    rows = _jsonable([{k: v for k, v in r.items() if v == v} for r in chosen.sort_values("date").to_dict("records")])
    period = dates_rules.date_range(text)  # "on 2018-01-05": that date's figures (the first date's were given)
    if period is not None and len(matched) == 1:
        inside = [r for r in rows if (period.start is None or str(period.start) <= str(r["date"])[:10]) and
                  (period.end is None or str(r["date"])[:10] < str(period.end))]
        if not inside:
            return ToolResult("series_forecast", f"{rules.CANNOT}: the forecast for {matched[0]} (run {run_id}) "
                              f"covers {rows[0]['date']} to {rows[-1]['date']}, not {period.text}.", query, rows,
                              cannot=True, state={STANDS: True})
        rows, query = inside, f"{query} where date {period.text}"
    if len(matched) > 1:
        shown = ", ".join(matched[:SHOWN_SERIES]) + (", …" if len(matched) > SHOWN_SERIES else "")
        return ToolResult("series_forecast", f"Run {run_id} forecasts several series with {wanted}: {shown}. "
                          "Name one for its forecast.", query, rows)
    summed = assistant_horizon.over_dates(run_id, matched[0], rows, text, query)  # "the total forecast for …"
    if summed is not None:
        return summed
    first, last = rows[0], rows[-1]
    covers = f" covers {len(rows)} dates from {first['date']} to {last['date']};" if len(rows) > 1 else ":"
    return ToolResult("series_forecast",
                      f"The forecast for {matched[0]} (run {run_id}){covers} p50 on {first['date']} is "
                      f"{rules.format_number(float(first['p50']))} (p10 {rules.format_number(float(first['p10']))}, "
                      f"p90 {rules.format_number(float(first['p90']))}).", query, rows)


def _run_with_series(runtime: Runtime, text: str):
    """The newest retail run whose forecast holds the series named (else the newest with a forecast)."""
    stored = forecast_runs(runtime, None)
    asked = asked_parts(text, [sid for _, _, series in stored for sid in series])
    found = next((run_id for run_id, _, series in stored if any(matches(text, sid, asked) for sid in series)),
                 stored[0][0] if stored else None)
    return None if found is None else runs.get_run(runtime, found)


def purchase_plan(runtime: Runtime, text: str) -> ToolResult:
    """"What is the reorder point for store 1 item 1?": the Inventory tab's purchase plan of the run named, else of
    the latest retail run with a forecast, at the tab's default settings (said in the reply). It was a row count."""
    figure = INVENTORY_WORDS[next(w for w in INVENTORY_WORDS if rules.find_phrase(text, w) >= 0)]
    word = PLAN_FIGURES[figure]
    number, refused = asked_run(runtime, text, PLAN_TOOL)
    if refused is not None:
        return refused
    run = next((r for r in runs.list_runs(runtime) if r.id == number), None) if number is not None else \
        _run_with_series(runtime, text)
    settings = ", ".join(f"{k}={v}" for k, v in PLAN_SETTINGS.items())
    query = f"retail_plan.run_purchase_plan(run={run.id if run else None}, {settings})"
    about = (f"{rules.CANNOT}: the {word} is not a column of the data; it comes from the retail page's Inventory "
             "tab, whose purchase plan sets it per series from a forecast run")
    if run is None:
        return ToolResult(PLAN_TOOL, f"{about}, and there is no stored retail forecast yet.", query, [], cannot=True,
                          state={STANDS: True})
    try:
        from services import retail_plan

        plan = retail_plan.run_purchase_plan(runtime, run, **PLAN_SETTINGS)
        keys = list(run.parameters["keys"])
    except (UserFacingError, KeyError, OSError, ValueError) as exc:
        return ToolResult(PLAN_TOOL, f"{about}; run {run.id}'s plan could not be computed here ({exc}). Open the "
                          "Inventory tab to set lead time, review period and service level.", query, [], cannot=True,
                          state={STANDS: True})
    rows = _jsonable([{"series": "|".join(f"{k}={r[k]}" for k in keys), **{k: v for k, v in r.items() if v == v}}
                      for r in plan.to_dict("records")])
    asked = asked_parts(text, [r["series"] for r in rows] +
                         [sid for _, _, series in forecast_runs(runtime, None) for sid in series])
    chosen = [r for r in rows if matches(text, r["series"], asked)]
    unstocked = ", no stock on hand counted" if figure == "order_quantity" else ""
    used = (f"run {run.id}'s purchase plan at the Inventory tab's default settings: lead time 2 periods, review "
            f"period 1 period, service level 0.95{unstocked}")
    if asked and not chosen:
        listed = ", ".join(r["series"] for r in rows[:SHOWN_SERIES]) + (", …" if len(rows) > SHOWN_SERIES else "")
        named = "|".join(f"{k}={v}" for k, v in asked.items())
        return ToolResult(PLAN_TOOL, f"{rules.CANNOT}: run {run.id} has no series {named}; its series are {listed}.",
                          query, rows[:SHOWN_SERIES], cannot=True, state={STANDS: True})
    shown = chosen or rows
    listed = ", ".join(f"{r['series']}: {rules.format_number(r[figure])}" for r in shown[:SHOWN_SERIES])
    more = f" (the first {SHOWN_SERIES} of {len(shown)} series; the rest are in the rows)" \
        if len(shown) > SHOWN_SERIES else ""
    if len(shown) == 1:
        return ToolResult(PLAN_TOOL, f"The {word} for {shown[0]['series']} is {rules.format_number(shown[0][figure])} "
                          f"({used}).", query, shown)
    return ToolResult(PLAN_TOOL, f"The {word} per series is {listed}{more} ({used}).", query, shown)


def _jsonable(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{k: (v.item() if hasattr(v, "item") else v) for k, v in r.items()} for r in rows]

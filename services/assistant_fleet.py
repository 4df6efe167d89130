"""The assistant's maintenance tool: units at risk of the maintenance run that holds scores of the kind asked (or
the run named). Answered from the newest run before ("run 3" without scores answered "no stored run with scores").
The triage worklist counts are in assistant_worklists."""
from __future__ import annotations

import re
from typing import Any

from domain import assistant as rules
from services import maintenance_plan, runs
from services.assistant_runs import STANDS, named_run, no_run
from services.assistant_tools import ToolResult
from services.errors import UserFacingError
from services.results import RunInfo
from services.runtime import Runtime

RUL_RISK_DEFAULT = 30.0
RUL_WORDS = ("remaining useful life", "rul", "remaining life", "useful life", "life left", "cycles left")
UNIT = re.compile(r"\b(?:unit|machine|engine)\s+(?:id\s+|no\.?\s+|number\s+)?([a-z0-9][\w\-]*)")


def _named_run(runtime: Runtime, text: str, tool: str, desk: str) -> tuple[RunInfo | None, ToolResult | None]:
    """The run the question names by number ("in run 1"), or a refusal when it does not exist or is another desk's."""
    _, run, refused = named_run(runtime, text, tool, desk)
    return run, refused


def _scored_run(runtime: Runtime, text: str) -> tuple[RunInfo | None, str, ToolResult | None]:
    """(run, kind): the run named, else the newest maintenance run with stored scores of the kind asked
    (remaining useful life: 'rul'; otherwise 'rul' or failure-risk 'score')."""
    named, refused = _named_run(runtime, text, "units_at_risk", "maintenance")
    if refused is not None:
        return None, "", refused
    kinds = ("rul",) if rules.has_any(text, RUL_WORDS) and named is None else ("rul", "score")
    # "the 5 riskiest machines": a failure-risk run's scores first, the newest RUL run only when there is none
    passes = [("score",), ("rul",)] if kinds != ("rul",) and re.search(r"\b(?:riskiest|failure)\b", text) else [kinds]
    for wanted in passes:
        for run in [named] if named is not None else runs.list_runs(runtime, desk="maintenance"):
            kind = next((k for k in wanted if not runs.predictions_frame(runtime, run.id, k, limit=1).empty), None)
            if kind is not None:
                return run, kind, None
    what = " with remaining-useful-life scores" if kinds == ("rul",) else " with scores"
    if named is not None:
        return None, "", ToolResult("units_at_risk", f"{rules.CANNOT}: run {named.id} has no stored scores yet.",
                                    f"predictions(run={named.id})", [], cannot=True, state={STANDS: True})
    return None, "", no_run("units_at_risk", "maintenance", what)


def _unit_asked(text: str, frame) -> tuple[str | None, list[dict[str, Any]]]:
    """The unit the question names ("unit 8") and its rows; (None, []) when none is named."""
    for match in UNIT.finditer(text):
        name = match.group(1)
        if not any(ch.isdigit() for ch in name) and name not in {str(k).lower() for k in frame["unit"]}:
            continue
        chosen = frame[frame["unit"].astype(str).str.lower() == name]
        return name, _jsonable([{k: v for k, v in r.items() if v == v} for r in chosen.to_dict("records")])
    return None, []


def units_at_risk(runtime: Runtime, text: str) -> ToolResult:
    run, kind, refused = _scored_run(runtime, text)
    if refused is not None:
        return refused
    try:
        fleet = maintenance_plan.fleet(runtime, run.id)
    except UserFacingError as exc:
        return ToolResult("units_at_risk", f"{rules.CANNOT}: {exc}", f"predictions(run={run.id})", [], cannot=True)
    unit, rows = _unit_asked(text, fleet)
    if unit is not None:
        return _one_unit(run, kind, unit, rows)
    count = _asked_count(text) or (SHOWN if URGENT.search(text) or SEVERAL_EXTREME.search(text) else
                                   1 if ONE_EXTREME.search(text) else None)
    if count is not None:
        return _top_units(run, kind, fleet, count, text)
    if kind == "rul":
        limit = next((c.value for c in rules.comparisons(text) if c.op in ("<", "<=")), RUL_RISK_DEFAULT)
        risky = fleet[fleet["rul"].astype(float) < limit]
        rows = _jsonable([{k: v for k, v in r.items() if v == v} for r in risky.to_dict("records")])
        names = ", ".join(f"{r['unit']} (RUL {rules.format_number(float(r['rul']))})" for r in rows[:20]) + \
            (f" and {len(rows) - 20} more (all in the rows)" if len(rows) > 20 else "")
        answer = f"{_units(len(rows))} a remaining useful life below {rules.format_number(limit)} (run {run.id})"
        return ToolResult("units_at_risk", answer + (f": {names}." if rows else "."),
                          f"predictions(run={run.id}, kind='rul', rul < {rules.format_number(limit)})", rows)
    risky = fleet[fleet["alert"].astype(bool)]
    rows = _jsonable([{k: v for k, v in r.items() if v == v} for r in risky.to_dict("records")])
    names = ", ".join(str(r["unit"]) for r in rows[:20]) + \
        (f" and {len(rows) - 20} more (all in the rows)" if len(rows) > 20 else "")
    return ToolResult("units_at_risk", f"{_units(len(rows))} an alert in run {run.id}" +
                      (f": {names}." if rows else "."), f"predictions(run={run.id}, kind='score', alert)", rows)


# "which units should be serviced first", "the most urgent machines": the newest scores, most urgent first (a
# column-match refusal answered); "which unit has the lowest predicted RUL": that one unit (it listed the 14 under
# a threshold of 30 nobody asked for)
URGENT = re.compile(r"\b(?:(?:serviced|maintained|repaired|fixed|inspected) first|first to (?:service|maintain|repair|"
                    r"fix|inspect)|most urgent|prioriti[sz]e|priority order)\b")
ONE_EXTREME = re.compile(r"\b(?:which|what) (?:unit|machine|engine)\b(?! \d).*\b(?:lowest|highest|least|most|"
                         r"smallest|largest|shortest|longest|minimum|maximum)\b|\b(?:unit|machine|engine) with the\b")
# "which engines have the lowest RUL": the most extreme few, in order (it listed the 24 under a threshold of 30)
SEVERAL_EXTREME = re.compile(r"\b(?:which|what) (?:units|machines|engines)\b.*\b(?:lowest|highest|least|most|"
                             r"smallest|largest|shortest|longest|minimum|maximum)\b")
SHOWN = 10  # units listed when an order of service is asked without a number
COUNTED_UNITS = re.compile(r"\b(\d{1,3})\s+(?:[a-z]+\s+){0,2}?(?:units|machines|engines)\b")
SAFEST = re.compile(r"\b(?:highest|largest|longest|most|safest|healthiest|lowest (?:risk|failure|probability)|least)\b")


def _asked_count(text: str) -> int | None:
    """"top 3 units by lowest predicted RUL", "the 5 riskiest machines": how many units the question asks for."""
    ranked = rules.top_k(text)
    found = COUNTED_UNITS.search(text)
    count = ranked[0] if ranked else int(found.group(1)) if found else None
    return count if count else None


def _top_units(run: RunInfo, kind: str, fleet, count: int, text: str) -> ToolResult:
    """The ``count`` most urgent units of the run's newest scores (lowest RUL, highest failure probability), or the
    least urgent when the question asks for the highest RUL or the lowest risk; the alert threshold plays no part
    (the units under it were listed, the "3" ignored)."""
    column = "rul" if kind == "rul" else "p_failure"
    word = "remaining useful life" if kind == "rul" else "failure probability"
    urgent_first = bool(URGENT.search(text)) or (not SAFEST.search(text) if kind == "rul" else
                                                 not re.search(r"\b(?:lowest|least|safest)\b", text))
    order = "lowest" if (kind == "rul") == urgent_first else "highest"
    ranked = fleet if urgent_first else fleet.iloc[::-1]
    if count == 1:  # "which unit has the lowest RUL": the unit named, ties included
        ranked = ranked[ranked[column] == ranked[column].iloc[0]]
        count = len(ranked)
    rows = _jsonable([{k: v for k, v in r.items() if v == v} for r in ranked.head(count).to_dict("records")])
    if len(rows) == 1 and len(fleet) > 1:
        return ToolResult("units_at_risk", f"Unit {rows[0]['unit']} has the {order} {word} of the {len(fleet):,} "
                          f"units scored in run {run.id}: {rules.format_number(float(rows[0][column]))}.",
                          f"predictions(run={run.id}, kind={kind!r}, {order} {column} of {len(fleet)} units)", rows)
    names = ", ".join(f"{r['unit']} ({rules.format_number(float(r[column]))})" for r in rows)
    fewer = f" (the run scored {len(fleet):,} only)" if len(fleet) < count else ""
    return ToolResult("units_at_risk", f"The {len(rows)} units with the {order} {word} in run {run.id}{fewer}: "
                      f"{names}.", f"predictions(run={run.id}, kind={kind!r}, {order} {column}, first {count})", rows)


def _one_unit(run: RunInfo, kind: str, unit: str, rows: list[dict[str, Any]]) -> ToolResult:
    query = f"predictions(run={run.id}, kind={kind!r}, unit={unit!r})"
    if not rows:
        return ToolResult("units_at_risk", f"{rules.CANNOT}: run {run.id} has no scores for unit {unit}.", query, [],
                          cannot=True, state={STANDS: True})
    row = rows[0]
    if kind == "rul":
        low, high = (rules.format_number(float(row[k])) for k in ("rul_low", "rul_high")) \
            if "rul_low" in row and "rul_high" in row else ("", "")
        band = f" (range {low} to {high})" if low else ""
        return ToolResult("units_at_risk", f"The remaining useful life of unit {row['unit']} is "
                          f"{rules.format_number(float(row['rul']))}{band} (run {run.id}).", query, rows)
    alert = "an alert" if bool(row.get("alert")) else "no alert"
    return ToolResult("units_at_risk", f"Unit {row['unit']} (run {run.id}) has a failure probability of "
                      f"{rules.format_number(float(row['p_failure']))} and {alert}.", query, rows)


def _units(count: int) -> str:
    return "1 unit has" if count == 1 else f"{count:,} units have"


def _jsonable(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{k: (v.item() if hasattr(v, "item") else v) for k, v in r.items()} for r in rows]

"""Figures of a run's latest scores beyond how many it scored: a share of them ("what share of applicants were
declined in run 1", "what percentage of machines were flagged"), a grade counted ("how many applicants got grade A",
"how many applicants are in each grade") and a statistic of the score ("the average probability of default in run
1", "which machine has the highest failure probability in run 2"). They listed the run's metrics (whose training
approval and failure rates read as the answer) or the number of records scored, the grade dropped."""
from __future__ import annotations

import re
from typing import Any

import pandas as pd

from domain import assistant as rules
from services import labels, runs
from services.assistant_tools import ToolResult
from services.results import RunInfo
from services.runtime import Runtime

SHARE = re.compile(r"\b(?:share|percentage|percent|proportion|fraction)\b|%")
GRADE = re.compile(r"\bgrades? ([a-g](?:(?:\s*,\s*|\s+or\s+|\s+and\s+|\s+)[a-g]\b)*)\b")
EACH = re.compile(r"\b(?:by|per|in each|for each|each|every) (grade|decision)s?\b")
# The score each desk stores, by the words that ask for it
SCORES = {"pd": ("probability of default", "default probability", "pd", "risk score", "score", "probability"),
          "p_failure": ("failure probability", "probability of failure", "p failure", "risk", "probability", "score"),
          "rul": ("remaining useful life", "rul", "remaining life", "life left", "cycles left", "cycles remaining",
                  "cycles to failure"),
          "p_abnormal": ("abnormal probability", "probability of abnormal", "abnormal score", "p abnormal",
                         "p_abnormal", "probability", "score")}
STATISTICS = {"average": "mean", "mean": "mean", "median": "median", "highest": "max", "maximum": "max",
              "max": "max", "largest": "max", "lowest": "min", "minimum": "min", "min": "min", "smallest": "min"}
STAT_WORDS = {"mean": "average", "median": "median", "max": "highest", "min": "lowest"}
KINDS = ("score", "rul", "worklist")
RECORD_NOUNS = ("unit", "machine", "engine", "applicant", "loan", "borrower", "customer", "application", "record")
SUBSET = re.compile(r"\b(?:at risk|urgent|routine|review|manual read|where|with|whose|"
                    r"for (?:unit|applicant|record)s?)\b")
COUNTED = re.compile(r"\b(?:how many|number of|count of)\b")
# A number of records asked ("top 3 units by lowest RUL", "the 5 riskiest machines"): the fleet's list, not one figure
LISTED = re.compile(r"\b(?:top|bottom)\s+\d+\b|\b\d+\s+(?:units|machines|engines|records|applicants|loans)\b")


def scored_figures(runtime: Runtime, run: RunInfo, text: str, flagged) -> ToolResult | None:
    """The figure asked of the run's latest scores, or None when the question asks none of these. ``flagged`` is
    the counter of decisions and alerts (``assistant_runfacts._flagged``)."""
    asked = EACH.search(text) or GRADE.search(text) or SHARE.search(text) or any(
        rules.has_any(text, words) for words in SCORES.values())
    kind = next((k for k in KINDS if not runs.predictions_frame(runtime, run.id, k, limit=1).empty), None) \
        if asked else None
    if kind is None:
        return None
    latest = runs.latest_predictions(runtime, run.id, kind)
    head = f"Run {run.id} ({run.desk}, {labels.task_label(run.task)})"
    query = f"predictions(run={run.id}, kind={kind!r}): latest row per record"
    if kind == "worklist" and "batch" in latest.columns:  # the newest worklist, as its priorities are counted
        batch = runs.predictions_frame(runtime, run.id, kind)["batch"].iloc[-1]
        latest, head = latest[latest["batch"] == batch], f"{head}, newest worklist"
        query = f"predictions(run={run.id}, kind='worklist') where batch = {batch!r}"
    each, grade, bounds, column = EACH.search(text), GRADE.search(text), rules.comparisons(text), \
        _score_column(latest, text)
    found = flagged(latest, text)
    if found is not None and (each or grade or (column and bounds)):  # "declined applicants in grade G": two at once
        return ToolResult("run_predictions", f"{rules.CANNOT}: the scores are counted by one condition at a time (a "
                          "grade, a decision or alert, or a bound on the score); ask for each on its own.", query, [],
                          cannot=True)
    if each and each.group(1) in latest.columns:
        return _each(latest, each.group(1), head, query)
    if grade and "grade" in latest.columns:
        grades = re.findall(r"\b[a-g]\b", grade.group(1))  # "grade G or F": both (G alone was counted)
        return _grade(latest, [g.upper() for g in grades], head, query, share=bool(SHARE.search(text)))
    if column is not None and len(bounds) == 1 and (SHARE.search(text) or COUNTED.search(text)):
        return _bounded(latest, column, bounds[0], head, query, share=bool(SHARE.search(text)))
    if SHARE.search(text) and found is not None:
        key, count, note, counted = found
        row = {"run": run.id, key: count, "records": len(latest), "%": 100.0 * count / max(len(latest), 1)}
        return ToolResult("run_predictions", f"{head}: {_pct(count, len(latest))} of the {len(latest):,} records "
                          f"it scored {note} ({count:,}).", f"{query}, {counted} counted", [row])
    if column is None or LISTED.search(text) or SUBSET.search(text) or found is not None:
        return None  # "the average RUL of the units at risk": of some records, not every one (it averaged all 100)
    return _statistic(latest, column, text, head, query)


def bounded_score(text: str) -> bool:
    """A bound on a score ("studies with a p_abnormal above 0.9"): counted here, not as the worklist's priorities."""
    return len(rules.comparisons(text)) == 1 and any(rules.has_any(text, words[:-2] or words)
                                                     for words in SCORES.values())


def _score_column(latest: pd.DataFrame, text: str) -> str | None:
    return next((c for c, words in SCORES.items() if c in latest.columns and rules.has_any(text, words)), None)


def _bounded(latest: pd.DataFrame, column: str, bound, head: str, query: str, *, share: bool) -> ToolResult:
    """"How many units have a RUL below 30 in run 4" (it said how many units were scored, 100, not the 14 below)."""
    values = pd.to_numeric(latest[column], errors="coerce")
    ops = {"<": values < bound.value, "<=": values <= bound.value, ">": values > bound.value,
           ">=": values >= bound.value, "=": values == bound.value,
           "between": values.between(bound.value, bound.upper if bound.upper is not None else bound.value)}
    if bound.op not in ops:
        return None
    count, whole = int(ops[bound.op].sum()), len(latest)
    condition = f"{column} between {bound.value:g} and {bound.upper:g}" if bound.op == "between" \
        else f"{column} {bound.op} {bound.value:g}"
    row = {"run_records": whole, "matching": count, "%": 100.0 * count / max(whole, 1)}
    said = f"{_pct(count, whole)} of the {whole:,} records scored ({count:,})" if share else \
        f"{count:,} of the {whole:,} records scored"
    return ToolResult("run_predictions", f"{head}: {said} have {condition}.", f"{query}, {condition} counted", [row])


def _pct(count: int, whole: int) -> str:
    return f"{rules.format_number(100.0 * count / whole) if whole else '0'}%"


def _each(latest: pd.DataFrame, column: str, head: str, query: str) -> ToolResult:
    counts = latest[column].astype(str).value_counts().sort_index()
    rows = [{column: k, "records": int(v), "%": 100.0 * int(v) / len(latest)} for k, v in counts.items()]
    listed = ", ".join(f"{r[column]} {r['records']:,} ({_pct(r['records'], len(latest))})" for r in rows)
    return ToolResult("run_predictions", f"{head}, {len(latest):,} records scored, by {column}: {listed}.",
                      f"{query}, counted by {column}", rows)


def _grade(latest: pd.DataFrame, grades: list[str], head: str, query: str, *, share: bool) -> ToolResult:
    count = int(latest["grade"].astype(str).str.upper().isin(grades).sum())
    named = " or ".join(grades)
    row = {"grade": named, "records": count, "scored": len(latest), "%": 100.0 * count / max(len(latest), 1)}
    said = f"{_pct(count, len(latest))} of the {len(latest):,} records scored ({count:,})" if share else \
        f"{count:,} of the {len(latest):,} records scored"
    return ToolResult("run_predictions", f"{head}: {said} have grade {named}.",
                      f"{query}, grade in ({', '.join(grades)}) counted", [row])


def _statistic(latest: pd.DataFrame, column: str, text: str, head: str, query: str) -> ToolResult | None:
    """"The average probability of default", "which machine has the highest failure probability": the score
    column the run stores, its statistic over the latest scores, and for "which …" the record holding it."""
    stat = next((s for w, s in STATISTICS.items() if rules.find_phrase(text, w) >= 0), None)
    if stat is None:
        return None
    values = pd.to_numeric(latest[column], errors="coerce")
    name = SCORES[column][0]
    asked = re.match(r"(?:which|what) (?!is\b|was\b|are\b)(\w+)", text)
    if asked and stat in ("max", "min"):
        noun = rules.singular(asked.group(1))  # "which unit …": "unit 113 has …" (it said "record 113")
        noun = noun if noun in RECORD_NOUNS else "record"
        if asked.group(1) != rules.singular(asked.group(1)):  # "which units …": several (it named one)
            return _extremes(latest, values, stat, noun, head, f"{query}, {stat}({column}) first")
        at = values.idxmax() if stat == "max" else values.idxmin()
        record: dict[str, Any] = {k: v for k, v in latest.loc[at].to_dict().items() if v == v}
        record = {k: (v.item() if hasattr(v, "item") else v) for k, v in record.items()}
        shown = f"{record['record_key']} ({record['file']})" if record.get("file") else record["record_key"]
        return ToolResult("run_predictions", f"{head}: {noun} {shown} has the {STAT_WORDS[stat]} "
                          f"{name} of the {len(latest):,} {noun}s scored, {_exact(float(values[at]))}.",
                          f"{query}, {stat}({column}) over {len(latest)} records", [record])
    figure = float(getattr(values, stat)())
    row = {"statistic": stat, column: figure, "records": int(values.notna().sum())}
    return ToolResult("run_predictions", f"{head}: the {STAT_WORDS[stat]} {name} over the {row['records']:,} records "
                      f"scored is {_exact(figure)}.", f"{query}, {stat}({column})", [row])


EXTREMES = 10  # records listed for "which units have the lowest RUL"


def _extremes(latest: pd.DataFrame, values: pd.Series, stat: str, noun: str, head: str, query: str) -> ToolResult:
    """The few records with the lowest (or highest) score, most extreme first, each with its score."""
    order = values.dropna().sort_values(ascending=stat == "min", kind="stable").head(EXTREMES)
    rows = [{k: (v.item() if hasattr(v, "item") else v) for k, v in latest.loc[i].to_dict().items() if v == v}
            for i in order.index]
    named = ", ".join(f"{r['record_key']} ({_exact(float(order[i]))})" for i, r in zip(order.index, rows))
    name = SCORES[values.name][0]
    return ToolResult("run_predictions", f"{head}: the {len(rows)} {noun}s with the {STAT_WORDS[stat]} {name} of the "
                      f"{len(latest):,} scored: {named}.", query, rows)


def _exact(value: float) -> str:
    """A probability just under 1 is not written "1" (0.999987 is no certainty)."""
    written = rules.format_number(value)
    return f"{value:.6g}" if value != 1 and written in ("1", "1.0", "0") else written

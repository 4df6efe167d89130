"""The assistant's triage worklist counts: studies per priority in the newest worklist of the newest triage run
with one (or the worklist or run named), or over every stored worklist when asked ("in all worklists"). The
worklist is named by when it was scored, never by its hex id alone. Before, "how many studies were marked
urgent?" read the last batch of an older run, gave no urgent count where that batch held none, said nothing of a
newer run and named the batch by its id."""
from __future__ import annotations

import re
from collections import Counter
from datetime import datetime

import pandas as pd

from domain import assistant as rules
from domain import triage as triage_rules
from services import runs
from services.assistant_runs import STANDS, asked_metrics, named_run, no_run
from services.assistant_tools import ToolResult
from services.results import RunInfo
from services.runtime import Runtime

TOOL = "triage_counts"
TRIAGE_WORDS = ("worklist", "worklists", "triage", "studies", "study")
COUNTED = ("worklist", "worklists", "studies", "study")
SCORED = ("score", "scored", "scores", "scoring")
MANUAL_READ = re.compile(r"\bmanual(?:ly)? reads?\b|\bunreadable\b")
OLDEST = re.compile(r"\b(?:first|oldest|earliest)(?: triage)? run\b")
FIRST_WORKLIST = re.compile(r"\b(?:first|oldest|earliest) (?:worklist|batch)\b")
ALL_WORKLISTS = re.compile(r"\b(?:all|every|each)(?: the| of the| stored)? (?:worklists?|batch(?:es)?)\b|"
                           r"\bacross (?:the )?(?:worklists|batches)\b")


def asks_for_counts(text: str) -> bool:
    """A count (or share) of worklist studies, "run" said or not: "how many studies were marked urgent in the last
    triage run?", "how many urgent studies did run 3 flag?", "in the newest triage run how many were routine?". They
    were answered with run facts (the run's metrics, or how many records it scored). A priority counts with a triage
    word or any run named by number (another desk's run is refused by ``triage_counts``); without one, studies or a
    worklist are counted unless a metric is asked ("how many studies are above the threshold") or what a run
    scored."""
    if asked_priority(text) is not None:
        return (rules.is_count_question(text) or rules.has_any(text, rules.SHARE_WORDS)) and (
            rules.has_any(text, TRIAGE_WORDS) or re.search(r"\brun \d+\b", text) is not None)
    return rules.is_count_question(text) and rules.has_any(text, COUNTED) and not asked_metrics(text) and \
        not rules.has_any(text, SCORED)


def asked_priority(text: str) -> str | None:
    """The priority named; "need a manual read" and "unreadable" are "needs manual read" (its counts were listed
    without the one asked)."""
    named = next((p for p in triage_rules.PRIORITIES if rules.find_phrase(text, p) >= 0), None)
    return named or (triage_rules.NEEDS_MANUAL_READ if MANUAL_READ.search(text) else None)


def triage_counts(runtime: Runtime, text: str = "") -> ToolResult:
    """Studies per priority, with the count of the priority asked ("marked urgent") said first, 0 included; "the
    first (oldest, earliest) triage run" is the oldest one (the newest was answered)."""
    _, named, refused = named_run(runtime, text, TOOL, "triage")
    if refused is not None:
        return refused
    stored = [named] if named is not None else runs.list_runs(runtime, desk="triage")
    if named is None and stored and OLDEST.search(text):
        named, stored = stored[-1], stored[-1:]
    frames = {run.id: frame for run in stored
              if not (frame := runs.predictions_frame(runtime, run.id, "worklist")).empty}
    if not frames:
        if named is not None:
            return ToolResult(TOOL, f"{rules.CANNOT}: run {named.id} has no stored worklist.",
                              f"predictions(run={named.id}, kind='worklist')", [], cannot=True, state={STANDS: True})
        return no_run(TOOL, "triage", " with a worklist")
    asked = asked_priority(text)
    scored = _scored_at(runtime)
    if ALL_WORKLISTS.search(text):
        return _all_worklists(frames, scored, asked)
    holding = [r for r in stored if r.id in frames]  # newest first: "the oldest worklist" is the oldest run's
    run = holding[-1] if FIRST_WORKLIST.search(text) else holding[0]
    newer = [r.id for r in stored if r.id > run.id and r.id not in frames]
    return _one_worklist(run, frames[run.id], scored, asked, text, newer)


def _one_worklist(run: RunInfo, frame: pd.DataFrame, scored: dict[str, str], asked: str | None, text: str,
                  newer: list[int]) -> ToolResult:
    where, which, state = "", f"The worklist of run {run.id}", {}
    if "batch" in frame.columns:
        batches = list(dict.fromkeys(frame["batch"].astype(str)))
        first = FIRST_WORKLIST.search(text) is not None  # "run 1's first worklist" (its newest was read)
        batch = next((b for b in batches if b.lower() in text), batches[0] if first else batches[-1])
        frame = frame[frame["batch"].astype(str) == batch]
        where = f" where batch = {batch!r} (batch {batches.index(batch) + 1} of {len(batches)})"
        when = f", scored {scored[batch]}" if batch in scored else ""
        stored = f"{len(batches)} worklists stored" if len(batches) > 1 else "its only worklist"
        which = (f"The worklist batch {batch} of run {run.id}{when}" if batch.lower() in text else
                 f"The {'first' if first else 'newest'} worklist of run {run.id} ({stored}{when})")
        state = {"scored": scored.get(batch, "")}
    counts: Counter[str] = Counter(str(p) for p in frame.get("priority", []))
    rows = [{"priority": k, "studies": v} for k, v in sorted(counts.items())]
    state["studies"] = len(frame)
    said = _studies(len(frame), counts, asked)
    if asked is not None and rules.has_any(text, rules.SHARE_WORDS):  # "what share of studies were urgent"
        share = rules.format_number(100 * counts[asked] / len(frame))
        said = said.replace(f" of them {asked}", f" of them {asked}, {share}% of the studies", 1)
        state["share (%)"] = share
    answer = f"{which} has {said}."
    if newer:  # in the state, so the reply's run numbers are evidence ("Run 4" was an invented number)
        answer += f" {_newer(newer)}"
        state["newer runs without a worklist"] = newer
    return ToolResult(TOOL, answer, f"predictions(run={run.id}, kind='worklist'){where} grouped by priority", rows,
                      state=state)


def _all_worklists(frames: dict[int, pd.DataFrame], scored: dict[str, str], asked: str | None) -> ToolResult:
    """One row per worklist (run, when scored, its id, studies, the priority asked or every priority)."""
    rows, total = [], Counter()
    for run_id in sorted(frames):
        frame = frames[run_id]
        keys = frame["batch"].astype(str) if "batch" in frame.columns else pd.Series([""] * len(frame))
        for batch in dict.fromkeys(keys):
            counts = Counter(str(p) for p in frame.loc[keys.values == batch, "priority"])
            total.update(counts)
            shown = {asked: counts[asked]} if asked else dict(sorted(counts.items()))
            rows.append({"run": run_id, "scored": scored.get(batch, ""), "batch": batch,
                         "studies": sum(counts.values()), **shown})
    per_run = ", ".join(f"run {r}: {sum(1 for row in rows if row['run'] == r)}" for r in sorted(frames))
    whose = f"run {next(iter(frames))}" if len(frames) == 1 else f"{len(frames)} triage runs ({per_run})"
    answer = f"All {len(rows)} worklists of {whose} hold {_studies(sum(total.values()), total, asked)}."
    state = {"worklists": len(rows), "studies": sum(total.values()), "runs": len(frames), **dict(total)}
    return ToolResult(TOOL, answer, f"predictions(run in {sorted(frames)}, kind='worklist') grouped by run, batch and "
                      "priority", rows, state=state)


def _studies(count: int, counts: Counter, asked: str | None) -> str:
    listed = ", ".join(f"{k}: {v}" for k, v in sorted(counts.items()))
    head = "" if asked is None else f", {counts[asked] or 'none'} of them {asked}"
    return f"{count} {'study' if count == 1 else 'studies'}{head}" + (f" ({listed})" if listed else "")


def _newer(newer: list[int]) -> str:
    if len(newer) == 1:
        return f"Run {newer[0]}, a newer triage run, has no worklist yet."
    return f"Runs {', '.join(map(str, sorted(newer)))}, newer triage runs, have no worklist yet."


def _scored_at(runtime: Runtime) -> dict[str, str]:
    """When each worklist was scored (UTC, as the triage page's picker shows it), from its audit event; worklists
    stored without one (imported rows) have none."""
    with runtime.uow() as uow:
        events = uow.audit.find(desk="triage", action="score", object_type="worklist", limit=None)
        return {event.object_id: _when(event.created_at) for event, _ in events}


def _when(moment: datetime) -> str:
    return f"{moment:%Y-%m-%d %H:%M} UTC"

"""The assistant's list of stored runs: "how many runs are stored?", "list the maintenance runs". It was a refusal
with a dataset chosen ("'runs' is no column of favorita_train") and a docs excerpt without one."""
from __future__ import annotations

import re

from domain import assistant as rules
from services import datasets, labels, runs
from services.assistant_runs import desk_in, desk_runs, task_named
from services.assistant_tools import ToolResult
from services.runtime import Runtime

TOOL = "list_runs"
SHOWN = 10
# "how many runs", "list the runs", "which finance runs": the runs themselves asked for, not a column of runs
ASKED = re.compile(r"\b(?:how many|number of|count of|list|show|which|what)\b(?:\s+(?:are|is|the|all|my|our|of|"
                   r"stored|saved|trained|model|training|[a-z]+))*?\s+runs\b")
# …said of the app's runs: stored, of a desk, or with nothing else asked ("how many runs did Kohli score" is not)
STORED = ("stored", "saved", "trained", "in the app", "are there", "do i have", "do we have", "exist", "so far")


def asks_for_runs(runtime: Runtime, text: str) -> bool:
    """The stored runs asked for: listed or counted, said of a desk, a task or as stored, or the whole question."""
    if not ASKED.search(text):
        return False
    bare = re.fullmatch(r"(?:how many|list|show|list all|show all|show me|what are|which are)?\s*(?:the\s+|all\s+|"
                        r"my\s+)?runs", text) is not None
    return bare or bool(desk_in(text)) or rules.has_any(text, STORED) or any(
        task_named(text, task) for task in {r.task for r in runs.list_runs(runtime)})


def list_runs(runtime: Runtime, text: str) -> ToolResult:
    """The stored runs of the desk (and task) asked, newest first, each with its task, status and dataset."""
    desk = desk_in(text)
    stored = desk_runs(runtime, text, desk)
    narrowed = len(stored) < len(runs.list_runs(runtime, desk=desk))  # "the RUL runs": one task's runs
    tasks = sorted({labels.task_label(r.task) for r in stored})
    who = f"{desk} " if desk else ""
    who += f"{' or '.join(tasks)} " if narrowed else ""
    query = f"runs.list_runs(desk={desk!r})" + (f" with task in {sorted({r.task for r in stored})}" if narrowed else "")
    if not stored:
        return ToolResult(TOOL, f"There are no stored {who}runs yet.", query, [])
    names = {d.id: d.name for d in datasets.list_datasets(runtime)}
    rows = [{"run": r.id, "desk": r.desk, "task": r.task, "status": r.status, "champion": bool(r.champion),
             "dataset": names.get(r.dataset_id), "created_at": r.created_at.isoformat(timespec="seconds")}
            for r in stored]
    items = ", ".join(f"run {r.id} ({_about(r, desk, narrowed)})" for r in stored[:SHOWN])
    more = f" (the newest {SHOWN} are listed; the rest are in the rows)" if len(stored) > SHOWN else ""
    count = "There is 1 stored " if len(stored) == 1 else f"There are {len(stored)} stored "
    return ToolResult(TOOL, f"{count}{who}run{'' if len(stored) == 1 else 's'}{more}: {items}.", query, rows)


def _about(run, desk: str | None, narrowed: bool) -> str:
    parts = ([] if desk else [run.desk]) + ([] if narrowed else [labels.task_label(run.task)])
    parts += ([] if run.status == "succeeded" else [run.status]) + (["champion"] if run.champion else [])
    return ", ".join(parts + [run.created_at.strftime("%Y-%m-%d")])

"""The assistant's finance ranking: "show me the riskiest loans", "the 5 riskiest applicants", "the safest
borrowers in run 1": the records of a finance run's newest scores ranked by their probability of default. They
were answered from whichever table matched best ("the question names no column or value of 'sales_small'"),
though the scores that answer them were stored."""
from __future__ import annotations

import re
from typing import Any

from domain import assistant as rules
from services import runs
from services.assistant_runs import latest_run, named_run, no_run
from services.assistant_tools import ToolResult
from services.runtime import Runtime

TOOL = "riskiest_records"
SHOWN = 10  # records listed when the question gives no number
RISKY = (r"riskiest|most risky|highest (?:default )?risk|highest (?:pd|probability of default|default probability)|"
         r"most likely to default")
SAFE = (r"safest|least risky|lowest (?:default )?risk|lowest (?:pd|probability of default|default probability)|"
        r"least likely to default")
RANKED = re.compile(rf"\b(?:{RISKY}|{SAFE})\b")
SAFE_ASKED = re.compile(rf"\b(?:{SAFE})\b")
APPLICANTS = re.compile(r"\b(?:loans?|applicants?|applications?|borrowers?|customers?|clients?|credits?|records?)\b")
COUNTED = re.compile(r"\b(\d{1,3})\s+(?:[a-z]+\s+){0,2}?(?:loans?|applicants?|applications?|borrowers?|customers?|"
                     r"clients?|credits?|records?)\b")
GROUPED = re.compile(r"\b(?:by|per|for each)\s+[a-z]|^(?:which|what)\s+(?!loans?\b|applicants?\b|applications?\b|"
                     r"borrowers?\b|customers?\b|clients?\b|credits?\b|records?\b)[a-z]+\s+(?:has|have|had|is|are)\b")


def asks_for_riskiest(text: str) -> bool:
    """Records ranked by risk ("the riskiest loans"); a group ranked ("which purpose has the highest risk", "default
    rate by purpose") is the data's question."""
    return RANKED.search(text) is not None and APPLICANTS.search(text) is not None and not GROUPED.search(text)


def riskiest_records(runtime: Runtime, text: str) -> ToolResult:
    """The run named ("in run 1"), else the newest finance run with stored scores; its latest score of each record,
    highest probability of default first (lowest first for "safest"), as many as asked (10 when no number is)."""
    _, run, refused = named_run(runtime, text, TOOL, "finance")
    if refused is not None:
        return refused
    run = run or latest_run(runtime, "finance", "score")
    if run is None:
        return no_run(TOOL, "finance", " with scores")
    frame = runs.latest_predictions(runtime, run.id, "score")
    if frame.empty or "pd" not in frame.columns:
        return ToolResult(TOOL, f"{rules.CANNOT}: run {run.id} has no stored scores yet.", f"predictions(run={run.id})",
                          [], cannot=True)
    safest = SAFE_ASKED.search(text) is not None
    asked, found = rules.top_k(text), COUNTED.search(text)
    count = asked[0] if asked else int(found.group(1)) if found else SHOWN
    ranked = frame.assign(pd=frame["pd"].astype(float)).sort_values("pd", ascending=safest, kind="stable")
    rows = [{**r, "records scored": len(frame)} for r in _rows(ranked.head(count))]  # the whole the reply names
    order = "lowest" if safest else "highest"
    listed = "; ".join(_said(r) for r in rows)
    fewer = f" (the run scored {len(frame):,} only)" if len(frame) < count else f" of {len(frame):,} scored"
    answer = (f"The {len(rows)} records with the {order} probability of default in run {run.id}{fewer}: {listed}. "
              "Records are named by the scored file's id column, else its row number.")
    return ToolResult(TOOL, answer, f"predictions(run={run.id}, kind='score', {order} pd, first {count})", rows)


def _said(row: dict[str, Any]) -> str:
    extra = ", ".join(str(row[k]) for k in ("grade", "decision") if row.get(k) not in (None, ""))
    return f"{row['record_key']} ({rules.format_number(float(row['pd']))}{', ' + extra if extra else ''})"


def _rows(frame) -> list[dict[str, Any]]:
    keep = [c for c in frame.columns if c != "batch"]
    return [{k: (v.item() if hasattr(v, "item") else v) for k, v in r.items() if v == v}
            for r in frame[keep].to_dict("records")]

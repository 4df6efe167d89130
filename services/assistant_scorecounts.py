"""Decision and alert counts asked without a run ("how many applicants were approved?", "how many units need
service?"): when no stored dataset answers them, the newest scores of the desk that makes those decisions are
counted and the run is said. They were refused, the best-match dataset (a scored maintenance file) having no
column 'approved'."""
from __future__ import annotations

from dataclasses import replace

from domain import assistant as rules
from services import runs
from services.assistant_runfacts import ALERTED, COUNT, DECISIONS, SERVICE, scored_counts
from services.assistant_tools import ToolResult
from services.runtime import Runtime

# The only other words such a question may hold: a condition or a period of a table ("approved in 2017", "approved
# with purpose car") is none of the scores', so the count is left to the data's refusal.
PLAIN = frozenset("how many number count of the a an were was are is have has had been be got get did do does we our "
                  "so far now currently right total in on all applicants applications loans customers borrowers "
                  "people clients units machines engines assets equipment pieces fleet there".split())
KINDS = {"finance": ("score",), "maintenance": ("score", "rul")}


def newest_scored_counts(runtime: Runtime, text: str) -> ToolResult | None:
    """The count from the newest run of the desk asked, or None when the question is no plain decision or alert
    count or that desk has no stored scores."""
    desk = _desk_asked(text)
    if desk is None:
        return None
    run = next((r for r in runs.list_runs(runtime, desk=desk)
                if any(not runs.predictions_frame(runtime, r.id, k, limit=1).empty for k in KINDS[desk])), None)
    if run is None:
        return None
    result = scored_counts(runtime, run, text)
    return replace(result, answer=f"{result.answer} No stored dataset has a column for this, so the newest {desk} "
                                  f"run with scores (run {run.id}) was counted.")


def _desk_asked(text: str) -> str | None:
    """finance for an approval or decline counted, maintenance for an alert, a flag or a unit needing service;
    None when anything else is said."""
    if not COUNT.search(text):
        return None
    decision = [w for w in DECISIONS if rules.find_phrase(text, w) >= 0]
    service = SERVICE.search(text)
    rest = SERVICE.sub(" ", text).replace("on alert", " ")
    words = [w for w in rules.normalise(rest).split() if w not in PLAIN and w not in DECISIONS and w not in ALERTED]
    if words:
        return None
    if decision:
        return "finance"
    return "maintenance" if service or rules.has_any(text, ALERTED) else None

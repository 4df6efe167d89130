"""What a run question asks for when it names no metric: "what is the learning rate of run 1", "the horizon of
the retail run". They listed every metric of the run as if answered; a setting the run stores is read from its
parameters, and anything else is said to be missing before its metrics are listed. Also how a run reply writes
its figures."""
from __future__ import annotations

import re
from typing import Any

from domain import assistant as rules
from services.assistant_tools import ToolResult
from services.results import RunInfo

ASKED = re.compile(r"^(?:what|which)\s+(?:is|are|was|were)\s+(?:the\s+)?([a-z][a-z0-9 -]*?)\s+(?:of|for|in|used "
                   r"(?:by|in)|does|did)\s+(?:the\s+)?(?:latest\s+|last\s+|newest\s+)?(?:[a-z]+\s+)?(?:run|model)\b")
# Words asking for the run as a whole: its metrics are the answer.
WHOLE = frozenset("metrics metric results result performance scores score figures numbers stats statistics "
                  "summary details evaluation measures kpis outcome quality champion model".split())


def asked_thing(text: str) -> str | None:
    """The noun phrase a "what is the X of run N" question asks for, unless it asks for the run's figures."""
    match = ASKED.match(text)
    if match is None:
        return None
    thing = match.group(1).strip()
    return None if set(thing.split()) & WHOLE or not thing else thing


def parameter(run: RunInfo, thing: str) -> tuple[str, Any] | None:
    """The run's stored setting named by the words asked ("horizon", "number of folds": folds, "seed")."""
    wanted = rules.normalise(thing.replace("number of ", ""))
    for key, value in run.parameters.items():
        if isinstance(value, (dict, list)) or value is None:
            continue
        name = rules.normalise(key.replace("_", " "))
        if name == wanted or rules.singular(name) == rules.singular(wanted):
            return key, value
    return None


def setting_answer(run: RunInfo, head: str, thing: str) -> ToolResult | None:
    """The run's stored setting the question asks for, or None when it stores no such setting."""
    found = parameter(run, thing)
    if found is None:
        return None
    key, value = found
    row = {"run": run.id, "parameter": key, "value": value}
    return ToolResult("run_metrics", f"{head}: {key.replace('_', ' ')} = {value}.",
                      f"runs.get_run({run.id}).parameters[{key!r}]", [row])


def same_decimals(values: list[float]):
    """How one reply writes its figures: where some have two decimals (WAPE 16.75), a figure below 1 has two as
    well (MASE 0.81, not 0.8123); figures all below 1 (AUCs) keep four significant digits."""
    if not any(abs(v) >= 1 and not float(v).is_integer() for v in values):
        return rules.format_number

    def written(value: float) -> str:
        if abs(value) >= 1 or float(value).is_integer():
            return rules.format_number(value)
        return f"{value:.2f}" if abs(value) >= 0.005 else f"{value:.2g}"
    return written

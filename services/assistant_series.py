"""Forecast series of the retail runs as the assistant reads them: a stored forecast row's key is
'<series>|<date>' with the series as 'store=1|item=2'; which keys a question names ("store 1 item 1") and which
series match them. Shared by the forecast and purchase-plan answers (``assistant_desks``)."""
from __future__ import annotations

import re
from typing import Any

from domain import assistant as rules
from services import runs
from services.assistant_runs import named_run
from services.assistant_table import key_names
from services.assistant_tools import ToolResult
from services.runtime import Runtime

SHOWN_SERIES = 5


def series_ids(frame) -> list[str]:
    """A forecast row's key is '<series>|<date>' with the series as 'store=1|item=2' (key columns by name)."""
    return frame["record_key"].str.rsplit("|", n=1).str[0]


def asked_parts(text: str, series: list[str]) -> dict[str, str]:
    """Key columns the question gives a value for ("store 3", "item=10", "store 1" for store_nbr), with the value
    as written; key names of different runs that differ only in case ("Store", "store") are one name."""
    names = {rules.normalise(part.split("=", 1)[0]) for sid in series for part in sid.split("|") if "=" in part}
    found = {}
    for name in names:
        for alias in key_names(name):
            match = re.search(rf"(?<![a-z0-9]){re.escape(alias)}\s*=?\s*([a-z0-9][\w.\-]*)", text)
            if match:
                found[name] = match
                break
    return {name: match.group(1) for name, match in sorted(found.items(), key=lambda item: item[1].start())}


def matches(text: str, sid: str, asked: dict[str, str]) -> bool:
    """Every key the question names is a key of the series with the value named: "store 1 item 1" is never a
    series keyed by store alone (run 3's Store=1 answered it)."""
    parts = {rules.normalise(k): v for k, v in (part.split("=", 1) for part in sid.split("|") if "=" in part)}
    return bool(asked) and all(name in parts and any(
        rules.find_phrase(text, rules.normalise(f"{alias}{sep}{parts[name]}")) >= 0
        for alias in key_names(name) for sep in (" ", "=")) for name in asked)


def forecast_runs(runtime: Runtime, number: int | None) -> list[tuple[int, Any, list[str]]]:
    """(run, forecast rows, series) of the retail runs newest first, or of the one run asked for by number."""
    stored = []
    for run in runs.list_runs(runtime, desk="retail"):
        if number is not None and run.id != number:
            continue
        frame = runs.predictions_frame(runtime, run.id, "forecast")
        if not frame.empty:
            stored.append((run.id, frame, list(dict.fromkeys(series_ids(frame)))))
    return stored


def asked_run(runtime: Runtime, text: str, tool: str) -> tuple[int | None, ToolResult | None]:
    """The retail run a question names by number ("in run 1"), or a refusal (``named_run``)."""
    number, _, refused = named_run(runtime, text, tool, "retail", "a retail forecast")
    return number, refused

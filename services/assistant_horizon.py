"""A series' forecast summed or averaged over its dates, and the dates a forecast covers. "What is the total
forecast for store 1 item 1", "the average p50 forecast for store 1 item 3" and "the total forecast demand for next
week" were answered with the first date's p50 alone (15.29 where the 14 dates add up to 246.36), and "how many days
does the retail forecast cover" with the number of series (3, not 14 days)."""
from __future__ import annotations

import re
from typing import Any

from domain import assistant as rules
from services.assistant_tools import ToolResult

STATISTICS = {"total": "sum", "sum": "sum", "altogether": "sum", "in total": "sum", "cumulative": "sum",
              "average": "mean", "mean": "mean", "highest": "max", "maximum": "max", "peak": "max", "lowest": "min",
              "minimum": "min"}
SAID = {"sum": "total", "mean": "average", "max": "highest", "min": "lowest"}
NEXT = re.compile(r"\b(?:next|first|coming)\s+(?:(\d+)\s+)?(days?|weeks?|dates?|periods?)\b")
COVERS = re.compile(r"\b(?:how many|number of)\s+(?:days|dates|weeks|periods)\b|\bhorizon\b|\bhow (?:long|far)\b|"
                    r"\b(?:which|what) dates\b|\bcover(?:s|ed)?\b")


def asks_coverage(text: str) -> bool:
    """"How many days does the retail forecast cover", "what is the forecast horizon": the dates, not the series."""
    return COVERS.search(text) is not None


def dates_covered(stored: list[tuple[int, Any, list[str]]]) -> ToolResult:
    """Each retail run's forecast dates: how many per series, first and last."""
    rows = []
    for run_id, frame, series in stored:
        dates = sorted({str(d)[:10] for d in frame["date"]})
        rows.append({"run": run_id, "series": len(series), "dates": len(dates), "first": dates[0], "last": dates[-1]})
    said = "; ".join(f"run {r['run']} forecasts {r['dates']:,} dates, {r['first']} to {r['last']}, for "
                     f"{r['series']:,} series" for r in rows)
    return ToolResult("series_forecast", f"{said[0].upper()}{said[1:]}.",
                      f"predictions(kind='forecast') dates counted in retail runs "
                      f"{', '.join(str(r['run']) for r in rows)}", rows)


def over_dates(run_id: int, series: str, rows: list[dict[str, Any]], text: str, query: str) -> ToolResult | None:
    """The total (or average, highest, lowest) of the series' p50 over the dates asked ("next week": its first
    7 dates, "the next 3 days" its first 3), or None when the question asks no statistic nor a stretch of dates."""
    stat = next((s for w, s in STATISTICS.items() if rules.find_phrase(text, w) >= 0), None)
    ahead = NEXT.search(text)
    if stat is None and ahead is None:
        return None
    stat = stat or "sum"
    note = ""
    if ahead is not None:
        unit = ahead.group(2).rstrip("s")
        count = int(ahead.group(1) or 1) * (7 if unit == "week" else 1)
        if count > len(rows):
            return ToolResult("series_forecast", f"{rules.CANNOT}: the forecast for {series} (run {run_id}) covers "
                              f"{len(rows)} dates ({rows[0]['date']} to {rows[-1]['date']}), fewer than the {count} "
                              "asked.", query, rows, cannot=True)
        rows = rows[:count]
        note = f" (its first {count} dates, for '{ahead.group(0)}')"
        query = f"{query}, first {count} dates"
    values = [float(r["p50"]) for r in rows]
    figure = {"sum": sum, "max": max, "min": min}.get(stat, lambda v: sum(v) / len(v))(values)
    over = f"{len(rows)} dates from {rows[0]['date']} to {rows[-1]['date']}" if len(rows) > 1 else f"{rows[0]['date']}"
    return ToolResult("series_forecast", f"The {SAID[stat]} p50 forecast for {series} (run {run_id}) over {over}"
                      f"{note} is {rules.format_number(figure)}.",
                      f"{query}, {stat}(p50) over {len(rows)} dates = {figure}", rows)

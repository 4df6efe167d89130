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


def all_series_total(run_id: int, frame, ids, text: str) -> ToolResult | None:
    """"What is the total forecast for all series": the p50 summed over every series and date of the run (the one
    named, else the newest with a forecast; ``ids``: each row's series), each series' own total in the rows; it was
    refused ("name a series"). None when the question asks no total or names a stretch of dates."""
    stat = next((s for w, s in STATISTICS.items() if rules.find_phrase(text, w) >= 0), None)
    if stat != "sum" or NEXT.search(text):
        return None
    totals = frame["p50"].astype(float).groupby(ids.to_numpy(), sort=False).sum()
    rows = [{"series": str(sid), "total_p50": float(total)} for sid, total in totals.items()]
    figure = float(frame["p50"].astype(float).sum())
    dates = sorted({str(d)[:10] for d in frame["date"]})
    return ToolResult("series_forecast", f"The total p50 forecast of run {run_id} over its {len(rows):,} series and "
                      f"{len(dates):,} dates ({dates[0]} to {dates[-1]}) is {rules.format_number(figure)}.",
                      f"predictions(run={run_id}, kind='forecast', series=all), sum(p50) over {len(frame):,} rows "
                      f"({len(rows)} series, {len(dates)} dates, {dates[0]} to {dates[-1]}) = {figure}", rows)

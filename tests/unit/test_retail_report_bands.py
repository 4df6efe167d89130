"""The run report's per-series totals add up each period's P10 and P90; the page warns that summed bands are too
wide, and the report now says it beside that table too (it had shown the sums without a word)."""
from __future__ import annotations

from types import SimpleNamespace

import pandas as pd

from services import retail_report


def test_the_forecast_section_says_the_summed_bands_are_wider(monkeypatch):
    dates = pd.date_range("2024-01-01", periods=4, freq="W-MON")
    forecast = pd.DataFrame({"item": "a", "date": dates, "p10": 8.0, "p50": 10.0, "p90": 12.0})
    history = pd.DataFrame({"item": "a", "date": dates - pd.Timedelta(weeks=4), "y": 10.0})
    views = retail_report.views
    monkeypatch.setattr(views, "forecast_frame", lambda runtime, run_id: forecast)
    monkeypatch.setattr(views, "history_frame", lambda runtime, run: history)
    monkeypatch.setattr(views, "backtest_table", lambda run: pd.DataFrame())
    monkeypatch.setattr(views, "global_drivers", lambda runtime, run: {})
    monkeypatch.setattr(views, "forecast_title", lambda run: "Weekly forecast")
    run = SimpleNamespace(id=1, parameters={"keys": ["item"], "target": "units", "horizon": 4, "windows_used": 2,
                                            "freq_used": "W", "champion": "lightgbm"})
    section = next(s for s in retail_report.report_sections(None, run) if s.heading == "Forecast")
    totals = section.tables[0][1]
    assert totals[["total_p10", "total_p90"]].values.tolist() == [[32.0, 48.0]]
    assert "add up each period's P10 and P90" in section.text and "not an 80 % interval" in section.text

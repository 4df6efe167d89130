"""The retail run report: its sections (backtest table, fan chart of the largest series, drivers, preparation
notes) and what the report shows or hides for the desk. ``services.reports`` imports this module on demand; the
tables it draws on are read back by ``services.retail_views``."""
from __future__ import annotations

from typing import Any

import pandas as pd

from domain import retail as rules
from reports import figures
from reports.document import ReportSection
from services import reports
from services import retail_views as views
from services.labels import feature_label, model_figure, with_plain_features
from services.results import RunInfo
from services.retail_labels import (champion_rule, describe_model, mase_note, preparation_choices, report_backtest,
                                    unused_drivers_note)
from services.runtime import Runtime

REPORT_SERIES = 200  # series listed in the report's forecast table, largest first
# The page says it under a summed band; the report's per-series totals had shown the added-up bands without it.
SUMMED_BANDS = ("In the per-series table, total_p10 and total_p90 add up each period's P10 and P90, so the range "
                "is wider than a P10–P90 band of the total itself would be (periods seldom all run high, or all "
                "low): a planning range, not an 80 % interval.")


def _periods(parameters: dict[str, Any]) -> str:
    """'quarters', 'weeks' … for the run's frequency; 'periods' for a run stored without one."""
    freq = parameters.get("freq_used")
    return f"{rules.PERIOD_NAMES[freq]}s" if freq in rules.PERIOD_NAMES else "periods"


def _series_totals(forecast: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """Per series: the forecast summed over the horizon (P50, and the bands summed: a planning range, wider
    than a calibrated total) and its first and last dates, largest first."""
    grouped = forecast.groupby(keys, sort=False)
    totals = grouped[["p10", "p50", "p90"]].sum().round(2)
    totals.columns = ["total_p10", "total_p50", "total_p90"]
    totals.insert(0, "to", grouped["date"].max().astype(str))
    totals.insert(0, "from", grouped["date"].min().astype(str))
    return totals.sort_values("total_p50", ascending=False).head(REPORT_SERIES).reset_index()


def report_sections(runtime: Runtime, run: RunInfo) -> tuple[ReportSection, ...]:
    """Backtest table, fan chart of the largest series, SHAP importance."""
    p = run.parameters
    champion = describe_model(p.get("champion"), p.get("freq_used"))
    sections = [ReportSection(
        "Backtest", f"Rolling origin, {p.get('windows_used')} windows of {p['horizon']} {_periods(p)}. Champion "
        f"({champion_rule(p)}): {champion}. 'Periods over − "
        "under' is the share of periods forecast above the actual less the share below, in percentage points "
        "weighted by volume (0 for a forecast high and low equally often; 'chance allows' is how far from 0 luck "
        "alone takes it); the band column is the share of actuals inside P10–P90, which should be about 80 %."
        + (f" {mase_note(views.backtest_table(run))}" if mase_note(views.backtest_table(run)) else "")
        + (f" {unused_drivers_note(p)}" if unused_drivers_note(p) else ""),  # promotions given, a baseline won
        tables=(("Model vs baselines", report_backtest(views.backtest_table(run))),))]
    forecast = views.forecast_frame(runtime, run.id)
    keys = list(p["keys"])
    if len(forecast):
        top = forecast.groupby(keys)["p50"].sum().idxmax()
        top = top if isinstance(top, tuple) else (top,)
        label = ", ".join(f"{k} {v}" for k, v in zip(keys, top))  # 'store North, item -Bolt', not 'store=North|…'
        history = views.history_frame(runtime, run)
        mask = (history[keys].astype(str) == [str(v) for v in top]).all(axis=1)
        chosen = forecast[(forecast[keys].astype(str) == [str(v) for v in top]).all(axis=1)].copy()
        chosen["date"] = pd.to_datetime(chosen["date"])
        fig = figures.fan_chart_figure(history.loc[mask, ["date", "y"]].tail(6 * len(chosen)), chosen,
                                       f"{views.forecast_title(run)} for {label}", p["target"])
        sections.append(ReportSection("Forecast", f"Largest series by forecast volume: {label}. {SUMMED_BANDS}",
                                      figures=(fig,),
                                      tables=((f"Forecast per series over the horizon (largest {REPORT_SERIES})",
                                               _series_totals(forecast, keys)),)))
    drivers = views.global_drivers(runtime, run)
    if drivers:
        names, values = zip(*sorted(drivers.items(), key=lambda kv: -kv[1]))
        whose = ("" if p.get("champion") in (None, "lightgbm") else
                 f" The forecast comes from the champion ({champion}); these drivers "
                 "explain the LightGBM model backtested beside it, not that forecast.")
        sections.append(ReportSection(
            "Drivers (SHAP)", "How far each input moved the LightGBM model's forecasts, on average, in units scaled to "
            "each series' usual level (the mean absolute SHAP value)."
            + whose,
            figures=(figures.feature_importance_figure([feature_label(n, p.get("freq_used")) for n in names],
                                                       list(values), "Drivers (SHAP)"),),
            tables=(("Drivers", with_plain_features(pd.DataFrame({"feature": names, "mean |SHAP|": values}),
                                                    p.get("freq_used"))),)))
    if p.get("notes") or preparation_choices(p):
        sections.append(ReportSection("Data preparation", "\n\n".join([preparation_choices(p), *p.get("notes", [])])
                                      .strip()))
    return tuple(sections)


reports.SECTION_BUILDERS["retail"] = report_sections
# 'freq' is the frequency asked for ('none' when detected): the notes say "Frequency: daily (detected)." or as asked.
# duplicates, negatives and the steady leader are said in words in the Data preparation section
reports.HIDDEN_PARAMETERS["retail"] = ("pandas_freq", "lead_variance_ratio", "backtest_table", "keys", "freq",
                                       "duplicates", "negatives", "steady_leader")
reports.HIDDEN_METRICS["retail"] = lambda name: model_figure(name) is not None  # the backtest table shows them
reports.METRIC_DECIMALS["retail"] = 2  # percentages and MASE, as the backtest table shows them
reports.FEATURE_LABELS["retail"] = lambda run, name: feature_label(name, run.parameters.get("freq_used"),
                                                                   str(run.parameters.get("target") or "sales"))
reports.LIMITATIONS_BY_DESK["retail"] = (
    "Metrics come from rolling-origin backtests on the uploaded history; a promotion, a new competitor or a "
    "change in how sales are recorded after the last date is not in them.",
    "Drivers (SHAP) describe the LightGBM model, not causes in the world.",
)
reports.PURPOSES["retail"] = ("Demand forecast per series with P10/P50/P90 bands, backtested on rolling origins "
                              "against naive baselines (and other candidate models, listed in the backtest table), "
                              "for replenishment planning.")

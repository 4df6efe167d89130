"""Retail figures: the fan chart with backtest forecasts overlaid, and series ranked by error."""
from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from reports.figures import fan_chart_figure

BACKTEST_COLOUR = "#d9822b"
BACKTEST_NAME = "Backtest (past forecasts)"
UNITS = {"wape": "%", "smape": "%", "bias": "%", "coverage": "%"}  # metrics with a unit; MASE is a ratio


def forecast_view_figure(history: pd.DataFrame, backtest: pd.DataFrame, forecast: pd.DataFrame, title: str,
                         y_title: str = "", period: str = "") -> go.Figure:
    """History, the champion's backtest forecasts (one dotted line per window) and the forecast band.

    ``backtest`` has ``date``, ``p50`` and ``window``; seeing past forecasts next to what happened is
    how a planner judges whether to trust the band. ``period`` ('quarter') names the x axis; quarterly
    series are short (20-80 points), so each quarter is marked on the lines.
    """
    fig = fan_chart_figure(history, forecast, title, y_title)
    if period:
        fig.update_xaxes(title_text=period.capitalize())
    if period == "quarter":
        fig.update_traces(mode="lines+markers", selector={"name": "History"})
        fig.update_traces(mode="lines+markers", selector={"name": "Forecast (P50)"})
    for i, (window, part) in enumerate(backtest.sort_values("date").groupby("window")):
        # One legend entry for all windows (each window is one past forecast), toggling them together.
        fig.add_trace(go.Scatter(x=part["date"], y=part["p50"], mode="lines", name=BACKTEST_NAME,
                                 legendgroup="backtest", hovertext=f"backtest window {window}",
                                 line={"color": BACKTEST_COLOUR, "dash": "dot"}, showlegend=i == 0))
    return fig


def error_ranking_figure(table: pd.DataFrame, label: str, metric: str = "wape", top: int = 20) -> go.Figure:
    """Horizontal bars of the worst series by a backtest metric, worst on top."""
    if label not in table.columns or metric not in table.columns:
        raise KeyError(f"table lacks {label!r} or {metric!r}")
    worst = table.nlargest(top, metric).iloc[::-1]
    unit = UNITS.get(metric, "")
    name = {"smape": "sMAPE"}.get(metric, metric.upper()) + (f" ({unit})" if unit else "")
    fig = go.Figure(go.Bar(x=worst[metric], y=worst[label].astype(str), orientation="h", name=name,
                           hovertemplate=f"%{{y}}: %{{x:.1f}}{unit}<extra></extra>"))
    fig.update_layout(title=f"Series by backtest {name} (worst {len(worst)})", xaxis_title=name,
                      template="plotly_white", height=max(300, 22 * len(worst) + 120))
    fig.update_xaxes(ticksuffix=unit)
    fig.update_yaxes(automargin=True)  # long series labels ('store=3|item=10') are not clipped at the left
    return fig

"""Retail figures: the fan chart with backtest forecasts overlaid, and series ranked by error."""
from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from reports.figures import fan_chart_figure

BACKTEST_COLOUR = "#d9822b"


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
    for window, part in backtest.sort_values("date").groupby("window"):
        fig.add_trace(go.Scatter(x=part["date"], y=part["p50"], mode="lines", name=f"Backtest {window}",
                                 line={"color": BACKTEST_COLOUR, "dash": "dot"}, showlegend=bool(window == 1)))
    return fig


def error_ranking_figure(table: pd.DataFrame, label: str, metric: str = "wape", top: int = 20) -> go.Figure:
    """Horizontal bars of the worst series by a backtest metric, worst on top."""
    if label not in table.columns or metric not in table.columns:
        raise KeyError(f"table lacks {label!r} or {metric!r}")
    worst = table.nlargest(top, metric).iloc[::-1]
    fig = go.Figure(go.Bar(x=worst[metric], y=worst[label].astype(str), orientation="h", name=metric.upper()))
    fig.update_layout(title=f"Series by backtest {metric.upper()} (worst {len(worst)})", xaxis_title=metric.upper(),
                      template="plotly_white", height=max(300, 22 * len(worst) + 120))
    return fig

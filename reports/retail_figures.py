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
    _zoom_to_recent(fig, history, backtest, forecast)
    return fig


def recent_start(history: pd.DataFrame, forecast: pd.DataFrame) -> pd.Timestamp | None:
    """Where the chart opens: max(8 horizons, 90 days) before the forecast, so 14 forecast days are not squeezed
    beside 5 years of history (the run report draws the last 6 horizons; here the rest stays a zoom-out away).
    None when the history is no longer than that."""
    dates = pd.to_datetime(forecast["date"]).drop_duplicates().sort_values()
    past = pd.to_datetime(history["date"])
    if not len(dates) or not len(past):
        return None
    step = dates.diff().median() if len(dates) > 1 else pd.Timedelta(days=1)
    step = step if pd.notna(step) and step > pd.Timedelta(0) else pd.Timedelta(days=1)
    start = dates.iloc[0] - max(8 * len(dates) * step, pd.Timedelta(days=90))
    return start if past.min() < start else None


def _zoom_to_recent(fig: go.Figure, history: pd.DataFrame, backtest: pd.DataFrame, forecast: pd.DataFrame) -> None:
    start = recent_start(history, forecast)
    if start is None:
        return
    end = pd.to_datetime(forecast["date"]).max()
    seen = [history.loc[pd.to_datetime(history["date"]) >= start, "y"], forecast["p10"], forecast["p90"]]
    if len(backtest):
        seen.append(backtest.loc[pd.to_datetime(backtest["date"]) >= start, "p50"])
    values = pd.concat(seen).dropna()
    fig.update_xaxes(range=[start, end + (end - start) * 0.01])
    if len(values):  # the y axis fits what is in view, not the whole history's peaks
        low, high = float(values.min()), float(values.max())
        pad = 0.05 * (high - low or abs(high) or 1.0)
        fig.update_yaxes(range=[0.0 if low >= 0 else low - pad, high + pad])


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

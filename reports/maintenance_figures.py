"""Maintenance figures (DataFrame → plotly Figure): RUL trend with its band, fleet ranking, sensor trend."""
from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from reports.figure_style import NEUTRAL, PRIMARY, _style, as_numbers


def rul_trend_figure(predictions: pd.DataFrame, title: str, *, threshold: float | None = None,
                     unit: str | None = None) -> go.Figure:
    """Predicted RUL per reading with the P10–P90 band; ``predictions`` has time, rul, rul_low, rul_high; ``unit``
    is what the run counts in ('cycles'), named on the axis."""
    missing = [c for c in ("time", "rul", "rul_low", "rul_high") if c not in predictions.columns]
    if missing:
        raise KeyError(f"predictions lack columns {missing}")
    data = predictions.sort_values("time", kind="stable")
    fig = go.Figure()
    fig.add_trace(go.Scatter(x=data["time"], y=data["rul_high"], mode="lines", line={"width": 0},
                             showlegend=False, name="high"))
    fig.add_trace(go.Scatter(x=data["time"], y=data["rul_low"], mode="lines", line={"width": 0}, fill="tonexty",
                             fillcolor="rgba(46,94,170,0.2)", name="interval (P10–P90)"))
    fig.add_trace(go.Scatter(x=data["time"], y=data["rul"], mode="lines", line={"color": PRIMARY},
                             name="predicted RUL"))
    if threshold is not None:
        fig.add_hline(y=threshold, line={"color": NEUTRAL, "dash": "dot"}, annotation_text="alert threshold")
    return _style(fig, title, "Time / cycle", f"Remaining useful life ({unit})" if unit else "Remaining useful life")


def fleet_ranking_figure(fleet: pd.DataFrame, value: str, title: str, *, top: int = 30,
                         unit: str | None = None) -> go.Figure:
    """Horizontal bars, most urgent first (lowest RUL or highest risk). Units without an estimate (no value, or
    ``short_history``: scored on too few readings, their band the whole range) are left out and counted in the
    title: drawn, a short history's RUL near the cap read as the healthiest unit."""
    if "unit" not in fleet.columns or value not in fleet.columns:
        raise KeyError(f"fleet needs columns 'unit' and {value!r}")
    unknown = fleet[value].isna() | (fleet["short_history"].eq(True) if "short_history" in fleet.columns else False)
    known = fleet[~unknown]
    ascending = value.startswith("rul")
    data = known.sort_values(value, ascending=ascending, kind="stable").head(top)
    fig = go.Figure(go.Bar(x=data[value], y=data["unit"].astype(str), orientation="h", marker_color=PRIMARY))
    shown = f"{title} ({len(data)} of {len(known):,} units)" if len(known) > len(data) else title
    if unknown.any():
        named = ", ".join(map(str, fleet.loc[unknown, "unit"].head(5))) + (" …" if unknown.sum() > 5 else "")
        shown += f"; {int(unknown.sum())} without an estimate not shown ({named})"
    rul_axis = f"Remaining useful life ({unit})" if unit else "Remaining useful life"
    axis = {"p_failure": "Failure probability", "rul": rul_axis}.get(value, value)
    fig = _style(fig, shown, axis, "Unit")
    if value == "p_failure":  # two significant digits: '0.0005%', '20%' (whole percents wrote every tick '0%' when
        fig.update_xaxes(tickformat=".2~p", rangemode="tozero")  # one machine's chance was 0.002 %)
    fig.update_yaxes(autorange="reversed", type="category")
    fig.update_layout(height=max(320, 22 * len(data) + 140))
    return fig


def sensor_trend_figure(history: pd.DataFrame, time: str, sensors: list[str], title: str) -> go.Figure:
    """Each sensor scaled to 0–1 so several can share one axis; the shape of the drift is what matters."""
    data = history.sort_values(time, kind="stable")
    fig = go.Figure()
    for sensor in sensors:
        values = as_numbers(data[sensor])
        span = values.max() - values.min()
        scaled = (values - values.min()) / span if span and span == span else values * 0
        fig.add_trace(go.Scatter(x=data[time], y=scaled, mode="lines", name=str(sensor)))
    return _style(fig, title, time, "Scaled reading (0–1)")

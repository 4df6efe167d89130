"""Figure builders: plain data in, plotly Figure out.

Every desk draws through these functions so charts look alike on screen and in exported
reports (one template, one palette, titled axes).  They hold no Streamlit and no model code,
so pages, services and exporters can all call them, and tests can check the numbers.

This module holds the general charts (histogram, metrics, time series, fan chart) and PNG
rendering; the house look lives in reports/figure_style.py and the model evaluation and
explanation charts in reports/model_figures.py.  Both are re-exported here, so callers keep
using ``figures.<name>``.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd
import plotly.graph_objects as go
from pandas.api.types import is_bool_dtype, is_datetime64_any_dtype, is_numeric_dtype

# Re-exported so ``figures.<name>`` keeps working for pages, services, exporters and tests.
from reports.figure_style import (  # noqa: F401
    ACCENT, NEGATIVE, NEUTRAL, PALETTE, POSITIVE, PRIMARY, TEMPLATE, ArrayLike, _style, as_numbers,
)
from reports.model_figures import (  # noqa: F401
    beeswarm_figure, calibration_figure, confusion_matrix_figure, feature_importance_figure, pr_curve_figure,
    roc_curve_figure, score_distribution_figure, waterfall_figure,
)

logger = logging.getLogger(__name__)

DEFAULT_WIDTH_PX = 900
DEFAULT_HEIGHT_PX = 500


def _stamp_text(stamp: pd.Timestamp) -> str:
    return stamp.date().isoformat() if stamp == stamp.normalize() else stamp.isoformat(sep=" ")


def _bin_geometry(edges: Sequence[Any]) -> tuple[Any, Any, list[str]]:
    """Centres, widths and hover text for bins; numbers stay numbers, dates become a date axis."""
    series = pd.Series(edges)
    numeric: pd.Series | None = None
    if is_numeric_dtype(series) and not is_bool_dtype(series):
        numeric = series.astype(float)
    elif not is_datetime64_any_dtype(series):
        try:
            numeric = as_numbers(series, errors="raise")
        except (ValueError, TypeError):
            numeric = None
    if numeric is not None:
        values = numeric.to_numpy(dtype=float)
        left, right = values[:-1], values[1:]
        return (left + right) / 2, right - left, [f"{a:g} – {b:g}" for a, b in zip(left, right)]
    stamps = pd.to_datetime(series).reset_index(drop=True)
    left, right = stamps.iloc[:-1].reset_index(drop=True), stamps.iloc[1:].reset_index(drop=True)
    centres = left + (right - left) / 2
    # A date axis measures bar width in milliseconds.
    widths = ((right - left).dt.total_seconds() * 1000).to_numpy()
    return centres, widths, [f"{_stamp_text(a)} – {_stamp_text(b)}" for a, b in zip(left, right)]


def histogram_figure(histogram: Mapping[str, Sequence[Any]], title: str, x_title: str = "") -> go.Figure:
    """Draw a pre-binned histogram: ``{"edges": [...n+1], "counts": [...n]}``.

    Bins arrive pre-computed (profiles are stored, not raw data), so bars are placed between
    edges with their true widths; ISO date edges give a date axis.  A categorical profile
    ``{"categories": [...], "counts": [...]}`` is drawn as plain bars.
    """
    counts = list(histogram.get("counts", []))
    if "categories" in histogram:
        categories = [str(c) for c in histogram["categories"]]
        if len(categories) != len(counts):
            raise ValueError(f"{len(categories)} categories but {len(counts)} counts")
        fig = go.Figure(go.Bar(x=categories, y=counts, marker_color=PRIMARY, name="count"))
        return _style(fig, title, x_title, "Count")
    edges = list(histogram.get("edges", []))
    if counts and len(edges) != len(counts) + 1:
        raise ValueError(f"need len(edges) == len(counts) + 1, got {len(edges)} and {len(counts)}")
    if not counts:
        return _style(go.Figure(go.Bar(x=[], y=[], marker_color=PRIMARY)), title, x_title, "Count")
    centres, widths, hover = _bin_geometry(edges)
    fig = go.Figure(
        go.Bar(
            x=centres, y=counts, width=widths, customdata=hover, marker_color=PRIMARY,
            marker_line={"width": 0.5, "color": "white"}, name="count",
            hovertemplate="%{customdata}<br>count %{y}<extra></extra>",
        )
    )
    return _style(fig, title, x_title, "Count")


def metrics_bar_figure(metrics: Mapping[str, float], title: str) -> go.Figure:
    """Bar per metric in the given order; the value is printed so the chart reads alone."""
    names = [str(name) for name in metrics]
    values = [float(v) for v in metrics.values()]
    fig = go.Figure(
        go.Bar(x=names, y=values, text=[f"{v:.3g}" for v in values], textposition="outside",
               marker_color=PRIMARY, name="value")
    )
    return _style(fig, title, "Metric", "Value")


def time_series_figure(
    frame: pd.DataFrame, x: str, ys: str | Sequence[str], title: str, y_title: str = ""
) -> go.Figure:
    """One line per column, sorted by x so unsorted input never zig-zags."""
    columns = [ys] if isinstance(ys, str) else list(ys)
    missing = [c for c in [x, *columns] if c not in frame.columns]
    if missing:
        raise KeyError(f"columns not in frame: {missing}")
    ordered = frame.sort_values(x, kind="stable")
    fig = go.Figure()
    for column in columns:
        fig.add_trace(go.Scatter(x=ordered[x], y=ordered[column], mode="lines", name=str(column)))
    return _style(fig, title, x, y_title or (columns[0] if len(columns) == 1 else "Value"))


def fan_chart_figure(history: pd.DataFrame, forecast: pd.DataFrame, title: str, y_title: str = "") -> go.Figure:
    """History, median forecast and the P10–P90 band: the spread is the point of the chart.

    ``history`` has columns ``date`` and ``y``; ``forecast`` has ``date``, ``p10``, ``p50``, ``p90``.
    """
    required = (("history", history, ["date", "y"]), ("forecast", forecast, ["date", "p10", "p50", "p90"]))
    for name, frame, needed in required:
        missing = [c for c in needed if c not in frame.columns]
        if missing:
            raise KeyError(f"{name} lacks columns {missing}")
    past = history.sort_values("date", kind="stable")
    future = forecast.sort_values("date", kind="stable")
    fig = go.Figure()
    fig.add_trace(go.Scatter(x=past["date"], y=past["y"], mode="lines", name="History", line={"color": NEUTRAL}))
    fig.add_trace(go.Scatter(x=future["date"], y=future["p90"], mode="lines", name="P90",
                             line={"width": 0, "color": PRIMARY}, showlegend=False))
    fig.add_trace(go.Scatter(x=future["date"], y=future["p10"], mode="lines", name="P10–P90",
                             line={"width": 0, "color": PRIMARY}, fill="tonexty", fillcolor="rgba(46,94,170,0.2)"))
    fig.add_trace(go.Scatter(x=future["date"], y=future["p50"], mode="lines", name="Forecast (P50)",
                             line={"color": PRIMARY, "dash": "dash"}))
    return _style(fig, title, "Date", y_title or "Value")


_RENDER_LOCK = threading.Lock()


def figure_to_png(fig: go.Figure, *, scale: float = 2.0) -> bytes:
    """Render a static PNG with kaleido for PDF, XLSX and DOCX.

    The figure's own size is kept (tall importance charts stay tall); a lock serialises calls
    because Streamlit runs sessions on threads and the renderer is one shared process.
    """
    width = int(fig.layout.width or DEFAULT_WIDTH_PX)
    height = int(fig.layout.height or DEFAULT_HEIGHT_PX)
    with _RENDER_LOCK:
        return fig.to_image(format="png", width=width, height=height, scale=scale)


def try_figure_to_png(fig: go.Figure, *, scale: float = 2.0) -> bytes | None:
    """Like :func:`figure_to_png` but returns None when rendering fails.

    A broken or missing image renderer should cost the reader a chart, not the whole report;
    exporters print a note where the chart would have been, and the failure is logged.
    """
    try:
        return figure_to_png(fig, scale=scale)
    except Exception:  # noqa: BLE001 - any renderer failure degrades to a note, logged below
        logger.warning("could not render figure %r to PNG", figure_title(fig), exc_info=True)
        return None


def figure_title(fig: go.Figure) -> str:
    """The figure's title text, used as its caption in static formats."""
    text = fig.layout.title.text if fig.layout.title else None
    return str(text) if text else ""

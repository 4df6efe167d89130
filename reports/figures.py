"""Figure builders: plain data in, plotly Figure out.

Every desk draws through these functions so charts look alike on screen and in exported
reports (one template, one palette, titled axes).  They hold no Streamlit and no model code,
so pages, services and exporters can all call them, and tests can check the numbers.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from pandas.api.types import is_bool_dtype, is_datetime64_any_dtype, is_numeric_dtype

logger = logging.getLogger(__name__)

TEMPLATE = "plotly_white"
PRIMARY = "#2E5EAA"
ACCENT = "#E07A1F"
NEUTRAL = "#8A8A8A"
POSITIVE = "#2A9D55"
NEGATIVE = "#C0392B"
PALETTE = (PRIMARY, ACCENT, POSITIVE, NEGATIVE, "#7B4FA0", "#1B9AAA", "#B5651D", NEUTRAL)
DEFAULT_WIDTH_PX = 900
DEFAULT_HEIGHT_PX = 500

ArrayLike = Sequence[float] | np.ndarray | pd.Series


def _style(fig: go.Figure, title: str, x_title: str = "", y_title: str = "") -> go.Figure:
    """Apply the house look; one place so every chart changes together."""
    fig.update_layout(
        template=TEMPLATE,
        title={"text": title, "x": 0.02, "xanchor": "left"},
        colorway=list(PALETTE),
        margin={"l": 60, "r": 30, "t": 60, "b": 50},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.0, "xanchor": "right", "x": 1.0},
    )
    fig.update_xaxes(title_text=x_title)
    fig.update_yaxes(title_text=y_title)
    return fig


def _floats(values: Any, name: str) -> np.ndarray:
    array = np.asarray(values, dtype=float)
    if array.ndim != 1:
        raise ValueError(f"{name} must be one-dimensional")
    return array


def _same_length(**arrays: np.ndarray) -> None:
    lengths = {name: len(array) for name, array in arrays.items()}
    if len(set(lengths.values())) > 1:
        raise ValueError(f"lengths differ: {lengths}")


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
            numeric = pd.to_numeric(series)
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


def roc_curve_figure(
    fpr: ArrayLike, tpr: ArrayLike, auc: float,
    operating_point: tuple[float, float] | None = None, *, title: str = "ROC curve",
) -> go.Figure:
    """ROC with the chance diagonal, and the chosen cut-off marked when one is given."""
    x, y = _floats(fpr, "fpr"), _floats(tpr, "tpr")
    _same_length(fpr=x, tpr=y)
    fig = go.Figure()
    fig.add_trace(go.Scatter(
        x=x, y=y, mode="lines", name=f"ROC (AUC = {auc:.3f})", line={"color": PRIMARY, "width": 2}
    ))
    fig.add_trace(go.Scatter(x=[0, 1], y=[0, 1], mode="lines", name="Chance", line={"color": NEUTRAL, "dash": "dash"}))
    if operating_point is not None:
        fig.add_trace(go.Scatter(
            x=[operating_point[0]], y=[operating_point[1]], mode="markers", name="Operating point",
            marker={"color": ACCENT, "size": 12, "symbol": "diamond"},
        ))
    fig = _style(fig, title, "False positive rate", "True positive rate")
    fig.update_xaxes(range=[0, 1])
    fig.update_yaxes(range=[0, 1.02])
    return fig


def pr_curve_figure(
    recall: ArrayLike, precision: ArrayLike, ap: float, *,
    prevalence: float | None = None, title: str = "Precision–recall curve",
) -> go.Figure:
    """Precision against recall; the prevalence line is what a random ranking would get."""
    x, y = _floats(recall, "recall"), _floats(precision, "precision")
    _same_length(recall=x, precision=y)
    fig = go.Figure(go.Scatter(x=x, y=y, mode="lines", name=f"PR (AP = {ap:.3f})", line={"color": PRIMARY, "width": 2}))
    if prevalence is not None:
        fig.add_trace(go.Scatter(x=[0, 1], y=[prevalence, prevalence], mode="lines", name="Random",
                                 line={"color": NEUTRAL, "dash": "dash"}))
    fig = _style(fig, title, "Recall", "Precision")
    fig.update_xaxes(range=[0, 1])
    fig.update_yaxes(range=[0, 1.02])
    return fig


def calibration_figure(prob_pred: ArrayLike, prob_true: ArrayLike, *, title: str = "Calibration") -> go.Figure:
    """Mean predicted against observed frequency per bin; the diagonal is perfect calibration."""
    x, y = _floats(prob_pred, "prob_pred"), _floats(prob_true, "prob_true")
    _same_length(prob_pred=x, prob_true=y)
    fig = go.Figure()
    fig.add_trace(go.Scatter(x=x, y=y, mode="lines+markers", name="Model", line={"color": PRIMARY}))
    fig.add_trace(go.Scatter(x=[0, 1], y=[0, 1], mode="lines", name="Perfectly calibrated",
                             line={"color": NEUTRAL, "dash": "dash"}))
    fig = _style(fig, title, "Mean predicted probability", "Observed frequency")
    fig.update_xaxes(range=[0, 1])
    fig.update_yaxes(range=[0, 1])
    return fig


def feature_importance_figure(
    names: Sequence[str], values: ArrayLike, title: str, top: int = 20
) -> go.Figure:
    """Horizontal bars, largest magnitude first (at the top); signed values keep their colour."""
    magnitudes = _floats(values, "values")
    labels = [str(n) for n in names]
    if len(labels) != len(magnitudes):
        raise ValueError(f"{len(labels)} names but {len(magnitudes)} values")
    order = np.argsort(-np.abs(magnitudes), kind="stable")[:top]
    shown_names = [labels[i] for i in order]
    shown_values = magnitudes[order]
    colours = [NEGATIVE if v < 0 else PRIMARY for v in shown_values]
    fig = go.Figure(go.Bar(x=shown_values, y=shown_names, orientation="h", marker_color=colours, name="importance"))
    fig = _style(fig, title, "Importance", "")
    fig.update_yaxes(autorange="reversed", type="category")
    fig.update_layout(height=max(320, 26 * len(shown_names) + 140))
    return fig


def confusion_matrix_figure(
    matrix: Sequence[Sequence[int]] | np.ndarray, labels: Sequence[Any], *, title: str = "Confusion matrix"
) -> go.Figure:
    """Counts with row percentages, actual on the y axis (first class on top)."""
    counts = np.asarray(matrix, dtype=float)
    names = [str(label) for label in labels]
    if counts.ndim != 2 or counts.shape[0] != counts.shape[1] or counts.shape[0] != len(names):
        raise ValueError(f"need an NxN matrix with N labels, got shape {counts.shape} and {len(names)} labels")
    row_totals = counts.sum(axis=1, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        shares = np.where(row_totals > 0, counts / row_totals, 0.0)
    text = [[f"{int(c):,}<br>{s:.1%}" for c, s in zip(row, share_row)] for row, share_row in zip(counts, shares)]
    fig = go.Figure(go.Heatmap(
        z=counts, x=names, y=names, text=text, texttemplate="%{text}", colorscale="Blues",
        showscale=False, hovertemplate="actual %{y}<br>predicted %{x}<br>count %{z}<extra></extra>",
    ))
    fig = _style(fig, title, "Predicted", "Actual")
    fig.update_yaxes(autorange="reversed", type="category")
    fig.update_xaxes(type="category", side="bottom")
    return fig


def score_distribution_figure(
    scores: ArrayLike, labels: ArrayLike | None = None, *, title: str = "Score distribution", bins: int = 30
) -> go.Figure:
    """Overlaid histograms of scores per actual class, to show how well they separate."""
    values = _floats(scores, "scores")
    fig = go.Figure()
    if labels is None:
        fig.add_trace(go.Histogram(x=values, nbinsx=bins, name="all", marker_color=PRIMARY))
    else:
        classes = pd.Series(np.asarray(labels).ravel())
        if len(classes) != len(values):
            raise ValueError(f"{len(values)} scores but {len(classes)} labels")
        for index, label in enumerate(sorted(classes.dropna().unique(), key=str)):
            mask = (classes == label).to_numpy()
            fig.add_trace(go.Histogram(
                x=values[mask], nbinsx=bins, name=f"actual = {label}", opacity=0.6,
                marker_color=PALETTE[index % len(PALETTE)],
            ))
    fig.update_layout(barmode="overlay")
    return _style(fig, title, "Score", "Count")


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


def _normalised_colour_values(column: pd.Series) -> np.ndarray:
    """Map a feature to 0..1 for colouring; categories use their codes, gaps sit mid-scale."""
    numeric = pd.to_numeric(column, errors="coerce")
    if numeric.isna().all() and column.notna().any():
        numeric = pd.Series(pd.Categorical(column.astype(str)).codes, index=column.index, dtype=float)
    values = numeric.to_numpy(dtype=float)
    finite = values[np.isfinite(values)]
    if finite.size == 0 or finite.max() == finite.min():
        return np.full(len(values), 0.5)
    scaled = (values - finite.min()) / (finite.max() - finite.min())
    return np.where(np.isfinite(scaled), scaled, 0.5)


def beeswarm_figure(
    shap_values: np.ndarray, feature_values: pd.DataFrame, top: int = 15, *,
    title: str = "Feature effects (SHAP)", max_samples: int = 1000, seed: int = 0,
) -> go.Figure:
    """SHAP summary: one jittered row per feature, most influential on top, coloured by value.

    Rows are subsampled (seeded, so the same report draws the same picture) because a few
    thousand points per feature add nothing but file size.
    """
    values = np.asarray(shap_values, dtype=float)
    if values.ndim != 2 or values.shape != feature_values.shape:
        raise ValueError(f"shap_values shape {values.shape} must equal feature_values shape {feature_values.shape}")
    rng = np.random.default_rng(seed)
    rows = np.arange(values.shape[0])
    if len(rows) > max_samples:
        rows = np.sort(rng.choice(rows, size=max_samples, replace=False))
    order = np.argsort(-np.abs(values).mean(axis=0), kind="stable")[:top]
    fig = go.Figure()
    for rank, column_index in enumerate(order):
        name = str(feature_values.columns[column_index])
        column = feature_values.iloc[rows, column_index]
        jitter = rng.uniform(-0.3, 0.3, size=len(rows))
        fig.add_trace(go.Scatter(
            x=values[rows, column_index], y=rank + jitter, mode="markers", name=name, showlegend=False,
            customdata=column.astype(str).to_numpy(),
            hovertemplate=f"{name} = %{{customdata}}<br>SHAP %{{x:.4g}}<extra></extra>",
            marker={
                "size": 5, "opacity": 0.8, "color": _normalised_colour_values(column), "cmin": 0, "cmax": 1,
                "colorscale": "RdBu_r", "showscale": rank == 0,
                "colorbar": {"title": "Feature value", "tickvals": [0, 1], "ticktext": ["low", "high"]},
            },
        ))
    fig = _style(fig, title, "SHAP value (effect on model output)", "")
    names = [str(feature_values.columns[i]) for i in order]
    fig.update_yaxes(tickvals=list(range(len(names))), ticktext=names, autorange="reversed", zeroline=False)
    fig.add_vline(x=0, line={"color": NEUTRAL, "width": 1})
    fig.update_layout(height=max(320, 30 * len(names) + 140))
    return fig


def waterfall_figure(
    base_value: float, contributions: Sequence[tuple[str, float]], title: str, *, top: int | None = 12
) -> go.Figure:
    """How one prediction is built: base value, each feature's push, then the result.

    The largest contributions are shown (by magnitude) and the rest lumped together, so the
    chart stays legible while the total still equals the model output.
    """
    items = sorted(((str(n), float(v)) for n, v in contributions), key=lambda item: -abs(item[1]))
    if top is not None and len(items) > top:
        rest = items[top:]
        items = [*items[:top], (f"Other {len(rest)} features", sum(v for _, v in rest))]
    total = float(base_value) + sum(v for _, v in items)
    labels = ["Base value", *(n for n, _ in items), "Prediction"]
    fig = go.Figure(go.Waterfall(
        orientation="h", y=labels, x=[float(base_value), *(v for _, v in items), total],
        measure=["absolute", *(["relative"] * len(items)), "total"],
        text=[f"{base_value:.4g}", *(f"{v:+.4g}" for _, v in items), f"{total:.4g}"], textposition="outside",
        increasing={"marker": {"color": NEGATIVE}}, decreasing={"marker": {"color": POSITIVE}},
        totals={"marker": {"color": PRIMARY}}, connector={"line": {"color": NEUTRAL, "width": 1}},
    ))
    fig = _style(fig, title, "Model output", "")
    fig.update_yaxes(autorange="reversed", type="category")
    fig.update_layout(height=max(320, 28 * len(labels) + 140), showlegend=False)
    return fig


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

"""Model figures: how well a classifier ranks and calibrates, and which features drive it.

ROC, precision–recall, calibration, confusion matrix and score distribution judge a model;
importance, SHAP beeswarm and waterfall explain it.  They are kept apart from the general
builders in reports/figures.py (which re-exports them) because they are read as one family and
change together.  Like every builder: plain data in, plotly Figure out, no Streamlit.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from reports.figure_style import (
    ACCENT, NEGATIVE, NEUTRAL, PALETTE, POSITIVE, PRIMARY, ArrayLike, _floats, _same_length, _style, as_numbers,
)


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
    matrix: Sequence[Sequence[int]] | np.ndarray, labels: Sequence[Any], *, title: str = "Confusion matrix",
    decisions: Sequence[Any] | None = None, decision_title: str = "Predicted"
) -> go.Figure:
    """Counts with row percentages, actual on the y axis (first class on top). ``decisions`` names the columns
    when they are decisions rather than classes (approve / decline for repaid / default)."""
    counts = np.asarray(matrix, dtype=float)
    names = [str(label) for label in labels]
    columns = [str(d) for d in decisions] if decisions is not None else names
    if counts.ndim != 2 or counts.shape[0] != counts.shape[1] or counts.shape[0] != len(names) \
            or len(columns) != len(names):
        raise ValueError(f"need an NxN matrix with N labels, got shape {counts.shape} and {len(names)} labels")
    row_totals = counts.sum(axis=1, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        shares = np.where(row_totals > 0, counts / row_totals, 0.0)
    text = [[f"{int(c):,}<br>{s:.1%}" for c, s in zip(row, share_row)] for row, share_row in zip(counts, shares)]
    hover = f"actual %{{y}}<br>{decision_title.lower()} %{{x}}<br>count %{{z}}<extra></extra>"
    fig = go.Figure(go.Heatmap(
        z=counts, x=columns, y=names, text=text, texttemplate="%{text}", colorscale="Blues",
        showscale=False, hovertemplate=hover,
    ))
    fig = _style(fig, title, decision_title, "Actual")
    fig.update_yaxes(autorange="reversed", type="category")
    fig.update_xaxes(type="category", side="bottom")
    return fig


def score_distribution_figure(
    scores: ArrayLike, labels: ArrayLike | None = None, *, title: str = "Score distribution", bins: int = 30,
    x_title: str = "Score",
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
    return _style(fig, title, x_title, "Count")


def _normalised_colour_values(column: pd.Series) -> np.ndarray | str:
    """Map a feature to 0..1 for colouring, gaps mid-scale. Categories get one neutral colour: coloured by their
    codes (A11 … A14, purposes, machine types) they read as low to high, an order they do not have."""
    numeric = as_numbers(column)
    if numeric.isna().all() and column.notna().any():
        return NEUTRAL
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
    fig, scale_shown = go.Figure(), False
    for rank, column_index in enumerate(order):
        name = str(feature_values.columns[column_index])
        column = feature_values.iloc[rows, column_index]
        jitter = rng.uniform(-0.3, 0.3, size=len(rows))
        colour = _normalised_colour_values(column)
        numeric = not isinstance(colour, str)  # categories are grey: the scale is shown on the first number
        fig.add_trace(go.Scatter(
            x=values[rows, column_index], y=rank + jitter, mode="markers", name=name, showlegend=False,
            customdata=column.astype(str).to_numpy(),
            hovertemplate=f"{name} = %{{customdata}}<br>SHAP %{{x:.4g}}<extra></extra>",
            marker={
                "size": 5, "opacity": 0.8, "color": colour, "cmin": 0, "cmax": 1,
                "colorscale": "RdBu_r", "showscale": numeric and not scale_shown,
                "colorbar": {"title": "Feature value", "tickvals": [0, 1], "ticktext": ["low", "high"]},
            } if numeric else {"size": 5, "opacity": 0.8, "color": colour},
        ))
        scale_shown = scale_shown or numeric
    fig = _style(fig, title, "SHAP value (effect on model output)", "")
    names = [str(feature_values.columns[i]) for i in order]
    fig.update_yaxes(tickvals=list(range(len(names))), ticktext=names, autorange="reversed", zeroline=False)
    fig.add_vline(x=0, line={"color": NEUTRAL, "width": 1})
    fig.update_layout(height=max(320, 30 * len(names) + 140))
    return fig


def signed(value: float) -> str:
    """A contribution's bar label: '+0.48', '-0.081', '+0.0083', '0' (it had read '+0.4803', '-0.08126', '+0')."""
    if value == 0:
        return "0"
    return f"{round(value, 2):+g}" if abs(value) >= 0.1 else f"{value:+.2g}"


def plain(value: float) -> str:
    """A log-odds total to 2 decimals, without trailing zeros or float noise: '-5.76', '-4.6', '0'."""
    return f"{round(value, 2) + 0.0:g}"


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
    total = round(float(base_value) + sum(v for _, v in items), 12)  # 0.2 + 0.1 - 0.3 reads 0, not 2.776e-17
    labels = ["Base value", *(n for n, _ in items), "Prediction"]
    # The base value and the prediction are said in their rows' labels: written outside their bars, which start at
    # the plot's edge, they were drawn over the row label ('Base value -4.6' for a log-odds base of -4.6).
    fig = go.Figure(go.Waterfall(
        orientation="h", y=labels, x=[float(base_value), *(v for _, v in items), total],
        measure=["absolute", *(["relative"] * len(items)), "total"],
        text=["", *(signed(v) for _, v in items), ""], textposition="outside",
        increasing={"marker": {"color": NEGATIVE}}, decreasing={"marker": {"color": POSITIVE}},
        totals={"marker": {"color": PRIMARY}}, connector={"line": {"color": NEUTRAL, "width": 1}},
        cliponaxis=False,  # a label outside a bar at the plot's edge is drawn whole, not cut ("7.137" for -17.137)
    ))
    fig = _style(fig, title, "Model output", "")
    steps = [float(base_value) + sum(v for _, v in items[:k + 1]) for k in range(len(items))]
    span = [0.0, float(base_value), total, *steps]  # the totals' bars start at 0
    pad = 0.15 * ((max(span) - min(span)) or 1.0)  # room for the outside labels within the axis
    fig.update_xaxes(range=[min(span) - pad, max(span) + pad])
    fig.update_yaxes(autorange="reversed", type="category", tickvals=labels,
                     ticktext=[f"Base value: {plain(base_value)}", *labels[1:-1], f"Prediction: {plain(total)}"])
    fig.update_layout(height=max(320, 28 * len(labels) + 140), showlegend=False)
    return fig

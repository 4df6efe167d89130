"""Credit-specific charts the shared figure module lacks: cost curve, gains/lift, dependence, PSI, grades."""
from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from reports.figure_style import ACCENT, NEGATIVE, NEUTRAL, POSITIVE, PRIMARY, _style, as_numbers


def cost_curve_figure(rows: Sequence[Mapping[str, float]], cutoff: float, *,
                      title: str = "Expected cost per case by cut-off") -> go.Figure:
    """Cost per applicant against the PD cut-off, with the approval rate and the chosen cut-off marked."""
    frame = pd.DataFrame(list(rows))
    fig = go.Figure()
    fig.add_trace(go.Scatter(x=frame["cutoff"], y=frame["cost_per_case"], mode="lines", name="Cost per case",
                             line={"color": PRIMARY, "width": 2}))
    fig.add_trace(go.Scatter(x=frame["cutoff"], y=frame["approval_rate"], mode="lines", name="Approval rate",
                             line={"color": NEUTRAL, "dash": "dot"}, yaxis="y2"))
    fig.add_vline(x=float(cutoff), line={"color": ACCENT, "dash": "dash"})
    # At the top of the plot, where the cost curve is not: the cut-off sits at the curve's lowest point, and the
    # label at the line's foot had covered it; not on the legend either (above the plot)
    fig.add_annotation(x=float(cutoff), y=0.98, xref="x", yref="paper", text=f"cut-off {cutoff:.3f}",
                       showarrow=False, xanchor="left" if cutoff < 0.7 else "right", yanchor="top", xshift=4,
                       bgcolor="rgba(255,255,255,0.8)", font={"color": ACCENT})
    fig = _style(fig, title, "PD cut-off (decline above)", "Cost per case")
    fig.update_layout(yaxis2={"overlaying": "y", "side": "right", "range": [0, 1.02], "title": "Approval rate",
                              "tickformat": ".0%", "tickmode": "linear", "tick0": 0, "dtick": 0.2,
                              "showgrid": False})
    fig.update_xaxes(range=[0, 1])
    return fig


def gains_figure(rows: Sequence[Mapping[str, float]], *, title: str = "Cumulative gains") -> go.Figure:
    """Share of all defaults caught when declining the riskiest x% of applicants."""
    frame = pd.DataFrame(list(rows))
    x = [0.0, *frame["population_share"].tolist()]
    y = [0.0, *frame["cumulative_gain"].tolist()]
    fig = go.Figure(go.Scatter(x=x, y=y, mode="lines+markers", name="Model", line={"color": PRIMARY}))
    fig.add_trace(go.Scatter(x=[0, 1], y=[0, 1], mode="lines", name="Random", line={"color": NEUTRAL, "dash": "dash"}))
    fig = _style(fig, title, "Share of applicants (riskiest first)", "Share of defaults")
    fig.update_xaxes(range=[0, 1], tickformat=".0%")
    fig.update_yaxes(range=[0, 1.02], tickformat=".0%")
    return fig


def lift_figure(rows: Sequence[Mapping[str, float]], *, title: str = "Lift by decile") -> go.Figure:
    frame = pd.DataFrame(list(rows))
    fig = go.Figure(go.Bar(x=frame["decile"].astype(str), y=frame["lift"], marker_color=PRIMARY, name="lift",
                           text=[f"{v:.2f}" for v in frame["lift"]], textposition="outside"))
    fig.add_hline(y=1.0, line={"color": NEUTRAL, "dash": "dash"})
    return _style(fig, title, "Decile (1 = riskiest)", "Default rate ÷ average")


def dependence_figure(feature_values: Sequence[Any], shap_values: Sequence[float], feature: str, *,
                      title: str | None = None) -> go.Figure:
    """How one column's value moves the log-odds of default (each dot an applicant)."""
    values = pd.Series(list(feature_values))
    effects = np.asarray(shap_values, dtype=float)
    if len(values) != len(effects):
        raise ValueError(f"{len(values)} values but {len(effects)} SHAP values")
    numeric = as_numbers(values)
    categorical = numeric.isna().all() and values.notna().any()
    x = values.map(lambda v: "(blank)" if pd.isna(v) else str(v)) if categorical else numeric  # as the what-if
    fig = go.Figure(go.Scatter(x=x, y=effects, mode="markers", name=feature,
                               marker={"size": 6, "opacity": 0.6,
                                       "color": [NEGATIVE if e > 0 else POSITIVE for e in effects]}))
    fig.add_hline(y=0, line={"color": NEUTRAL, "width": 1})
    fig = _style(fig, title or f"Effect of {feature}", feature, SHAP_AXIS)
    if categorical:
        fig.update_xaxes(type="category")
    return fig


SHAP_AXIS = "SHAP value (log-odds of default)"  # the beeswarm and the dependence charts say the same
SCORE_ROW, SCORE_LABEL = "(score)", "Score (PD)"  # the PSI table's row for the PD itself, and how it reads


def credit_beeswarm(shap_values: np.ndarray, feature_values: pd.DataFrame) -> go.Figure:
    """The shared SHAP beeswarm with its axis in the credit charts' words ("effect on model output" beside the
    dependence chart's "log-odds of default" read as two different things)."""
    from reports.model_figures import beeswarm_figure

    fig = beeswarm_figure(shap_values, feature_values)
    fig.update_xaxes(title_text=SHAP_AXIS)
    return fig


def psi_shown(table: pd.DataFrame) -> pd.DataFrame:
    """The PSI table as shown: the score's row named "Score (PD)", not "(score)"."""
    return table.assign(feature=table["feature"].replace({SCORE_ROW: SCORE_LABEL}))


def psi_figure(table: pd.DataFrame, *, title: str = "Population stability (PSI)") -> go.Figure:
    """PSI per feature with the 0.1 (watch) and 0.25 (shifted) lines."""
    ordered = psi_shown(table).sort_values("psi", ascending=False)
    colours = {"stable": POSITIVE, "watch": ACCENT, "shifted": NEGATIVE}
    fig = go.Figure(go.Bar(x=ordered["psi"], y=ordered["feature"], orientation="h", name="PSI",
                           marker_color=[colours.get(b, PRIMARY) for b in ordered["band"]]))
    for level in (0.1, 0.25):
        fig.add_vline(x=level, line={"color": NEUTRAL, "dash": "dash"})
    if ((ordered["psi"] >= 0.1) & (ordered["band"] == "stable")).any():  # a green bar past the lines: say why
        title += " — colour by band; a small batch reads stable within what chance gives"
    fig = _style(fig, title, "PSI", "")
    fig.update_yaxes(autorange="reversed", type="category")
    fig.update_layout(height=max(320, 24 * len(ordered) + 140))
    return fig


def grades_figure(rows: Sequence[Mapping[str, Any]], *, title: str = "Applicants and default rate by grade"
                  ) -> go.Figure:
    frame = pd.DataFrame(list(rows))
    fig = go.Figure(go.Bar(x=frame["grade"], y=frame["applicants"], name="Applicants", marker_color=PRIMARY))
    fig.add_trace(go.Scatter(x=frame["grade"], y=frame["observed_default_rate"], mode="lines+markers",
                             name="Observed default rate", yaxis="y2", line={"color": NEGATIVE}))
    fig = _style(fig, title, "Grade", "Applicants")
    rates = pd.to_numeric(frame["observed_default_rate"], errors="coerce")
    top, step, digits = rate_axis(float(rates.max()) if rates.notna().any() else 1.0)
    fig.update_layout(yaxis2={"overlaying": "y", "side": "right", "range": [0, top], "title": "Default rate",
                              "tickformat": f".{digits}%", "tickmode": "linear", "tick0": 0, "dtick": step,
                              "showgrid": False})
    return fig


def rate_axis(highest: float, ticks: int = 4) -> tuple[float, float, int]:
    """(top, step, decimals) of a 0-to-top rate axis: the largest step of 1, 2 or 5 × 10^k that still gives
    ``ticks`` intervals or more up to ``highest`` (plus 5 % room for its marker, at most 100 %), and the decimals
    the step's percent needs. The axis had spanned 0-100 % in ticks plotly chose (22 %, 44 %), with a book's 1-8 %
    rates along its floor."""
    highest = min(max(highest, 0.0), 1.0) or 1.0
    room = highest * 1.05
    power = 10.0 ** math.floor(math.log10(room))
    steps = sorted((m * power * scale for m in (1, 2, 5) for scale in (1.0, 0.1, 0.01)), reverse=True)
    step = next(s for s in steps if math.ceil(round(room / s, 9)) >= ticks)
    top = min(1.0, math.ceil(round(room / step, 9)) * step)
    return round(top, 12), round(step, 12), max(0, -math.floor(math.log10(step * 100) + 1e-9))


def group_rates_figure(table: pd.DataFrame, *, title: str | None = None, small: int = 30) -> go.Figure:
    """Approval (and, where outcomes are known, observed default) rate per group. Groups of fewer than ``small``
    applicants are too few to read: their bars are pale and hatched, and every bar says its group's n."""
    if title is None:
        title = "Approval and default rate by group" if "default_rate" in table else "Approval rate by group"
    counts = table["applicants"].astype(int).tolist() if "applicants" in table else None
    few = [n < small for n in counts] if counts else [False] * len(table)
    look = {"opacity": [0.45 if f else 1.0 for f in few], "pattern": {"shape": ["/" if f else "" for f in few]}}
    text = [f"n={n}" for n in counts] if counts else None
    fig = go.Figure()
    fig.add_trace(go.Bar(x=table["group"].astype(str), y=table["approval_rate"], name="Approval rate",
                         marker={"color": PRIMARY, **look}, text=text, textposition="outside", cliponaxis=False))
    if "default_rate" in table:  # a scored batch's outcomes are not known yet
        fig.add_trace(go.Bar(x=table["group"].astype(str), y=table["default_rate"], name="Observed default rate",
                             marker={"color": NEGATIVE, **look}))
    fig = _style(fig, title + (f" (hatched: under {small} applicants)" if any(few) else ""), "Group", "Rate")
    fig.update_layout(barmode="group", yaxis_tickformat=".0%")
    fig.update_yaxes(range=[0, 1])
    return fig

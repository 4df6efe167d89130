"""The credit charts: values land on the right axes, and shares read as percentages."""
from __future__ import annotations

import numpy as np
import pandas as pd

from reports.finance_figures import (
    cost_curve_figure, credit_beeswarm, dependence_figure, gains_figure, grades_figure, group_rates_figure, psi_figure,
    psi_shown)


def test_grades_chart_counts_on_the_left_and_default_rates_as_percentages_on_the_right() -> None:
    rows = [{"grade": "A", "applicants": 120, "observed_default_rate": 0.02},
            {"grade": "D", "applicants": 40, "observed_default_rate": 0.31}]
    fig = grades_figure(rows)
    bars, rates = fig.data
    assert list(bars.x) == ["A", "D"] and list(bars.y) == [120, 40]
    assert list(rates.y) == [0.02, 0.31] and rates.yaxis == "y2"
    axis = fig.layout.yaxis2
    assert axis.tickformat == ".0%" and tuple(axis.range) == (0, 0.4)
    assert (axis.tickmode, axis.tick0, axis.dtick) == ("linear", 0, 0.1)  # 0, 10, 20, 30, 40 %


def test_grades_chart_default_rate_ticks_are_round_steps_that_fit_the_rates() -> None:
    """The axis had run 0-100 % in plotly's own ticks (22 %, 44 %), a low-default book's rates on its floor."""
    rows = [{"grade": g, "applicants": 50, "observed_default_rate": r}
            for g, r in zip("ABCDE", (0.004, 0.011, None, 0.03, 0.062))]
    axis = grades_figure(rows).layout.yaxis2
    assert (tuple(axis.range), axis.dtick, axis.tickformat) == ((0, 0.08), 0.02, ".0%")
    low = grades_figure([{"grade": "A", "applicants": 9, "observed_default_rate": 0.012}]).layout.yaxis2
    assert (tuple(low.range), low.dtick, low.tickformat) == ((0, 0.014), 0.002, ".1%")  # 0.2 % steps
    full = grades_figure([{"grade": "G", "applicants": 9, "observed_default_rate": 0.97}]).layout.yaxis2
    assert (tuple(full.range), full.dtick) == ((0, 1.0), 0.2)


def test_group_rates_chart_reads_in_percent_and_shows_default_rates_only_when_known() -> None:
    table = pd.DataFrame({"group": ["f", "m"], "approval_rate": [0.7, 0.8], "default_rate": [0.1, 0.2]})
    fig = group_rates_figure(table)
    assert [t.name for t in fig.data] == ["Approval rate", "Observed default rate"]
    assert fig.layout.yaxis.tickformat == ".0%" and fig.layout.title.text == "Approval and default rate by group"
    scored = group_rates_figure(table.drop(columns="default_rate"))
    assert [t.name for t in scored.data] == ["Approval rate"] and scored.layout.title.text == "Approval rate by group"


def test_gains_chart_starts_at_the_origin_with_percent_axes() -> None:
    fig = gains_figure([{"population_share": 0.5, "cumulative_gain": 0.8}, {"population_share": 1.0,
                                                                           "cumulative_gain": 1.0}])
    model = fig.data[0]
    assert list(model.x) == [0.0, 0.5, 1.0] and list(model.y) == [0.0, 0.8, 1.0]
    assert fig.layout.xaxis.tickformat == ".0%" and fig.layout.yaxis.tickformat == ".0%"


def test_small_groups_are_hatched_and_every_bar_says_its_n() -> None:
    table = pd.DataFrame({"group": ["A91", "A93"], "applicants": [5, 31], "approval_rate": [0.2, 0.323]})
    fig = group_rates_figure(table)
    bars = fig.data[0]
    assert list(bars.text) == ["n=5", "n=31"]
    assert list(bars.marker.pattern.shape) == ["/", ""] and list(bars.marker.opacity) == [0.45, 1.0]
    assert fig.layout.title.text == "Approval rate by group (hatched: under 30 applicants)"


def test_psi_names_the_score_row_in_words() -> None:
    table = pd.DataFrame({"feature": ["(score)", "Purpose"], "psi": [0.251, 0.525], "band": ["shifted", "shifted"]})
    assert list(psi_figure(table).data[0].y) == ["Purpose", "Score (PD)"]
    assert psi_shown(table)["feature"].tolist() == ["Score (PD)", "Purpose"]


def test_the_cut_off_label_sits_at_the_top_not_on_the_curve_and_shap_axes_agree() -> None:
    rows = [{"cutoff": c / 10, "cost_per_case": abs(c - 2) / 10 + 0.5, "approval_rate": c / 10} for c in range(11)]
    (label,) = cost_curve_figure(rows, 0.131).layout.annotations
    assert label.text == "cut-off 0.131" and (label.yref, label.y, label.yanchor) == ("paper", 0.98, "top")
    values = np.array([[0.2, -0.1], [-0.3, 0.05], [0.1, 0.0]])
    data = pd.DataFrame({"amount": [1000, 5000, 200], "age": [30, 50, 41]})
    assert credit_beeswarm(values, data).layout.xaxis.title.text == \
        dependence_figure([1, 2], [0.1, -0.1], "x").layout.yaxis.title.text == "SHAP value (log-odds of default)"


def test_a_blank_category_reads_blank_on_the_dependence_chart_as_in_the_what_if():
    """Blank savings were labelled 'None' on the x-axis while the what-if table says '(blank)'."""
    fig = dependence_figure(["< 100 DM", None, float("nan"), "unknown"], [0.2, -0.1, 0.0, 0.3], "savings")
    assert list(fig.data[0].x) == ["< 100 DM", "(blank)", "(blank)", "unknown"]

"""The credit charts: values land on the right axes, and shares read as percentages."""
from __future__ import annotations

import pandas as pd

from reports.finance_figures import gains_figure, grades_figure, group_rates_figure


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

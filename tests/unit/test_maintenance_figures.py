"""The fleet ranking says how many units it shows and names its axis in words."""
from __future__ import annotations

import pandas as pd

from reports.maintenance_figures import fleet_ranking_figure


def test_the_fleet_ranking_shows_the_most_urgent_and_says_how_many_of_all():
    fleet = pd.DataFrame({"unit": [f"M{i}" for i in range(40)], "p_failure": [i / 40 for i in range(40)]})
    fig = fleet_ranking_figure(fleet, "p_failure", "Fleet, most urgent first")
    assert list(fig.data[0].y[:2]) == ["M39", "M38"] and len(fig.data[0].y) == 30
    assert fig.layout.title.text == "Fleet, most urgent first (30 of 40 units)"
    assert fig.layout.xaxis.title.text == "Failure probability" and fig.layout.xaxis.tickformat == ".2~p"
    one = fleet_ranking_figure(pd.DataFrame({"unit": ["the machine"], "p_failure": [2.3e-5]}), "p_failure", "Fleet")
    # two significant digits ('0.0005%', '0.001%' as rendered): '.0%' wrote every tick of a one-machine run '0%'
    assert one.layout.xaxis.tickformat == ".2~p" and one.layout.xaxis.rangemode == "tozero"
    rul = pd.DataFrame({"unit": ["E1", "E2"], "rul": [80.0, 12.0]})
    small = fleet_ranking_figure(rul, "rul", "Fleet")
    assert list(small.data[0].y) == ["E2", "E1"] and small.layout.title.text == "Fleet"
    assert small.layout.xaxis.title.text == "Remaining useful life"

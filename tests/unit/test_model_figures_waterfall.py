"""The SHAP waterfall (both desks' 'why this one'): the base value and the prediction are said in their rows'
labels, not written outside bars that start at the plot's edge, where they were drawn over the row label."""
import pytest

from reports import figures as F

CONTRIBUTIONS = [("Torque [Nm]", 1.2), ("Tool wear [min]", 0.9), ("Rotational speed [rpm]", -0.4), ("Type", 0.05)]


def test_the_base_value_and_prediction_are_in_their_row_labels_not_beside_their_bars():
    fig = F.waterfall_figure(-4.6, CONTRIBUTIONS, "Why reading 5 (log-odds)")
    (water,) = fig.data
    assert list(water.y) == ["Base value", "Torque [Nm]", "Tool wear [min]", "Rotational speed [rpm]", "Type",
                             "Prediction"]  # the rows themselves are unchanged
    assert list(water.text) == ["", "+1.2", "+0.9", "-0.4", "+0.05", ""]
    assert list(fig.layout.yaxis.tickvals) == list(water.y)
    assert list(fig.layout.yaxis.ticktext) == ["Base value: -4.6", "Torque [Nm]", "Tool wear [min]",
                                               "Rotational speed [rpm]", "Type", "Prediction: -2.85"]


@pytest.mark.parametrize("base, contributions", [(-4.6, CONTRIBUTIONS), (-1.0, [("a", -3.0), ("b", 0.5)]),
                                                 (0.2, [("a", 0.1), ("b", -0.3)])])
def test_the_axis_leaves_room_beyond_every_bar_for_its_outside_label(base, contributions):
    fig = F.waterfall_figure(base, contributions, "Why")
    ends = [0.0, base]
    for _, value in sorted(contributions, key=lambda item: -abs(item[1])):  # drawn largest first
        ends.append(ends[-1] + value)
    low, high = fig.layout.xaxis.range
    room = 0.1 * (max(ends) - min(ends))  # the width counts the bars from 0 (base value and prediction)
    assert low <= min(ends) - room and high >= max(ends) + room


def test_a_prediction_of_zero_reads_zero_not_float_noise():
    fig = F.waterfall_figure(0.2, [("a", 0.1), ("b", -0.3)], "Why")
    assert fig.layout.yaxis.ticktext[-1] == "Prediction: 0"


def test_contributions_and_totals_are_rounded_for_a_reader():
    fig = F.waterfall_figure(-5.756, [("a", 0.4803), ("b", -0.08126), ("c", 0.008283), ("d", 0.0)], "Why")
    assert list(fig.data[0].text) == ["", "+0.48", "-0.081", "+0.0083", "0", ""]  # '+0.4803', '-0.08126', '+0'
    assert fig.layout.yaxis.ticktext[0] == "Base value: -5.76" and fig.layout.yaxis.ticktext[-1] == "Prediction: -5.35"

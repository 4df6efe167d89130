"""The C-MAPSS bench's figures: the test units' errors against NASA's RUL file, capped and as given."""
import math

import pytest

from bench.cmapss_bench import figures_against, nasa


def test_the_figures_cap_the_truth_and_count_the_band():
    scores = [{"unit": "2", "rul": "100", "rul_low": "90", "rul_high": "125"},
              {"unit": "1", "rul": "20", "rul_low": "5", "rul_high": "15"}]
    truth = [10, 140]  # unit 1 has 10 cycles left, unit 2 140 (125 once capped)
    capped = figures_against(scores, truth, 125)
    assert capped["rmse"] == pytest.approx(math.sqrt((10**2 + 25**2) / 2))
    assert capped["inside"] == 1.0 and capped["bias"] == pytest.approx((10 - 25) / 2)
    assert capped["nasa"] == pytest.approx(math.exp(1) - 1 + math.exp(25 / 13) - 1)
    given = figures_against(scores, truth, None)
    assert given["rmse"] == pytest.approx(math.sqrt((10**2 + 40**2) / 2)) and given["inside"] == 0.5


def test_late_predictions_cost_more_and_a_missing_unit_stops_the_bench():
    assert nasa([10.0]) > nasa([-10.0]) > 0
    with pytest.raises(SystemExit, match=r"\[2\]"):
        figures_against([{"unit": "1", "rul": "5", "rul_low": "0", "rul_high": "9"}], [5, 7], 125)

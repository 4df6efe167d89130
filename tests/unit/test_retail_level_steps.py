"""A level that stepped (a store opened nearby) is not a trend for the seasonal index; a steady trend still is."""
import numpy as np
import pandas as pd
import pytest

from ml.forecast_profile import _observed, decompose

WEEKS = pd.date_range("2021-01-03", periods=3 * 52, freq="W-SUN")


def chain(special: dict, seed=3) -> pd.DataFrame:
    """30 steady weekly series with a yearly season, plus ``special`` series: name -> factor per week."""
    rng = np.random.default_rng(seed)
    season = 1 + 0.2 * np.sin(2 * np.pi * WEEKS.dayofyear / 365)
    factors = {**{f"s{i}": np.ones(len(WEEKS)) for i in range(30)}, **special}
    return pd.concat([pd.DataFrame({"unique_id": name, "ds": WEEKS,
                                    "y": rng.poisson(rng.uniform(200, 600) * season * factor).astype(float)})
                      for name, factor in factors.items()], ignore_index=True)


def test_a_step_in_level_months_ago_is_not_carried_forward_as_growth():
    # Its last quarter over its last year read as growth: ×1.57, carried on (+66 % by 13 weeks ahead on a file).
    step = np.where(np.arange(len(WEEKS)) >= len(WEEKS) - 20, 2.4, 1.0)
    fit = decompose(_observed(chain({"jump": step, "drop": 1 / step})), "W")
    assert fit.growth["jump"] == pytest.approx(1.0, abs=0.06)
    assert fit.growth["drop"] == pytest.approx(1.0, abs=0.06)
    assert fit.level["jump"] == pytest.approx(2.4 * fit.level.drop(["jump", "drop"]).median(), rel=0.5)


def test_a_steady_trend_of_a_departing_series_is_still_carried():
    years = np.arange(len(WEEKS)) / 52
    fit = decompose(_observed(chain({"up": 1.6 ** years, "down": 0.6 ** years})), "W")
    span = (52 - 13) / 2 / 52  # the last quarter's middle is this many years after the last year's
    assert fit.growth["up"] == pytest.approx(1.6 ** span, rel=0.05)
    assert fit.growth["down"] == pytest.approx(0.6 ** span, rel=0.05)

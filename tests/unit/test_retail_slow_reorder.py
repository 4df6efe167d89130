"""A lumpy spare part forecast at its mean gets a safety stock from its own spread, not from a weekly P90 of 0."""
import numpy as np
import pandas as pd

from domain import retail as rules
from services import retail_plan

WEEKS = pd.date_range("2022-01-02", periods=104, freq="W-SUN")
AHEAD = pd.date_range(WEEKS[-1] + pd.Timedelta(weeks=1), periods=8, freq="W-SUN")


def _part():
    sold = np.arange(len(WEEKS)) % 12 == 5  # 4 units once in 12 weeks: its weekly P90 is 0
    history = pd.DataFrame({"part": "SP1", "date": WEEKS, "y": np.where(sold, 4.0, 0.0)})
    mean = float(history["y"].tail(52).mean())
    forecast = pd.DataFrame({"part": "SP1", "date": AHEAD, "p10": 0.0, "p50": mean, "p90": mean, "mean_demand": mean,
                             "model": "mean_last_year"})
    return history, forecast


def test_a_lumpy_slow_sellers_reorder_point_covers_its_lead_time_spells():
    history, forecast = _part()
    spread = retail_plan.slow_spread(forecast, history, ["part"])
    assert spread["part=SP1"] == history["y"].tail(52).std()
    plan = retail_plan.purchase_plan(forecast, ["part"], lead_time=4, review_period=1, spread=spread)
    spells = history["y"].rolling(4).sum().dropna()
    assert plan["safety_stock"].iloc[0] > 0  # it was 0: P90 − P50 of a week is 0 for such a part
    assert (spells <= plan["reorder_point"].iloc[0]).mean() >= 0.95  # it covered 65 % of them


def test_series_on_a_model_keep_their_band_and_sigma_floor_only_raises():
    history, forecast = _part()
    assert retail_plan.slow_spread(forecast.assign(model="lightgbm"), history, ["part"]) == {}
    plain = rules.reorder_advice([5.0] * 4, [3.0] * 4, [7.0] * 4, lead_time_steps=2)
    assert rules.reorder_advice([5.0] * 4, [3.0] * 4, [7.0] * 4, lead_time_steps=2, sigma_floor=0.5) == plain
    assert rules.reorder_advice([5.0] * 4, [3.0] * 4, [7.0] * 4, lead_time_steps=2,
                                sigma_floor=3.0).safety_stock > plain.safety_stock

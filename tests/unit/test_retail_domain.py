"""Inventory arithmetic and model rules of the retail desk, checked against hand-computed values."""
import math

import pytest

from domain import retail as rules


def test_sigma_reads_the_upper_half_of_the_band_as_a_normal_one():
    assert rules.sigma_from_halves(10.0 - 1.2815515655446004, 10.0, 10.0 + 1.2815515655446004) == pytest.approx(1.0)
    assert rules.sigma_from_halves(0.0, 0.5, 0.5 + 2 * 1.2815515655446004) == pytest.approx(2.0)  # cut at 0 below
    assert rules.sigma_from_halves(3.0, 4.0, 4.0) == 0.0  # a wide lower half is overstock risk, not stock-out
    assert rules.sigma_from_halves(4.0, 4.0, 4.0) == 0.0


def test_safety_stock_comes_from_the_upper_half_when_the_lower_half_is_wider():
    # A store-item day from the QA run: P50 − P10 = 39, P90 − P50 = 10 (LightGBM ran high in the backtest).
    p10, p50, p90 = [210.0] * 8, [249.0] * 8, [259.0] * 8
    advice = rules.reorder_advice(p50, p10, p90, lead_time_steps=7, review_period_steps=1, service_level=0.95)
    z, sigma = 1.6448536269514722, 10.0 / 1.2815515655446004
    assert advice.reorder_point - advice.lead_time_demand == pytest.approx(z * sigma * math.sqrt(7))  # lower: 132.4
    assert advice.safety_stock == pytest.approx(z * sigma * math.sqrt(8))  # over lead time + review period
    assert advice.safety_stock == pytest.approx(36.31, abs=0.01)
    assert advice.order_quantity == math.ceil(8 * 249.0 + z * sigma * math.sqrt(8))  # 2028.3 → 2029 units


def test_order_quantity_is_rounded_up_to_whole_units():
    width = 2 * rules.P10_P90_Z * 3.0
    p50, p10, p90 = [10.0] * 6, [10 - width / 2] * 6, [10 + width / 2] * 6
    advice = rules.reorder_advice(p50, p10, p90, lead_time_steps=4, review_period_steps=2, on_hand=15.0)
    assert advice.order_up_to == pytest.approx(72.0872, abs=1e-4) and advice.order_quantity == 58.0  # 57.09 → 58
    exact = rules.reorder_advice([4.0] * 3, [4.0] * 3, [4.0] * 3, lead_time_steps=3, on_hand=0.0)
    assert exact.order_quantity == 12.0  # whole already: not 13
    assert rules.reorder_advice(p50, p10, p90, lead_time_steps=4, review_period_steps=2, on_hand=15.0,
                                whole_units=False).order_quantity == pytest.approx(57.09)  # hundredths, up


def test_a_series_with_fractional_sales_is_not_sold_in_whole_units():
    assert rules.sold_in_whole_units([3.0, 0.0, 12.0, float("nan")])
    assert not rules.sold_in_whole_units([2.35, 1.7, 3.0])  # kilograms
    assert rules.sold_in_whole_units([1.0] * 199 + [0.5])  # one stray half unit in 200 days
    assert rules.sold_in_whole_units([])


def test_errors_that_persist_from_step_to_step_widen_the_safety_stock():
    width = 2 * rules.P10_P90_Z * 3.0  # σ = 3 per step
    p50, p10, p90 = [10.0] * 6, [10 - width / 2] * 6, [10 + width / 2] * 6
    z = 1.6448536269514722
    independent = rules.reorder_advice(p50, p10, p90, lead_time_steps=4, service_level=0.95)
    persistent = rules.reorder_advice(p50, p10, p90, lead_time_steps=4, service_level=0.95,
                                      variance_ratio=[1.0, 1.8, 2.5, 3.0, 3.4, 3.7])
    assert independent.safety_stock == pytest.approx(z * 3.0 * 2.0)
    assert persistent.safety_stock == pytest.approx(z * 3.0 * math.sqrt(4 * 3.0))
    capped = rules.reorder_advice(p50, p10, p90, lead_time_steps=4, variance_ratio=[1.0, 9.0, 9.0, 9.0])
    assert capped.safety_stock == pytest.approx(z * 3.0 * 4)  # never more than fully correlated steps
    unknown_stock = rules.reorder_advice(p50, p10, p90, lead_time_steps=4, on_hand=float("nan"))
    assert unknown_stock.order_quantity == math.ceil(unknown_stock.order_up_to)  # not NaN


def test_reorder_point_covers_the_lead_time_and_the_safety_stock_lead_time_plus_review():
    width = 2 * rules.P10_P90_Z * 3.0  # σ = 3 per step
    p50, p10, p90 = [10.0] * 6, [10 - width / 2] * 6, [10 + width / 2] * 6
    advice = rules.reorder_advice(p50, p10, p90, lead_time_steps=4, review_period_steps=2, service_level=0.95,
                                  on_hand=15.0)
    z = 1.6448536269514722
    assert advice.lead_time_demand == pytest.approx(40.0)
    assert advice.safety_stock == pytest.approx(z * 3.0 * math.sqrt(6))  # √(4 + 2) steps × σ
    assert advice.reorder_point == pytest.approx(40.0 + z * 6.0)  # √4 steps × σ: continuous review, lead time only
    assert advice.order_up_to == pytest.approx(60.0 + z * 3.0 * math.sqrt(6))
    assert advice.order_quantity == math.ceil(advice.order_up_to - 15.0)


def test_order_quantity_is_never_negative_and_bad_inputs_are_refused():
    advice = rules.reorder_advice([1.0] * 3, [1.0] * 3, [1.0] * 3, lead_time_steps=2, on_hand=100.0)
    assert advice.order_quantity == 0.0 and advice.safety_stock == 0.0
    with pytest.raises(rules.InventoryInputError, match="Service level"):
        rules.reorder_advice([1.0], [1.0], [1.0], lead_time_steps=1, service_level=1.0)
    with pytest.raises(rules.InventoryInputError, match="longer than the forecast"):
        rules.reorder_advice([1.0] * 3, [1.0] * 3, [1.0] * 3, lead_time_steps=3, review_period_steps=1)


def test_champion_is_the_lowest_score_and_ties_go_to_the_first_listed():
    assert rules.pick_champion({"lightgbm": 10.0, "seasonal_naive": 9.0}) == "seasonal_naive"
    assert rules.pick_champion({"lightgbm": 9.0, "seasonal_naive": 9.0}) == "lightgbm"
    assert rules.pick_champion({"lightgbm": float("nan"), "moving_average": 12.0}) == "moving_average"


def test_champion_falls_back_to_smape_when_every_actual_is_zero():
    nan = float("nan")
    table = {"lightgbm": {"wape": nan, "smape": 200.0}, "seasonal_naive": {"wape": nan, "smape": 0.0}}
    assert rules.champion_from_table(table) == ("seasonal_naive", "smape")
    assert rules.champion_from_table({"lightgbm": {"wape": 9.0, "smape": 30.0},
                                      "seasonal_naive": {"wape": 8.0, "smape": 40.0}}) == ("seasonal_naive", "wape")
    assert rules.champion_from_table({"lightgbm": {"wape": nan, "smape": nan}}) == ("lightgbm", "none")


def test_a_model_that_misses_total_demand_by_over_half_is_not_champion():
    table = {"lightgbm": {"wape": 100.1, "smape": 190.0, "bias": -85.0},
             "seasonal_index": {"wape": 123.8, "smape": 150.0, "bias": 0.5},
             "moving_average": {"wape": 122.9, "smape": 151.0, "bias": 2.0}}
    assert rules.set_aside_for_bias(table) == ["lightgbm"]
    assert rules.champion_from_table(table) == ("moving_average", "wape")
    # When every model misses by that much, none is set aside: the lowest WAPE still wins.
    worse = {name: {**row, "bias": -60.0} for name, row in table.items()}
    assert rules.set_aside_for_bias(worse) == [] and rules.champion_from_table(worse) == ("lightgbm", "wape")
    # A bias that cannot be measured (no demand at all) sets nothing aside.
    assert rules.set_aside_for_bias({"lightgbm": {"wape": 1.0, "bias": float("nan")}}) == []



def test_a_period_is_named_with_its_length_in_days_for_lead_times():
    assert rules.period_length("Q") == "quarter (about 91 days)"
    assert rules.period_length("W") == "week (about 7 days)" and rules.period_length("D") == "day"
    assert rules.period_length(None) == "period"


def test_lead_time_demand_sums_the_mean_not_the_median():
    # An intermittent item (0.89 a day, no sale on 40 % of days): P50 0.66, mean 0.89, P90 2.
    p50, p10, p90, mean = [0.66] * 8, [0.0] * 8, [2.0] * 8, [0.89] * 8
    median_only = rules.reorder_advice(p50, p10, p90, lead_time_steps=7, review_period_steps=1)
    advice = rules.reorder_advice(p50, p10, p90, lead_time_steps=7, review_period_steps=1, mean=mean)
    assert median_only.lead_time_demand == pytest.approx(4.62)
    assert advice.lead_time_demand == pytest.approx(6.23)  # 7 × 0.89, the expected week
    assert advice.safety_stock == pytest.approx(median_only.safety_stock)  # still from the band above P50
    assert advice.reorder_point == pytest.approx(6.23 + median_only.reorder_point - 4.62)
    assert advice.order_up_to == pytest.approx(median_only.order_up_to + 8 * 0.23)
    with pytest.raises(rules.InventoryInputError):
        rules.reorder_advice(p50, p10, p90, lead_time_steps=7, mean=mean[:3])

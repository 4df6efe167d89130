"""The order-up-to level is never below the reorder point.

With the variance ratio measured lower for lead time + review period than for the lead time alone, and a review
period of closed days (no demand, no band), the level to order up to came out under the reorder point: an
Online Retail-like plan (7 days' lead time, the 8th a closed Saturday) read reorder point 316.32, order-up-to 316.31.
"""
import pytest

from domain import retail as rules


def test_the_order_up_to_level_covers_at_least_the_reorder_point():
    p50, p10, p90 = [10.0] * 4 + [0.0], [8.0] * 4 + [0.0], [12.8] * 4 + [0.0]
    advice = rules.reorder_advice(p50, p10, p90, lead_time_steps=4, review_period_steps=1,
                                  variance_ratio=[1.0, 2.0, 3.0, 4.0, 3.0], on_hand=0.0)
    assert advice.reorder_point == pytest.approx(40 + 1.6449 * (4 * 4 * (2.8 / 1.2816) ** 2) ** 0.5, abs=1e-3)
    assert advice.order_up_to == pytest.approx(advice.reorder_point)
    assert advice.order_quantity == 55.0  # 54.38 rounded up to whole units

"""The purchase plan's number formats on the Inventory tab: whole counts whole, mixed orders each as they are."""
import pandas as pd

from pages.retail_stock import _number_format


def test_whole_counts_mixed_orders_and_amounts_each_get_their_format():
    plan = pd.DataFrame({"on_hand": pd.array([319, None], dtype="Int64"),
                         "order_quantity": pd.Series([129, 106.41], dtype=object),
                         "safety_stock": [12.5, 3.25]})
    assert _number_format(plan, "on_hand") == "%d"
    assert _number_format(plan, "order_quantity") == "plain"  # '%.2f' wrote 129.00 beside 106.41
    assert _number_format(plan, "safety_stock") == "%.2f"
    assert _number_format(plan.assign(order_quantity=[129, 40]), "order_quantity") == "%d"

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


def test_a_mixed_order_column_is_shown_without_float_dust_and_the_plan_is_left_as_it_is():
    from pages.retail_stock import _shown

    plan = pd.DataFrame({"family": ["BEVERAGES", "PRODUCE", "PRODUCE II"],
                         "order_quantity": pd.Series([763, 383.20000000000005, 422.05999999999995], dtype=object),
                         "safety_stock": [62.37, 56.23, 75.87]})
    shown = _shown(plan)
    assert shown["order_quantity"].tolist() == [763, 383.2, 422.06]  # the page wrote 383.20000000000005
    assert isinstance(shown["order_quantity"].iloc[0], int) and _number_format(shown, "order_quantity") == "plain"
    assert plan["order_quantity"].tolist()[1] == 383.20000000000005  # the downloads keep the plan itself
    assert shown["safety_stock"].tolist() == [62.37, 56.23, 75.87]

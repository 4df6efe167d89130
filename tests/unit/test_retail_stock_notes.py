"""Stock on hand is neither a demand driver nor silently 0. A sales file with an `on_hand` column was told "To use
them as drivers, add the dates to forecast as rows with them filled"; a plan without a stock column, or with blanks
in it, ordered the full order-up-to level without a word."""
import numpy as np
import pandas as pd

from services.retail import _exogenous, prepare_sales
from services.retail_plan import stock_notes


def test_a_stock_column_is_not_proposed_as_a_driver():
    rng = np.random.default_rng(0)
    days = pd.date_range("2017-01-01", periods=120, freq="D")
    sales = rng.poisson(20, 2 * len(days)).astype(float)
    frame = pd.DataFrame({"date": np.tile(days, 2), "item": np.repeat([1, 2], len(days)), "sales": sales,
                          "on_hand": 3 * sales, "price": rng.uniform(2, 3, 2 * len(days))})
    prepared = prepare_sales(frame, {"date": "date", "target": "sales", "series": ["item"], "horizon": 7})
    _, _, notes = _exogenous(None, prepared, {"horizon": 7})
    assert notes[0] == ("Stock column(s) left out of the model: on_hand. Stock on hand is not a driver of demand; "
                        "pick it as the on-hand stock column on the Inventory tab (retail reorder --on-hand).")
    assert notes[1].startswith("Numeric columns left out of the model (no future values given): price. ")


def test_stock_taken_as_zero_is_said():
    plan = pd.DataFrame({"sku": ["a", "b", "c"], "on_hand": pd.array([4, None, None], dtype="Int64")})
    assert stock_notes(plan, None) == [
        "No on-hand column: stock is taken as 0; the order quantity is the full order-up-to level."]
    assert stock_notes(plan, "stock") == ["2 series have no latest value in 'stock': their stock is taken as 0 and "
                                          "their order quantity is the full order-up-to level."]
    assert stock_notes(plan.fillna(0), "stock") == []

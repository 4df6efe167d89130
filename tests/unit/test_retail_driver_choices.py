"""The Forecast tab's known-in-advance choices leave out an on-hand stock column (stock, inventory, on_hand …): its
level follows sales and is not known for the dates ahead. The box had offered it beside promotions and prices."""
from __future__ import annotations

from services import retail_form


def test_stock_columns_are_not_offered_as_known_in_advance():
    columns = ["store", "units", "onpromotion", "on_hand", "price", "Inventory", "stock_level", "holiday", "price"]
    offered, stock = retail_form.driver_choices(columns, ("date", "units", "store"))
    assert offered == ["onpromotion", "price", "holiday"]  # each once, in the table's order
    assert stock == ["on_hand", "Inventory", "stock_level"]


def test_without_a_stock_column_every_free_column_is_offered():
    assert retail_form.driver_choices(["qty", "promo", "temperature"], ("qty",)) == (["promo", "temperature"], [])

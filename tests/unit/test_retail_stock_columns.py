"""The Inventory tab's on-hand stock picker: it had offered `Preis` and `price` (and put them before the stock)."""
from __future__ import annotations

from services import retail_form


def test_prices_are_not_offered_and_stock_named_columns_come_first():
    schema = {"Datum": "datetime", "Artikel": "categorical", "Menge": "numeric", "Preis": "numeric",
              "price": "numeric", "onpromotion": "numeric", "temperature": "numeric", "Bestand": "numeric",
              "on_hand": "numeric"}
    parameters = {"target": "Menge", "date": "Datum", "keys": ["Artikel"]}
    assert retail_form.stock_columns(schema, parameters) == ["Bestand", "on_hand", "temperature"]

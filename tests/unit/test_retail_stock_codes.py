"""A column naming an article with a stock word (Online Retail's StockCode, Wide World Importers' StockItemID) is an
identifier, not stock on hand. `retail forecast` on an Online Retail-like file had said "Stock column(s) left out of
the model: StockCode … pick it as the on-hand stock column on the Inventory tab (retail reorder --on-hand)", and the
page's known-in-advance box "Not offered: StockCode. Stock on hand is not known in advance"."""
from __future__ import annotations

import numpy as np
import pandas as pd

from services import retail, retail_form


def test_article_codes_named_with_stock_are_not_stock_on_hand():
    for name in ("StockCode", "stock_code", "StockItemID", "stock_no", "Stock Number", "SKU_stock"):
        assert not retail_form.stock_like(name), name
    for name in ("on_hand", "StockOnHand", "stock_level", "in_stock", "Inventory", "stock"):
        assert retail_form.stock_like(name), name
    assert retail_form.driver_choices(["StockCode", "on_hand", "price"], ("Quantity",)) == (
        ["StockCode", "price"], ["on_hand"])


def test_a_numeric_stock_code_is_named_as_an_identifier_in_the_run_notes():
    days = pd.date_range("2011-01-03", periods=60, freq="D")
    frame = pd.DataFrame({"InvoiceDate": np.tile(days, 2), "Country": np.repeat(["EIRE", "France"], 60),
                          "Quantity": np.arange(120, dtype=float) % 7 + 1, "StockCode": 22423 + np.arange(120) % 9})
    prepared = retail.prepare_sales(frame, {"date": "InvoiceDate", "target": "Quantity", "series": ["Country"],
                                            "horizon": 7})
    _, _, notes = retail._exogenous(None, prepared, {"horizon": 7})
    assert notes == ["Other columns left out (identifiers, codes or text, not drivers): StockCode."]

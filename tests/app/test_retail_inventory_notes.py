"""AppTest: the Inventory tab says what it assumes and what it needs. Without an on-hand column the orders took stock
as 0 silently; with no forecast run the tab was blank (the Results tab said to run one); the plan's downloads
were headed `lead_time_demand`, `order_up_to` while the page said "lead time demand"."""
from __future__ import annotations

from tests.app.test_retail import _page, _stored_run


def test_the_inventory_tab_without_a_run_says_to_run_a_forecast_first(app_env):
    at = _page()
    assert [str(i.value) for i in at.tabs[2].info] == [
        "No forecast yet: run one on the Forecast tab; the purchase plan is made from it."]


def test_a_plan_without_an_on_hand_column_says_stock_is_taken_as_zero_and_downloads_in_page_words(
        app_env, monkeypatch):
    from pages import components, retail_stock

    written = []

    def spy(frame, **kwargs):
        written.append(list(frame.columns))
        return b""

    monkeypatch.setattr(retail_stock, "export_csv", spy)
    _stored_run(components.get_runtime())
    at = _page()
    assert not at.exception, at.exception
    notes = [str(i.value) for i in at.tabs[2].info]
    assert notes == ["No on-hand column: stock is taken as 0; the order quantity is the full order-up-to level."]
    assert any("safety stock covers lead time + review period" in str(c.value) for c in at.tabs[2].caption)
    assert written[-1] == ["region", "sku", "lead time demand", "safety stock", "reorder point", "order-up-to level",
                           "order quantity"]

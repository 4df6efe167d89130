"""The constant key of a file forecast as one series, and the wide-table advice that must not name such a file."""
from __future__ import annotations

from services import retail_form
from services.results import DatasetInfo


def test_the_constant_key_takes_a_free_name():
    assert retail_form.one_series_key(["date", "sales"]) == "series"
    assert retail_form.one_series_key(["date", "series", "series_2"]) == "series_3"


def _info(columns: list[str]) -> DatasetInfo:
    schema = {"date": "datetime", **{c: "numeric" for c in columns}}
    profile = [{"name": "date", "distinct": 120}]
    return DatasetInfo(1, "t", "t.csv", "", 0, 120, len(schema), schema, {}, profile, [], {}, None, "analyst")


def test_one_quantity_with_its_drivers_is_not_said_to_be_a_table_per_product():
    assert retail_form.wide_shape_message(_info(["sales", "price", "promo"])) is None  # was the reshape advice
    assert retail_form.wide_shape_message(_info(["units", "discount"])) is None
    assert "3 numeric columns" in retail_form.wide_shape_message(_info(["apples", "bananas", "flour"]))
    assert "2 numeric columns" in retail_form.wide_shape_message(_info(["sales_north", "sales_south"]))

"""The retail form's guesses and checks: quantity column, stock columns, one stored copy of an upload."""
from __future__ import annotations

import pytest

from services import datasets, retail, retail_form
from services.retail_future import RetailInputError
from tests.integration.test_retail_cli import weekly_sales
from tests.support import make_runtime


@pytest.fixture
def runtime(tmp_path):
    return make_runtime(tmp_path / "var")


@pytest.mark.parametrize(("numbers", "roles", "expected"), [
    (["qty", "on_hand"], {}, "qty"),  # was on_hand: the last numeric column
    (["on_hand", "qty"], {"on_hand": "target"}, "qty"),
    (["price", "unitsSold", "stock_level"], {}, "unitsSold"),
    (["Sales", "Customers", "Open"], {"Sales": "target"}, "Sales"),
    (["store", "inventory", "amount"], {"store": "series"}, "amount"),
    (["price", "weight"], {}, "weight"),
    (["OnHand"], {}, "OnHand"),
])
def test_the_quantity_guess_prefers_what_was_sold_to_what_is_in_stock(numbers, roles, expected):
    assert retail_form.guess_quantity(numbers, roles) == expected


def test_the_stock_picker_does_not_offer_the_forecasts_own_columns():
    schema = {"date": "datetime", "item": "categorical", "qty": "numeric", "on_hand": "numeric",
              "store": "numeric"}
    parameters = {"target": "qty", "date": "date", "keys": ["item", "store"]}
    assert retail_form.stock_columns(schema, parameters) == ["on_hand"]  # qty was offered too


def test_an_upload_seen_again_is_stored_once(runtime):
    content = weekly_sales().to_csv(index=False).encode()
    first = retail_form.stored_upload(runtime, content, "future_filled.csv", user="analyst")
    again = [retail_form.stored_upload(runtime, content, "future_filled.csv", user="analyst") for _ in range(4)]
    assert again == [first] * 4 and len(datasets.list_datasets(runtime)) == 1
    other = retail_form.stored_upload(runtime, content + b"\n", "future_filled.csv", user="analyst")
    assert other != first and len(datasets.list_datasets(runtime)) == 2


def test_a_horizon_too_long_is_caught_before_a_job(runtime):
    info = datasets.import_dataset(runtime, weekly_sales(weeks=30).to_csv(index=False).encode(), filename="w.csv",
                                   user="analyst")
    params = retail.forecast_params(info.id, date="week", target="units", series=["region", "sku"], horizon=30)
    with pytest.raises(RetailInputError, match=r"The horizon \(30 periods\) is as long as the history or longer "
                                                r"\(30 weeks\)"):
        retail_form.check_before_run(runtime, params)
    retail_form.check_before_run(runtime, {**params, "horizon": 4})  # fine

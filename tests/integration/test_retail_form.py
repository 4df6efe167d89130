"""The retail form's guesses and checks: quantity column, stock columns, one stored copy of an upload."""
from __future__ import annotations

import numpy as np
import pandas as pd
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
    (["store_nbr", "onpromotion"], {"store_nbr": "series"}, None),  # Favorita without sales: was onpromotion
    (["onpromotion", "sell_price", "IsHoliday", "is_open", "DayOfWeek", "row_id"], {}, None),
    (["Customers", "Promo", "StateHoliday"], {}, "Customers"),
    (["units_sold", "promo_flag"], {}, "units_sold"),
    (["sales_price", "MarkDown1", "stock_flag", "flagship_sales"], {}, "flagship_sales"),
    (["unit_price", "Weekly_Sales", "Store"], {"Store": "series"}, "Weekly_Sales"),
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


def test_no_quantity_guessed_says_what_to_do():
    hint = retail_form.quantity_hint(["store_nbr", "onpromotion"])
    assert hint == ("No numeric column reads as the quantity sold (store_nbr, onpromotion): promotions, prices, flags, "
                    "holidays, ids and calendar parts are never taken for it. Choose the column to forecast.")


def favorita_rows(days: int = 60) -> pd.DataFrame:
    """Favorita's train.csv shape: a row id unique on every row first, then date, store_nbr, family, sales,
    onpromotion (2 stores × 2 families here)."""
    rng = np.random.default_rng(3)
    dates = pd.date_range("2016-01-01", periods=days, freq="D").strftime("%Y-%m-%d")
    frames = [pd.DataFrame({"date": dates, "store_nbr": store, "family": family,
                            "sales": rng.poisson(40, days).astype(float), "onpromotion": rng.integers(0, 4, days)})
              for store in (1, 2) for family in ("BEVERAGES", "GROCERY I")]
    frame = pd.concat(frames, ignore_index=True)
    return frame.assign(id=range(len(frame)))[["id", "date", "store_nbr", "family", "sales", "onpromotion"]]


def test_a_row_id_is_never_a_default_key_and_the_product_family_is(runtime):
    info = datasets.import_dataset(runtime, favorita_rows().to_csv(index=False).encode(), filename="train.csv",
                                   user="analyst")
    assert info.roles["id"] == "id"  # the profile's role stays; the form leaves it out
    assert retail_form.default_keys(info, ("date", "sales")) == ["store_nbr", "family"]  # was ['id', 'store_nbr']
    assert retail_form.default_keys(info, ("date", "family")) == ["store_nbr"]


def test_keys_that_make_most_series_one_row_are_refused_before_a_job(runtime):
    info = datasets.import_dataset(runtime, favorita_rows().to_csv(index=False).encode(), filename="train.csv",
                                   user="analyst")
    params = retail.forecast_params(info.id, date="date", target="sales", series=["id", "store_nbr"], horizon=7)
    with pytest.raises(RetailInputError, match=r"The series keys \(id, store_nbr\) leave 240 of 240 series with a "
                                                r"single row.* 'id' has a different value on \(nearly\) every row"):
        retail_form.check_before_run(runtime, params)
    retail_form.check_before_run(runtime, {**params, "series": ["store_nbr", "family"]})  # fine


def test_the_page_opens_on_a_sales_table_not_a_loan_book_or_a_sensor_log(runtime):
    """Browser QA: with a Lending-Club-like book (issue_d, recoveries) stored last, Retail opened on it and guessed
    'recoveries' as the quantity; a timestamped sensor log with a failure flag has dates and a target too."""
    def stored(frame, name):
        return datasets.import_dataset(runtime, frame.to_csv(index=False).encode(), filename=name, user="analyst")

    sales = stored(favorita_rows(), "train.csv")
    months = pd.date_range("2016-01-01", periods=40, freq="MS").strftime("%b-%Y")
    loans = stored(pd.DataFrame({"id": range(40), "issue_d": months, "loan_amnt": np.arange(40) * 100 + 1000,
                                 "recoveries": np.arange(40) % 3 * 10.5, "loan_status": ["Fully Paid"] * 40}),
                   "loans.csv")
    log = stored(pd.DataFrame({"timestamp": pd.date_range("2020-02-01", periods=40, freq="h").astype(str),
                               "TP2": np.linspace(0, 1, 40), "failure": [0] * 39 + [1]}), "metropt.csv")
    single = stored(pd.DataFrame({"week": pd.date_range("2022-01-03", periods=40, freq="W-MON").astype(str),
                                  "units_sold": np.arange(40) % 7 + 3}), "one.csv")
    assert "datetime" in loans.schema.values() and "datetime" in log.schema.values()
    assert [retail_form.looks_like_sales(d) for d in (sales, loans, log, single)] == [True, False, False, True]


def test_right_keys_on_a_catalogue_of_mostly_new_items_are_not_refused():
    """12 of 22 items sold once, on the last date: the error had blamed store,item, which were the right keys."""
    days = pd.date_range("2024-01-01", periods=60).strftime("%Y-%m-%d")
    long = [(d, 1, f"old{i}", 5 + i) for i in range(10) for d in days]
    new = [(days[-1], 1, f"new{i}", 1) for i in range(12)]
    frame = pd.DataFrame(long + new, columns=["date", "store", "item", "units"])
    retail_form.check_keys(frame, ["store", "item"])  # no error
    with pytest.raises(RetailInputError, match="'row' has a different value"):
        retail_form.check_keys(frame.assign(row=range(len(frame))).head(30), ["row", "item"])


def test_the_page_opens_on_a_german_export_and_on_weeks_written_as_text(runtime):
    """Browser QA: a 'Datum;Filiale;Artikel;Menge;Preis' export and an ERP file dated by 'Wk 7 2023' labels were
    passed over for the bundled sample on every reload."""
    def stored(frame, name):
        return datasets.import_dataset(runtime, frame.to_csv(index=False).encode(), filename=name, user="analyst")

    days = pd.date_range("2023-01-01", periods=40, freq="D").strftime("%d.%m.%Y")
    german = stored(pd.DataFrame({"Datum": days, "Filiale": ["Nord", "Süd"] * 20, "Menge": np.arange(40) % 7 + 1.0,
                                  "Preis": [1.99] * 40}), "de_export.csv")
    weeks = stored(pd.DataFrame({"Week": [f"Wk {w} 2023" for w in range(1, 41)], "Item": ["A", "B"] * 20,
                                 "Qty Sold": np.arange(40) % 5 + 2}), "erp_weekly.csv")
    assert "datetime" not in weeks.schema.values()
    assert retail_form.looks_like_sales(german) and retail_form.looks_like_sales(weeks)

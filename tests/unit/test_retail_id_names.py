"""Numeric ids glued to what they number (Retail Rocket's visitorid, itemid, transactionid) are identifiers, not
drivers: they had been listed as "numeric columns left out of the model (no future values given)", with the advice
to give their future values. Words that merely end in -id (paid, valid, humid, rapid) stay drivers."""
import numpy as np
import pandas as pd

from services.retail import _exogenous, prepare_sales
from services.retail_codes import id_named


def test_glued_ids_are_named_as_ids():
    assert [n for n in ("visitorid", "itemid", "storeid", "transactionid", "itemId", "StoreNbr", "CustomerID",
                        "store_nbr", "Id") if not id_named(n)] == []


def test_words_ending_in_id_are_not_ids():
    assert [n for n in ("paid", "valid", "humid", "rapid", "prepaid", "liquid", "hybrid", "StateHoliday",
                        "onpromotion", "Promo2SinceWeek", "event_type_1", "NumberOfItems", "transactions")
            if id_named(n)] == []


def test_a_numeric_glued_id_is_listed_with_the_identifiers_not_the_drivers():
    rng = np.random.default_rng(0)
    days = pd.date_range("2015-05-03", periods=120, freq="D")
    frame = pd.DataFrame({"timestamp": np.tile(days, 2), "categoryid": np.repeat([1016, 491], len(days)),
                          "sales": rng.poisson(20, 2 * len(days)).astype(float),
                          "visitorid": rng.integers(1, 40, 2 * len(days)),
                          "humid": rng.uniform(30, 90, 2 * len(days))})
    prepared = prepare_sales(frame, {"date": "timestamp", "target": "sales", "series": ["categoryid"],
                                     "horizon": 7})
    _, _, notes = _exogenous(None, prepared, {"horizon": 7})
    assert notes[0].startswith("Numeric columns left out of the model (no future values given): humid. ")
    assert notes[1] == "Other columns left out (identifiers, codes or text, not drivers): visitorid."


def test_an_id_numbering_the_rows_to_forecast_is_not_used_as_a_driver():
    """Rossmann's train.csv and test.csv stacked: test.csv's Id (1, 2, …) fills the future rows only."""
    rng = np.random.default_rng(1)
    days = pd.date_range("2015-01-01", periods=100, freq="D")
    frame = pd.DataFrame({"Date": np.tile(days, 2), "Store": np.repeat([1, 2], len(days)),
                          "Sales": rng.poisson(5000, 2 * len(days)).astype(float),
                          "Promo": (np.arange(2 * len(days)) % 5 == 0).astype(int)})
    future = frame["Date"] > days[-8]
    frame.loc[future, "Sales"] = np.nan
    frame.loc[future, "Id"] = np.arange(1, int(future.sum()) + 1)
    prepared = prepare_sales(frame, {"date": "Date", "target": "Sales", "series": ["Store"], "horizon": 7})
    used, future_values, notes = _exogenous(None, prepared, {"horizon": 7})
    assert used == ("Promo",) and list(future_values.columns) == ["unique_id", "ds", "Promo"]
    assert notes == ["Driver column(s) Promo are used, with their values from the table's future rows.",
                     "Other columns left out (identifiers, codes or text, not drivers): Id."]

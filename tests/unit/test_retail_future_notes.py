"""A driver given on part of the dates to forecast (Walmart's MarkDown1-5, blank where no markdown ran) is left
out with its own reason: the note had called it "a figure known only after the day, such as a customer count"."""
import numpy as np
import pandas as pd

from ml.forecast_prep import PrepOptions, prepare
from services.retail import _exogenous


def test_a_driver_given_on_part_of_the_future_rows_is_named_with_its_share_and_how_to_use_it():
    days = pd.date_range("2024-01-01", periods=67)
    ahead = days > days[59]
    frames = []
    for store in ("a", "b"):
        markdown = np.where(np.arange(67) % 3 == 0, 2500.0, np.nan)  # 4 of each store's 7 future days blank
        frames.append(pd.DataFrame({"day": days, "store": store, "units": np.where(ahead, np.nan, 5.0),
                                    "Promo": np.arange(67) % 2, "MarkDown1": markdown,
                                    "Customers": np.where(ahead, np.nan, 40.0)}))
    prepared = prepare(pd.concat(frames, ignore_index=True),
                       PrepOptions(date="day", target="units", series=("store",), horizon=7))
    used, future, notes = _exogenous(None, prepared, {"horizon": 7})
    assert used == ("Promo",)
    assert notes == ["Driver column(s) Promo are used, with their values from the table's future rows.",
                     "Column(s) Customers are left out of the model: the table's future rows do not give them for "
                     "every series and each of the 7 forecast dates (a figure known only after the day, such as a "
                     "customer count, cannot drive a forecast).",
                     "Column(s) MarkDown1 (42 % filled) are left out of the model: the table's future rows give them "
                     "for only part of the series and 7 forecast dates. Fill the blank cells (with 0 where a blank "
                     "means none, such as a markdown not run) to use them as drivers."]

"""A driver value given on the dates to forecast that no date of the backtest windows held (a yearly festival
60 days ahead, the windows the last 180 days) is said: the champion was picked without seeing it."""
import numpy as np
import pandas as pd

from services.retail_backtest_notes import unseen_driver_notes

DAYS = pd.date_range("2014-01-01", "2015-01-31", freq="D")
LANTERN = pd.Timestamp("2014-02-14")


def _history(festival_on: pd.Timestamp) -> pd.DataFrame:
    code = np.where(DAYS == festival_on, 2.0, 0.0)
    promo = (np.arange(len(DAYS)) % 5 == 0).astype(float)
    return pd.DataFrame({"unique_id": "store=1", "ds": DAYS, "y": 100.0, "Holiday": code, "Promo": promo})


def _future() -> pd.DataFrame:
    ds = pd.date_range("2015-02-01", periods=60, freq="D")
    return pd.DataFrame({"unique_id": "store=1", "ds": ds, "Holiday": np.where(ds == "2015-03-05", 2.0, 0.0),
                         "Promo": (np.arange(60) % 5 == 0).astype(float)})


CODES = {"Holiday": {0.0: "none", 2.0: "Lantern Festival"}}


def test_a_festival_ahead_that_no_backtest_window_held_is_said():
    notes = unseen_driver_notes(_history(LANTERN), _future(), CODES, pd.Timestamp("2014-08-04"))
    assert notes == ["The backtest windows (after 2014-08-04) held no date with Holiday = 'Lantern Festival' "
                     "(1 date(s) to forecast, first 2015-03-05): the champion was picked without seeing how any "
                     "model forecasts such a date, so read those dates' forecast with care."]


def test_nothing_is_said_when_the_windows_held_it_or_no_driver_is_given():
    assert unseen_driver_notes(_history(pd.Timestamp("2014-12-20")), _future(), CODES, pd.Timestamp("2014-08-04")) \
        == []
    assert unseen_driver_notes(_history(LANTERN), None, CODES, pd.Timestamp("2014-08-04")) == []

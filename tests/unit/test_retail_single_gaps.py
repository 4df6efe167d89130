"""A single missing week inside a steady weekly series (an avocado.csv-like file, its neighbours well above 0) is not
a sale of 0: it had been set to 0 (the closure rule needs 4 weeks or more), and the seasonal index and the trees'
yearly lags copied the dip a year later."""
from __future__ import annotations

import numpy as np
import pandas as pd

from ml.forecast_prep import DS, ID, IMPUTED, Y, PrepOptions, prepare


def _weekly(drop: list[int], sparse: bool = False) -> pd.DataFrame:
    rng = np.random.default_rng(4)
    weeks = pd.date_range("2015-01-04", periods=120, freq="W-SUN")
    volume = rng.normal(1000.0, 50.0, (2, len(weeks)))
    frame = pd.DataFrame({"Date": np.tile(weeks, 2), "region": np.repeat(["Albany", "Boise"], len(weeks)),
                          "volume": volume.ravel()})
    gone = frame.index.isin(drop)
    if sparse:  # a file that leaves out its weeks of 0: a third missing in Boise
        gone |= (frame["region"] == "Boise") & (np.arange(len(frame)) % 3 == 0)
    return frame[~gone]


def test_a_single_missing_week_in_a_steady_series_is_bridged_not_zero():
    prepared = prepare(_weekly([30, 80]), PrepOptions(date="Date", target="volume", series=("region",), horizon=4))
    frame = prepared.frame.set_index(DS)
    albany = frame[frame[ID] == "region=Albany"]
    for week in ("2015-08-02", "2016-07-17"):
        assert 850 < albany.loc[week, Y] < 1150 and albany.loc[week, IMPUTED]
    assert any(n.startswith("2 single missing periods in 1 series that sell steadily") for n in prepared.notes)
    assert not any("set to 0 sales" in n for n in prepared.notes)


def test_two_weeks_running_and_a_file_without_its_zero_weeks_stay_zero_sales():
    prepared = prepare(_weekly([30, 31], sparse=True),
                       PrepOptions(date="Date", target="volume", series=("region",), horizon=4))
    frame = prepared.frame
    albany = frame[frame[ID] == "region=Albany"]
    assert (albany.loc[albany[DS].isin(pd.to_datetime(["2015-08-02", "2015-08-09"])), Y] == 0).all()
    assert (frame.loc[frame[ID] == "region=Boise", Y] == 0).sum() == 39  # 40 left out, the first before its start
    assert not any("single missing" in n for n in prepared.notes)

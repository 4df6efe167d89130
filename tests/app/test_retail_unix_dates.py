"""AppTest: a date column written as Unix time (Retail Rocket's events.csv stamps each event in milliseconds since
1970) is offered in the page's Date column box, first, as the box's choice."""
from __future__ import annotations

import numpy as np
import pandas as pd

from tests.app.test_retail import _page
from tests.app.test_retail_form import _upload


def _events() -> bytes:
    """Retail Rocket's events.csv shape, counted per item: timestamp (ms), visitorid, event, itemid, qty."""
    rng = np.random.default_rng(1)
    days = pd.date_range("2015-05-03 03:00", periods=90, freq="D")
    stamps = (days.astype("int64") // 1_000_000).to_numpy()
    frames = [pd.DataFrame({"timestamp": stamps + rng.integers(0, 3_600_000, len(days)),
                            "visitorid": rng.integers(1, 1_400_000, len(days)), "event": "transaction",
                            "itemid": item, "qty": rng.poisson(6, len(days))}) for item in (461686, 119736)]
    return pd.concat(frames).to_csv(index=False).encode()


def test_a_unix_time_column_in_milliseconds_is_offered_as_the_date(app_env):
    at = _page()
    dataset = _upload(at, "events.csv", _events())
    box = at.selectbox(key=f"retail.date.{dataset}")
    assert box.options == [box.value] == ["timestamp"]  # the one column of Unix times, offered alone as the date
    assert not any("No column of this table reads as dates" in str(w.value) for w in at.warning)
    assert at.selectbox(key=f"retail.target.{dataset}").value == "qty"
    assert "itemid" in at.multiselect(key=f"retail.series.{dataset}").options and not at.exception

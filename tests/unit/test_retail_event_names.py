"""A mostly blank column of event names (M5's event_name_1: some 30 names, blank on about 92 % of days) is read as
codes and drives the forecast; it had been left out as text (over 20 codes) while event_type_1 was used."""
import numpy as np
import pandas as pd

from services.retail import _exogenous, prepare_sales
from services.retail_codes import MAX_CODES

HORIZON = 14
NAMES = [f"Event{k:02d}" for k in range(30)]


def _m5(items: int = 3) -> pd.DataFrame:
    """Two years and 14 days of daily rows; the last 14 with sales blank. Each of 30 events falls on one day a
    year (its day of the year); a comment column, mostly blank, holds a text of its own on its few rows."""
    rng = np.random.default_rng(5)
    days = pd.date_range("2014-01-01", periods=2 * 365 + HORIZON, freq="D")
    slot = (days.dayofyear.to_numpy() - 1) % 12
    on = ((days.dayofyear.to_numpy() - 1) // 12 < 30) & (slot == 0)
    name = np.where(on, [NAMES[min((d - 1) // 12, 29)] for d in days.dayofyear], None).astype(object)
    kind = np.where(on, np.array(["Sporting", "Cultural", "National", "Religious"])[np.arange(len(days)) % 4],
                    None).astype(object)
    frames = []
    for item in range(items):
        comment = np.full(len(days), None, dtype=object)
        comment[rng.choice(len(days) - HORIZON, 10, replace=False)] = [f"note {item}-{k}" for k in range(10)]
        sales = rng.poisson(np.where(on, 30, 10)).astype(float)
        frames.append(pd.DataFrame({"date": days, "item_id": f"FOODS_1_00{item}", "sales": sales,
                                    "event_name_1": name, "event_type_1": kind, "comment": comment}))
    frame = pd.concat(frames, ignore_index=True)
    frame.loc[frame["date"] > days[-HORIZON - 1], ["sales", "comment"]] = np.nan
    return frame


def test_a_mostly_blank_event_name_column_with_30_names_is_read_as_codes():
    frame = _m5()
    assert frame["event_name_1"].nunique() == 30 > MAX_CODES
    prepared = prepare_sales(frame, {"date": "date", "target": "sales", "series": ["item_id"], "horizon": HORIZON})
    assert sorted(prepared.codes) == ["event_name_1", "event_type_1"]
    assert len(prepared.codes["event_name_1"]) == 31  # the 30 names and "(blank)", the ordinary day
    used, future, _ = _exogenous(None, prepared, {"horizon": HORIZON})
    assert used == ("event_name_1", "event_type_1")
    named = {v: k for k, v in prepared.codes["event_name_1"].items()}
    assert future.loc[future["ds"] == "2016-01-01", "event_name_1"].tolist() == [named["Event00"]] * 3
    assert future.loc[future["ds"] == "2016-01-02", "event_name_1"].tolist() == [named["(blank)"]] * 3


def test_a_mostly_blank_comment_column_of_one_off_texts_stays_text():
    prepared = prepare_sales(_m5(), {"date": "date", "target": "sales", "series": ["item_id"], "horizon": HORIZON})
    assert "comment" not in prepared.codes

"""Blank quantities inside a series are read as 0 by default. In Kaggle's Sticker Sales train.csv they are the
low counts left out (a Kenyan shop's Kerneler blank on most days), not days without sales; the note gave the count
("13966 rows had no quantity … they were set to 0") but not the way to read them otherwise."""
from __future__ import annotations

import numpy as np
import pandas as pd

from ml.forecast_prep import PrepOptions, prepare


def _stickers() -> tuple[pd.DataFrame, int]:
    rng = np.random.default_rng(3)
    days = pd.date_range("2015-01-01", periods=120, freq="D")
    frame = pd.DataFrame({"date": np.tile(days, 2), "product": np.repeat(["Kaggle", "Kerneler"], len(days)),
                          "num_sold": np.r_[rng.poisson(900, len(days)), rng.poisson(6, len(days))].astype(float)})
    low = (frame["product"] == "Kerneler") & (frame["num_sold"] < 6)
    frame.loc[low, "num_sold"] = np.nan
    return frame, int(low.sum())


def test_the_blank_note_gives_the_count_and_points_to_fill_missing():
    frame, blanks = _stickers()
    notes = prepare(frame, PrepOptions(date="date", target="num_sold", series=("product",), horizon=7)).notes
    (note,) = [n for n in notes if "had no quantity" in n]
    assert note.startswith(f"{blanks} rows had no quantity (a blank, NaN or infinite cell); they were set to 0 ")
    assert "use --fill missing" in note


def test_with_fill_missing_the_note_says_they_were_marked_missing():
    frame, blanks = _stickers()
    notes = prepare(frame, PrepOptions(date="date", target="num_sold", series=("product",), horizon=7,
                                       fill="missing")).notes
    assert (f"{blanks} rows had no quantity (a blank, NaN or infinite cell); they were marked missing "
            "(interpolated for features, not scored).") in notes

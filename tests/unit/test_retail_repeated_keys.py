"""A key column named twice (`retail forecast --series Category,Category`) passed the checks before the job, then
stopped in the backtest with narwhals' "DuplicateError: Expected unique column names" (exit status 1, a failed job
stored); it is refused in words before anything is stored."""
from __future__ import annotations

import pandas as pd
import pytest

from ml.forecast_prep import ForecastInputError, PrepOptions, prepare


def test_a_key_column_named_twice_is_refused_in_words():
    days = pd.date_range("2022-01-01", periods=60, freq="D")
    frame = pd.DataFrame({"Date": list(days) * 2, "Category": ["Set"] * 60 + ["kurta"] * 60, "Qty": 3.0})
    with pytest.raises(ForecastInputError, match=r"^Series key column\(s\) 'Category' are named more than once; "
                                                 r"name each key column once\.$"):
        prepare(frame, PrepOptions(date="Date", target="Qty", series=("Category", "Category"), horizon=7))

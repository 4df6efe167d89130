"""Quantities written as an accounting export writes negatives, in brackets ('($12.00)') or with the minus after
the number ('1.234,50-'), are read as negative numbers (returns): such a Sales column had stopped the run with
"value(s) are not numbers, such as '($76.13)'"."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from ml.forecast_cleaning import not_numbers
from ml.forecast_prep import Y, PrepOptions, prepare


def _sales(written: list[str]) -> pd.DataFrame:
    days = pd.date_range("2023-01-01", periods=120, freq="D")
    rng = np.random.default_rng(5)
    frames = [pd.DataFrame({"date": days, "store": s, "sales": [written[i % len(written)] for i in
                                                                rng.integers(0, 1000, len(days))]})
              for s in ("North", "South")]
    return pd.concat(frames, ignore_index=True)


@pytest.mark.parametrize(("written", "values"), [
    (["$1,234.50", "$568.21", "($12.00)", "$(3.50)"], {1234.5, 568.21, -12.0, -3.5}),
    (["1.234,50", "568,21", "12,00-", "(3,50)"], {1234.5, 568.21, -12.0, -3.5}),
])
def test_negatives_in_brackets_or_with_a_trailing_minus_are_returns(written, values):
    prepared = prepare(_sales(written), PrepOptions(date="date", target="sales", series=("store",), horizon=14))
    assert set(prepared.frame[Y].round(2)) == values
    assert any(n.startswith("Target 'sales' holds numbers written as text") for n in prepared.notes)
    assert any("negative quantities in 2 series were kept" in n for n in prepared.notes)


def test_text_that_is_no_number_is_still_named():
    values = pd.Series(["$1.00", "(abc)", "12-3", "($4.00)"])
    where = pd.DataFrame({"store": ["a"] * 4, "date": pd.date_range("2023-01-01", periods=4).astype(str)})
    assert not_numbers(values, where) == (": 2 value(s) are not numbers, such as '(abc)' (store=a, date=2023-01-02), "
                                          "'12-3' (store=a, date=2023-01-03); fix or blank them")

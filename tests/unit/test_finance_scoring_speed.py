"""Scoring a wide file reads each column's blanks at once and counts lost numbers without writing every number as
text; both give what the cell-by-cell versions gave."""
import datetime

import numpy as np
import pandas as pd

from ml.credit_features import FeaturePlan, align, plan_features, unparsed_counts
from services import finance_score_notes
from services.finance_reasons import _cells, is_missing


def _cell_by_cell(series: pd.Series) -> list:
    return [None if is_missing(v) else (v.item() if isinstance(v, np.generic) else v) for v in series.tolist()]


def test_cells_are_the_values_with_none_for_every_kind_of_blank():
    cases = [pd.Series([1.5, np.nan, -0.0, 3.0]), pd.Series(["a", None, np.nan, pd.NA, "b"], dtype=object),
             pd.Series([np.int64(3), np.float64(np.nan), "x", True], dtype=object),
             pd.Series(pd.to_datetime(["2020-01-01", None])), pd.Series([True, np.nan, False], dtype=object),
             pd.Series(["a", None], dtype="string"), pd.Series([1, None], dtype="Int64")]
    for series in cases:
        assert _cells(series) == _cell_by_cell(series), series
    assert _cells(cases[2]) == [3, None, "x", True] and type(_cells(cases[2])[0]) is int
    assert _cells(cases[3]) == [datetime.datetime(2020, 1, 1), None]


def test_lost_numbers_are_counted_as_unparsed_counts_counts_them():
    train = pd.DataFrame({"amount": [1.0, 2.0, 3.0] * 20, "term": ["12", "24", "36"] * 20,
                          "purpose": ["car", "tv", "car"] * 20, "age": [30, 40, 50] * 20})
    plan = plan_features(train)
    new = pd.DataFrame({"amount": [1.0, np.nan, 7.0, 2.0], "term": ["12", "n/a", " ", None],
                        "purpose": ["car", None, "boat", "tv"], "age": [20, 30, None, 40]})
    X = align(new, plan)
    X.loc[2, "amount"] = np.nan  # a value the reading emptied (a code, a far value)
    expected = unparsed_counts(new, X, plan)
    assert finance_score_notes._unparsed(new, X, plan) == expected == {"amount": 1, "term": 1}
    assert list(plan.kinds) == ["amount", "term", "purpose", "age"]  # the plan is not changed
    assert isinstance(plan, FeaturePlan)

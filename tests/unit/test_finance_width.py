"""A table wider than the desk trains on is refused before any work, in words with the limit."""
import numpy as np
import pandas as pd
import pytest

from services import finance, finance_width
from services.finance_width import TooManyColumnsError


def _book(columns: int) -> pd.DataFrame:
    rng = np.random.default_rng(0)
    frame = pd.DataFrame(rng.random((60, columns)), columns=[f"f{i}" for i in range(columns)])
    frame["loan_id"] = range(60)
    frame["bad"] = np.arange(60) % 2
    return frame


def test_too_wide_a_book_is_refused_with_the_limit(monkeypatch):
    monkeypatch.setattr(finance_width, "MAX_INPUT_COLUMNS", 4)
    with pytest.raises(TooManyColumnsError, match=r"has 5 columns besides the outcome and the id; .* at most 4 "):
        finance.evaluate_frame(_book(5), "bad", id_column="loan_id")


def test_the_outcome_id_and_left_out_columns_do_not_count():
    finance_width.check_width(_book(finance_width.MAX_INPUT_COLUMNS - 1), "bad", id_column="loan_id")
    finance_width.check_width(_book(finance_width.MAX_INPUT_COLUMNS + 1), "bad", exclude=("f0", "f1"))
    with pytest.raises(TooManyColumnsError, match="5,001 columns"):
        finance_width.check_width(_book(finance_width.MAX_INPUT_COLUMNS + 1), "bad", id_column="loan_id")


def test_without_an_id_the_refusal_does_not_speak_of_one():
    with pytest.raises(TooManyColumnsError, match=r"has 5,002 columns besides the outcome; a credit model"):
        finance_width.check_width(_book(finance_width.MAX_INPUT_COLUMNS + 1), "bad")

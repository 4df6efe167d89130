"""A basket file with no quantity column (Kaggle's Groceries dataset: Member_number, Date, itemDescription) forecast
with --target Member_number had member numbers summed as quantities sold (13,893 bottles of water a day), without a
word; a note now says so and how to count the rows."""
from __future__ import annotations

import numpy as np
import pandas as pd

from services.retail import prepare_sales

PARAMS = {"date": "Date", "series": ["itemDescription"], "horizon": 14, "duplicates": "sum"}


def _baskets() -> pd.DataFrame:
    rng = np.random.default_rng(4)
    days = pd.date_range("2015-01-01", periods=120, freq="D").repeat(20)
    return pd.DataFrame({"Member_number": rng.integers(1000, 5000, len(days)), "Date": days,
                         "itemDescription": rng.choice(["whole milk", "soda", "yogurt"], len(days)),
                         "Number of items": rng.integers(1, 4, len(days))})


def test_member_numbers_summed_as_the_quantity_are_named():
    notes = prepare_sales(_baskets(), {**PARAMS, "target": "Member_number"}).notes
    said = [n for n in notes if "named like an identifier" in n]
    assert len(said) == 1 and said[0].startswith("The quantity column 'Member_number' is named like an identifier and "
                                                 "holds ")
    assert "add a column of 1s and forecast it" in said[0]


def test_a_count_named_with_number_is_a_quantity():
    notes = prepare_sales(_baskets(), {**PARAMS, "target": "Number of items"}).notes
    assert not [n for n in notes if "named like an identifier" in n]

"""A number written ten times too big on some rows (Bank Loan Status's Credit Score of 7,230 for 723) is read as
meant, in training and in files to score, with a note; amounts, counts and codes are left as they are."""
from __future__ import annotations

import numpy as np
import pandas as pd

from ml import credit_slips
from ml.credit_features import FeaturePlan, align
from services import finance_prepare


def _book(rows: int = 400, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    score = rng.integers(585, 752, rows).astype(float)
    bad = rng.random(rows) < 0.25
    slipped = bad & (rng.random(rows) < 0.3)
    return pd.DataFrame({"Credit Score": np.where(slipped, score * 10, score),
                         "Annual Income": rng.lognormal(11, 0.6, rows).round(),
                         "Open Accounts": rng.integers(0, 30, rows),
                         "Loan Status": np.where(bad, "Charged Off", "Fully Paid")})


def test_the_range_is_found_only_for_a_slip():
    book = _book()
    low, high = credit_slips.tenfold_range(book["Credit Score"])
    assert 585 <= low < high <= 751
    assert credit_slips.tenfold_range(book["Annual Income"]) is None  # a skewed amount: no gap
    assert credit_slips.tenfold_range(book["Open Accounts"].astype(float)) is None  # counts from 0
    score = pd.Series([700.0] * 200 + [9999.0] * 10)  # a code beyond ten times the range
    assert credit_slips.tenfold_range(score) is None
    assert credit_slips.read_tenfold(pd.Series([7230.0, 723.0, 9999.0, np.nan]), [585.0, 751.0]).tolist()[:3] == \
        [723.0, 723.0, 9999.0]


def test_training_reads_the_slip_as_meant_and_scoring_does_too():
    book = _book()
    data = finance_prepare.prepare(book, "Loan Status")
    bounds = data.plan.tenfold["Credit Score"]
    assert data.X["Credit Score"].max() <= bounds[1] and data.X["Credit Score"].min() >= bounds[0]
    note = next(n for n in data.notes if n.startswith("Column 'Credit Score' holds"))
    assert "read as written ten times too big" in note and "100% of those loans defaulted" in note
    assert data.plan.tenfold.keys() == {"Credit Score"}
    plan = FeaturePlan.from_json(data.plan.to_json())
    applicants = pd.DataFrame({"Credit Score": [7230.0, 723.0, None], "Annual Income": [5e4, 6e4, 7e4],
                               "Open Accounts": [3, 4, 5]})
    assert align(applicants, plan)["Credit Score"].tolist()[:2] == [723.0, 723.0]


def test_scoring_says_which_values_it_read_as_ten_times_too_big():
    from services import finance_score_notes

    plan = FeaturePlan({"Credit Score": "numeric"}, tenfold={"Credit Score": [585.0, 751.0]})
    notes = finance_score_notes.tenfold_notes(pd.DataFrame({"Credit Score": [7230, 723, None, 9999]}), plan)
    assert notes == ["Column 'Credit Score': 1 value(s) ten times its training range were read as written ten times "
                     "too big (7,510 as 751), as training read them."]
    assert finance_score_notes.tenfold_notes(pd.DataFrame({"Credit Score": [723]}), plan) == []

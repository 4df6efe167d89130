"""The outcome column the finance page offers first."""
from datetime import datetime

import numpy as np
import pandas as pd

from data import ingest
from services.finance_picks import looks_like_loans, outcome_guess
from services.results import DatasetInfo


def _info(frame: pd.DataFrame) -> DatasetInfo:
    result = ingest.read_table(frame.to_csv(index=False).encode(), filename="loans.csv", max_bytes=10**7)
    return DatasetInfo(1, "loans", "loans.csv", "", 0, result.rows, result.columns, dict(result.schema),
                       dict(result.roles), ingest.profile_to_json(result.profile), [], {}, datetime(2026, 1, 1), "")


def _loans(outcomes: list[str], rows: int = 120) -> pd.DataFrame:
    rng = np.random.default_rng(3)
    return pd.DataFrame({"amount": rng.integers(500, 9000, rows),
                         "defaulted": rng.choice(outcomes, rows),
                         "State": rng.choice(["CA", "TX", "FL", "WA", "IL", "NY"], rows)})


def test_a_yes_no_unknown_outcome_is_offered_first_not_the_last_column():
    info = _info(_loans(["yes", "no", "no", "unknown"]))
    assert outcome_guess(info) == "defaulted" and looks_like_loans(info)


def test_running_loans_do_not_count_as_a_third_outcome():
    frame = _loans(["Fully Paid", "Charged Off", "Current"]).rename(columns={"defaulted": "loan_status"})
    assert outcome_guess(_info(frame)) == "loan_status"


def test_three_known_outcomes_are_not_taken_for_a_two_valued_outcome():
    info = _info(_loans(["yes", "no", "maybe"]))
    assert not looks_like_loans(info) and outcome_guess(info) != "defaulted"

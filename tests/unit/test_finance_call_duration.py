"""A marketing call's duration (UCI bank marketing) is known only once the call has ended: a leak by its name."""
import numpy as np
import pandas as pd

from services.finance_leakage import call_durations, post_outcome_columns
from services.finance_prepare import prepare


def _bank_marketing_like(n: int = 400, seed: int = 3) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    duration = np.round(rng.gamma(1.5, 170, n)).astype(int)
    y = rng.random(n) < 1 / (1 + np.exp(-(-3.0 + duration / 250)))
    return pd.DataFrame({"age": rng.integers(18, 90, n), "job": rng.choice(["admin.", "blue-collar", "unknown"], n),
                         "contact": rng.choice(["cellular", "telephone"], n), "duration": duration,
                         "campaign": rng.integers(1, 10, n), "pdays": np.where(rng.random(n) < 0.9, 999, 5),
                         "y": np.where(y, "yes", "no")})


def test_a_calls_duration_beside_the_campaign_columns_is_left_out_and_a_loans_duration_is_not():
    assert call_durations(["age", "duration", "campaign", "pdays", "y"]) == ["duration"]
    assert call_durations(["checking_status", "duration", "credit_amount", "class"]) == []  # German credit's term
    assert call_durations(["duration", "contact", "loan_amount"]) == []  # one contact column is no campaign
    assert call_durations(["call_duration", "amount"]) == ["call_duration"]
    assert post_outcome_columns(["Duration", "contact", "poutcome", "total_pymnt"]) == ["Duration", "total_pymnt"]


def test_bank_marketing_trains_without_duration_unless_kept():
    frame = _bank_marketing_like()
    data = prepare(frame, "y")
    assert "duration" not in data.plan.features and data.plan.features == ["age", "job", "contact", "campaign", "pdays"]
    note = [n for n in data.notes if "'duration'" in n]
    assert len(note) == 1 and note[0].startswith("Column(s) 'duration' are left out: the length of the last marketing "
                                                 "call")
    kept = prepare(frame, "y", keep=("duration",))
    assert "duration" in kept.plan.features
    assert kept.leaks == ["duration"] and kept.warnings == [
        "Column(s) 'duration' hold the length of the last marketing call, known only once the call has ended, and "
        "with it the outcome: a model on it cannot score a new applicant before the call. Leave them out (--exclude "
        "COLUMN; 'Columns to leave out' on the page)."]

"""Which stored table a desk page opens on: told by the name of its guessed outcome column."""
from __future__ import annotations

from domain.loan_columns import is_loan_outcome
from domain.maintenance import is_failure_label


def test_desk_tables_are_told_by_their_outcome_column():
    assert all(map(is_loan_outcome, ("credit_risk", "default", "loan_status", "BAD", "TARGET_default")))
    assert not any(map(is_loan_outcome, ("Machine failure", "sales", "rul")))
    assert all(map(is_failure_label, ("Machine failure", "failure_type", "Fault", "is_broken")))
    assert not any(map(is_failure_label, ("credit_risk", "sales")))

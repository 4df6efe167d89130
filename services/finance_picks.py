"""What the finance page offers first: a table of past loans, and its outcome column."""
from __future__ import annotations

from domain import loan_columns
from services.results import DatasetInfo


def _outcomes(info: DatasetInfo) -> list[str]:
    """Two-valued columns named like a loan's outcome (credit_risk, default, loan_status), the guessed target
    first: a good/bad column is often not guessed as the target, and checking_status names no outcome."""
    binary = [str(p["name"]) for p in info.profile if p.get("distinct") == 2]
    named = [c for c in binary if loan_columns.is_loan_outcome(c)]
    return sorted(named, key=lambda c: info.roles.get(c) != "target")


def looks_like_loans(info: DatasetInfo) -> bool:
    """A stored table with an outcome column named like a loan's: the page opens on such a table."""
    return bool(_outcomes(info))


def outcome_guess(info: DatasetInfo) -> str:
    """The outcome column a page offers first: a loan outcome, else the guessed target, else the last column."""
    columns = list(info.schema)
    targets = [c for c, role in info.roles.items() if role == "target"]
    return next(iter([*_outcomes(info), *targets, *columns[-1:]]), "")

"""What the finance page offers first: a table of past loans, and its outcome column."""
from __future__ import annotations

from domain import loan_columns, loan_outcomes
from services.results import DatasetInfo


def _known_values(item: dict) -> int:
    """Distinct values of a profiled column, leaving out those training leaves out: outcomes written as not
    known ("unknown", "pending") and loans still running ("Current"). Only columns whose every value the
    profile lists can be counted this way; others keep their distinct count."""
    distinct = int(item.get("distinct") or 0)
    tops = [str(top[0]) for top in item.get("top_values") or []]
    if distinct <= 2 or len(tops) < distinct:
        return distinct
    return sum(1 for value in tops if not loan_outcomes.is_unknown_outcome(value)
               and loan_outcomes.outcome_kind(value) != loan_outcomes.RUNNING)


def _outcomes(info: DatasetInfo) -> list[str]:
    """Two-valued columns named like a loan's outcome (credit_risk, default, loan_status), the guessed target
    first: a good/bad column is often not guessed as the target, and checking_status names no outcome. A
    yes/no/unknown column counts as two-valued, as training reads it."""
    binary = [str(p["name"]) for p in info.profile if _known_values(p) == 2]
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

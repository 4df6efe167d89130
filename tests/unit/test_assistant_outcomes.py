"""Rates of an outcome on a Lending-Club-shaped loan book leave running loans out (Current, In Grace Period,
Late (31-120 days) have no outcome yet) and say how many: "default rate by term" counted them as not defaulted."""
import numpy as np
import pandas as pd
import pytest

from services import assistant
from tests.support import runtime_with_tables

STATUSES = ["Fully Paid", "Charged Off", "Current", "Late (31-120 days)", "In Grace Period", "Default"]
DEFAULTS = ["Charged Off", "Default"]


def _loans() -> pd.DataFrame:
    rng = np.random.default_rng(11)
    n = 600
    return pd.DataFrame({"id": np.arange(1, n + 1), "loan_amnt": rng.integers(10, 300, n) * 100,
                         "term": rng.choice([" 36 months", " 60 months"], n, p=[0.7, 0.3]),
                         "grade": rng.choice(list("ABC"), n),
                         "loan_status": rng.choice(STATUSES, n, p=[0.45, 0.15, 0.3, 0.04, 0.03, 0.03])})


LOANS = _loans()
FINISHED = LOANS[LOANS.loan_status.isin(["Fully Paid", *DEFAULTS])]
RUNNING = LOANS[~LOANS.loan_status.isin(["Fully Paid", *DEFAULTS])]


@pytest.fixture(scope="module")
def rt(tmp_path_factory):
    return runtime_with_tables(tmp_path_factory.mktemp("outcomes") / "var", {"lc": LOANS})


def _ask(rt, question):
    return assistant.answer(rt, question, user="ana", dataset="lc", save=False)


def test_default_rate_by_term_leaves_running_loans_out(rt):
    expected = 100 * FINISHED.groupby(FINISHED.term.str.strip()).loan_status.apply(lambda s: s.isin(DEFAULTS).mean())
    reply = _ask(rt, "default rate by term")
    got = {r["term"]: r["% loan_status in (Charged Off, Default)"] for r in reply.rows}
    assert got == pytest.approx(expected.to_dict()), reply.answer  # running loans were in the denominator
    assert sum(r["rows"] for r in reply.rows) == len(FINISHED)
    counts = RUNNING.loan_status.value_counts()
    assert f" {len(RUNNING)} loans with no outcome yet are left out (" in reply.answer
    assert all(f"{status} {n}" in reply.answer for status, n in counts.items())
    assert reply.invented == (), reply.invented  # the total left out is a tool result too (it was 'invented')


def test_a_share_of_one_outcome_is_taken_over_finished_loans(rt):
    reply = _ask(rt, "what percentage of loans are charged off?")
    assert reply.rows[0]["matching rows"] == int((LOANS.loan_status == "Charged Off").sum())
    assert reply.rows[0]["rows"] == len(FINISHED), reply.answer


def test_a_running_status_asked_for_is_counted_over_every_loan(rt):
    reply = _ask(rt, "what percentage of loans are current?")
    assert reply.rows[0]["rows"] == len(LOANS) and "left out" not in reply.answer


def test_defaulted_reads_every_default_value_of_the_status_column(rt):
    reply = _ask(rt, "what percentage of loans defaulted?")  # was refused: 'defaulted' names no yes/no column
    assert reply.rows[0]["matching rows"] == int(LOANS.loan_status.isin(DEFAULTS).sum())
    assert reply.rows[0]["rows"] == len(FINISHED), reply.answer

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
    got = {r["term"]: r["Default rate (loan_status Charged Off or Default), %"] for r in reply.rows}
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


def _flagged() -> pd.DataFrame:
    """A 0/1 default column beside loan_status, as in a prepared LC extract: 147 Current and 30 Late loans
    carry default 0 because they have not failed yet."""
    rng = np.random.default_rng(5)
    n = 600
    default = (rng.random(n) < 0.15).astype(int)
    status = np.where(default == 1, "Charged Off", "Fully Paid").astype(object)
    running = rng.choice(np.flatnonzero(default == 0), 177, replace=False)
    status[running[:147]], status[running[147:]] = "Current", "Late (31-120 days)"
    return pd.DataFrame({"id": np.arange(n), "term": rng.choice(["36 months", "60 months"], n),
                         "default": default, "loan_status": status})


FLAGGED = _flagged()


@pytest.fixture(scope="module")
def flagged(tmp_path_factory):
    return runtime_with_tables(tmp_path_factory.mktemp("flagged") / "var", {"lc": FLAGGED})


def test_a_default_flag_rate_leaves_running_loans_out_as_the_status_rate_does(flagged):
    finished = FLAGGED[FLAGGED.loan_status.isin(["Fully Paid", "Charged Off"])]
    expected = (100 * finished.groupby("term")["default"].mean()).to_dict()
    by_flag = assistant.answer(flagged, "what is the default rate by term", user="ana", dataset="lc", save=False)
    by_status = assistant.answer(flagged, "what share of loans were charged off by term", user="ana", dataset="lc",
                                 save=False)
    flag_rates = {r["term"]: r["Default rate (default = 1), %"] for r in by_flag.rows}
    assert flag_rates == pytest.approx(expected), by_flag.answer  # was 16.3 / 14.87 over all 600 rows
    status_rates = {r["term"]: r["Default rate (loan_status Charged Off), %"] for r in by_status.rows}
    assert status_rates == pytest.approx(flag_rates)
    for reply in (by_flag, by_status):
        assert " 177 loans with no outcome yet are left out (Current 147, Late (31-120 days) 30)." in reply.answer
        assert "% default" not in reply.answer and "finished outcome" not in reply.answer
        assert reply.invented == (), reply.invented
    shown = [f"{term} ({rate:,.2f})" for term, rate in flag_rates.items()]
    assert all(s in by_flag.answer for s in shown), by_flag.answer  # 26.70, not 26.7, beside 17.33


def test_a_flag_not_named_like_a_default_is_rated_over_every_row(tmp_path):
    table = FLAGGED.assign(joint=(FLAGGED.id % 3 == 0).astype(int))
    rt = runtime_with_tables(tmp_path / "var", {"lc": table})
    reply = assistant.answer(rt, "what percentage of loans have joint = 1", user="ana", dataset="lc", save=False)
    assert reply.rows[0]["rows"] == len(table) and "left out" not in reply.answer, reply.answer

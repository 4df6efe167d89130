"""Periods counted back from the data's last date: "total sales last quarter", "last month", "the last 30 days",
"this quarter". They were refused, and "total sales in the most recent quarter" gave the all-time total. The data
here ends on 2024-05-15, in the middle of a quarter and a month, so "last quarter" is the last whole one (Q1) and
"this quarter" runs up to the last date; each reply says which dates. Checked against pandas."""
import numpy as np
import pandas as pd
import pytest

from domain import assistant as rules
from services import assistant
from tests.support import runtime_with_tables


def _sales() -> pd.DataFrame:
    rng = np.random.default_rng(5)
    days = pd.date_range("2023-11-01", "2024-05-15")
    return pd.DataFrame([{"date": d.strftime("%Y-%m-%d"), "store": s, "sales": int(rng.integers(5, 60))}
                         for d in days for s in (1, 2)])


@pytest.fixture(scope="module")
def runtime(tmp_path_factory):
    return runtime_with_tables(tmp_path_factory.mktemp("periods") / "var", {"sales": _sales()})


def _ask(runtime, question):
    return assistant.answer(runtime, question, user="ana", dataset="sales", save=False)


def _total(start: str, end: str, store: int | None = None) -> int:
    frame = _sales()
    picked = frame[(frame["date"] >= start) & (frame["date"] <= end)]
    return int(picked[picked["store"] == store]["sales"].sum() if store else picked["sales"].sum())


@pytest.mark.parametrize(("question", "start", "end"), [
    ("total sales last quarter", "2024-01-01", "2024-03-31"),
    ("total sales in the most recent quarter", "2024-01-01", "2024-03-31"),
    ("total sales during the previous quarter", "2024-01-01", "2024-03-31"),
    ("total sales last month", "2024-04-01", "2024-04-30"),
    ("sales in the latest month", "2024-04-01", "2024-04-30"),
    ("total sales this quarter", "2024-04-01", "2024-05-15"),
    ("total sales in the last 30 days", "2024-04-16", "2024-05-15"),
    ("total sales in the last 2 months", "2024-03-01", "2024-04-30"),
])
def test_a_period_counted_back_is_read_from_the_last_date_and_said(runtime, question, start, end):
    reply = _ask(runtime, question)
    assert not reply.cannot and reply.invented == (), reply.answer
    assert f"from {start} to {end} (" in reply.answer and "2024-05-15" in reply.answer, reply.answer
    assert rules.format_number(_total(start, end)) in reply.answer, reply.answer


def test_a_period_counted_back_keeps_the_other_conditions(runtime):
    reply = _ask(runtime, "total sales last quarter for store 2")
    assert reply.rows[0]["total sales"] == _total("2024-01-01", "2024-03-31", store=2), reply.answer


def test_a_year_outside_the_data_is_refused_with_its_dates(runtime):
    reply = _ask(runtime, "total sales in 2011")
    assert reply.cannot and "covers 2023-11-01 to 2024-05-15 only" in reply.answer, reply.answer


def test_a_period_with_no_date_column_is_refused(tmp_path):
    rt = runtime_with_tables(tmp_path / "var", {"shops": pd.DataFrame({"store": [1, 2, 3], "sales": [5, 6, 7]})})
    reply = assistant.answer(rt, "total sales last quarter", user="ana", dataset="shops", save=False)
    assert reply.cannot and "no date or year column" in reply.answer, reply.answer


def test_a_change_from_a_period_counted_back_stays_refused(runtime):
    reply = _ask(runtime, "how did sales change from last year")
    assert reply.cannot and "'last year'" in reply.answer, reply.answer  # not the total of the last year

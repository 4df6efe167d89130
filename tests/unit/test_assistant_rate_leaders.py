""""Which purpose has the highest default rate" answered "purpose education (44) has the highest share with
credit_risk = bad (%)." and showed the winner's row alone, while the query ranked every purpose: the runner-up
'others' (5 of 12, 41.67%) and the size of each group were hidden. The rate is said with its counts and the
runner-up, and the rows shown are the groups ranked, the answer's first (also for averages and totals)."""
import pandas as pd

from services import assistant
from tests.support import runtime_with_tables


def _credit() -> pd.DataFrame:
    counts = {"education": (50, 22), "others": (12, 5), "car (new)": (234, 89), "retraining": (9, 1)}
    rows = [(p, "bad" if i < bad else "good", 1000 + 10 * i) for p, (n, bad) in counts.items() for i in range(n)]
    return pd.DataFrame(rows, columns=["purpose", "credit_risk", "credit_amount"])


def _ask(tmp_path, question):
    rt = runtime_with_tables(tmp_path / "var", {"credit_applicants": _credit()})
    reply = assistant.answer(rt, question, user="ana", dataset="credit_applicants", save=False)
    assert not reply.cannot and reply.invented == (), reply.answer
    return reply


def test_the_highest_rate_is_said_with_its_counts_and_the_runner_up(tmp_path):
    reply = _ask(tmp_path, "Which purpose has the highest default rate?")
    assert reply.answer == ("purpose education (44%, 22 of 50 rows) has the highest share with credit_risk = bad; "
                            "next: others (41.67%, 5 of 12 rows)."), reply.answer
    assert [(r["purpose"], r["matching rows"], r["rows"]) for r in reply.rows] == [
        ("education", 22, 50), ("others", 5, 12), ("car (new)", 89, 234), ("retraining", 1, 9)]


def test_the_lowest_rate_shows_every_group_ranked_lowest_first(tmp_path):
    reply = _ask(tmp_path, "which purpose has the lowest default rate")
    assert reply.answer.startswith("purpose retraining (11.11%, 1 of 9 rows) has the lowest share"), reply.answer
    assert [r["purpose"] for r in reply.rows] == ["retraining", "car (new)", "others", "education"]


def test_the_highest_average_by_group_shows_the_groups_it_beat(tmp_path):
    reply = _ask(tmp_path, "which purpose has the highest average credit_amount")
    frame = _credit().groupby("purpose")["credit_amount"].mean().sort_values(ascending=False)
    assert reply.answer.startswith(f"purpose {frame.index[0]} ("), reply.answer
    assert [r["purpose"] for r in reply.rows] == list(frame.index)  # was the winner's row alone
    assert [round(r["average credit_amount"], 2) for r in reply.rows] == [round(v, 2) for v in frame]

"""German credit with OpenML names (`class` good/bad, `foreign_worker` yes/no): three rate questions that gave a
wrong number. "The riskiest loan purpose by bad rate" gave the overall 29.88% (the purpose dropped); "bad loans
share for foreign workers vs not" gave the foreign workers' share alone; "default rate by age group" listed every
single age as a group. Each figure is checked against pandas."""
import numpy as np
import pandas as pd

from services import assistant
from tests.support import runtime_with_tables


def _credit() -> pd.DataFrame:
    rng = np.random.default_rng(7)
    purposes = ["radio/tv", "education", "new car", "business", "other"]
    rows = 300
    frame = pd.DataFrame({"purpose": rng.choice(purposes, rows), "age": rng.integers(19, 75, rows),
                          "credit_amount": rng.integers(250, 15000, rows),
                          "foreign_worker": rng.choice(["yes", "no"], rows, p=[0.9, 0.1])})
    risk = 0.2 + 0.25 * (frame["purpose"] == "education") + 0.1 * (frame["foreign_worker"] == "yes")
    frame["class"] = np.where(rng.random(rows) < risk, "bad", "good")
    return frame


def _ask(tmp_path, question):
    rt = runtime_with_tables(tmp_path / "var", {"credit_g": _credit()})
    return assistant.answer(rt, question, user="ana", dataset="credit_g", save=False)


def _rates(column: str) -> pd.DataFrame:
    frame = _credit()
    bad = frame["class"].eq("bad")
    return bad.groupby(frame[column]).agg(["mean", "sum", "count"]).sort_values("mean", ascending=False)


def test_the_riskiest_purpose_by_bad_rate_ranks_the_purposes(tmp_path):
    reply = _ask(tmp_path, "what is the riskiest loan purpose by bad rate")
    rates = _rates("purpose")
    top = rates.iloc[0]
    assert not reply.cannot and reply.invented == (), reply.answer
    assert reply.answer.startswith(f"purpose {rates.index[0]} ({round(100 * top['mean'], 2):g}%, {int(top['sum'])} of "
                                   f"{int(top['count'])} rows) has the highest share with class = bad"), reply.answer
    assert [r["purpose"] for r in reply.rows] == list(rates.index)


def test_the_safest_purpose_ranks_lowest_first(tmp_path):
    reply = _ask(tmp_path, "what is the safest loan purpose by bad rate")
    assert reply.answer.startswith(f"purpose {_rates('purpose').index[-1]} ("), reply.answer
    assert "lowest share with class = bad" in reply.answer


def test_a_share_for_a_yes_no_column_vs_not_gives_both_sides_with_counts(tmp_path):
    reply = _ask(tmp_path, "bad loans share for foreign workers vs not")
    rates = _rates("foreign_worker")
    assert not reply.cannot and reply.invented == (), reply.answer
    sides = [f"{side} ({round(100 * r['mean'], 2):g}%, {int(r['sum'])} of {int(r['count'])} rows)"
             for side, r in rates.iterrows()]
    assert reply.answer == f"Share with class = bad (%), by foreign_worker: {', '.join(sides)}.", reply.answer
    assert sorted((r["foreign_worker"], r["matching rows"], r["rows"]) for r in reply.rows) == sorted(
        (side == "yes", int(r["sum"]), int(r["count"])) for side, r in rates.iterrows())  # yes/no read as booleans


def test_the_share_for_one_side_alone_is_still_that_side(tmp_path):
    reply = _ask(tmp_path, "bad rate for foreign workers")
    yes = _rates("foreign_worker").loc["yes"]
    assert f"({int(yes['sum'])} of {int(yes['count'])})" in reply.answer, reply.answer


def test_a_rate_by_age_group_is_refused_not_one_group_per_age(tmp_path):
    for question in ("default rate by age group", "average credit_amount by age bracket"):
        reply = _ask(tmp_path, question)
        assert reply.cannot and reply.rows == [], reply.answer
        assert f"age holds {_credit()['age'].nunique()} different values" in reply.answer
        assert "'… for age under 30'" in reply.answer


def test_a_rate_by_age_alone_still_lists_each_age(tmp_path):
    reply = _ask(tmp_path, "default rate by age")
    assert not reply.cannot and len(reply.rows) == _credit()["age"].nunique(), reply.answer

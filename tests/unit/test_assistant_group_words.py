"""Groups named by a word form not in the data, and typos in follow-ups. "What fraction of homeowners are bad"
(housing own) and "what percentage of foreigners are bad" (foreign_worker yes) were refused, 'homeowners' and
'foreigners' no column or value; "and for tpye H?" or "and by purpsoe?" after an answered question were refused,
where the same typo in a whole question is read and said."""
import numpy as np
import pandas as pd
import pytest

from services import assistant
from tests.support import asked, runtime_with_tables

rng = np.random.default_rng(5)
N = 300
LOANS = pd.DataFrame({"credit_amount": rng.integers(300, 18000, N),
                      "housing": rng.choice(["own", "rent", "for free"], N),
                      "purpose": rng.choice(["business", "car", "education"], N),
                      "foreign_worker": rng.choice(["yes", "no"], N, p=[0.9, 0.1]),
                      "class": rng.choice(["good", "bad"], N, p=[0.7, 0.3])})
BOOK = pd.DataFrame({"home_ownership": rng.choice(["RENT", "OWN", "MORTGAGE"], N), "loan_amnt": rng.integers(1, 40, N)})
MACHINES = pd.DataFrame({"Type": rng.choice(["L", "M", "H"], N), "Machine failure": (rng.random(N) < 0.2).astype(int)})


@pytest.fixture(scope="module")
def rt(tmp_path_factory):
    tables = {"loans": LOANS, "book": BOOK, "machines": MACHINES}
    return runtime_with_tables(tmp_path_factory.mktemp("groupwords") / "var", tables)


def test_homeowners_are_the_owners_of_the_housing_column(rt):
    own = LOANS[LOANS["housing"] == "own"]
    reply = asked(rt, "what fraction of homeowners are bad", "loans")
    assert reply.rows[0]["rows"] == len(own) and reply.rows[0]["matching rows"] == int((own["class"] == "bad").sum())
    assert "housing = own" in reply.answer, reply.answer
    reply = asked(rt, "how many homeowners", "book")
    assert reply.rows == [{"rows": int((BOOK["home_ownership"] == "OWN").sum())}], reply.answer
    asked(rt, "how many carowners", "loans", refused=True)  # "car" names no column of owners


def test_foreigners_are_the_yes_rows_of_foreign_worker(rt):
    foreign = LOANS[LOANS["foreign_worker"] == "yes"]
    reply = asked(rt, "what percentage of foreigners are bad", "loans")
    assert reply.rows[0]["rows"] == len(foreign), reply.answer
    assert reply.rows[0]["matching rows"] == int((foreign["class"] == "bad").sum()), reply.answer
    reply = asked(rt, "average credit amount of foreigners", "loans")
    assert reply.rows[0]["average credit_amount"] == pytest.approx(foreign["credit_amount"].mean()), reply.answer


def _chat(rt, conversation, *questions):
    return [assistant.answer(rt, q, user="ana", dataset=None, conversation_id=conversation) for q in questions]


def test_a_typo_in_a_follow_up_is_read_and_said(rt):
    first, reply = _chat(rt, "typo1", "how many machines failed in machines", "and for tpye H?")
    assert not first.cannot and not reply.cannot, reply.answer
    assert reply.answer.startswith("Reading 'tpye' as 'type'."), reply.answer
    high = MACHINES[MACHINES["Type"] == "H"]
    assert reply.rows == [{"rows": int(high["Machine failure"].sum())}], reply.answer
    later = _chat(rt, "typo1", "and for type L?")[0]  # built on the read follow-up
    assert later.rows == [{"rows": int(MACHINES.loc[MACHINES["Type"] == "L", "Machine failure"].sum())}], later.answer
    _, grouped = _chat(rt, "typo2", "bad rate by housing in loans", "and by purpsoe?")
    rates = LOANS.groupby("purpose")["class"].apply(lambda s: 100 * (s == "bad").mean())
    assert grouped.answer.startswith("Reading 'purpsoe' as 'purpose'."), grouped.answer
    assert {r["purpose"]: r["% class = bad"] for r in grouped.rows} == pytest.approx(rates.to_dict())
    weather = _chat(rt, "typo2", "and the weathr?")[0]
    assert weather.cannot and "weathr" in weather.answer, weather.answer

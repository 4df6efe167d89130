"""A share "for", "among" or "of" a group is taken among that group's rows. "What percentage of loans are bad for
applicants with own housing" gave 18.6 % of ALL rows (bad and own housing, 186 of 1,000 on German credit) where the
rate among own-housing applicants (26.09 %, 186 of 713) is meant; "bad rate for applicants with own housing" gave
the share of bad loans that are own housing; a yes/no group after "among" was dropped. Checked against pandas."""
import numpy as np
import pandas as pd
import pytest

from services import assistant
from tests.support import runtime_with_tables


def _credit() -> pd.DataFrame:
    rng = np.random.default_rng(11)
    rows = 400
    frame = pd.DataFrame({"housing": rng.choice(["own", "rent", "for free"], rows, p=[0.7, 0.2, 0.1]),
                          "purpose": rng.choice(["business", "education", "radio/tv"], rows),
                          "foreign_worker": rng.choice(["yes", "no"], rows, p=[0.8, 0.2])})
    risk = 0.2 + 0.2 * (frame["housing"] != "own")
    frame["class"] = np.where(rng.random(rows) < risk, "bad", "good")
    return frame


@pytest.fixture(scope="module")
def runtime(tmp_path_factory):
    return runtime_with_tables(tmp_path_factory.mktemp("rates") / "var", {"credit_g": _credit()})


def _ask(runtime, question):
    return assistant.answer(runtime, question, user="ana", dataset="credit_g", save=False)


@pytest.mark.parametrize("question", [
    "what percentage of loans are bad for applicants with own housing",
    "what share of loans are bad among applicants with own housing",
    "what percentage of loans are bad for housing own",
    "bad rate for applicants with own housing",
    "for applicants with own housing, what percentage of loans are bad",
    "what fraction of applicants with own housing are bad",
])
def test_a_share_for_a_group_is_taken_among_the_group(runtime, question):
    frame = _credit()
    own = frame[frame["housing"] == "own"]
    bad = int((own["class"] == "bad").sum())
    reply = _ask(runtime, question)
    assert not reply.cannot and reply.invented == (), reply.answer
    assert reply.answer == (f"{round(100 * bad / len(own), 2):g}% of the rows where housing = own have class = bad "
                            f"({bad} of {len(own)})."), reply.answer
    assert reply.rows[0]["rows"] == len(own)


@pytest.mark.parametrize("question", [
    "share of bad loans among applicants with purpose education",  # no verb: "with" is inside the group
    "what share of applicants are bad among those with purpose of education",
])
def test_a_share_among_a_value_written_further_off(runtime, question):
    frame = _credit()
    group = frame[frame["purpose"] == "education"]
    reply = _ask(runtime, question)
    assert not reply.cannot and reply.invented == (), reply.answer
    assert (reply.rows[0]["matching rows"], reply.rows[0]["rows"]) == (int((group["class"] == "bad").sum()),
                                                                       len(group)), reply.answer


def test_a_verb_naming_a_flag_is_counted_among_the_group(tmp_path):
    rng = np.random.default_rng(2)
    machines = pd.DataFrame({"Type": rng.choice(["L", "H"], 200), "Machine failure": (rng.random(200) < 0.2) * 1})
    rt = runtime_with_tables(tmp_path / "var", {"machines": machines})
    reply = assistant.answer(rt, "what percentage of machines failed among type H", user="ana", dataset="machines",
                             save=False)
    high = machines[machines["Type"] == "H"]
    assert (reply.rows[0]["matching rows"], reply.rows[0]["rows"]) == (int(high["Machine failure"].sum()),
                                                                       len(high)), reply.answer


def test_a_yes_no_group_after_among_is_the_population(runtime):
    frame = _credit()
    foreign = frame[frame["foreign_worker"] == "yes"]
    business = int((foreign["purpose"] == "business").sum())
    reply = _ask(runtime, "what percentage of loans are for purpose business among foreign workers")
    assert not reply.cannot and reply.invented == (), reply.answer
    assert (reply.rows[0]["matching rows"], reply.rows[0]["rows"]) == (business, len(foreign)), reply.answer


def test_a_share_written_after_the_verb_alone_is_still_of_every_row(runtime):
    frame = _credit()
    business = int((frame["purpose"] == "business").sum())
    reply = _ask(runtime, "what percentage of loans are for purpose business")
    assert (reply.rows[0]["matching rows"], reply.rows[0]["rows"]) == (business, len(frame)), reply.answer


def test_a_share_for_a_group_by_another_column_is_each_groups_rate_within_the_group(runtime):
    frame = _credit()
    own = frame[frame["housing"] == "own"]
    rates = (own["class"] == "bad").groupby(own["purpose"]).agg(["sum", "count"])
    reply = _ask(runtime, "what % of loans are bad for applicants with own housing by purpose")
    assert not reply.cannot and reply.invented == (), reply.answer
    assert {r["purpose"]: (r["matching rows"], r["rows"]) for r in reply.rows} == {
        p: (int(r["sum"]), int(r["count"])) for p, r in rates.iterrows()}

"""Several datasets stored and one named in the question: that one answers, its name's words ("train", "new") are
no column or value, and the reply says which dataset it used. Before, "how many rows does loans_train have?" was
answered against ai4i_new (more column words matched there) and refused over the word 'train'."""
import numpy as np
import pandas as pd
import pytest

from services import assistant
from tests.support import first_value, runtime_with_tables

rng = np.random.default_rng(11)
N = 240
LOANS = pd.DataFrame({"checking_status": rng.choice(["<0", "0<=X<200", "no checking"], N),
                      "purpose": rng.choice(["new car", "education", "radio/tv"], N),
                      "credit_amount": rng.integers(250, 9000, N), "default": rng.choice([0, 1], N, p=[.7, .3])})
CODED = LOANS.assign(default=LOANS["default"] + 1)  # 1 and 2: which one is "default" is not the data's to say
MACHINES = pd.DataFrame({"UDI": np.arange(1, N + 1), "Type": rng.choice(["L", "M", "H"], N),
                         "Rotational speed [rpm]": rng.integers(1200, 2800, N),
                         "Torque [Nm]": rng.normal(40, 10, N).round(1), "Tool wear [min]": rng.integers(0, 250, N),
                         "Machine failure": rng.choice([0, 1], N, p=[.85, .15]), "TWF": rng.choice([0, 1], N)})


@pytest.fixture(scope="module")
def runtime(tmp_path_factory):
    # ai4i_new last: without a name in the question, ties and column words favoured it
    return runtime_with_tables(tmp_path_factory.mktemp("naming") / "var", {
        "loans_train": LOANS, "loans_coded": CODED, "ai4i_new": MACHINES})


def _ask(rt, question, dataset=None):
    return assistant.answer(rt, question, user="ana", dataset=dataset)


def test_the_dataset_named_is_the_one_used_and_the_reply_says_so(runtime):
    for question in ("How many rows does loans_train have?", "how many rows in Loans Train?"):
        reply = _ask(runtime, question)
        assert reply.dataset == "loans_train" and first_value(reply) == N and "loans_train" in reply.answer
    reply = _ask(runtime, "what is the average credit amount in loans_coded")
    assert reply.dataset == "loans_coded" and first_value(reply) == pytest.approx(CODED.credit_amount.mean())


def test_a_rate_of_a_0_1_outcome_by_a_column_in_a_named_dataset(runtime):
    reply = _ask(runtime, "default rate by checking_status in loans_train")
    assert reply.dataset == "loans_train", reply.answer
    got = {r["checking_status"]: r[next(k for k in r if k.startswith("%"))] for r in reply.rows}
    want = LOANS.groupby("checking_status")["default"].mean() * 100
    assert got == pytest.approx(want.to_dict())
    assert not _ask(runtime, "default rate by checking_status in loans_train", dataset="loans_train").cannot


def test_a_rate_of_a_1_2_outcome_names_both_values_instead_of_guessing(runtime):
    reply = _ask(runtime, "default rate by checking_status in loans_coded")
    assert reply.cannot and "default 1" in reply.answer and "default 2" in reply.answer


def test_failed_reads_the_0_1_failure_column_and_torque_its_column(runtime):
    reply = _ask(runtime, "average torque for machines that failed")
    assert reply.dataset == "ai4i_new"
    failed = MACHINES[MACHINES["Machine failure"] == 1]
    assert first_value(reply) == pytest.approx(failed["Torque [Nm]"].mean())
    assert first_value(_ask(runtime, "average torque in ai4i_new for machines that did not fail")) == \
        pytest.approx(MACHINES.loc[MACHINES["Machine failure"] == 0, "Torque [Nm]"].mean())

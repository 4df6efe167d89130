"""Typos and short names: "how many machines faild", "what's the avg process temp", "defualt rate by purpose",
"housing ownn". They were refused as unknown words (or "no numeric column matches 'torqe'"); a word that names
nothing is now read as the one column word, value or question word it is closest to, and the reply says so. Two
equally close readings are refused, naming both; a word close to nothing ("young") stays refused."""
import numpy as np
import pandas as pd
import pytest

from services import assistant
from tests.support import runtime_with_tables


def _machines() -> pd.DataFrame:
    rng = np.random.default_rng(3)
    rows = 120
    return pd.DataFrame({"Type": rng.choice(["L", "M", "H"], rows),
                         "Air temperature [K]": rng.normal(298, 2, rows).round(1),
                         "Process temperature [K]": rng.normal(309, 1.5, rows).round(1),
                         "Torque [Nm]": rng.normal(40, 9, rows).round(1),
                         "Machine failure": (rng.random(rows) < 0.1).astype(int)})


def _credit() -> pd.DataFrame:
    rng = np.random.default_rng(4)
    rows = 150
    return pd.DataFrame({"housing": rng.choice(["own", "rent"], rows), "purpose": rng.choice(["business", "car"], rows),
                         "class": rng.choice(["good", "bad"], rows, p=[0.7, 0.3])})


@pytest.fixture(scope="module")
def runtime(tmp_path_factory):
    tables = {"machines": _machines(), "credit": _credit(),
              "awards": pd.DataFrame({"price": [20.0, 22.5, 21.0], "prize": [120, 95, 130]})}
    return runtime_with_tables(tmp_path_factory.mktemp("typos") / "var", tables)


def _ask(runtime, question, dataset):
    return assistant.answer(runtime, question, user="ana", dataset=dataset, save=False)


def test_a_misspelt_verb_is_read_and_said(runtime):
    reply = _ask(runtime, "how many machines faild", "machines")
    assert not reply.cannot and reply.invented == (), reply.answer
    assert reply.answer.startswith("Reading 'faild' as 'failed'."), reply.answer
    assert reply.rows[0]["rows"] == int(_machines()["Machine failure"].sum())


def test_a_short_name_is_read_as_the_column_word_it_begins(runtime):
    reply = _ask(runtime, "what's the avg process temp", "machines")
    assert reply.answer.startswith("Reading 'temp' as 'temperature'."), reply.answer
    assert reply.rows[0]["average Process temperature [K]"] == pytest.approx(
        _machines()["Process temperature [K]"].mean())


def test_a_misspelt_column_groups(runtime):
    reply = _ask(runtime, "average torqe by tpye", "machines")
    means = _machines().groupby("Type")["Torque [Nm]"].mean()
    assert reply.answer.startswith("Reading 'torqe' as 'torque', 'tpye' as 'type'."), reply.answer
    assert {r["Type"]: r["average Torque [Nm]"] for r in reply.rows} == pytest.approx(means.to_dict())


def test_a_misspelt_rate_word_and_value(runtime):
    frame = _credit()
    reply = _ask(runtime, "defualt rate by purpose", "credit")
    rates = (frame["class"] == "bad").groupby(frame["purpose"]).sum()
    assert reply.answer.startswith("Reading 'defualt' as 'default'."), reply.answer
    assert {r["purpose"]: r["matching rows"] for r in reply.rows} == rates.to_dict()
    reply = _ask(runtime, "how many applicants have housing ownn", "credit")
    assert reply.answer.startswith("Reading 'ownn' as 'own'."), reply.answer
    assert reply.rows[0]["rows"] == int((frame["housing"] == "own").sum())


def test_two_equally_close_readings_are_refused_naming_both(runtime):
    reply = _ask(runtime, "average prise", "awards")
    assert reply.cannot and "'price' or 'prize'" in reply.answer, reply.answer


def test_a_word_close_to_nothing_stays_refused(runtime):
    reply = _ask(runtime, "how many young applicants are bad", "credit")
    assert reply.cannot and "'young'" in reply.answer, reply.answer

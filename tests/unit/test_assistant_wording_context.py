"""A language model's wording that drops the column or dataset the answer names is set aside: a browser pass got
"The answer is 40." for "There are 40 distinct values of unit. (dataset: Sample: engine histories)" and "There are
300 rows where credit_risk = bad." without the dataset the reply had picked. Fake models, exact words."""
import pandas as pd
import pytest

from services import assistant, datasets
from tests.support import FixedLLM, make_runtime


@pytest.fixture(scope="module")
def rt(tmp_path_factory):
    runtime = make_runtime(tmp_path_factory.mktemp("context") / "var")
    engines = pd.DataFrame({"unit": [u for u in range(1, 41) for _ in range(3)], "cycle": [1, 2, 3] * 40})
    credit = pd.DataFrame({"credit_risk": ["bad"] * 3 + ["good"] * 7, "age": range(20, 30)})
    for name, frame in (("Sample: engine histories", engines), ("Sample: credit applicants", credit)):
        datasets.import_dataset(runtime, frame.to_csv(index=False).encode(), filename="f.csv", name=name, user="ana")
    return runtime


@pytest.mark.parametrize("question, wording", [
    ("How many units are in the engine histories sample?", "The answer is 40."),
    ("How many applicants have credit risk bad in credit applicants?", "There are 3 rows where credit_risk = bad."),
])
def test_a_wording_without_the_column_or_dataset_is_set_aside(rt, question, wording):
    reply = assistant.answer(rt, question, user="ana", llm=FixedLLM(wording), save=False)
    assert not reply.llm_used
    assert reply.answer == reply.template and "(dataset: Sample: " in reply.answer


def test_a_wording_without_any_column_is_set_aside_with_the_dataset_picked(rt):
    reply = assistant.answer(rt, "How many engines are there?", user="ana", dataset="Sample: engine histories",
                             llm=FixedLLM("The answer is 40, over 120 rows."), save=False)
    assert reply.template == "There are 40 distinct values of unit (over 120 rows)."
    assert not reply.llm_used and reply.answer == reply.template


def test_a_wording_that_keeps_them_stands(rt):  # and "Store 2 sold 200 in total." (sales said as "sold")
    wording = "Sample: engine histories has 40 distinct values of unit, over 120 rows."
    reply = assistant.answer(rt, "How many units are in the engine histories sample?", user="ana",
                             llm=FixedLLM(wording), save=False)
    assert reply.template.startswith("There are 40 distinct values of unit (over 120 rows).")
    assert reply.llm_used and reply.answer == wording

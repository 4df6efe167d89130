"""A QA pass on German credit (OpenML credit-g names: `class` good/bad, `age`, `job`): "how many young applicants are
bad risk" answered 300, every bad applicant, "young" dropped beside the condition `class = bad`. A word right before
what the rows are picks some of them; with no column or value for it the question is refused."""
import pandas as pd
import pytest

from tests.support import asked, runtime_with_tables

CREDIT = pd.DataFrame({"age": [22, 67, 35, 24, 51, 29, 45, 33], "job": ["skilled", "unskilled resident"] * 4,
                       "class": ["bad", "good", "bad", "bad", "good", "good", "bad", "good"]})


@pytest.fixture(scope="module")
def rt(tmp_path_factory):
    return runtime_with_tables(tmp_path_factory.mktemp("rowwords") / "var", {"credit": CREDIT})


@pytest.mark.parametrize("question, word", [("how many young applicants are bad", "young"),
                                            ("how many rich customers have class bad", "rich")])
def test_a_word_picking_the_rows_is_not_dropped(rt, question, word):
    reply = asked(rt, question, "credit", refused=True)
    assert f"'{word}'" in reply.answer and not reply.rows, reply.answer


def test_values_and_plain_row_words_are_still_answered(rt):
    assert asked(rt, "how many skilled applicants are bad", "credit").rows == [{"rows": 3}]
    assert asked(rt, "how many applicants are bad", "credit").rows == [{"rows": 4}]
    assert asked(rt, "how many loan applicants are bad", "credit").rows == [{"rows": 4}]

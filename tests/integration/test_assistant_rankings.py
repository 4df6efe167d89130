"""Rankings and statistics end to end on a catalogue-shaped table: a blank group never wins, and how
many rows had no value is said; years read as years."""
import numpy as np
import pandas as pd
import pytest

from services import assistant, datasets
from tests.support import make_runtime

rng = np.random.default_rng(7)
TITLES = pd.DataFrame({"show_id": [f"s{i}" for i in range(300)],
                       "director": [None] * 120 + list(rng.choice(["Jan Suter", "Ava Duvernay", "Raul Campos"], 180)),
                       "release_year": rng.integers(1960, 2022, 300),
                       "rating": rng.choice(["R", "PG-13", "TV-MA"], 300)})


@pytest.fixture(scope="module")
def runtime(tmp_path_factory):
    rt = make_runtime(tmp_path_factory.mktemp("rankings") / "var")
    datasets.import_dataset(rt, TITLES.to_csv(index=False).encode(), filename="titles.csv", name="titles",
                            user="ana")
    return rt


def _ask(rt, question):
    return assistant.answer(rt, question, user="ana", dataset="titles", save=False)


def test_a_blank_group_does_not_win_which_has_most_and_the_blanks_are_counted(runtime):
    reply = _ask(runtime, "which director has the most titles?")
    counts = TITLES.director.value_counts()
    assert [r["director"] for r in reply.rows][:1] == [counts.idxmax()], reply.answer
    assert None not in [r["director"] for r in reply.rows]  # the groups ranked after it: no blank one either
    assert "None" not in reply.answer and "120 rows with no director are left out" in reply.answer


def test_a_blank_group_is_left_out_of_top_n(runtime):
    reply = _ask(runtime, "top 2 directors by number of titles")
    assert [r["director"] for r in reply.rows] == list(TITLES.director.value_counts().index[:2]), reply.answer
    assert "120 rows with no director" in reply.answer


def test_the_oldest_release_year_is_the_minimum_written_as_a_year(runtime):
    reply = _ask(runtime, "what is the oldest release year?")
    assert reply.rows == [{"minimum release_year": int(TITLES.release_year.min())}]
    assert f"is {TITLES.release_year.min()}." in reply.answer and not reply.invented

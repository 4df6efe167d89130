"""A table of readings, one row per engine and cycle (NASA C-MAPSS shape): "how many engines are there" counted the
rows; "the longest engine life in cycles" was refused over 'life' (a unit's life is its largest cycle); "how many
engines … and what is the longest life in cycles?" was refused as if 'time_in_cycles' were rows to count."""
import pandas as pd
import pytest

from services import assistant, datasets
from tests.support import make_runtime

LIVES = {1: 5, 2: 8, 3: 3, 4: 8}  # unit_number: its last cycle


@pytest.fixture(scope="module")
def rt(tmp_path_factory):
    runtime = make_runtime(tmp_path_factory.mktemp("lives") / "var")
    rows = [(u, c, 640.0 + c) for u, last in LIVES.items() for c in range(1, last + 1)]
    frame = pd.DataFrame(rows, columns=["unit_number", "time_in_cycles", "s_2"])
    datasets.import_dataset(runtime, frame.to_csv(index=False).encode(), filename="train_FD001.csv",
                            name="train_FD001", user="ana")
    return runtime


def _ask(rt, question):
    return assistant.answer(rt, question, user="ana", save=False)


def test_engines_are_the_distinct_units_not_the_rows(rt):
    reply = _ask(rt, "How many engines are there?")
    assert not reply.cannot and reply.invented == ()
    assert reply.answer.startswith("There are 4 distinct values of unit_number (over 24 rows)."), reply.answer


def test_the_longest_life_is_the_largest_last_cycle_with_its_units(rt):
    lives = pd.Series(LIVES)
    reply = _ask(rt, "What is the longest engine life in cycles?")
    assert not reply.cannot and reply.invented == (), reply.answer
    assert [r["unit_number"] for r in reply.rows] == sorted(lives[lives == lives.max()].index)  # 2 and 4 tie at 8
    assert reply.answer.startswith("The longest life is 8 (time_in_cycles, a unit_number's largest), of unit_number "
                                   "2, 4."), reply.answer
    average = _ask(rt, "average engine life")
    assert average.rows[0]["average life"] == pytest.approx(lives.mean())


def test_two_questions_at_once_are_refused_naming_both(rt):
    reply = _ask(rt, "How many engines are there and what is the longest life in cycles?")
    assert reply.cannot
    assert "asks two things at once" in reply.answer and "'how many engines are there?'" in reply.answer
    assert "'what is the longest life in cycles?'" in reply.answer and "holds an amount" not in reply.answer


def test_units_with_a_reading_past_a_value_are_counted_as_units_with_their_rows(rt):
    """"How many units have s_2 above 646" counted the rows (said as rows): units 1, 2 and 4 reach 646+ (6, 8, 8
    cycles: 640 + cycle), unit 3 (3 cycles) does not; each unit is listed with its readings past the value."""
    frame = pd.DataFrame([(u, c, 640.0 + c) for u, last in LIVES.items() for c in range(1, last + 1)],
                         columns=["unit", "cycle", "s_2"])
    beyond = frame[frame["s_2"] > 645.5].groupby("unit")["s_2"].agg(["count", "max"])
    reply = _ask(rt, "How many units have s_2 above 645.5?")
    assert not reply.cannot and reply.invented == (), reply.answer
    assert reply.answer.startswith(f"{len(beyond)} of the 4 values of unit_number have at least one reading with s_2 "
                                   "above 645.5"), reply.answer
    assert [(r["unit_number"], r["readings above 645.5"], r["highest s_2"]) for r in reply.rows] == \
        [(u, n, m) for u, (n, m) in beyond.iterrows()]
    low = _ask(rt, "how many engines had s_2 below 642 at any point")
    assert low.answer.startswith("4 of the 4 values of unit_number have at least one reading with s_2 below 642")
    none = _ask(rt, "How many engines have s_2 above 700?")
    assert none.answer.startswith("None of the 4 values of unit_number has a reading with s_2 above 700.")
    assert not none.cannot and none.invented == ()


def test_the_training_data_is_the_dataset_named_train(tmp_path):
    """A browser pass on real FD001: "the longest engine life in the training data" read the newest table, the test
    file's histories cut before failure (303, unit 49, where training's is 362), and "how many engines are in the
    training data" was refused."""
    runtime = make_runtime(tmp_path / "var")
    lives = pd.DataFrame([(u, c) for u, last in LIVES.items() for c in range(1, last + 1)],
                         columns=["unit_number", "time_in_cycles"])
    cut = pd.DataFrame([(u, c) for u in range(1, 7) for c in range(1, 3 + u)],
                       columns=["unit_number", "time_in_cycles"])
    for name, frame in (("train_FD001", lives), ("test_FD001", cut)):  # the test file stored last
        datasets.import_dataset(runtime, frame.to_csv(index=False).encode(), filename=f"{name}.csv", name=name,
                                user="ana")
    longest = _ask(runtime, "What is the longest engine life in the training data?")
    assert longest.answer.startswith("The longest life is 8 (time_in_cycles"), longest.answer
    assert "train_FD001" in longest.answer and not longest.cannot
    engines = _ask(runtime, "How many engines are in the training data?")
    assert engines.answer.startswith("There are 4 distinct values of unit_number"), engines.answer
    tested = _ask(runtime, "How many engines are in the test set?")
    assert tested.answer.startswith("There are 6 distinct values of unit_number"), tested.answer

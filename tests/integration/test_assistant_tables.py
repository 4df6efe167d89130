"""Table questions the browser pass refused or answered in part: a dataset named in the question over the one
chosen, groups ranked by their mean per day, and a flag compared with its negation ("failed vs not failed")."""
import numpy as np
import pandas as pd
import pytest

from services import assistant, datasets
from tests.support import make_runtime


def _frames():
    rng = np.random.default_rng(0)
    days = pd.date_range("2017-01-01", periods=20).strftime("%Y-%m-%d")
    fav = pd.DataFrame([{"date": d, "store_nbr": s, "family": f, "sales": round(float(rng.uniform(0, 10) + base), 2),
                         "onpromotion": int(rng.integers(0, 5))}
                        for d in days for s in (1, 2) for f, base in (("BREAD", 5), ("GROCERY I", 40), ("DAIRY", 20))])
    fav.insert(0, "id", range(len(fav)))  # the Favorita training file's shape
    wear = [10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 110, 120]
    machines = pd.DataFrame({"UDI": range(1, 13), "Tool wear [min]": wear,
                             "Machine failure": [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 0, 1]})
    to_score = machines.drop(columns=["Machine failure"]).head(5)  # newer, same columns less the outcome
    return {"fav": fav, "machines": machines, "to_score": to_score}


FRAMES = _frames()


@pytest.fixture
def runtime(tmp_path):
    rt = make_runtime(tmp_path / "var")
    for name, frame in FRAMES.items():
        datasets.import_dataset(rt, frame.to_csv(index=False).encode(), filename=f"{name}.csv", name=name, user="ana")
    return rt


def _ask(rt, question, dataset="machines"):
    return assistant.answer(rt, question, user="ana", dataset=dataset, save=False)


def test_a_dataset_named_in_the_question_is_read_over_the_one_chosen(runtime):
    reply = _ask(runtime, "how many rows does fav have?")  # was refused: 'fav' no column of the chosen table
    assert reply.rows == [{"rows": 120}] and reply.answer == "There are 120 rows. (dataset: fav)"


def test_which_group_sells_the_most_on_average_per_day_ranks_the_groups(runtime):
    reply = _ask(runtime, "in fav, which family sells the most on average per day?")  # was the overall daily average
    # two stores a day: a family's day is the sum of its stores, averaged over the days (was the per-store mean)
    means = FRAMES["fav"].groupby(["family", "date"])["sales"].sum().groupby("family").mean()
    assert reply.rows[0]["family"] == means.idxmax() == "GROCERY I"
    assert reply.rows[0]["average daily sales"] == pytest.approx(means.max())
    assert "(summed per day over 20 days, then averaged)" in reply.answer


def test_a_flag_and_its_negation_answer_both_groups(runtime):
    reply = _ask(runtime, "average tool wear for failed machines vs not failed")  # was the not-failed group only
    expected = FRAMES["machines"].groupby("Machine failure")["Tool wear [min]"].mean()
    got = {r["Machine failure"]: r["average Tool wear [min]"] for r in reply.rows}
    assert got == pytest.approx(expected.to_dict()) and set(got) == {0, 1}


def test_a_best_match_that_cannot_answer_gives_way_to_an_equal_match_that_can(runtime):
    """The newest table with tool wear has no failure flag: it refused where the older one answers."""
    reply = _ask(runtime, "average tool wear for failed machines vs not failed", dataset=None)
    assert reply.answer.endswith("(dataset: machines)") and len(reply.rows) == 2
    assert _ask(runtime, "how many rows have tool wear over 30?", dataset=None).answer == \
        "There are 2 rows where Tool wear [min] > 30. (dataset: to_score)"

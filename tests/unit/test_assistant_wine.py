"""Fresh-eyes QA on a UCI-wine-quality-shaped table (red wine: 11 measurements and a 3-8 `quality` score): "which
quality has the highest pH" (or alcohol) added each group's values up, so the most common score won; "what is the pH
of the wine with the highest alcohol" grouped by pH; "what is the alcohol of the best wine" gave MAX(alcohol); and
"what is the most common quality" was refused ('common'), where a text column's mode was answered."""
import numpy as np
import pandas as pd
import pytest

from tests.support import asked, runtime_with_tables

rng = np.random.default_rng(29)
N = 600
WINE = pd.DataFrame({"fixed acidity": np.round(rng.normal(8.3, 1.7, N), 1),
                     "volatile acidity": np.round(rng.normal(0.53, 0.18, N), 3),
                     "residual sugar": np.round(rng.gamma(2, 1.2, N), 1),
                     "density": np.round(rng.normal(0.9967, 0.0019, N), 5),
                     "pH": np.round(rng.normal(3.31, 0.15, N), 2),
                     "alcohol": np.round(rng.normal(10.4, 1.07, N), 1),
                     "quality": rng.choice([3, 4, 5, 6, 7, 8], N, p=[0.01, 0.04, 0.43, 0.39, 0.12, 0.01])})


@pytest.fixture(scope="module")
def rt(tmp_path_factory):
    return runtime_with_tables(tmp_path_factory.mktemp("wine") / "var", {"wine": WINE})


def test_concentrations_rank_groups_by_their_average(rt):
    for column in ("pH", "alcohol"):
        means = WINE.groupby("quality")[column].mean()
        reply = asked(rt, f"which quality has the highest {column}", "wine")  # was the total: quality 5 won
        assert reply.rows[:1] == [{"quality": means.idxmax(), f"average {column}": pytest.approx(means.max())}], column


def test_a_column_of_the_row_with_the_highest_measure(rt):
    best = WINE.loc[WINE.alcohol == WINE.alcohol.max()]
    reply = asked(rt, "what is the pH of the wine with the highest alcohol", "wine")  # grouped by pH
    assert sorted(r["pH"] for r in reply.rows) == sorted(best.pH)
    assert {r["alcohol"] for r in reply.rows} == {WINE.alcohol.max()}


def test_best_with_a_column_asked_of_it_is_refused(rt):
    reply = asked(rt, "what is the alcohol of the best wine", "wine", refused=True)  # was MAX(alcohol)
    assert "'best' by what?" in reply.answer


def test_the_most_common_value_of_a_number_column(rt):
    counts = WINE.quality.value_counts()
    reply = asked(rt, "what is the most common quality", "wine")  # was refused: 'common'
    assert reply.rows[:1] == [{"quality": counts.idxmax(), "count": counts.max()}]
    reply = asked(rt, "least common quality", "wine")
    fewest = sorted(counts[counts == counts.min()].index)
    assert reply.rows[:len(fewest)] == [{"quality": q, "count": counts.min()} for q in fewest]

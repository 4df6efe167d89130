"""Blank cells and implied columns: "how many medals" where Medal is blank on most rows counts the rows with a
medal (it answered "3 distinct values of Medal"), "athletes without a medal" counts the blank ones, "the cheapest
listing" is the row with the lowest price, "more than 50 reviews" reads the count column. Checked with pandas."""
import re

import numpy as np
import pandas as pd
import pytest

from services import assistant
from tests.support import runtime_with_tables

CANNOT = "I cannot answer that from the data"
rng = np.random.default_rng(11)
N = 600
ATHLETES = pd.DataFrame({"Name": [f"Athlete {i}" for i in range(N)],
                         "Team": rng.choice(["United States", "Kenya", "Japan"], N),
                         "Age": rng.integers(16, 40, N).astype(float),
                         "Medal": rng.choice([None, "Gold", "Silver", "Bronze"], N, p=[0.8, 0.07, 0.07, 0.06])})
ATHLETES["Prize"] = np.where(ATHLETES.Medal.isna(), np.nan, rng.integers(100, 1000, N))
LISTINGS = pd.DataFrame({"name": [f"Listing {i}" for i in range(N)],
                         "price": [f"${p:,.2f}" for p in rng.integers(30, 900, N)],
                         "number_of_reviews": rng.poisson(40, N),
                         "reviews_per_month": rng.gamma(1, 1.5, N).round(2),
                         "last_review": [None if rng.random() < 0.3 else f"2023-0{rng.integers(1, 9)}-15"
                                         for _ in range(N)]})
TRACKS = pd.DataFrame({"track_name": [f"Song {i}" for i in range(N)], "duration_ms": rng.integers(90_000, 400_000, N),
                       "genre": rng.choice(["pop", "rock"], N)})


@pytest.fixture(scope="module")
def runtime(tmp_path_factory):
    return runtime_with_tables(tmp_path_factory.mktemp("blanks") / "var", {
        "athletes": ATHLETES, "listings": LISTINGS, "tracks": TRACKS})


def ask(runtime, question: str, dataset: str):
    return assistant.answer(runtime, question, user="ana", dataset=dataset, save=False)


def number(text: str) -> float:
    return float(re.search(r"(\d[\d,]*(?:\.\d+)?)", text).group(1).replace(",", ""))


def test_counting_a_mostly_blank_column_counts_the_rows_with_a_value(runtime):
    reply = ask(runtime, "how many medals did the United States win?", "athletes")
    expected = (ATHLETES.Medal.notna() & (ATHLETES.Team == "United States")).sum()
    assert not reply.cannot and number(reply.answer) == expected
    assert "distinct" not in reply.answer and "rows with no Medal are not counted" in reply.answer
    distinct = ask(runtime, "how many distinct medals are there?", "athletes")
    assert number(distinct.answer) == 3  # asked for its values: still the distinct count


def test_ranking_by_a_mostly_blank_column_counts_its_filled_rows(runtime):
    reply = ask(runtime, "which team won the most medals?", "athletes")
    counts = ATHLETES[ATHLETES.Medal.notna()].groupby("Team").size()
    assert not reply.cannot and counts.idxmax() in reply.answer and f"({counts.max()})" in reply.answer
    gold = ask(runtime, "which team won the most gold medals?", "athletes")
    golds = ATHLETES[ATHLETES.Medal == "Gold"].groupby("Team").size()
    assert not gold.cannot and golds.idxmax() in gold.answer and f"({golds.max()})" in gold.answer


def test_without_a_value_counts_the_blank_rows(runtime):
    reply = ask(runtime, "how many athletes without a medal?", "athletes")
    assert not reply.cannot and number(reply.answer) == ATHLETES.Medal.isna().sum()
    assert "Medal is blank" in reply.answer
    won = ask(runtime, "how many athletes won a medal?", "athletes")
    assert not won.cannot and number(won.answer) == ATHLETES.Medal.notna().sum()
    dated = ask(runtime, "how many listings have a last review?", "listings")
    assert not dated.cannot and number(dated.answer) == LISTINGS.last_review.notna().sum()
    average = ask(runtime, "average age of athletes without a medal", "athletes")
    assert not average.cannot and number(average.answer) == round(ATHLETES.Age[ATHLETES.Medal.isna()].mean(), 2)


def test_an_average_of_a_mostly_blank_column_says_it_skips_blanks(runtime):
    reply = ask(runtime, "average prize", "athletes")
    assert not reply.cannot and number(reply.answer) == round(ATHLETES.Prize.mean(), 2)
    assert "Prize is not blank" in reply.answer
    assert "not blank" not in ask(runtime, "average age", "athletes").answer  # a filled column: nothing to say


def test_oldest_athlete_is_the_largest_age(runtime):
    for question in ("oldest athlete age", "age of the oldest athlete"):
        reply = ask(runtime, question, "athletes")
        assert not reply.cannot and number(reply.answer) == ATHLETES.Age.max(), question


def test_cheapest_and_longest_name_the_row(runtime):
    prices = LISTINGS.price.str.replace(r"[$,]", "", regex=True).astype(float)
    reply = ask(runtime, "what is the cheapest listing?", "listings")
    assert not reply.cannot and LISTINGS.name[prices.idxmin()] in reply.answer
    assert reply.rows[0]["name"] == LISTINGS.name[prices.idxmin()] and "number_of_reviews" in reply.rows[0]
    longest = ask(runtime, "what is the longest track?", "tracks")
    assert not longest.cannot and TRACKS.track_name[TRACKS.duration_ms.idxmax()] in longest.answer


def test_a_word_two_columns_hold_takes_the_count_column_and_says_so(runtime):
    reply = ask(runtime, "how many listings have more than 45 reviews?", "listings")
    assert not reply.cannot and number(reply.answer) == (LISTINGS.number_of_reviews > 45).sum()
    assert "number_of_reviews" in reply.answer and "reviews_per_month" in reply.answer

"""Rankings of N groups asked with "which N …", the period of an extreme asked with "when", columns named without
their `_type_id` suffix or as a hospital "stay", ids left out of the measures a refusal offers, and levels (delays,
durations) averaged rather than summed (a QA pass against pandas on store-item-, hospital- and flights-shaped
tables): each question here was refused, answered without what it asked, or answered with a sum of levels."""
import numpy as np
import pandas as pd
import pytest

from tests.support import ask, first_value, runtime_with_tables

rng = np.random.default_rng(21)
N = 400
DAYS = pd.date_range("2017-01-01", periods=40, freq="D")
SALES = pd.DataFrame({"date": np.repeat(DAYS, 10).strftime("%Y-%m-%d"), "store": np.tile(np.repeat([1, 2], 5), 40),
                      "item": np.tile([1, 2, 3, 4, 5], 80), "sales": rng.integers(5, 60, N)})
STAYS = pd.DataFrame({"patient_nbr": rng.integers(10_000, 99_999, N), "gender": rng.choice(["Female", "Male"], N),
                      "admission_type_id": rng.choice([1, 2, 3, 5], N), "time_in_hospital": rng.integers(1, 15, N),
                      "num_medications": rng.integers(1, 40, N)})
FLIGHTS = pd.DataFrame({"YEAR": 2015, "MONTH": rng.integers(1, 5, N), "DAY": rng.integers(1, 29, N),
                        "DESTINATION_AIRPORT": rng.choice(["SEA", "LAX", "DEN"], N),
                        "DEPARTURE_DELAY": rng.normal(8, 25, N).round()})


@pytest.fixture(scope="module")
def runtime(tmp_path_factory):
    return runtime_with_tables(tmp_path_factory.mktemp("levels") / "var",
                               {"sales": SALES, "stays": STAYS, "flights": FLIGHTS})


def test_which_n_things_the_most_is_a_ranking_of_n_groups(runtime):
    reply = ask(runtime, "sales", "which 3 items sold the most?")  # refused: "could not apply '3 items'"
    totals = SALES.groupby("item").sales.sum().sort_values(ascending=False)
    assert [r["item"] for r in reply.rows[:3]] == list(totals.index[:3]), reply.answer
    assert first_value(reply) == totals.index[0]
    reply = ask(runtime, "sales", "what 2 items have the lowest average sales?")
    means = SALES.groupby("item").sales.mean().sort_values()
    assert [r["item"] for r in reply.rows[:2]] == list(means.index[:2]), reply.answer


def test_when_names_the_period_of_the_extreme_first(runtime):
    daily = SALES.groupby("date").sales.sum()
    reply = ask(runtime, "sales", "what was the highest daily sales and when?")  # gave 566 without the day
    assert daily.idxmax() in reply.answer, reply.answer
    assert str(reply.rows[0]["day"])[:10] == daily.idxmax(), reply.query
    assert list(reply.rows[0].values())[1] == daily.max()


def test_a_type_id_column_is_named_without_its_suffix_and_a_stay_is_the_time_in_hospital(runtime):
    reply = ask(runtime, "stays", "Which admission type has the longest average stay?")  # refused: no 'admission'
    means = STAYS.groupby("admission_type_id").time_in_hospital.mean()
    assert first_value(reply) == means.idxmax(), reply.answer
    reply = ask(runtime, "stays", "what is the average length of stay?")
    assert first_value(reply) == pytest.approx(STAYS.time_in_hospital.mean()), reply.answer


def test_ids_are_not_offered_as_numeric_columns(runtime):
    reply = ask(runtime, "stays", "what is the average weight?")
    assert reply.cannot and "num_medications" in reply.answer, reply.answer
    assert "patient_nbr" not in reply.answer and "admission_type_id" not in reply.answer


def test_a_delay_over_conditions_with_no_statistic_is_its_average(runtime):
    reply = ask(runtime, "flights", "departure delay for flights to SEA in March")  # was the sum
    rows = FLIGHTS[(FLIGHTS.DESTINATION_AIRPORT == "SEA") & (FLIGHTS.MONTH == 3)]
    assert first_value(reply) == pytest.approx(rows.DEPARTURE_DELAY.mean()), reply.query

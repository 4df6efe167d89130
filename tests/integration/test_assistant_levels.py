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
                        "AIRLINE": rng.choice(["AA", "DL", "UA", "WN"], N),
                        "ORIGIN_AIRPORT": rng.choice(["ATL", "ORD", "DFW", "SEA"], N, p=[.4, .3, .2, .1]),
                        "DESTINATION_AIRPORT": rng.choice(["SEA", "LAX", "DEN"], N),
                        "DEPARTURE_DELAY": rng.normal(8, 25, N).round()})
VISITS = pd.DataFrame({"patient_id": rng.integers(1, 120, N),
                       "admission_type": rng.choice(["Emergency", "Elective"], N),
                       "readmitted": rng.choice(["NO", "<30", ">30"], N, p=[.5, .2, .3]),
                       "time_in_hospital": rng.integers(1, 15, N), "gender": rng.choice(["Female", "Male"], N)})


@pytest.fixture(scope="module")
def runtime(tmp_path_factory):
    return runtime_with_tables(tmp_path_factory.mktemp("levels") / "var",
                               {"sales": SALES, "stays": STAYS, "flights": FLIGHTS, "visits": VISITS,
                                "encounters": VISITS.rename(columns={"patient_id": "patient_nbr"})})


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


def test_highest_level_per_group_is_the_mean_and_max_asks_for_one_row(runtime):
    means, peaks = FLIGHTS.groupby("AIRLINE").DEPARTURE_DELAY.mean(), FLIGHTS.groupby("AIRLINE").DEPARTURE_DELAY.max()
    reply = ask(runtime, "flights", "which airline has the highest departure delay?")  # ranked by the largest row
    assert reply.rows[0] == {"AIRLINE": means.idxmax(), "average DEPARTURE_DELAY": pytest.approx(means.max())}
    assert "average DEPARTURE_DELAY" in reply.answer, reply.answer
    for question in ("which airline has the longest single departure delay?", "which airline has the max delay?"):
        reply = ask(runtime, "flights", question)
        assert reply.rows[0] == {"AIRLINE": peaks.idxmax(), "maximum DEPARTURE_DELAY": peaks.max()}, question
    stays = STAYS.groupby("admission_type_id").time_in_hospital.mean()
    assert first_value(ask(runtime, "stays", "which admission type has the longest stay?")) == stays.idxmax()


def test_patients_counted_are_distinct_patient_ids_and_say_so(runtime):
    reply = ask(runtime, "visits", "how many patients per admission type?")  # refused: rows are not patients
    expected = VISITS.groupby("admission_type").patient_id.nunique()
    assert {r["admission_type"]: r["distinct patient_id"] for r in reply.rows} == expected.to_dict(), reply.answer
    assert reply.answer.startswith("Distinct patient_id by admission_type"), reply.answer


def test_airports_alone_are_the_origin_unless_arriving_is_said(runtime):
    reply = ask(runtime, "flights", "which 3 airports have the most flights?")  # refused: two airport columns
    counts = FLIGHTS.ORIGIN_AIRPORT.value_counts()
    assert [r["ORIGIN_AIRPORT"] for r in reply.rows] == list(counts.index[:3]), reply.answer
    assert "ORIGIN_AIRPORT" in reply.answer
    reply = ask(runtime, "flights", "which airport has the most arriving flights?")
    arrivals = FLIGHTS.DESTINATION_AIRPORT.value_counts()
    assert reply.rows[:1] == [{"DESTINATION_AIRPORT": arrivals.idxmax(), "count": arrivals.max()}], reply.answer
    reply = ask(runtime, "flights", "which 2 destination airports have the most flights?")  # refused: '2'
    assert [r["DESTINATION_AIRPORT"] for r in reply.rows] == list(arrivals.index[:2]), reply.answer


def test_not_readmitted_is_the_no_value_of_a_three_valued_column(runtime):
    reply = ask(runtime, "visits", "how many visits were not readmitted?")  # refused: 'readmitted' unused
    assert first_value(reply) == (VISITS.readmitted == "NO").sum(), reply.answer
    assert "readmitted = NO" in reply.answer and "<30" in reply.answer, reply.answer
    reply = ask(runtime, "visits", "how many patients were not readmitted?")
    assert first_value(reply) == VISITS[VISITS.readmitted == "NO"].patient_id.nunique(), reply.answer
    reply = ask(runtime, "encounters", "how many female patients were not readmitted?")  # patient_nbr: refused
    women = VISITS[(VISITS.readmitted == "NO") & (VISITS.gender == "Female")]
    assert reply.rows == [{"distinct patient_nbr": women.patient_id.nunique()}], reply.answer


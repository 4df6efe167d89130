"""Pure assistant rules: normalisation, conditions, dates, number formatting and the invented-number check."""
from datetime import date

import pytest

from domain import assistant as rules
from domain import assistant_dates as dates_rules
from domain import assistant_grounding as grounding


def test_normalise_strips_accents_case_and_punctuation():
    assert rules.normalise("Málaga CF — Goals [Total]") == "malaga cf goals total"
    assert rules.normalise("sales of 12,345.5?") == "sales of 12345.5"


@pytest.mark.parametrize("text,op,value", [
    ("sales greater than 50", ">", 50), ("at least 3 goals", ">=", 3), ("fewer than 7 wins", "<", 7),
    ("older than 60", ">", 60), ("score <= 2.5", "<=", 2.5),
])
def test_comparisons(text, op, value):
    found = rules.comparisons(rules.normalise(text))
    assert [(c.op, c.value) for c in found] == [(op, value)]


def test_between_numbers_is_one_condition():
    (found,) = rules.comparisons("sales between 20 and 30")
    assert (found.op, found.value, found.upper) == ("between", 20, 30)


@pytest.mark.parametrize("text,start,end", [
    ("total in 2017", date(2017, 1, 1), date(2018, 1, 1)),
    ("between march and may 2016", date(2016, 3, 1), date(2016, 6, 1)),
    ("after 2016-06-01", date(2016, 6, 2), None),
    ("before 2016-02-01", None, date(2016, 2, 1)),
    ("sales in december 2017", date(2017, 12, 1), date(2018, 1, 1)),
])
def test_date_ranges_are_half_open(text, start, end):
    found = dates_rules.date_range(text)
    assert (found.start, found.end) == (start, end)


def test_format_number():
    assert rules.format_number(12345) == "12,345"
    assert rules.format_number(47.4123) == "47.41"
    assert rules.format_number(3.0) == "3"
    assert rules.format_number(0.012345) == "0.01235"


def test_invented_numbers_allows_rounding_but_not_new_numbers():
    evidence = '[{"avg": 47.4123}] SELECT ... WHERE "store" = 1'
    numbers = grounding.evidence_numbers(evidence)
    assert grounding.invented_numbers("The average for store 1 is 47.41.", numbers, evidence) == []
    assert grounding.invented_numbers("The average for store 1 is 48.", numbers, evidence) == ["48"]
    invented = grounding.invented_numbers("It rose by 12% since 2019-01-01.", numbers, evidence)
    assert sorted(invented) == ["12", "2019-01-01"]


def test_conditions_are_not_aggregates_and_follow_ups_are_short():
    assert [f for _, f, _ in rules.aggregate_words("more than 3 and at least 2")] == []
    assert [f for _, f, _ in rules.aggregate_words("the highest average sales")] == ["max", "avg"]
    assert rules.is_follow_up("And for store 3?") and rules.is_follow_up("what about 2016?")
    assert not rules.is_follow_up("what is the total sales for store 3 in 2016 across all items sold?")
    assert rules.top_k("top 3 items by sales") == (3, "desc") and rules.top_k("bottom 2 stores") == (2, "asc")


def test_data_shaped_what_is_questions_are_not_doc_questions():
    from domain import assistant as rules

    assert rules.looks_like_doc_question("What is PSI?")
    assert rules.looks_like_doc_question("What does WAPE mean?")
    assert not rules.looks_like_doc_question("What is the average profit?")
    assert not rules.looks_like_doc_question("what is the number of rows")


def test_which_n_is_a_ranking_and_delays_and_times_spent_are_levels():
    assert rules.top_k("which 3 items sold the most") == (3, "desc")
    assert rules.top_k("what 5 products had the lowest total sales") == (5, "asc")
    assert rules.top_k("which store sold the most in 2015") is None
    assert all(rules.is_level(c) for c in ("DEPARTURE_DELAY", "ArrDelay", "time_in_hospital", "length_of_stay"))
    assert not any(rules.is_level(c) for c in ("sales", "pickup_time", "stays_in_weekend_nights", "quantity"))

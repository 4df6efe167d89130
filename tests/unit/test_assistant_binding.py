"""Question -> plan on tables shaped like flights, HR, CRM and catalogue exports: values in several columns,
months without a year, conditions only a plan adds, which date column, years, "top N X by Y". Each case
was a wrong number stated as fact; the plan must be right or a refusal."""
from datetime import date
from pathlib import Path

import pytest

from services.assistant_followup import follow_up_parse
from services.assistant_intents import CannotAnswer, plan
from services.assistant_router import parse
from services.assistant_table import TableContext
from services.assistant_values import value_index


def _table(name, types, values, unique=()):
    return TableContext(name=name, view=name, path=Path("unused.parquet"), rows=1000, columns=tuple(types),
                        kinds={c: "numeric" if "INT" in t or "DOUBLE" in t else "text" for c, t in types.items()},
                        types=types, values=values, unique={c: c in unique for c in types})


FLIGHTS = _table("flights", {"FL_DATE": "DATE", "OP_CARRIER": "VARCHAR", "ORIGIN": "VARCHAR", "DEST": "VARCHAR",
                             "DEP_DELAY": "DOUBLE", "CANCELLED": "DOUBLE", "CANCELLATION_CODE": "VARCHAR"},
                 {"FL_DATE": [date(2019, 1, 1), date(2019, 12, 31)], "OP_CARRIER": ["WN", "DL"],
                  "ORIGIN": ["JFK", "LAX", "ATL"], "DEST": ["LAX", "JFK", "ORD"], "CANCELLED": [0.0, 1.0],
                  "CANCELLATION_CODE": ["A", "B"], "DEP_DELAY": [-3.0, 12.0]})
TWO_YEARS = _table("trips", {"Start Date": "DATE", "Start Station": "VARCHAR", "End Station": "VARCHAR",
                             "Minutes": "BIGINT"},
                   {"Start Date": [date(2022, 5, 1), date(2023, 7, 1)], "Start Station": ["Pier", "Park"],
                    "End Station": ["Park", "Pier"], "Minutes": [5, 30]})
HR = _table("staff", {"Age": "BIGINT", "Attrition": "BOOLEAN", "Department": "VARCHAR", "EducationField": "VARCHAR",
                      "Gender": "VARCHAR", "JobRole": "VARCHAR", "OverTime": "BOOLEAN", "MonthlyIncome": "BIGINT",
                      "WorkLifeBalance": "BIGINT", "EmployeeCount": "BIGINT", "EmployeeNumber": "BIGINT"},
            {"Attrition": [True, False], "Department": ["Sales", "Research & Development", "Human Resources"],
             "EducationField": ["Human Resources", "Medical"], "Gender": ["Male", "Female"],
             "JobRole": ["Manager", "Sales Executive"], "OverTime": [True, False], "WorkLifeBalance": [1, 2, 3, 4],
             "EmployeeCount": [1], "Age": list(range(18, 61))}, unique=("EmployeeNumber",))
CRM = _table("deals", {"Account Name": "VARCHAR", "Amount": "VARCHAR", "Stage": "VARCHAR", "Created Date": "DATE",
                       "Close Date": "DATE"},
             {"Account Name": ["Acme", "Wonka"], "Amount": ["$1,200.50", "$80.00", "$99.99"],
              "Stage": ["Closed Won", "Closed Lost"], "Created Date": [date(2022, 1, 3), date(2023, 5, 1)],
              "Close Date": [date(2022, 3, 1), date(2023, 9, 1)]})
TITLES = _table("titles", {"title": "VARCHAR", "type": "VARCHAR", "director": "VARCHAR", "date_added": "VARCHAR",
                           "release_year": "BIGINT", "rating": "VARCHAR"},
                {"type": ["Movie", "TV Show"], "director": ["Jan Suter", "Ava Duvernay"],
                 "date_added": ["September 25, 2021", "April 13, 2016"], "rating": ["R", "PG-13", "TV-MA"],
                 "release_year": [1960, 2021]}, unique=("title",))


def _plan(question, table):
    return plan(parse(question, table), table)


def _filters(chosen):
    return {(f.column, f.op, f.value if f.op != "between" else (f.value, f.upper)) for f in chosen.spec.filters}


@pytest.mark.parametrize("question,expected", [
    ("how many flights from JFK to LAX?", {("ORIGIN", "=", "JFK"), ("DEST", "=", "LAX")}),
    ("how many flights to LAX?", {("DEST", "=", "LAX")}),
    ("how many flights with origin JFK and destination LAX?", {("ORIGIN", "=", "JFK"), ("DEST", "=", "LAX")}),
    ("how many flights departing JFK arriving at LAX?", {("ORIGIN", "=", "JFK"), ("DEST", "=", "LAX")}),
])
def test_a_value_in_two_columns_goes_to_the_one_its_direction_word_names(question, expected):
    assert _filters(_plan(question, FLIGHTS)) == expected


def test_direction_words_read_the_column_names_of_any_table():
    chosen = _plan("how many trips from Pier to Park?", TWO_YEARS)
    assert _filters(chosen) == {("Start Station", "=", "Pier"), ("End Station", "=", "Park")}


@pytest.mark.parametrize("question,table,named", [
    ("how many flights between JFK and LAX?", FLIGHTS, "ORIGIN, DEST"),
    ("how many employees in Human Resources?", HR, "Department, EducationField"),
])
def test_a_value_nothing_binds_to_one_column_is_refused_naming_the_columns(question, table, named):
    with pytest.raises(CannotAnswer, match=f"several columns \\({named}"):
        _plan(question, table)


def test_a_month_without_a_year_is_that_month_of_every_year_and_said():
    chosen = _plan("how many cancelled flights in December?", FLIGHTS)
    assert _filters(chosen) == {("FL_DATE", "contains", "-12-"), ("CANCELLED", "=", 1)}
    assert any("December (of every year)" in note for note in chosen.notes)
    chosen = _plan("average DEP_DELAY in July", FLIGHTS)
    assert chosen.spec.agg == "avg" and _filters(chosen) == {("FL_DATE", "contains", "-07-")}


def test_months_without_a_year_over_several_years_are_refused_not_dropped():
    with pytest.raises(CannotAnswer, match="names no year"):
        _plan("how many trips between June and August?", TWO_YEARS)


def test_cancellations_bind_to_the_0_1_column_and_a_capitalised_unknown_name_is_refused():
    chosen = _plan("which month had the most cancellations?", FLIGHTS)
    assert "CANCELLED" in {chosen.spec.measure} | {f.column for f in chosen.spec.filters}
    assert _filters(_plan("how many cancellations?", FLIGHTS)) == {("CANCELLED", "=", 1)}
    with pytest.raises(CannotAnswer, match="southwest"):
        _plan("how many Southwest flights were cancelled in December?", FLIGHTS)


def _follow(table, *questions):
    return plan(follow_up_parse(questions[0], list(questions[1:]), table, value_index(table)), table)


def test_a_follow_up_with_words_it_cannot_bind_is_refused_not_the_earlier_figure():
    with pytest.raises(CannotAnswer, match="spooky"):
        _follow(TITLES, "how many titles with type Movie?", "of those, how many are spooky?")
    chosen = _follow(TITLES, "how many titles with type Movie?", "of those, how many are rated R?")
    assert _filters(chosen) == {("type", "=", "Movie"), ("rating", "=", "R")}


def test_follow_ups_carry_the_conditions_an_earlier_plan_added():
    chosen = _follow(HR, "how many employees in Sales?", "of those, how many work overtime?",
                     "and what is their average monthly income?")
    assert chosen.spec.agg == "avg" and chosen.spec.measure == "MonthlyIncome"
    assert _filters(chosen) == {("Department", "=", "Sales"), ("OverTime", "=", True)}


@pytest.mark.parametrize("question,agg", [
    ("what is the oldest release year?", "min"), ("oldest release year", "min"),
    ("what is the newest release year?", "max"), ("what is the most recent release year?", "max"),
])
def test_oldest_and_newest_of_a_year_column_are_its_minimum_and_maximum(question, agg):
    assert _plan(question, TITLES).spec.agg == agg


def test_the_oldest_of_an_age_stays_its_maximum():
    assert _plan("what is the highest age?", HR).spec.agg == "max"
    assert _plan("which department has the oldest age?", HR).spec.agg == "max"


@pytest.mark.parametrize("question,column", [
    ("how many deals closed in 2023?", "Close Date"), ("how many deals were created in 2023?", "Created Date"),
])
def test_a_verb_naming_a_date_column_picks_it(question, column):
    assert {f.column for f in _plan(question, CRM).spec.filters} == {column}


def test_without_a_verb_the_reply_says_which_date_column_was_used():
    chosen = _plan("how many deals in 2023?", CRM)
    assert any(n.startswith("Created Date") and "Close Date" in n for n in chosen.notes)


def test_a_period_on_a_date_column_kept_as_text_is_refused_not_moved_to_another_column():
    with pytest.raises(CannotAnswer, match="date_added holds dates as text"):
        _plan("how many titles were added in 2019?", TITLES)
    assert _filters(_plan("how many titles released in 2019?", TITLES)) == {("release_year", "=", 2019)}


def test_top_n_things_by_a_measure_ranks_groups():
    chosen = _plan("top 3 accounts by total amount", CRM)
    assert (chosen.intent, chosen.spec.group_by, chosen.spec.agg, chosen.spec.limit) == ("top", "Account Name",
                                                                                         "sum", 3)


def test_a_yes_no_column_count_is_rows_with_yes_not_a_count_column():
    chosen = _plan("top 5 job roles by attrition count", HR)
    assert (chosen.spec.group_by, chosen.spec.agg, chosen.spec.measure) == ("JobRole", "count", None)
    assert _filters(chosen) == {("Attrition", "=", True)}


def test_a_common_verb_inside_a_camelcase_name_does_not_name_that_column():
    chosen = _plan("how many women work in Research & Development?", HR)
    assert chosen.intent == "count" and chosen.spec.measure is None
    assert _filters(chosen) == {("Gender", "=", "Female"), ("Department", "=", "Research & Development")}


@pytest.mark.parametrize("question", ["how many employees aged 30 to 40?", "how many employees aged 30-40?"])
def test_age_ranges_are_between(question):
    assert _filters(_plan(question, HR)) == {("Age", "between", (30, 40))}


CATALOGUE = _table("catalogue", {"cast": "VARCHAR", "description": "VARCHAR"},
                   {"cast": ["Shah Rukh Khan", "Anupam Kher, Shah Rukh Khan", "Boman Irani", "Anupam Kher",
                             "Boman Irani, Anupam Kher"],
                    "description": ["A story, told slowly", "Quiet", "Loud, bright and long", "Warm"]})


def test_a_name_in_a_column_of_lists_counts_every_list_that_holds_it():
    assert _filters(_plan("how many titles with Shah Rukh Khan?", CATALOGUE)) == {("cast", "contains",
                                                                                   "Shah Rukh Khan")}
    assert _filters(_plan("how many titles with description Quiet?", CATALOGUE)) == {("description", "=", "Quiet")}

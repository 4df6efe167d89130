"""The deterministic router on paraphrases: same plan for different wordings, refusals for unknowns."""
from datetime import date
from pathlib import Path

import pytest

from services.assistant_intents import CannotAnswer, plan
from services.assistant_router import parse
from services.assistant_table import TableContext

TYPES = {"Date": "DATE", "Équipe": "VARCHAR", "Goals Scored": "BIGINT", "Nationality": "VARCHAR", "Rank": "BIGINT"}
TABLE = TableContext(
    name="league", view="league", path=Path("unused.parquet"), rows=4, columns=tuple(TYPES),
    kinds={"Date": "datetime", "Équipe": "identifier", "Goals Scored": "numeric", "Nationality": "categorical",
           "Rank": "numeric"},
    types=TYPES,
    values={"Date": [date(2016, 1, 1), date(2017, 6, 1)], "Équipe": ["Málaga CF", "Real Betis", "Ajax", "Spain XI"],
            "Nationality": ["Spain", "Netherlands"], "Rank": [1, 2, 3, 4], "Goals Scored": [10, 20, 30, 40]},
    unique={"Équipe": True, "Rank": True, "Goals Scored": True, "Nationality": False, "Date": False},
)


def _plan(question):
    return plan(parse(question, TABLE), TABLE)


@pytest.mark.parametrize("question", [
    "What is the total goals scored?", "sum of goals scored", "Total number of goals scored overall",
    "how many goals scored in total?",
])
def test_sum_paraphrases(question):
    chosen = _plan(question)
    assert (chosen.spec.agg, chosen.spec.measure) == ("sum", "Goals Scored")


@pytest.mark.parametrize("question", [
    "Which equipe scored the most goals?", "which équipe has the highest goals scored",
    "what equipe has the largest number of goals scored?",
])
def test_argmax_paraphrases_match_accented_columns(question):
    chosen = _plan(question)
    assert chosen.intent == "argmax_rows" and chosen.target == "Équipe" and chosen.spec.descending


def test_value_filter_and_count():
    chosen = _plan("How many teams are from Spain?")
    assert chosen.spec.agg == "count"
    assert [(f.column, f.value) for f in chosen.spec.filters] == [("Nationality", "Spain")]


def test_lookup_by_number_after_column_name():
    chosen = _plan("what is the equipe in row with rank 3")
    assert chosen.intent == "lookup" and chosen.spec.select == ("Équipe",)
    assert [(f.column, f.op, f.value) for f in chosen.spec.filters] == [("Rank", "=", 3)]


def test_dates_and_comparisons():
    chosen = _plan("average goals scored in 2016 with rank at least 2")
    ops = {(f.column, f.op, f.value) for f in chosen.spec.filters}
    assert ops == {("Date", ">=", date(2016, 1, 1)), ("Date", "<", date(2017, 1, 1)), ("Rank", ">=", 2)}
    assert chosen.spec.agg == "avg"


@pytest.mark.parametrize("question,reason", [
    ("what is the average salary?", "no numeric column"),
    ("how many goals for rank 9?", "no Rank 9"),
    ("goals scored in 2030", "covers 2016-01-01 to 2017-06-01"),
    ("what is the weather like?", "names no column"),
])
def test_unanswerable_questions_say_why(question, reason):
    with pytest.raises(CannotAnswer, match=reason):
        _plan(question)

"""A Yes/No column (IBM HR ``Attrition``, ``OverTime``) is stored as booleans; replies read "Attrition False (171)"
and "OverTime = True". They use the file's words now, while the rows and the comparisons keep the booleans."""
import numpy as np
import pandas as pd
import pytest

from services import assistant
from services.assistant_table import TableContext
from services.assistant_yesno import in_words, spellings
from tests.support import runtime_with_tables

rng = np.random.default_rng(5)
HR = pd.DataFrame({"EmployeeNumber": range(1, 201), "Attrition": rng.choice(["Yes", "No"], 200, p=[.16, .84]),
                   "OverTime": rng.choice(["Yes", "No"], 200), "Department": rng.choice(["Sales", "R&D", "HR"], 200),
                   "Age": rng.integers(18, 60, 200), "Title": rng.choice(["True Grit", "Other"], 200)})


@pytest.fixture(scope="module")
def rt(tmp_path_factory):
    return runtime_with_tables(tmp_path_factory.mktemp("yesno") / "var", {"hr": HR})


def _ask(rt, question):
    reply = assistant.answer(rt, question, user="ana", dataset="hr", save=False)
    assert not reply.cannot, reply.answer
    return reply


def test_group_keys_and_conditions_of_a_yes_no_column_are_written_yes_and_no(rt):
    counts = HR.Attrition.value_counts()
    reply = _ask(rt, "how many employees by attrition")
    assert reply.answer == f"Number of rows by Attrition: No ({counts['No']}), Yes ({counts['Yes']}).", reply.answer
    assert {r["Attrition"] for r in reply.rows} == {True, False}  # the rows keep what the query returned
    reply = _ask(rt, "how many employees left")
    assert reply.rows == [{"rows": counts["Yes"]}] and "Attrition = Yes" in reply.answer, reply.answer
    share = 100 * (HR.OverTime == "Yes").mean()
    reply = _ask(rt, "what percentage of employees have overtime yes")
    assert reply.answer.startswith(f"{share:g}% of the rows have OverTime = Yes"), reply.answer
    reply = _ask(rt, "what is the attrition of employee 5")
    assert reply.answer.endswith(f"is {HR.Attrition[4]}."), reply.answer
    ages = HR.groupby("Attrition").Age.mean()
    reply = _ask(rt, "compare average age of attrition yes and no")
    assert "True" not in reply.answer and f"Yes ({ages['Yes']:,.2f})" in reply.answer, reply.answer


def _table(words=None) -> TableContext:
    return TableContext(name="t", view="t", path="t.parquet", rows=2, columns=("left", "Title"), kinds={},
                        types={"left": "BOOLEAN", "Title": "VARCHAR"}, values={}, unique={}, words=words or {})


def test_the_files_own_spelling_is_used_where_the_profile_kept_it_and_titles_are_left_alone():
    profile = [{"name": "left", "top_values": [["N", 80], ["Y", 20]]}, {"name": "x", "top_values": [["true", 3]]}]
    assert spellings(profile, {"left": "boolean", "x": "boolean"}) == {"left": ("Y", "N")}
    assert spellings([{"name": "x", "top_values": [["true", 3], ["false", 1]]}], {"x": "boolean"}) == {}
    table = _table({"left": ("Y", "N")})
    assert in_words(table, "There are 20 rows where left = True.") == "There are 20 rows where left = Y."
    assert in_words(table, "Top Title: True Grit (3), Other (2).") == "Top Title: True Grit (3), Other (2)."
    # a column whose file said true/false keeps its words; a list of groups with their counts is written whole
    assert in_words(_table(), "Rows by left: False (80), True (20).") == "Rows by left: False (80), True (20)."
    assert in_words(table, "Rows by left: False (80), True (20).") == "Rows by left: N (80), Y (20)."


def test_each_column_keeps_the_files_own_words_through_the_import(tmp_path):
    """The import kept no spelling of a yes/no column, so every reply said Yes/No (or True/False) whatever the
    file had written; a Y/N column, a Yes/No one and a true/false one now each read as in their file."""
    frame = pd.DataFrame({"Attrition": ["Yes"] * 10 + ["No"] * 30, "OverTime": ["Y", "N"] * 20,
                          "flag": ["TRUE", "FALSE"] * 20, "income": range(1000, 1040)})
    rt = runtime_with_tables(tmp_path / "var", {"hr": frame})
    ask = lambda q: assistant.answer(rt, q, user="ana", dataset="hr", save=False).answer  # noqa: E731
    assert ask("number of rows by Attrition") == "Number of rows by Attrition: No (30), Yes (10)."
    means = frame.groupby("OverTime").income.mean()
    assert ask("average income by OverTime") == (f"Average income by OverTime: N ({means['N']:,.0f}), "
                                                 f"Y ({means['Y']:,.0f}).")
    assert ask("count by flag") == "Number of rows by flag: False (20), True (20)."

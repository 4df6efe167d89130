"""A rate is said in words, not in the rows' column syntax: "what is the survival rate by Pclass" answered
"% Survived = 1 by Pclass: …", and a loan book's default rate "… have loan_status in (Charged Off, Default)". The
rows keep their column names, and every number, name and compared value stays in the answer."""
import pandas as pd

from data.query_spec import Filter
from services import assistant
from services.assistant_phrase import condition_words
from tests.support import runtime_with_tables


def _titanic() -> pd.DataFrame:
    # the real Titanic's survivors by class: 136 of 216, 87 of 184, 119 of 491
    counts = {1: (216, 136), 2: (184, 87), 3: (491, 119)}
    rows = [(c, int(i < alive)) for c, (n, alive) in counts.items() for i in range(n)]
    frame = pd.DataFrame(rows, columns=["Pclass", "Survived"])
    frame.insert(0, "PassengerId", range(1, len(frame) + 1))
    frame["Sex"] = ["female" if i % 3 == 0 else "male" for i in range(len(frame))]
    return frame


def _loans() -> pd.DataFrame:
    status = ["Charged Off"] * 30 + ["Default"] * 11 + ["Fully Paid"] * 198 + ["Current"] * 61
    return pd.DataFrame({"id": range(1, len(status) + 1), "grade": [("A", "B")[i % 2] for i in range(len(status))],
                         "loan_status": status, "loan_amnt": [1000 + 25 * i for i in range(len(status))]})


def _ask(tmp_path, frame, name, question):
    rt = runtime_with_tables(tmp_path / "var", {name: frame})
    reply = assistant.answer(rt, question, user="ana", dataset=name, save=False)
    assert not reply.cannot and reply.invented == (), reply.answer
    return reply


def test_a_rate_by_group_is_said_as_a_share_not_as_the_rows_column_name(tmp_path):
    reply = _ask(tmp_path, _titanic(), "titanic", "what is the survival rate by Pclass")
    assert reply.answer == "Share with Survived = 1 (%), by Pclass: 1 (62.96), 2 (47.28), 3 (24.24).", reply.answer
    assert not reply.answer.startswith("% ")  # was "% Survived = 1 by Pclass: …"
    assert {r["Pclass"]: round(r["% Survived = 1"], 2) for r in reply.rows} == {1: 62.96, 2: 47.28, 3: 24.24}


def test_the_group_with_the_highest_rate_names_the_share_in_words(tmp_path):
    reply = _ask(tmp_path, _titanic(), "titanic", "which Pclass has the highest survival rate")
    assert reply.answer == "Pclass 1 (62.96%, 136 of 216 rows) has the highest share with Survived = 1; next: 2 " \
                           "(47.28%, 87 of 184 rows).", reply.answer


def test_a_default_rate_over_several_values_reads_them_as_a_list_of_words(tmp_path):
    reply = _ask(tmp_path, _loans(), "lc", "what is the default rate")
    assert "in (" not in reply.answer, reply.answer  # was "have loan_status in (Charged Off, Default)"
    assert reply.answer.startswith("17.15% of the loans where the loan has finished"), reply.answer
    assert "are loans whose loan_status is Charged Off or Default (41 of 239)." in reply.answer, reply.answer
    assert reply.answer.endswith(" 61 loans with no outcome yet are left out (Current 61)."), reply.answer


def test_condition_words_say_a_list_of_values_with_or():
    listed = (Filter("loan_status", "in", values=("Charged Off", "Default")), Filter("grade", "=", "A"))
    assert condition_words(listed, " is ") == "loan_status is Charged Off or Default and grade = A"
    assert condition_words(listed) == "loan_status Charged Off or Default and grade = A"

"""Phrasings from a browser pass: "default rate by grade" on a loan book reads the outcome column's default value
(it was refused while "% Charged Off by grade" was answered), "loan amount" names loan_amnt, and "store 1 family
BEVERAGES" names the series store_nbr=1|family=BEVERAGES (it asked to pick one while listing it)."""
import numpy as np
import pandas as pd
import pytest

from data.records import RunRecord
from services import assistant, datasets
from tests.support import make_runtime


def _loans() -> pd.DataFrame:
    rng = np.random.default_rng(7)
    n = 400
    grade = rng.choice(list("ABCD"), n)
    bad = rng.random(n) < np.select([grade == "A", grade == "B", grade == "C"], [0.03, 0.08, 0.12], 0.2)
    status = np.where(bad, "Charged Off", np.where(rng.random(n) < 0.1, "Current", "Fully Paid"))
    return pd.DataFrame({"id": np.arange(1, n + 1), "loan_amnt": rng.integers(10, 400, n) * 100, "grade": grade,
                         "loan_status": status, "total_pymnt": rng.integers(1000, 40000, n)})


def _forecast(store: int, family: str, p50: float) -> list[tuple[str, dict]]:
    days = pd.date_range("2017-08-16", periods=3, freq="D").strftime("%Y-%m-%d")
    return [(f"store_nbr={store}|family={family}|{d}", {"store_nbr": store, "family": family, "date": d,
                                                        "p10": p50 - 5, "p50": p50 + i, "p90": p50 + 5})
            for i, d in enumerate(days)]


@pytest.fixture(scope="module")
def rt(tmp_path_factory):
    runtime = make_runtime(tmp_path_factory.mktemp("phrasings") / "var")
    datasets.import_dataset(runtime, _loans().to_csv(index=False).encode(), filename="lc.csv", name="lc_train",
                            user="ana")
    with runtime.uow() as uow:
        owner = uow.users.get_or_create("ana")
        run = uow.runs.add(RunRecord(desk="retail", task="global_lightgbm_forecast", owner_id=owner.id,
                                     metrics={"wape": 9.5}, parameters={"keys": ["store_nbr", "family"]}))
        rows = [r for store in (1, 2) for family, p50 in (("BEVERAGES", 200.0), ("GROCERY I", 480.0))
                for r in _forecast(store, family, p50 + store)]
        uow.predictions.add_many(run.id, rows, kind="forecast")
        uow.commit()
    return runtime


def _ask(rt, question, dataset="lc_train"):
    return assistant.answer(rt, question, user="ana", dataset=dataset, save=False)


@pytest.mark.parametrize("question", ["default rate by grade", "bad rate by grade", "charge-off rate by grade"])
def test_a_default_rate_reads_the_outcome_columns_default_value(rt, question):
    loans = _loans()
    finished = loans[loans["loan_status"] != "Current"]  # a running loan has no outcome yet: out of the rate
    expected = (100 * finished.groupby("grade")["loan_status"].apply(lambda s: (s == "Charged Off").mean()))
    reply = _ask(rt, question)
    assert not reply.cannot, reply.answer
    assert "\"loan_status\" = 'Charged Off'" in reply.query and 'GROUP BY "grade"' in reply.query
    got = {r["grade"]: r["Default rate (loan_status Charged Off), %"] for r in reply.rows}
    assert got == pytest.approx(expected.to_dict())
    assert reply.answer.startswith("Default rate (loan_status Charged Off), % by grade where the loan has finished")
    running = int((loans.loan_status == "Current").sum())
    assert reply.answer.endswith(f" {running} loans with no outcome yet are left out (Current {running}).")


@pytest.mark.parametrize("question", ["default rate for grade A", "% Charged Off for grade A"])
def test_a_default_rate_for_one_grade_is_taken_over_that_grades_rows(rt, question):
    """It was the share of all rows that are grade A and charged off (9 of 2,000, not 9 of 361)."""
    loans = _loans()
    a = loans[(loans["grade"] == "A") & (loans["loan_status"] != "Current")]  # running loans are out of the rate
    reply = _ask(rt, question)
    assert reply.rows[0]["matching rows"] == int((a["loan_status"] == "Charged Off").sum()), reply.answer
    assert reply.rows[0]["rows"] == len(a) and "WHERE \"grade\" = 'A'" in reply.query
    assert "\"loan_status\" IN ('Charged Off', 'Fully Paid')" in reply.query


def test_written_out_words_name_a_shortened_column(rt):
    loans = _loans()
    amount = _ask(rt, "average loan amount")
    assert amount.rows == [{"average loan_amnt": pytest.approx(loans["loan_amnt"].mean())}], amount.answer
    paid = _ask(rt, "total payment by grade")
    assert {r["grade"]: r["total total_pymnt"] for r in paid.rows} == loans.groupby("grade")["total_pymnt"].sum() \
        .to_dict(), paid.answer


@pytest.mark.parametrize("question", ["forecast for store 1 family BEVERAGES", "forecast for store_nbr=1 family "
                                      "BEVERAGES", "forecast for store number 1 and family BEVERAGES"])
def test_a_series_is_named_by_its_keys_words(rt, question):
    reply = _ask(rt, question, dataset=None)
    assert not reply.cannot and reply.tool == "series_forecast", reply.answer
    assert reply.query.endswith("series=store_nbr=1|family=BEVERAGES)") and [r["p50"] for r in reply.rows] == \
        [201.0, 202.0, 203.0], reply.answer
    grocery = _ask(rt, "forecast for store 2 family GROCERY I", dataset=None)
    assert grocery.rows[0]["p50"] == 482.0 and "store_nbr=2|family=GROCERY I" in grocery.answer, grocery.answer

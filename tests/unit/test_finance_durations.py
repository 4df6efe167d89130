"""The Vehicle Loan book's text columns: durations written '1yrs 11mon' (AVERAGE.ACCT.AGE, CREDIT.HISTORY.LENGTH)
are months, a window written in words (NEW.ACCTS.IN.LAST.SIX.MONTHS) keeps its name, and ids are written plainly."""
import numpy as np
import pandas as pd

from domain.finance_text import reason_text
from ml.credit_features import FeaturePlan, align, plan_features
from ml.credit_number_text import duration_months, writes_duration
from services.finance_reasons import shown_values


def _ages(months) -> list[str]:
    return [f"{m // 12}yrs {m % 12}mon" for m in months]


def test_durations_in_years_and_months_are_read_as_months():
    text = pd.Series(["1yrs 11mon", "0yrs 0mon", "2 years 3 months", "14 months", "5y 2m", "23", "10+ years", "abc",
                      None])
    assert duration_months(text).tolist()[:6] == [23.0, 0.0, 27.0, 14.0, 62.0, 23.0]  # a bare number: months
    assert duration_months(text).iloc[6:].isna().all()
    assert writes_duration(pd.Series(_ages(range(40))))
    assert not writes_duration(pd.Series([" 36 months", " 60 months"]))  # a term of two values stays a category
    assert not writes_duration(pd.Series(["10+ years", "< 1 year", *[f"{n} years" for n in range(1, 10)]]))


def test_a_duration_column_is_a_number_so_a_value_not_seen_in_training_is_still_read():
    train = pd.DataFrame({"CREDIT.HISTORY.LENGTH": _ages(np.arange(0, 200, 3)), "x": np.arange(67.0)})
    plan = FeaturePlan.from_json(plan_features(train).to_json())  # as saved with the run
    assert plan.kinds["CREDIT.HISTORY.LENGTH"] == "numeric" and plan.durations == ["CREDIT.HISTORY.LENGTH"]
    scored = pd.DataFrame({"CREDIT.HISTORY.LENGTH": ["1yrs 4mon", "", "soon"], "x": [1.0, 2.0, 3.0]})
    X = align(scored, plan)
    assert X["CREDIT.HISTORY.LENGTH"].tolist()[0] == 16.0 and X["CREDIT.HISTORY.LENGTH"].iloc[1:].isna().all()
    assert shown_values(scored, X, plan)["CREDIT.HISTORY.LENGTH"][0] == "1yrs 4mon"  # as the file wrote it


def test_a_window_in_words_keeps_its_name_and_ids_have_no_thousands_separators():
    assert reason_text("NEW.ACCTS.IN.LAST.SIX.MONTHS", 2, 0.3) == "New accts in last six months of 2 raised the risk"
    assert reason_text("duration_months", 60, 0.3) == "Duration of 60 months raised the risk"
    assert reason_text("supplier_id", 24654, 0.3) == "Supplier ID of 24654 raised the risk"
    assert reason_text("paid_amount", 24654, 0.3) == "Paid amount of 24,654 raised the risk"


def test_training_names_the_columns_read_as_durations():
    from services.finance_prepare import prepare
    from tests.support import classification_frame

    frame = classification_frame(200).assign(**{"AVERAGE.ACCT.AGE": _ages(np.arange(200) % 60)})
    prepared = prepare(frame, "default", id_column="applicant_id")
    assert "Column(s) 'AVERAGE.ACCT.AGE' hold durations in years and months (e.g. '0yrs 0mon'): read as a number of " \
           "months, not as categories." in prepared.notes


def test_numbers_written_as_text_are_no_durations():
    assert not writes_duration(pd.Series([str(n) for n in range(40)]))

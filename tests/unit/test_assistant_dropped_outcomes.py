""""How many loans were approved in 2017?" with a sales table and a credit table stored counted the sales table's
rows of 2017: beside the date condition, "approved" (a verb of an outcome, naming no column or value) was let go.
It is refused; the date alone still counts rows."""
import numpy as np
import pandas as pd

from services import assistant
from tests.support import runtime_with_tables


def _runtime(tmp_path):
    rng = np.random.default_rng(0)
    days = pd.date_range("2016-01-01", "2017-12-31", freq="D")
    sales = pd.DataFrame({"date": np.repeat(days, 2), "store": [1, 2] * len(days), "item": 1,
                          "sales": rng.integers(5, 40, 2 * len(days))})
    credit = pd.DataFrame({"purpose": rng.choice(["car", "education", "business"], 300),
                           "credit_amount": rng.integers(500, 9000, 300), "duration": rng.integers(6, 48, 300),
                           "credit_risk": rng.choice(["good", "bad"], 300, p=[0.7, 0.3])})
    return runtime_with_tables(tmp_path / "var", {"sales": sales, "credit": credit})


def test_an_outcome_no_table_holds_is_refused_not_dropped_beside_a_date(tmp_path):
    rt = _runtime(tmp_path)
    reply = assistant.answer(rt, "How many loans were approved in 2017?", user="ana", save=False)
    assert reply.cannot and "'approved'" in reply.answer and reply.rows == [], reply.answer  # was "There are 730 rows"
    dated = assistant.answer(rt, "how many rows in 2017", user="ana", dataset="sales", save=False)
    assert dated.answer.startswith("There are 730 rows where date from 2017-01-01"), dated.answer

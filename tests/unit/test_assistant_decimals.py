"""A list of statistics is written with one number of decimals: "average daily sales by store" had printed
"4 (6,050.3)" beside "5 (6,609.22)" (the trailing zero dropped)."""
import numpy as np
import pandas as pd

from services import assistant
from tests.support import runtime_with_tables


def test_average_daily_sales_by_store_keeps_two_decimals_on_every_store(tmp_path):
    days = pd.date_range("2024-01-01", periods=10, freq="D")
    frame = pd.DataFrame([(d, s, 6002.2 + 100 * s) for s in range(1, 6) for d in days],
                         columns=["date", "store", "sales"])
    frame.loc[frame.store == 4, "sales"] = np.tile([6050.1, 6050.5], 5)  # mean 6,050.30
    rt = runtime_with_tables(tmp_path / "var", {"sales": frame})
    reply = assistant.answer(rt, "average daily sales by store", user="ana", dataset="sales", save=False)
    assert "4 (6,050.30)" in reply.answer, reply.answer  # was 4 (6,050.3)
    assert "5 (6,502.20)" in reply.answer and "1 (6,102.20)" in reply.answer, reply.answer
    assert reply.invented == (), reply.invented


def test_whole_counts_by_group_stay_whole(tmp_path):
    frame = pd.DataFrame({"store": [1, 1, 2, 3, 3, 3], "sales": [1.5, 2.0, 3.0, 4.0, 5.0, 6.0]})
    rt = runtime_with_tables(tmp_path / "var", {"sales": frame})
    reply = assistant.answer(rt, "number of rows by store", user="ana", dataset="sales", save=False)
    assert "3 (3)" in reply.answer and ".00" not in reply.answer, reply.answer

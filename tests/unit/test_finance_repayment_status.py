"""The Taiwan card book's repayment statuses (PAY_0, PAY_2 … PAY_6: -2, -1, 0 and 1 … 8 months late) read as codes
in the reasons, with the meaning its documentation gives (-1 paid duly, 1 … 9 months late) and none made up for -2
and 0. "Repayment status 0 of 2 raised the risk" had read like a count ("0 of 2")."""
from __future__ import annotations

import numpy as np
import pandas as pd

from domain import finance_columns
from domain import finance_text as wording
from domain.data_dictionary import Glossary
from ml.credit_features import plan_features
from services import finance_train_notes as train_notes


def test_a_repayment_status_goes_by_its_name_and_codes():
    assert finance_columns.is_repayment_status("PAY_0", [-2.0, -1.0, 0.0, 2.0, 8.0])
    assert finance_columns.is_repayment_status("pay_6", [-1.0, 0.0, 1.0])
    assert not finance_columns.is_repayment_status("PAY_0", [0.0, 1.0, 2.0])  # no negative code: could be a count
    assert not finance_columns.is_repayment_status("PAY_0", [-1.0, 0.5, 2.0])  # not whole numbers
    assert not finance_columns.is_repayment_status("PAY_0", [-1.0, 12.0])  # beyond the book's codes
    assert not finance_columns.is_repayment_status("PAY_AMT1", [-1.0, 0.0, 2.0])
    assert not finance_columns.is_repayment_status("EDUCATION", [-1.0, 0.0, 2.0])


def test_reasons_say_the_code_and_only_a_documented_meaning():
    scales = {"PAY_0": [-2.0, 8.0]}
    contributions = [("PAY_0", 0.9, 2.0), ("PAY_2", 0.1, 1.0), ("PAY_3", -0.2, -1.0)]
    assert wording.top_reasons(contributions, 3, scales={**scales, "PAY_2": [-2.0, 8.0], "PAY_3": [-2.0, 7.0]}) == [
        "Repayment status 0: code 2 (2 months late) raised the risk",
        "Repayment status 2: code 1 (1 month late) raised the risk",
        "Repayment status 3: code -1 (paid duly) lowered the risk"]
    assert wording.reason_text("PAY_0", 0.0, -0.1, scale=[-2.0, 8.0]) == "Repayment status 0: code 0 lowered the risk"
    assert wording.reason_text("PAY_0", -2.0, 0.1, scale=[-2.0, 8.0]) == "Repayment status 0: code -2 raised the risk"
    assert wording.reason_text("PAY_0", 9.0, 0.1, scale=[-2.0, 9.0]) == (
        "Repayment status 0: code 9 (9 months late or more) raised the risk")
    assert wording.reason_text("PAY_0", 2.0, 0.3) == "Repayment status 0: 2 raised the risk"  # a run saved before
    glossary = Glossary.from_dict({"columns": {}, "values": {"PAY_0": {"0": "revolving credit"}}})
    assert wording.reason_text("PAY_0", 0.0, 0.3, glossary, scale=[-2.0, 8.0]) == (
        "Repayment status 0: 0 (revolving credit) raised the risk")  # the user's dictionary wins


def test_training_keeps_the_range_of_every_repayment_status_and_nothing_else():
    rng = np.random.default_rng(0)
    X = pd.DataFrame({"LIMIT_BAL": rng.choice([20000.0, 50000.0, 200000.0], 300),
                      "EDUCATION": rng.integers(0, 7, 300), "AGE": rng.integers(21, 70, 300),
                      **{f"PAY_{m}": rng.integers(-2, 9, 300) for m in (0, 2, 3)},
                      "BILL_AMT1": rng.uniform(0, 50000, 300).round(), "PAY_AMT1": rng.integers(-1, 5, 300) * 1000.0})
    plan = plan_features(X)
    assert train_notes.code_scales(X, plan) == {f"PAY_{m}": [-2.0, 8.0] for m in (0, 2, 3)}

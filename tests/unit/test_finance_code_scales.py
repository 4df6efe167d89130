"""A column named as a percent that holds only a scale's codes (German credit's installment_rate_pct, 1-4) reads as a
code in the reasons, not as "4 percent"; the rule goes by the name and the values, never by a book's column names."""
from __future__ import annotations

import json

import numpy as np
import pandas as pd

from domain import finance_columns
from domain import finance_text as wording
from domain.data_dictionary import Glossary
from ml.credit_features import FeaturePlan, plan_features
from services import finance_train_notes as train_notes


def test_a_percent_of_few_whole_values_is_a_scale_of_codes():
    assert finance_columns.is_code_scale("installment_rate_pct", [1.0, 2.0, 3.0, 4.0])
    assert finance_columns.is_code_scale("InstallmentRatePercent", [4.0, 1.0, 2.0])
    assert finance_columns.is_code_scale("Rate %", [0.0, 3.0])
    assert not finance_columns.is_code_scale("int_rate", [5.5, 13.56, 7.0])  # a real rate
    assert not finance_columns.is_code_scale("revol_util_pct", [0.0, 12.0, 99.0])  # beyond a scale's top
    assert not finance_columns.is_code_scale("residence_since", [1.0, 2.0, 3.0, 4.0])  # no share in the name


def test_reason_reads_the_scale_and_a_dictionary_meaning_wins():
    text = wording.reason_text("installment_rate_pct", 4.0, 0.3, scale=[1.0, 4.0])
    assert text == "Installment rate percent of 4 (a code from 1 to 4) raised the risk"
    assert wording.reason_text("installment_rate_pct", 4.0, 0.3) == "Installment rate percent of 4 raised the risk"
    glossary = Glossary.from_dict({"columns": {}, "values": {"installment_rate_pct": {"4": "under 20 %"}}})
    with_meaning = wording.reason_text("installment_rate_pct", 4, 0.3, glossary, scale=[1.0, 4.0])
    assert "(a code" not in with_meaning
    reasons = wording.top_reasons([("installment_rate_pct", 0.5, 2.0), ("credit_amount", 0.2, 900.0)], 2,
                                  scales={"installment_rate_pct": [1.0, 4.0]})
    assert reasons == ["Installment rate percent of 2 (a code from 1 to 4) raised the risk",
                       "Credit amount of 900 raised the risk"]


def test_training_finds_the_scale_and_the_plan_keeps_it():
    rng = np.random.default_rng(0)
    X = pd.DataFrame({"installment_rate_pct": rng.integers(1, 5, 200).astype(float),
                      "dti_pct": rng.uniform(0, 40, 200), "existing_credits": rng.integers(1, 5, 200).astype(float)})
    plan = plan_features(X)
    plan.scales = train_notes.code_scales(X, plan)
    assert plan.scales == {"installment_rate_pct": [1.0, 4.0]}
    assert FeaturePlan.from_json(json.loads(json.dumps(plan.to_json()))).scales == plan.scales
    assert FeaturePlan.from_json({"kinds": {"a": "numeric"}}).scales == {}  # a plan saved before

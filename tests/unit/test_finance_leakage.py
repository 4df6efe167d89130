"""Columns that rank defaults too well for application data are warned about, in two strengths."""
import numpy as np
import pandas as pd

from ml.credit_features import FeaturePlan
from services.finance_prepare import _leakage_warnings


def test_a_strong_but_imperfect_leak_is_warned_and_ordinary_or_many_level_columns_are_not():
    rng = np.random.default_rng(0)
    n = 2000
    bad = (rng.random(n) < 0.3).astype(int)
    X = pd.DataFrame({
        # set on 85 % of defaults and 3 % of repayers: a collections flag recorded after the outcome
        "collections_12m": np.where(bad == 1, rng.random(n) < 0.85, rng.random(n) < 0.03).astype(float),
        "income": rng.normal(50 - 8 * bad, 15, n),  # an ordinary risk factor (AUC about 0.65)
        "employer": [f"firm {i}" for i in rng.integers(0, 800, n)],  # many levels: in-sample rates flatter it
    })
    plan = FeaturePlan({"collections_12m": "numeric", "income": "numeric", "employer": "categorical"})
    warnings = _leakage_warnings(X, bad, plan)
    assert len(warnings) == 1 and warnings[0].startswith("Column 'collections_12m' alone ranks defaults with an AUC "
                                                         "of 0.9")
    X["collections_12m"] = bad.astype(float)  # perfect: the stronger warning, not both
    warnings = _leakage_warnings(X, bad, plan)
    assert len(warnings) == 1 and "alone separates defaults almost perfectly" in warnings[0]


def test_where_the_applicant_lives_is_warned_as_a_possible_proxy_and_marital_status_as_protected():
    rng = np.random.default_rng(1)
    bad = (rng.random(300) < 0.3).astype(int)
    X = pd.DataFrame({"zip_code": rng.choice(["935xx", "100xx", "606xx"], 300), "Married": rng.choice([0.0, 1.0], 300),
                      "income": rng.normal(50, 10, 300)})
    plan = FeaturePlan({"zip_code": "categorical", "Married": "numeric", "income": "numeric"})
    warnings = _leakage_warnings(X, bad, plan)
    assert len(warnings) == 2 and warnings[0].startswith("Column(s) 'Married' look like a protected ground")
    assert warnings[1].startswith("Column(s) 'zip_code' say where the applicant lives, which can stand in for race")

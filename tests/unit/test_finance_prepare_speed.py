"""The checks run while preparing a wide book skip work that cannot change their answer: columns whose AUC is
surely below the warning limits are not ranked, code values are looked for without sorting every column, and
repeated rows are compared in full only where a few columns repeat. Each gives what the full work gave."""
import numpy as np
import pandas as pd
import pytest

from ml.credit_features import plan_features
from services import finance_leakage
from services.finance_leakage import SUSPECT_AUC, LEAKAGE_AUC, _auc, _surely_below, leakage_warnings
from services.finance_train_notes import extreme_counts, repeated_rows


def _scores(rng, n: int, bad: np.ndarray, kind: int) -> np.ndarray:
    shift = rng.uniform(0, 4)
    if kind == 0:
        return rng.normal(size=n) + shift * bad
    if kind == 1:  # skewed: most rows in the first bin
        return rng.lognormal(0, 3, n) * (1 + shift * bad)
    if kind == 2:  # few values, many ties
        return (rng.integers(0, 5, n) + (bad * rng.integers(0, 2, n) * shift).round()).astype(float)
    score = rng.normal(size=n) + shift * bad
    score[rng.random(n) < 0.01] = 1e9  # a sentinel far out
    return score


def test_a_column_cleared_without_ranking_is_below_the_limit_when_ranked():
    rng = np.random.default_rng(11)
    cleared = 0
    for trial in range(800):
        n = int(rng.integers(60, 1500))
        bad = (rng.random(n) < rng.uniform(0.03, 0.5)).astype(int)
        bad[:2] = [0, 1]
        score = _scores(rng, n, bad, trial % 4)
        for limit in (SUSPECT_AUC, LEAKAGE_AUC):
            if _surely_below(bad, score, limit):
                cleared += 1
                assert _auc(bad, score) < limit
    assert cleared > 800  # most columns are cleared without a sort


def test_columns_of_noise_are_not_ranked_and_a_leak_still_is(monkeypatch):
    rng = np.random.default_rng(2)
    n = 4000
    bad = (rng.random(n) < 0.1).astype(int)
    X = pd.DataFrame({f"var_{j}": rng.normal(size=n) + 0.3 * bad for j in range(6)})
    X["paid_back"] = np.where(bad == 1, 0.0, rng.uniform(100, 900, n))  # the outcome in other words
    ranked = []
    monkeypatch.setattr(finance_leakage, "_auc", lambda b, s: ranked.append(1) or _auc(b, s))
    warnings = leakage_warnings(X, bad, plan_features(X))
    assert len(ranked) == 1
    assert len(warnings) == 1 and "'paid_back' alone separates defaults almost perfectly (AUC 1.000)" in warnings[0]


@pytest.mark.parametrize("values", [
    np.round(np.random.default_rng(0).normal(size=5000), 3),                     # many distinct values
    np.r_[np.random.default_rng(1).integers(0, 14, 3000), [96.0] * 40, [98.0] * 5],  # few, much repeated
    np.r_[np.zeros(100), -np.zeros(100), np.arange(70.0), [np.inf, -np.inf, np.nan]],
    np.r_[np.full(500, 365243.0), np.random.default_rng(2).uniform(-20000, 0, 800)],
])
def test_extreme_counts_are_those_of_all_distinct_values(values):
    distinct, counts = np.unique(pd.Series(values).dropna().to_numpy(float), return_counts=True)
    keep = np.r_[0:4, len(distinct) - 4:len(distinct)] if len(distinct) > 8 else np.arange(len(distinct))
    assert extreme_counts(pd.Series(values)) == {float(distinct[k]): int(counts[k]) for k in keep}


def test_repeated_rows_are_counted_as_a_full_comparison_counts_them():
    rng = np.random.default_rng(5)
    n = 400
    rows = pd.DataFrame({"loan_id": range(n), "amount": rng.integers(0, 3, n).astype(float),
                         "purpose": rng.choice(["car", "tv", None], n), "flag": rng.choice([1, "1", 1.0, None], n),
                         "zero": rng.choice([0.0, -0.0, np.nan], n)})
    for j in range(8):
        rows[f"x{j}"] = rng.integers(0, 2, n).astype(float)
    expected = int(rows.drop(columns=["loan_id"]).duplicated().sum())
    assert expected > 0
    assert repeated_rows(rows, ignore=("loan_id", None)) == [
        f"{expected:,} row(s) repeat an earlier row in every column, the outcome included. They are kept, as different "
        "applicants may look alike; if they are copies, remove them: a copy in another fold is predicted from itself, "
        "which flatters the out-of-fold figures."]
    assert repeated_rows(rows) == []  # the id differs on every row

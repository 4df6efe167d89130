"""Behavioural tables (monthly snapshots, the same customer on many rows) and labels counted in days past due."""
import numpy as np
import pandas as pd
import pytest

from domain.finance import DecisionRuleError
from domain.loan_outcomes import group_outcomes
from services.finance_prepare import prepare
from services.errors import UserFacingError


def _snapshots(customers: int = 40, months: int = 8) -> pd.DataFrame:
    rng = np.random.default_rng(0)
    rows = customers * months
    return pd.DataFrame({
        "customer_id": np.repeat([f"C{100 + c}" for c in range(customers)], months),
        "snapshot_month": np.tile(pd.period_range("2019-01", periods=months, freq="M").astype(str), customers),
        "utilisation_pct": rng.uniform(0, 100, rows).round(1), "balance": rng.uniform(0, 5000, rows).round(2),
        "bad_12m": rng.choice([0, 0, 0, 1], rows)})


def test_a_customer_number_repeated_over_months_is_no_risk_factor():
    prepared = prepare(_snapshots(), "bad_12m")
    assert "customer_id" not in prepared.plan.kinds and "utilisation_pct" in prepared.plan.kinds
    assert {r["column"]: r["kind"] for r in prepared.left_out}["customer_id"] == "identifier"
    assert any(n.startswith("Column 'customer_id' is not used: an identifier repeated over 'snapshot_month' (40 "
                            "values") for n in prepared.notes)


def test_repeated_ids_without_a_date_to_tell_them_apart_stay_a_category():
    frame = _snapshots().drop(columns=["snapshot_month"])
    assert "customer_id" in prepare(frame, "bad_12m").plan.kinds


def test_refusing_a_repeated_id_says_the_rows_are_snapshots():
    with pytest.raises(UserFacingError) as refused:
        prepare(_snapshots(), "bad_12m", id_column="customer_id")
    assert "Its rows differ in 'snapshot_month': snapshots of the same customers over time" in str(refused.value)


def test_a_label_in_days_past_due_is_told_the_ninety_day_rule():
    counts = {0: 500, 30: 80, 60: 40, 90: 20, 120: 15, 180: 10}
    with pytest.raises(DecisionRuleError) as refused:
        group_outcomes(counts, "max_dpd_next_12m")
    assert str(refused.value).endswith("'max_dpd_next_12m' counts days past due: the usual default is 90 days or "
                                       "more (Basel's definition); to train on it, give --positive 90,120,180.")
    many = {d: 5 for d in range(0, 400, 5)}
    with pytest.raises(DecisionRuleError) as refused:
        group_outcomes(many, "DaysPastDue")
    assert "give a 0/1 column that is 1 where 'DaysPastDue' is 90 or more, as --target." in str(refused.value)
    with pytest.raises(DecisionRuleError) as refused:
        group_outcomes({1: 5, 2: 5, 3: 5}, "rating")
    assert "days past due" not in str(refused.value)

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


def test_a_behavioural_table_is_folded_by_customer_and_says_so():
    from services.finance_cv import _splits

    prepared = prepare(_snapshots(), "bad_12m", folds=3)
    assert prepared.fold_groups == "customer_id"
    assert any(n.startswith("Cross-validation keeps each customer's rows in one fold (folds grouped by "
                            "'customer_id', 40 customers)") for n in prepared.notes)
    customers = prepared.raw["customer_id"].to_numpy()
    splits = _splits(prepared, 0)
    assert len(splits) == 3 and sorted(np.concatenate([test for _, test in splits]).tolist()) == list(range(320))
    for train, test in splits:
        assert not set(customers[train]) & set(customers[test])


def test_a_table_of_one_row_per_applicant_keeps_its_row_folds():
    from ml.credit_eval import stratified_folds
    from services.finance_cv import _splits

    frame = _snapshots().assign(customer_id=[f"C{k}" for k in range(320)])
    prepared = prepare(frame, "bad_12m", folds=3)
    assert prepared.fold_groups is None and not any("Cross-validation" in n for n in prepared.notes)
    for (train, test), (train_0, test_0) in zip(_splits(prepared, 0), stratified_folds(prepared.bad, 3, 0)):
        assert train.tolist() == train_0.tolist() and test.tolist() == test_0.tolist()


def test_too_few_customers_with_a_default_to_group_the_folds_is_said():
    frame = _snapshots()
    frame["bad_12m"] = np.where(frame["customer_id"].isin(["C100", "C101"]), 1, 0)
    prepared = prepare(frame, "bad_12m", folds=3)
    assert prepared.fold_groups is None
    assert any(n.startswith("Cross-validation folds split rows, not customers: too few customers of one outcome in "
                            "'customer_id' (2 with a default, 38 without)") for n in prepared.notes)


def test_the_page_check_keeps_the_customer_folds_for_its_job(tmp_path):
    from services import finance_checked

    finance_checked.keep(tmp_path, "key", prepare(_snapshots(), "bad_12m", folds=3))
    assert finance_checked.take(tmp_path, "key").fold_groups == "customer_id"

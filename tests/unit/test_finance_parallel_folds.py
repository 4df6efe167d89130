"""The champion's members are cross-validated side by side, one thread per fit, with the same scores as one by one."""
import threading

import numpy as np
import pytest

from ml import credit_folds
from ml.credit import CreditModelTask
from ml.credit_eval import stratified_folds
from ml.credit_forest import ForestScorer
from tests.support import classification_frame

KINDS = {"amount": "numeric", "purpose": "categorical", "age": "numeric"}


def _book(rows: int = 300):
    frame = classification_frame(rows, seed=3)
    X, labels = frame[list(KINDS)], frame["default"]
    bad = (labels == "bad").to_numpy().astype(int)
    return X, labels, bad, stratified_folds(bad, 3, 0)


def test_member_scores_are_the_same_whether_the_fits_run_one_by_one_or_at_once(monkeypatch):
    monkeypatch.setattr("ml.credit_forest.forest_trees", lambda trees, rows: 30)  # a small forest keeps it quick
    X, labels, bad, splits = _book()
    params = {"n_estimators": 40, "early_stopping_rounds": 10, "positive": "bad", "seed": 0}
    counted: list[tuple[int, int]] = []
    alone, alone_iterations, _ = credit_folds.members_oof(X, labels, bad, splits, model_params=params, kinds=KINDS,
                                                       workers=1)
    together, iterations, notes = credit_folds.members_oof(X, labels, bad, splits, model_params=params, kinds=KINDS,
                                                    workers=2, on_done=lambda n, total: counted.append((n, total)))
    assert set(together) == {"lightgbm", "logistic", "forest"} and iterations == alone_iterations and notes == []
    assert len(iterations) == 3 and all(1 <= i <= 40 for i in iterations)
    for name, scores in together.items():
        assert np.array_equal(scores, alone[name]), name
        assert scores.shape == (300,) and ((scores > 0) & (scores < 1)).all()  # every row scored out of fold
    assert counted == [(n, 9) for n in range(1, 10)]


def test_a_constrained_run_cross_validates_no_forest():
    X, labels, bad, splits = _book(150)
    scores, _, _ = credit_folds.members_oof(X, labels, bad, splits, kinds=KINDS, forest=False,
                                         model_params={"n_estimators": 10, "positive": "bad"})
    assert set(scores) == {"lightgbm", "logistic"}


def test_fold_fits_run_on_one_thread_each(monkeypatch):
    """LightGBM's own threads wait on each other at every split; on a shared machine two were no faster than one."""
    seen: list[int] = []
    original = CreditModelTask._lgb_params

    def spy(self, columns, rows):
        params = original(self, columns, rows)
        seen.append(params["num_threads"])
        return params

    monkeypatch.setattr(CreditModelTask, "_lgb_params", spy)
    X, labels, bad, splits = _book(150)
    credit_folds.members_oof(X, labels, bad, splits, kinds=KINDS, forest=False,
                             model_params={"n_estimators": 5, "positive": "bad"})
    assert seen == [1, 1, 1]
    assert CreditModelTask()._lgb_params(["a"], 50_000)["num_threads"] == 0  # a final fit alone: every core
    assert ForestScorer(threads=1)._params(10, 50_000, 1.0)["num_threads"] == 1
    assert ForestScorer()._params(10, 50_000, 1.0)["num_threads"] == 0


def test_run_all_runs_tasks_at_once_and_keeps_their_order():
    meeting = threading.Barrier(2, timeout=20)  # broken (an error) if the two tasks ran one after the other

    def task(value):
        return lambda: (meeting.wait(), value)[1]

    assert credit_folds.run_all([task("a"), task("b")], workers=2) == ["a", "b"]


def test_run_all_raises_a_failed_task_s_error():
    def broken():
        raise ValueError("fold 2 failed")

    with pytest.raises(ValueError, match="fold 2 failed"):
        credit_folds.run_all([lambda: 1, broken, lambda: 3], workers=2)
    assert credit_folds.workers_for(1) == 1 and credit_folds.workers_for(5) >= 1


def test_a_forest_far_behind_on_its_first_fold_is_dropped_before_its_other_folds(monkeypatch):
    """On a Santander-shaped book the forest (AUC 0.765 against 0.850 and 0.845) took a tenth of the training time
    for a share of 0 in the champion."""
    fitted: list[int] = []

    def noise_forest(X, bad, seed, class_weight, train_idx, test_idx):
        fitted.append(len(train_idx))
        return np.random.default_rng(len(fitted)).random(len(test_idx))  # ranks nothing: AUC about 0.5

    monkeypatch.setattr(credit_folds, "_forest", noise_forest)
    monkeypatch.setattr(credit_folds, "DROP_MIN_CLASS", 20)
    X, labels, bad, splits = _book()
    params = {"n_estimators": 30, "positive": "bad"}
    for workers in (1, 2):
        fitted.clear()
        scores, iterations, notes = credit_folds.members_oof(X, labels, bad, splits, model_params=params,
                                                             kinds=KINDS, workers=workers)
        assert set(scores) == {"lightgbm", "logistic"} and len(iterations) == 3
        assert len(fitted) == 1 or workers > 1  # one by one, its first fold only (at once, the others may start)
        assert len(notes) == 1 and notes[0].startswith(
            "The random forest was left out after its first cross-validation fold: it ranked that fold's loans with "
            "an AUC of 0.")
    monkeypatch.setattr(credit_folds, "DROP_MIN_CLASS", 1000)  # too few defaults in a fold to judge: kept
    scores, _, notes = credit_folds.members_oof(X, labels, bad, splits, model_params=params, kinds=KINDS, workers=1)
    assert set(scores) == {"lightgbm", "logistic", "forest"} and notes == []


def test_a_dropped_forest_gets_no_share_of_the_champion(monkeypatch):
    from services import finance

    monkeypatch.setattr(credit_folds, "_forest", lambda *a: np.random.default_rng(0).random(len(a[-1])))
    monkeypatch.setattr(credit_folds, "DROP_MIN_CLASS", 20)
    frame = classification_frame(300, seed=3)
    metrics = finance.evaluate_frame(frame, "default", id_column="applicant_id", positive="bad", folds=3,
                                     model={"n_estimators": 30})
    assert metrics["forest_weight"] == 0.0 and "forest_auc" not in metrics
    assert abs(metrics["blend_weight"] + metrics["logistic_weight"] - 1) < 1e-9 and 0.5 < metrics["oof_auc"] < 1


def test_fits_at_once_are_capped_by_the_table_s_memory(monkeypatch):
    """On many cores a wide book would hold one set of fold copies per core: the table's size caps the fits."""
    monkeypatch.setattr(credit_folds.os, "sched_getaffinity", lambda pid: set(range(16)), raising=False)
    assert credit_folds.workers_for(15) == 15
    assert credit_folds.workers_for(15, table_bytes=320 * 2**20) == 3  # 200,000 x 200 floats: 4 GiB / (4 x 320 MiB)
    assert credit_folds.workers_for(15, table_bytes=8 * 2**30) == 1

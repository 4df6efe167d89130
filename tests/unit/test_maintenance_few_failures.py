"""Few failures among many readings: the failure model's scores stay on a probability scale (ml/failure.py)."""
from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.metrics import roc_auc_score

from ml import failure, failure_scores


def _eight_failures_in_3000_readings() -> tuple[pd.DataFrame, pd.Series]:
    rng = np.random.default_rng(0)
    n = 3000
    X = pd.DataFrame({"a": rng.normal(0, 1, n), "b": rng.normal(0, 1, n), "c": rng.poisson(0.1, n).astype(float)})
    y = pd.Series(np.zeros(n, dtype=int))
    hit = rng.choice(n, 8, replace=False)
    y[hit] = 1
    X.loc[hit, "c"] += rng.integers(1, 6, 8)  # a counter (reallocated sectors) that rises before a failure
    return X, y


def test_few_failures_give_unsaturated_scores_that_rank_better():
    X, y = _eight_failures_in_3000_readings()
    params = failure.model_settings(300, failures=int(y.sum()))
    scores = failure_scores.out_of_fold(X, y, lambda: failure.FailureClassifierTask(**params), folds=5, seed=0,
                                        progress=lambda *_: None)
    assert params["leaf_l2"] == failure.FEW_FAILURE_L2
    assert scores.min() > 1e-6  # 9e-18 with unshrunk leaves
    assert scores.max() < 0.999  # 1.0 exactly: ties at the top, a threshold at the saturated end
    assert roc_auc_score(y, scores) > 0.95  # 0.875 unshrunk


def test_well_populated_files_keep_their_settings():
    assert failure.model_settings(1000)["leaf_l2"] == 0.0  # the AI4I bench: 339 failures, unchanged
    assert failure.model_settings(1000, failures=339)["leaf_l2"] == 0.0
    assert failure.model_settings(1000, failures=99)["leaf_l2"] == failure.FEW_FAILURE_L2


def test_the_leaf_shrinkage_is_stored_with_the_model(tmp_path):
    X, y = _eight_failures_in_3000_readings()
    model = failure.FailureClassifierTask(**failure.model_settings(20, failures=8)).fit(X, y)
    model.save(tmp_path)
    loaded = failure.load_classifier(tmp_path)
    assert loaded.leaf_l2 == failure.FEW_FAILURE_L2
    assert np.allclose(loaded.predict(X)["p_1"], model.predict(X)["p_1"])


def test_a_run_sets_the_shrinkage_from_its_failure_count(settings_env, monkeypatch):
    from commands.common import runtime
    from services import datasets, maintenance

    seen = []
    settings = failure.model_settings
    monkeypatch.setattr(failure, "model_settings", lambda *a, **k: seen.append(k.get("failures")) or settings(*a, **k))
    X, y = _eight_failures_in_3000_readings()
    info = datasets.import_dataset(runtime(), X.assign(failure=y).to_csv(index=False).encode(), filename="drives.csv",
                                   user="t")
    maintenance.train_failure_job(runtime(), maintenance.failure_params(
        info.id, "failure", folds=2, n_estimators=5, use_suggestions=False), lambda *_: None)
    assert seen == [8]

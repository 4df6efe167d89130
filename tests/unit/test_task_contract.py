"""One contract test over every registered task (scikit-learn style estimator contract)."""
import inspect

import numpy as np
import pandas as pd
import pytest

import ml.tabular  # noqa: F401 - registers its task
from ml.task import TASKS, Explanation, NotFittedError, Task
from tests.support import classification_frame

# Each registered task names how to build tiny training data for itself.
def _tabular_data():
    frame = classification_frame(160)
    return frame[["amount", "purpose", "age"]], frame["default"], {"n_estimators": 10}


FIXTURES = {"lightgbm_classifier": _tabular_data}


def test_every_registered_task_has_a_fixture():
    assert set(TASKS) <= set(FIXTURES), f"add a contract fixture for {set(TASKS) - set(FIXTURES)}"


@pytest.mark.parametrize("name", sorted(TASKS))
def test_task_contract(name, tmp_path):
    cls = TASKS[name]
    X, y, params = FIXTURES[name]()
    task = cls(**params)
    assert isinstance(task, Task)
    # __init__ only stores parameters: nothing learned yet
    assert not [k for k in vars(task) if k.endswith("_") and not k.startswith("_")]
    with pytest.raises(NotFittedError):
        task.predict(X)
    assert task.fit(X, y) is task
    predicted = task.predict(X)
    assert isinstance(predicted, pd.DataFrame) and len(predicted) == len(X)
    assert predicted.index.equals(X.index)
    explanation = task.explain(X.head(20))
    assert isinstance(explanation, Explanation)
    assert explanation.values.shape[0] == 20
    assert list(explanation.global_importance().index) != []
    task.save(tmp_path / "model")
    loaded = cls.load(tmp_path / "model")
    pd.testing.assert_frame_equal(loaded.predict(X), predicted)
    assert "load" in vars(cls) and inspect.ismethod(getattr(cls, "load"))


def test_tabular_probabilities_sum_to_one_and_unseen_category_is_handled():
    X, y, params = _tabular_data()
    task = ml.tabular.LightGBMClassifierTask(**params).fit(X, y)
    new = X.head(3).copy()
    new["purpose"] = ["spaceship", None, "car"]
    new.loc[new.index[0], "amount"] = np.inf
    probs = task.predict(new)
    assert list(probs.columns) == ["p_bad", "p_good"]
    assert np.allclose(probs.sum(axis=1), 1.0) and probs.notna().all().all()


def test_single_class_target_is_rejected():
    X, y, params = _tabular_data()
    with pytest.raises(ValueError, match="single class"):
        ml.tabular.LightGBMClassifierTask(**params).fit(X, pd.Series(["good"] * len(X)))


def test_load_refuses_a_tampered_model(tmp_path):
    from ml.artifacts import ArtifactIntegrityError

    X, y, params = _tabular_data()
    ml.tabular.LightGBMClassifierTask(**params).fit(X, y).save(tmp_path / "m")
    with open(tmp_path / "m" / "model.txt", "a") as handle:
        handle.write("\n")
    with pytest.raises(ArtifactIntegrityError):
        ml.tabular.LightGBMClassifierTask.load(tmp_path / "m")

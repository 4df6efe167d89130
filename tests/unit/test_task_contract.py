"""One contract test over every registered task (scikit-learn style estimator contract)."""
import inspect

import numpy as np
import pandas as pd
import pytest

import ml.cnn  # noqa: F401 - registers its task
import ml.credit  # noqa: F401 - registers the finance task
import ml.rul  # noqa: F401 - registers the RUL tasks
import ml.rul_sequence  # noqa: F401
import ml.tabular  # noqa: F401 - registers its task
from ml.task import TASKS, Explanation, NotFittedError, Task
from tests.support import classification_frame

# Each registered task names how to build tiny training data for itself.
def _tabular_data():
    frame = classification_frame(160)
    return frame[["amount", "purpose", "age"]], frame["default"], {"n_estimators": 10}


def _image_data():
    from tests.triage_support import sample_images

    pictures = sample_images(12)
    X = ml.cnn.image_frame(pictures["normal"] + pictures["pneumonia"])
    return X, pd.Series(["normal"] * 12 + ["pneumonia"] * 12), {"size": 28, "epochs": 1, "width": 4, "batch_size": 8}


def _credit_data():
    from tests.unit.test_finance_model import credit_contract_data

    return credit_contract_data()


FIXTURES = {"lightgbm_classifier": _tabular_data, "cnn_image_classifier": _image_data,
            "credit_lightgbm": _credit_data}


# Maintenance desk: RUL tasks on a tiny generated fleet.
def _rul_data(params):
    def build():
        from ml.degradation_sim import simulate_fleet
        from ml.rul_history import HistoryPreprocessor
        from ml.rul_shape import rul_target

        train = simulate_fleet(n_train=4, n_test=0, seed=0, min_life=30, max_life=40).train
        prepared, _ = HistoryPreprocessor(unit="unit", time="cycle").fit(train).transform(train)
        return prepared, rul_target(prepared, 125), params
    return build


FIXTURES["lightgbm_rul"] = _rul_data({"n_estimators": 10, "window": 5})
FIXTURES["cnn_rul"] = _rul_data({"epochs": 1, "window": 5, "channels": 4, "max_windows": 64})


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


def test_tabular_accepts_column_names_lightgbm_would_reject(tmp_path):
    X, y, params = _tabular_data()
    X = X.rename(columns={"amount": "Air temperature [K]", "age": 'Torque {"Nm"}'})
    task = ml.tabular.LightGBMClassifierTask(**params).fit(X, y)
    assert task.explain(X.head(5)).feature_names == ("Air temperature [K]", "purpose", 'Torque {"Nm"}')
    task.save(tmp_path / "m")
    pd.testing.assert_frame_equal(ml.tabular.LightGBMClassifierTask.load(tmp_path / "m").predict(X), task.predict(X))


def test_tabular_encoder_on_a_wide_frame_is_quiet_and_keeps_order_and_index():
    """A 150-column loan book used to print one pandas fragmentation warning per column and call."""
    import warnings

    from ml.tabular import TabularFrameEncoder

    X = pd.DataFrame({f"x{i}": np.arange(4.0) for i in range(150)}
                     | {"c": ["a", None, "b", "a"], "flag": [True, False, True, False], "s": ["1", "inf", None, "2"]},
                     index=[7, 7, 3, 3])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out = TabularFrameEncoder().fit(X).transform(X)
    assert list(out.columns) == list(X.columns) and out.index.tolist() == [7, 7, 3, 3]
    assert out["c"].tolist()[0] == "a" and pd.isna(out["c"].iloc[1]) and out["flag"].tolist() == [1.0, 0.0, 1.0, 0.0]
    assert str(out["s"].dtype) == "category" and out["x149"].tolist() == [0.0, 1.0, 2.0, 3.0]

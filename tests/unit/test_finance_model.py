"""Credit model task, calibrator and feature plan: contract, round trips, unseen values."""
import json

import numpy as np
import pandas as pd
import pytest

from ml.credit import Calibrator, CreditModelTask
from ml.credit_features import FeaturePlan, align, plan_features, unseen_categories
from ml.task import NotFittedError
from tests.support import classification_frame
from tests.unit import test_task_contract


def credit_contract_data():
    frame = classification_frame(160)
    return frame[["amount", "purpose", "age"]], frame["default"], {"n_estimators": 20, "positive": "bad"}


# The shared contract test runs over every registered task; this one's tiny data (until it is listed there).
def test_contract_fixture_is_registered():
    assert CreditModelTask.name in test_task_contract.FIXTURES


def test_fit_predict_calibrate_save_load_round_trip(tmp_path):
    X, y, params = credit_contract_data()
    task = CreditModelTask(**params, early_stopping_rounds=5).fit(X, y)
    assert 1 <= task.best_iteration_ <= 20 and task.positive_ == "bad"
    raw = task.predict(X)
    assert list(raw.columns) == ["score", "pd"] and np.allclose(raw["score"], raw["pd"])
    bad = (y == "bad").to_numpy().astype(int)
    task.set_calibrator(Calibrator("isotonic").fit(raw["score"].to_numpy(), bad))
    predicted = task.predict(X)
    assert predicted["pd"].between(0, 1).all() and not np.allclose(predicted["pd"], predicted["score"])
    task.save(tmp_path / "m")
    loaded = CreditModelTask.load(tmp_path / "m")
    pd.testing.assert_frame_equal(loaded.predict(X), predicted)
    explanation = loaded.explain(X.head(5))
    assert explanation.values.shape == (5, 3) and explanation.feature_names == ("amount", "purpose", "age")
    # SHAP adds up to the raw model's log-odds
    logit = np.log(predicted["score"].head(5) / (1 - predicted["score"].head(5)))
    assert np.allclose(explanation.values.sum(axis=1) + explanation.base_value, logit, atol=1e-4)


@pytest.mark.parametrize("method", ["platt", "isotonic"])
def test_calibrator_json_round_trip(method):
    rng = np.random.default_rng(0)
    scores = rng.random(200)
    bad = (rng.random(200) < scores).astype(int)
    calibrator = Calibrator(method).fit(scores, bad)
    again = Calibrator.from_json(calibrator.to_json())
    assert np.array_equal(again.transform(scores), calibrator.transform(scores))
    assert np.all(np.diff(calibrator.transform(np.linspace(0, 1, 50))) >= -1e-12)  # monotone


def test_predict_before_fit_is_a_clear_error():
    with pytest.raises(NotFittedError):
        CreditModelTask().predict(pd.DataFrame({"a": [1]}))
    with pytest.raises(NotFittedError):
        Calibrator().transform(np.array([0.5]))


def test_plan_reads_numbers_stored_as_text_and_drops_ids_constants_and_empties():
    frame = pd.DataFrame({
        "income": [f"${(v * 37) % 1000 + 1000:,}" for v in range(100)], "rate": [f"{v % 7}%" for v in range(100)],
        "ref": [f"R{v}" for v in range(100)], "branch": ["x"] * 100, "empty": [None] * 100,
        "city": ["a", "b"] * 50, "flag": [True, False] * 50,
    })
    plan = plan_features(frame)
    assert plan.kinds == {"income": "numeric", "rate": "numeric", "city": "categorical", "flag": "boolean"}
    assert set(plan.dropped) == {"ref", "branch", "empty"} and plan.dropped["branch"] == "constant"
    aligned = align(frame, plan)
    assert aligned["income"].iloc[1] == 1037.0 and aligned["rate"].iloc[3] == 3.0
    new = pd.DataFrame({"income": ["2,500", "n/a"], "rate": [1, 2], "city": ["c", None], "flag": ["yes", "no"]})
    scored = align(new, FeaturePlan.from_json(plan.to_json()))
    assert scored["income"].tolist()[0] == 2500.0 and np.isnan(scored["income"].tolist()[1])
    assert scored["flag"].tolist() == [1.0, 0.0]
    assert unseen_categories(scored, {"city": ["a", "b"]}) == {"city": {"rows": 1, "examples": ["c"]}}


def test_column_names_with_json_characters_and_spaces_are_handled():
    frame = classification_frame(120)
    X = frame[["amount", "purpose", "age"]].rename(columns={"amount": "Amount [EUR]", "age": 'Age "years"'})
    task = CreditModelTask(n_estimators=10, positive="bad").fit(X, frame["default"])
    assert task.predict(X)["pd"].between(0, 1).all()
    assert task.explain(X.head(2)).feature_names == ("Amount [EUR]", "purpose", 'Age "years"')


def test_a_row_counter_is_not_a_feature():
    frame = pd.DataFrame({"UDI": range(1, 101), "score": [v % 13 for v in range(100)]})
    plan = plan_features(frame)
    assert plan.kinds == {"score": "numeric"} and plan.dropped["UDI"].startswith("row counter")


def test_logistic_scorer_contributions_are_exact_and_survive_json(tmp_path):
    from ml.credit_linear import LogisticScorer

    X, y, _ = credit_contract_data()
    X = X.copy()
    X.loc[:4, "amount"] = np.nan
    kinds = {"amount": "numeric", "purpose": "categorical", "age": "numeric"}
    bad = (y == "bad").to_numpy().astype(int)
    scorer = LogisticScorer(kinds).fit(X, bad)
    parts = scorer.contributions(X)
    assert parts.shape == (160, 3)
    assert np.allclose(parts.sum(axis=1) + scorer.base_value_, scorer.logit(X))
    assert np.allclose(parts.mean(axis=0), 0, atol=1e-9)   # measured from the training average
    again = LogisticScorer.from_json(json.loads(json.dumps(scorer.to_json())))
    new = X.head(3).assign(purpose=["spaceship", None, "car"])  # unseen and missing categories score too
    assert np.array_equal(again.score(new), scorer.score(new)) and again.score(new).round(6).tolist()


def test_blended_task_scores_explains_and_round_trips(tmp_path):
    from ml.credit_linear import LogisticScorer

    X, y, params = credit_contract_data()
    bad = (y == "bad").to_numpy().astype(int)
    task = CreditModelTask(**params).fit(X, y)
    tree = task.score(X)
    linear = LogisticScorer({"amount": "numeric", "purpose": "categorical", "age": "numeric"}).fit(X, bad)
    task.set_blend(linear, 0.4)
    blended = task.score(X)
    expected = 0.4 * np.log(tree / (1 - tree)) + 0.6 * linear.logit(X)
    assert task.champion_ == "blend" and np.allclose(np.log(blended / (1 - blended)), expected)
    explanation = task.explain(X.head(6))
    assert explanation.extra["model"] == "blend" and explanation.feature_names == ("amount", "purpose", "age")
    assert np.allclose(explanation.values.sum(axis=1) + explanation.base_value, expected[:6], atol=1e-4)
    task.save(tmp_path / "m")
    loaded = CreditModelTask.load(tmp_path / "m")
    assert loaded.champion_ == "blend" and np.allclose(loaded.score(X), blended)
    assert not list((tmp_path / "m").glob("*.pkl"))
    assert task.set_blend(linear, 0.0).champion_ == "logistic" and np.allclose(task.score(X), linear.score(X))
    with pytest.raises(ValueError):
        task.set_blend(None, 0.5)


def test_blend_weight_is_chosen_with_nested_folds():
    from ml import credit_eval

    rng = np.random.default_rng(1)
    bad = (rng.random(400) < 0.3).astype(int)
    signal = bad + rng.normal(0, 1.0, 400)
    good = 1 / (1 + np.exp(-signal))                                  # informative
    noise = 1 / (1 + np.exp(-rng.normal(0, 1.0, 400)))                 # useless
    splits = credit_eval.stratified_folds(bad, 5, 0)
    weight, nested, per_fold = credit_eval.choose_blend(noise, good, bad, splits)
    assert weight <= 0.2 and len(per_fold) == 5 and max(per_fold) <= 0.3
    assert nested.shape == (400,) and np.all((nested > 0) & (nested < 1))
    assert credit_eval.choose_blend(good, noise, bad, splits)[0] >= 0.8

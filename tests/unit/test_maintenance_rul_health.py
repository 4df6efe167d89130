"""The LightGBM RUL model's health index (the sensors' first principal direction) and its 60-reading statistics."""
import json

import numpy as np
import pandas as pd
import pytest

from ml.artifacts import write_metadata
from ml.degradation_sim import simulate_fleet
from ml.rul import RulLightGBMTask, rul_features
from ml.rul_health import HEALTH_INDEX, health_direction, with_health_index
from ml.rul_history import HistoryPreprocessor
from ml.rul_shape import TIME, UNIT, rul_target


def _wearing_units(units: int = 4, life: int = 80) -> pd.DataFrame:
    """Two sensors that drift together with wear (one up, one down) and one that is noise alone."""
    rng = np.random.default_rng(0)
    wear = np.tile(np.linspace(0, 1, life) ** 2, units)
    return pd.DataFrame({UNIT: np.repeat(np.arange(units), life), TIME: np.tile(np.arange(1, life + 1), units),
                         "up": 3 * wear + rng.normal(0, 0.1, units * life),
                         "down": -3 * wear + rng.normal(0, 0.1, units * life),
                         "noise": rng.normal(0, 0.1, units * life)})


def test_the_index_rises_with_wear_and_weighs_the_drifting_sensors():
    prepared = _wearing_units()
    direction = health_direction(prepared, rul_target(prepared, 60).to_numpy())
    assert list(direction) == ["up", "down", "noise"]
    assert direction["up"] > 0.6 and direction["down"] < -0.6 and abs(direction["noise"]) < 0.1
    index = with_health_index(prepared, direction)[HEALTH_INDEX]
    assert index[prepared[TIME] == 80].mean() > index[prepared[TIME] == 1].mean() + 4  # about 3√2 apart
    flipped = health_direction(prepared, -rul_target(prepared, 60).to_numpy())  # the sign follows the RUL
    assert flipped["up"] == pytest.approx(-direction["up"])


def test_one_sensor_gets_no_index():
    prepared = _wearing_units()[[UNIT, TIME, "up"]]
    assert health_direction(prepared, rul_target(prepared, 60).to_numpy()) == {}
    assert list(with_health_index(prepared, {}).columns) == [UNIT, TIME, "up"]


def test_features_over_60_readings_are_added_beside_the_window():
    prepared = _wearing_units()[[UNIT, TIME, "up"]]
    names = list(rul_features(prepared, 30).columns)
    assert {"up__mean60", "up__slope60", "up__mean10", "up__slope10"} <= set(names)
    assert not any(n.endswith("60") for n in rul_features(prepared, 90).columns)  # the window is longer already
    slope = rul_features(prepared, 30)["up__slope60"].to_numpy()
    assert slope[79] > slope[40] > 0  # the wear's trend over the last 60 readings steepens


@pytest.fixture(scope="module")
def fitted():
    fleet = simulate_fleet(n_train=6, n_test=0, seed=1, min_life=40, max_life=60)
    prep = HistoryPreprocessor(unit="unit", time="cycle").fit(fleet.train)
    prepared = prep.transform(fleet.train)[0]
    return prepared, RulLightGBMTask(n_estimators=10, window=10).fit(prepared, rul_target(prepared, 125))


def test_the_model_reads_the_index_and_keeps_its_direction_when_saved(fitted, tmp_path):
    prepared, model = fitted
    assert {f"{HEALTH_INDEX}__last", f"{HEALTH_INDEX}__slope10", f"{HEALTH_INDEX}__drift"} <= set(model.feature_names_)
    model.save(tmp_path / "m")
    loaded = RulLightGBMTask.load(tmp_path / "m")
    assert loaded.health_ == pytest.approx(model.health_)
    np.testing.assert_allclose(loaded.predict(prepared)["rul"], model.predict(prepared)["rul"])


def test_a_model_saved_before_the_index_still_predicts(fitted, tmp_path, monkeypatch):
    prepared, _ = fitted
    monkeypatch.setattr("ml.rul.health_direction", lambda X, y: {})  # trained as before: sensors only
    old = RulLightGBMTask(n_estimators=10, window=10).fit(prepared, rul_target(prepared, 125))
    old.save(tmp_path / "m")
    meta = json.loads((tmp_path / "m" / "metadata.json").read_text())
    write_metadata(tmp_path / "m", task=old.name, parameters=meta["parameters"], feature_names=old.feature_names_)
    loaded = RulLightGBMTask.load(tmp_path / "m")
    assert loaded.health_ == {}
    np.testing.assert_allclose(loaded.predict(prepared)["rul"], old.predict(prepared)["rul"])


def test_the_importance_caption_says_what_the_health_index_is():
    from services.maintenance_results import rul_importance_caption
    from services.maintenance_words import feature_words

    shown = [feature_words("s7__slope30"), feature_words(f"{HEALTH_INDEX}__ewm0.3")]
    assert "first principal direction" in rul_importance_caption(shown, "cycles")
    plain = rul_importance_caption([feature_words("s7__slope30")], "cycles")
    assert "cycles of predicted life" in plain and HEALTH_INDEX not in plain

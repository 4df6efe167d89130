"""The forecast job's "Explaining the model (SHAP)" step: it explained 2,000 training rows (15 s of CPU of a 29 s
run on the bundled sample); now 1,000, by LightGBM's own TreeSHAP, which gives shap's values."""
from __future__ import annotations

import numpy as np
import pandas as pd
import shap

from ml import forecast_models as models
from services import retail


def _fitted(periods: int = 400):
    rng = np.random.default_rng(0)
    dates = pd.date_range("2022-01-03", periods=periods, freq="D")
    data = pd.concat([pd.DataFrame({"unique_id": f"store={s}", "ds": dates, "store": str(s),
                                    "y": rng.poisson(20 + 5 * (dates.dayofweek == 5), periods).astype(float)})
                      for s in (1, 2, 3, 4)], ignore_index=True)
    config = models.feature_config("D", "D", 14, 60, static=("store",), n_estimators=5)
    return models.fit_lightgbm(data, config, threads=1), data


def test_the_global_drivers_explain_a_sample_of_1000_rows(monkeypatch):
    fitted, data = _fitted()
    seen, tree_shap = [], models.tree_shap
    monkeypatch.setattr(models, "tree_shap", lambda booster, X: seen.append(len(X)) or tree_shap(booster, X))
    importance = retail._explain(fitted, data, None, seed=0)["importance"]
    assert seen == [1000] and len(models.training_features(fitted, data, 10**6, 0)) > 1000
    assert set(importance) == set(fitted.feature_names) and max(importance.values()) > 0


def test_lightgbm_tree_shap_gives_shaps_values():
    fitted, data = _fitted(120)
    X = models.training_features(fitted, data, 200, 0)
    expected = np.asarray(shap.TreeExplainer(fitted.booster).shap_values(X))
    np.testing.assert_allclose(models.tree_shap(fitted.booster, X), expected, atol=1e-9)

"""The logistic member reads a category of many values as one column of its levels' smoothed default log-odds,
cross-fitted: as 50 one-hot lines, scaled to unit spread, L2 barely shrank them on a large book, and a 50-state
addr_state of pure noise took about a tenth of the champion's SHAP through the logistic member."""
import json

import numpy as np
import pandas as pd

from ml.credit_linear import RATE_LEVELS, LogisticScorer

STATES = [f"S{k:02d}" for k in range(50)]


def _book(seed: int, state_effect: float, rows: int = 4000) -> tuple[pd.DataFrame, np.ndarray]:
    rng = np.random.default_rng(seed)
    X = pd.DataFrame({"addr_state": rng.choice(STATES, rows), "rate": rng.normal(12, 3, rows),
                      "term": rng.choice(["36", "60"], rows)})
    effect = dict(zip(STATES, np.random.default_rng(99).normal(0, state_effect, 50)))
    z = -1.5 + 0.15 * (X["rate"] - 12) + 0.4 * (X["term"] == "60") + X["addr_state"].map(effect)
    return X, (rng.random(rows) < 1 / (1 + np.exp(-z))).astype(int).to_numpy()


def _state_share(scorer: LogisticScorer, X: pd.DataFrame) -> float:
    weight = np.abs(scorer.contributions(X)).mean(axis=0)
    return float(weight[list(scorer.kinds).index("addr_state")] / weight.sum())


KINDS = {"addr_state": "categorical", "rate": "numeric", "term": "categorical"}


def test_a_noise_state_is_one_rate_column_with_a_small_share():
    X, bad = _book(0, 0.0)
    scorer = LogisticScorer(KINDS).fit(X, bad)
    parts = [s["part"] for s in scorer.columns_ if s["column"] == "addr_state"]
    assert parts == ["rate"] and len(STATES) > RATE_LEVELS
    assert _state_share(scorer, X) < 0.05  # 0.20 as 50 one-hot lines
    assert [s["part"] for s in scorer.columns_ if s["column"] == "term"] == ["level", "level", "other"]


def test_a_real_state_effect_is_kept_and_the_explanation_stays_exact():
    X, bad = _book(1, 0.6)
    scorer = LogisticScorer(KINDS).fit(X, bad)
    assert _state_share(scorer, X) > 0.4  # 0.46 as 50 one-hot lines too
    assert np.allclose(scorer.base_value_ + scorer.contributions(X).sum(axis=1), scorer.logit(X))
    loaded = LogisticScorer.from_json(json.loads(json.dumps(scorer.to_json())))
    unseen = X.head(3).assign(addr_state=["S00", "Mars", None])
    assert np.allclose(loaded.logit(unseen), scorer.logit(unseen))
    spec = next(s for s in scorer.columns_ if s["part"] == "rate")
    assert loaded.logit(unseen.iloc[[1]])[0] == loaded.logit(unseen.iloc[[1]].assign(addr_state="Venus"))[0]
    assert spec["other"] == 0.0  # no rare state in the fit: an unseen one reads as the book's rate

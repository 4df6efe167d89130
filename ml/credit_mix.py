"""The champion's blend: shares of boosted LightGBM, the LightGBM random forest and the logistic model, mixed in
log-odds and chosen on out-of-fold scores by Platt log loss, nested so that each fold's shares come from the
other folds only.
"""
from __future__ import annotations

import numpy as np
from scipy.special import expit

BLEND_WEIGHTS = tuple(round(w, 2) for w in np.linspace(0, 1, 11))   # share of LightGBM in the blend


def blend_scores(tree: np.ndarray, linear: np.ndarray, weight: float) -> np.ndarray:
    """Weighted average in log-odds of the LightGBM and logistic probabilities, back as a probability."""
    from ml.credit_scores import blend_logit

    return expit(blend_logit(tree, linear, weight))


def _platt_log_loss(scores: np.ndarray, bad: np.ndarray) -> float:
    """Log loss after a Platt map: a proper score of the blend that ignores its (uncalibrated) scale."""
    from ml.credit_scores import _logit, platt_fit

    z, y = _logit(np.asarray(scores, float)), np.asarray(bad, float)
    slope, intercept = platt_fit(z, y)
    t = slope * z + intercept
    return float(np.mean(np.logaddexp(0.0, t) - y * t))


MIX_SEARCH_ROWS = 20_000   # the weight grid is coarse: 20,000 rows choose it as well as 300,000 do


def _search_rows(rows: np.ndarray) -> np.ndarray:
    """The rows a weight search scores: all of them on small books, a fixed random subset on big ones."""
    if len(rows) <= MIX_SEARCH_ROWS:
        return rows
    return np.sort(np.random.default_rng(0).choice(rows, MIX_SEARCH_ROWS, replace=False))


def choose_blend(tree: np.ndarray, linear: np.ndarray, bad: np.ndarray, splits: list[tuple[np.ndarray, np.ndarray]],
                 weights: tuple[float, ...] = BLEND_WEIGHTS) -> tuple[float, np.ndarray, list[float]]:
    """The LightGBM share of the champion, chosen on out-of-fold scores by Platt log loss.

    Nested: each fold's scores use a weight chosen on the other folds only, so the champion's reported
    metrics do not profit from the choice. The final weight is chosen on all out-of-fold scores.
    Weight 1 is LightGBM alone, 0 the logistic model alone.
    """
    def best(rows: np.ndarray) -> float:
        rows = _search_rows(rows)
        losses = [_platt_log_loss(blend_scores(tree[rows], linear[rows], w), bad[rows]) for w in weights]
        return float(weights[int(np.argmin(losses))])

    nested, per_fold = np.zeros(len(bad)), []
    for train_idx, test_idx in splits:
        weight = best(train_idx)
        per_fold.append(weight)
        nested[test_idx] = blend_scores(tree[test_idx], linear[test_idx], weight)
    return best(np.arange(len(bad))), nested, per_fold


def mix_grid(members: tuple[str, ...], step: float = 0.1) -> list[dict[str, float]]:
    """Every split of the weight among the members in steps of ``step`` (66 for three members at 0.1)."""
    import itertools

    n = int(round(1 / step))
    grid = []
    for head in itertools.product(range(n + 1), repeat=len(members) - 1):
        if sum(head) <= n:
            grid.append({m: round(k / n, 6) for m, k in zip(members, (*head, n - sum(head)))})
    return grid


def mix_scores(scores: dict[str, np.ndarray], weights: dict[str, float]) -> np.ndarray:
    from ml.credit_scores import mix_logit

    return expit(mix_logit(scores, weights))


def choose_mix(scores: dict[str, np.ndarray], bad: np.ndarray, splits: list[tuple[np.ndarray, np.ndarray]],
               grid: list[dict[str, float]]) -> tuple[dict[str, float], np.ndarray, list[dict[str, float]]]:
    """Each member's share of the champion, chosen on out-of-fold scores by Platt log loss.

    As choose_blend, for any number of members: nested (each fold's scores use weights chosen on the
    other folds only); the final weights are chosen on all out-of-fold scores.
    """
    logits = {name: _logit_of(values) for name, values in scores.items()}

    def best(rows: np.ndarray) -> dict[str, float]:
        rows = _search_rows(rows)
        losses = [_platt_log_loss(_mixed(logits, w, rows), bad[rows]) for w in grid]
        return dict(grid[int(np.argmin(losses))])

    nested, per_fold = np.zeros(len(bad)), []
    for train_idx, test_idx in splits:
        weights = best(train_idx)
        per_fold.append(weights)
        nested[test_idx] = _mixed(logits, weights, test_idx)
    return best(np.arange(len(bad))), nested, per_fold


def fold_mixes(scores: dict[str, np.ndarray], splits: list[tuple[np.ndarray, np.ndarray]],
               fold_weights: list[dict[str, float]]) -> list[np.ndarray]:
    """Each split's training rows mixed with that fold's own weights (from choose_mix): what its calibration
    map is fitted on, on the scale of the fold's nested scores."""
    logits = {name: _logit_of(values) for name, values in scores.items()}
    return [_mixed(logits, weights, train_idx) for (train_idx, _), weights in zip(splits, fold_weights)]


def _logit_of(p: np.ndarray) -> np.ndarray:
    p = np.clip(np.asarray(p, float), 1e-6, 1 - 1e-6)
    return np.log(p / (1 - p))


def _mixed(logits: dict[str, np.ndarray], weights: dict[str, float], rows: np.ndarray) -> np.ndarray:
    """The weighted log-odds of the chosen rows, back as probabilities."""
    out = np.zeros(len(rows))
    for name, w in weights.items():
        if w > 1e-9:
            out += w * logits[name][rows]
    return expit(out)

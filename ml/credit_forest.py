"""Random-forest member of the credit champion: LightGBM in random-forest mode (bagged deep trees).

Boosting with early stopping has little to work with on small loan books; an average of many deep,
decorrelated trees (bagged rows, a random few of the columns per split) often ranks better there, and
its errors differ from both the boosted trees' and the logistic model's, so it adds to a blend.

How many columns a split may look at (mtry) is the forest's one sensitive setting, and the best value
varies from book to book. Rather than one fixed rule, the forest is three equal sub-forests with
mtry = √p/2, √p and 2√p (the range R's tuneRF steps through), averaged in log-odds: one
unlucky mtry cannot sink it, at the same total number of trees.

It is still LightGBM: text model files, native categoricals, and exact TreeSHAP contributions
(LightGBM's own ``pred_contrib``), so reason codes keep working.
"""
from __future__ import annotations

import math
import re
from pathlib import Path
from typing import Any

import numpy as np
from scipy.special import expit
import pandas as pd

from ml.tabular import TabularFrameEncoder
from ml.task import NotFittedError

FOREST_FILE = "forest.txt"          # forest.txt, forest_1.txt, forest_2.txt: one per sub-forest
DEFAULT_TREES = 600
MTRY_FACTORS = (0.5, 1.0, 2.0)       # × √p columns per split
MIN_LEAF_ROWS = 2            # deep trees, as a random forest grows them; averaging does the smoothing
# At 3, German credit's champion had out-of-fold AUC 0.8011 and cost per case 0.505 (nested 0.533, seeds 0-4); at 2,
# 0.8029, 0.498 and 0.521 (seeds 5-9: cost 0.515 -> 0.513; 10-14: 0.511 -> 0.507). Books over 2,000 rows, whose
# trees stop at max_leaves first, hardly move (a 20,000-row Give-Me-Some-Credit-shaped book: 0.2492 -> 0.2493).
MAX_LEAVES = 256
FULL_DEPTH_ROWS = 2_000      # up to this many rows trees may grow MAX_LEAVES leaves; beyond, fewer
MIN_LEAVES = 32
# Smoothing of a category's default rate when a split sorts more than 32 values (max_cat_to_onehot) many-vs-many.
# At 1, a 50-state addr_state of pure noise on a 5,000-row book took 0.150 of the forest's SHAP; at 10, 0.097, with
# out-of-fold AUC 0.630 → 0.638 (a state with a real effect: 0.650 → 0.652). Fewer values split one against the
# rest, where it plays no part (German credit's forest is unchanged).
CAT_SMOOTH = 10.0


def max_leaves(rows: int) -> int:
    """Leaves per tree: 256 up to 2,000 rows, then shrinking to 32 by 16,000 rows.

    Reason codes need exact TreeSHAP for every scored row, whose cost grows with leaves × depth²:
    on a 30,000-row book, 256-leaf trees took 45.8 s to explain 2,000 applicants, 32-leaf trees 4.4 s,
    with hold-out AUC 0.7676 against 0.7667. Small books, where the forest helps most, are unchanged.
    """
    if rows <= FULL_DEPTH_ROWS:
        return MAX_LEAVES
    return max(MIN_LEAVES, int(MAX_LEAVES * FULL_DEPTH_ROWS / rows))


# Bins per numeric column once the trees are no longer full depth. Deep trees with leaves of a few rows spend
# their time scanning every bin of every column at each split: on a 6,000 x 64 book of financial ratios (Polish
# bankruptcies) the forest took 83 % of a 222 s training; with 63 bins its out-of-fold AUC stayed 0.9788 at
# 2.6 times less CPU (a 30,000-row book: 0.8153 against 0.8152). Small books, where each value counts, keep 255.
FOREST_BINS = 63
FULL_FOREST_ROWS = 5_000    # up to this many rows the forest grows all its trees; beyond, fewer
MIN_TREES = 150
# Batches this large explain on every core. On the 800-row German book (256-leaf trees), 400 applicants
# took 5.9 s on one thread and 3.1 s on two; with both cores busy elsewhere, 9.0 s and 6.1 s (threads
# wait passively: OMP_WAIT_POLICY, set in ml/__init__). A single what-if row gains nothing.
PARALLEL_ROWS = 16
BIN_SAMPLE_ROWS = 200_000  # LightGBM's bin_construct_sample_cnt: up to this many rows, bins use every row
# Columns one tree may split on (each tree draws its own; each split still looks at about mtry of them). LightGBM
# builds a node's histograms over every column its tree may use, whatever the split then looks at, so on a wide book
# the forest's cost grew with the columns: on a 300-row book of 1,000 numeric columns one fold's forest took 16.0 s of
# CPU, and a whole training of 2,000 columns 272 s (109 s with this limit). Books up to this width are unchanged.
TREE_COLUMNS = 256


def forest_trees(trees: int, rows: int) -> int:
    """Trees for a book of ``rows``: all of them up to 5,000 rows, then fewer, down to 150 by 20,000.

    Reason codes need the forest's exact TreeSHAP for every scored row, at a cost proportional to the
    trees: on a 120,000-row book, 600 trees took 77 s to explain 30,000 applicants, and on an 11,000-row
    Lending-Club-shaped book 29 s to score 4,000. A big book's trees are each fitted on many rows, so fewer
    of them average out as well: with the limit at 5,000 rows rather than 20,000, that book's forest
    out-of-fold AUC was 0.7052 against 0.7051 (268 trees against 600), and a 30,000-row Home-Credit-shaped
    book's 0.6500 against 0.6511, its champion unchanged at 0.6484, with training 42 s → 18 s.
    """
    if rows <= FULL_FOREST_ROWS:
        return trees
    return max(min(trees, MIN_TREES), int(trees * FULL_FOREST_ROWS / rows))


def sized_leaves(rows: int, sized_as: int | None) -> int:
    """Leaves for a forest fitted on ``rows`` whose scores are read on the scale of forests fitted on ``sized_as``
    rows (the cross-validation folds, whose out-of-fold scores fit the calibration map): as many more leaves as
    it has more rows, so that a leaf averages as many loans. A forest's probabilities shrink towards the weighted
    mean as its leaves grow: on a 5,000-row Give-Me-Some-Credit-shaped book the final forest (102 leaves, 20 rows
    each) scored new applicants 0.2 log-odds above its folds' forests (128 leaves, 16 rows), so calibrated PDs
    ran high and a batch like the training rows read "watch" on the score's PSI."""
    if not sized_as or sized_as >= rows:
        return max_leaves(rows)
    return round(max_leaves(sized_as) * rows / sized_as)


class ForestScorer:
    """fit(X, bad) → score(X) (probability of default), contributions(X) (log-odds per original column).
    ``sized_as``: the training rows of the folds whose out-of-fold scores calibrate this forest (``sized_leaves``);
    ``threads``: LightGBM's threads for the fit (None: one for small tables, else all; cross-validation folds: 1)."""

    def __init__(self, *, trees: int = DEFAULT_TREES, min_leaf_rows: int = MIN_LEAF_ROWS,
                 class_weight: str | None = "balanced", seed: int = 0, sized_as: int | None = None,
                 threads: int | None = None) -> None:
        self.trees = trees
        self.min_leaf_rows = min_leaf_rows
        self.class_weight = class_weight
        self.seed = seed
        self.sized_as = sized_as
        self.threads = threads

    def _params(self, columns: int, rows: int, factor: float) -> dict[str, Any]:
        share = min(1.0, max(1.0 / columns, factor * math.sqrt(columns) / columns))
        per_tree = min(1.0, TREE_COLUMNS / columns)  # the node's share is per_tree x bynode
        binned = min(rows, self.sized_as or rows)  # bins as the folds' forests had them
        threads = self.threads if self.threads is not None else 1 if rows < 20_000 else 0
        return {"objective": "binary", "boosting": "rf", "bagging_fraction": 0.632, "bagging_freq": 1,
                "feature_fraction": per_tree, "feature_fraction_bynode": min(1.0, share / per_tree),
                "num_leaves": sized_leaves(rows, self.sized_as), "min_child_samples": self.min_leaf_rows,
                "min_data_per_group": self.min_leaf_rows, "cat_smooth": CAT_SMOOTH, "max_cat_to_onehot": 32,
                "seed": self.seed + int(factor * 100), "verbose": -1, "deterministic": True,
                "num_threads": threads, "max_bin": FOREST_BINS if binned > FULL_DEPTH_ROWS else 255}

    def fit(self, X: pd.DataFrame, bad: np.ndarray) -> "ForestScorer":
        import lightgbm as lgb

        bad = np.asarray(bad, int)
        self.encoder_ = TabularFrameEncoder().fit(X)
        encoded = self._encode(X)
        weights = balanced_weights(bad) if self.class_weight == "balanced" else None
        per_forest = max(1, forest_trees(self.trees, len(encoded)) // len(MTRY_FACTORS))
        self.boosters_, dataset = [], None
        for factor in MTRY_FACTORS:
            # The sub-forests share one binned Dataset (binning took a third of a forest's fit) where every row
            # is binned, so that their seeds cannot matter; beyond BIN_SAMPLE_ROWS LightGBM bins a sample drawn
            # with each seed, and each sub-forest bins its own, as before.
            if dataset is None or len(encoded) > BIN_SAMPLE_ROWS:
                dataset = lgb.Dataset(encoded, bad, weight=weights, free_raw_data=False)
            self.boosters_.append(lgb.train(self._params(encoded.shape[1], len(encoded), factor), dataset,
                                            num_boost_round=per_forest))
        self.base_value_ = float(self._contrib(X.head(1))[0, -1])
        return self

    def _encode(self, X: pd.DataFrame) -> pd.DataFrame:
        encoded = self.encoder_.transform(X)
        encoded.columns = [safe_name(i, c) for i, c in enumerate(encoded.columns)]
        return encoded

    def _check_fitted(self) -> None:
        if not hasattr(self, "boosters_"):
            raise NotFittedError("ForestScorer used before fit.")

    def logit(self, X: pd.DataFrame) -> np.ndarray:
        self._check_fitted()
        return self._average(X, raw_score=True)

    def score(self, X: pd.DataFrame) -> np.ndarray:
        return expit(self.logit(X))

    def _contrib(self, X: pd.DataFrame) -> np.ndarray:
        self._check_fitted()
        return self._average(X, pred_contrib=True)

    def _average(self, X: pd.DataFrame, **kind: bool) -> np.ndarray:
        """Mean over the sub-forests. Random-forest mode averages its trees for probabilities but sums
        them in raw scores and contributions; dividing by the tree count gives the log-odds its
        probabilities come from."""
        encoded = self._encode(X)
        threads = 1 if len(encoded) < PARALLEL_ROWS or self.threads == 1 else 0  # 0: every core
        parts = [np.asarray(b.predict(encoded, num_threads=threads, **kind), float) / b.num_trees()
                 for b in self.boosters_]
        return np.mean(parts, axis=0)

    def save_models(self, directory: Path) -> None:
        self._check_fitted()
        for i, booster in enumerate(self.boosters_):
            booster.save_model(str(Path(directory) / _model_file(i)))

    def contributions(self, X: pd.DataFrame) -> np.ndarray:
        """(rows, original columns) TreeSHAP values in log-odds: base_value_ + row sum == logit."""
        return self._contrib(X)[:, :-1]

    def to_json(self) -> dict[str, Any]:
        """Everything but the trees, which go to their own text model files (save_models)."""
        self._check_fitted()
        return {"trees": self.trees, "min_leaf_rows": self.min_leaf_rows, "class_weight": self.class_weight,
                "seed": self.seed, "encoder": self.encoder_.to_json(), "base_value": self.base_value_,
                "forests": len(self.boosters_)}

    @classmethod
    def from_json(cls, payload: dict[str, Any], directory: Path) -> "ForestScorer":
        import lightgbm as lgb

        forest = cls(trees=int(payload["trees"]), min_leaf_rows=int(payload["min_leaf_rows"]),
                     class_weight=payload["class_weight"], seed=int(payload["seed"]))
        forest.encoder_ = TabularFrameEncoder.from_json(payload["encoder"])
        forest.boosters_ = [lgb.Booster(model_file=str(Path(directory) / _model_file(i)))
                            for i in range(int(payload["forests"]))]
        forest.base_value_ = float(payload["base_value"])
        return forest


def _model_file(index: int) -> str:
    return FOREST_FILE if index == 0 else FOREST_FILE.replace(".txt", f"_{index}.txt")


def safe_name(index: int, name: str) -> str:
    """LightGBM rejects column names with JSON characters ("Temp [K]"): index plus a cleaned name."""
    return f"f{index}_" + re.sub(r"[^0-9A-Za-z_]+", "_", str(name))[:40]


def balanced_weights(bad: np.ndarray) -> np.ndarray:
    counts = np.bincount(bad, minlength=2).astype(float)
    return (len(bad) / (2 * np.maximum(counts, 1)))[bad]

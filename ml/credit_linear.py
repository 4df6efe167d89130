"""Logistic-regression scorecard for credit: the baseline, and the linear half of a blended champion.

Written out by hand (median fill + missing flag + scaling for numbers held to their training range,
a flag per number used as a code, one-hot for categories)
so that its state is a short JSON of design columns and coefficients — nothing pickled — and so
its explanation is exact: each original column's contribution is the sum of coef × (z − mean z)
over its design columns, in log-odds, and the contributions plus the base value give the logit.
"""
from __future__ import annotations

import math
from typing import Any

import numpy as np
from scipy.special import expit
import pandas as pd

from ml.numbers import to_numeric
from ml.task import NotFittedError

MISSING = "(missing)"
POOLED = "\x00rare"    # rare levels pooled for their rate (no category is spelt so)
MIN_FREQUENCY = 5        # rarer categories share one "(other)" column, as do categories never seen in training
# ... and at least one row in LEVEL_ROWS, up to LEVEL_CAP rows: Lending Club's zip_code (~990 three-digit masks on
# 6,000 loans, pure noise) otherwise got a line of its own per mask seen 5 times, took a tenth of the SHAP and was
# the first reason of 13 % of applicants. A German-credit fold (800 rows) keeps its 5.
LEVEL_ROWS = 200
LEVEL_CAP = 50
TAIL = 0.005             # share of each numeric column's values held at the edge of the rest
DESIGN_BLOCK = 64        # design columns built, then written, together
DEFAULT_C = 0.3          # inverse L2 strength on scaled inputs: mild shrinkage that suits small loan books
# A category of more kept levels than this is one column of its levels' smoothed default log-odds, cross-fitted
# on RATE_FOLDS folds of the fit (a weight-of-evidence scorecard column): as one-hot lines, scaled to unit spread,
# L2 barely shrinks them on a large book, and a 50-state addr_state of pure noise took a tenth of the champion's
# SHAP. German credit's categories (at most 10 values) keep their one-hot lines.
RATE_LEVELS = 15
RATE_ROWS = 20           # a level's rate is pulled towards the book's as if it had this many more rows at that rate
RATE_FOLDS = 5


class LogisticScorer:
    """fit(X, bad) → score(X) (probability of default), contributions(X) (log-odds per original column)."""

    def __init__(self, kinds: dict[str, str], *, C: float = DEFAULT_C, min_frequency: int = MIN_FREQUENCY,
                 codes: dict[str, list[float]] | None = None) -> None:
        self.kinds = dict(kinds)
        self.C = C
        self.min_frequency = min_frequency
        self.codes = {c: [float(v) for v in values] for c, values in (codes or {}).items()}

    def fit(self, X: pd.DataFrame, bad: np.ndarray) -> "LogisticScorer":
        from sklearn.linear_model import LogisticRegression

        bad = np.asarray(bad, int)
        crossed: dict[str, np.ndarray] = {}
        self.columns_ = self._specs(X, bad, crossed)
        Z = self._design(X)
        for j, spec in enumerate(self.columns_):
            if spec["part"] == "rate":  # the fit sees each row's rate as learnt without it
                Z[:, j] = (crossed[spec["column"]] - spec["mean"]) / spec["scale"]
        model = LogisticRegression(C=self.C, max_iter=2000).fit(Z, bad)
        self.coef_ = model.coef_[0].astype(float)
        self.intercept_ = float(model.intercept_[0])
        self.centre_ = Z.mean(axis=0)
        return self

    def least_rows(self, rows: int) -> int:
        """Rows a category needs for a column of its own, on a fit of ``rows`` rows."""
        return max(self.min_frequency, min(LEVEL_CAP, math.ceil(rows / LEVEL_ROWS)))

    def _specs(self, X: pd.DataFrame, bad: np.ndarray, crossed: dict[str, np.ndarray]) -> list[dict[str, Any]]:
        specs: list[dict[str, Any]] = []
        for column, kind in self.kinds.items():
            if kind == "categorical":
                text = _text(X[column])
                counts = text.value_counts()
                kept = sorted(str(v) for v, n in counts.items() if n >= self.least_rows(len(X)))
                if len(kept) > RATE_LEVELS:
                    specs.append(_rate_spec(column, text.to_numpy(), bad, kept, crossed))
                    continue
                specs += [{"column": column, "part": "level", "level": v} for v in kept]
                specs.append({"column": column, "part": "other"})  # rare and unseen categories
                continue
            raw = to_numeric(X[column], errors="coerce").astype(float)
            codes = self.codes.get(column, [])
            # A code (9999 for an unknown credit score) is no amount: the line sees the median and the code's own
            # flag. Held at the 0.5 % edge instead, 2.2 % of codes cost a Freddie-Mac-shaped book 0.05 of AUC.
            values = raw.mask(raw.isin(codes))
            fill = float(values.median()) if values.notna().any() else 0.0
            filled = values.fillna(fill)
            # The outer 0.5 % each side is held at its edge: a sentinel (1e308, 9999999) must neither drive
            # the line nor overflow the scaling; sums run on values divided by the largest edge.
            lo, hi = float(filled.quantile(TAIL, interpolation="lower")), float(filled.quantile(1 - TAIL,
                                                                                               interpolation="higher"))
            size = max(abs(lo), abs(hi), 1.0)
            unit = filled.clip(lo, hi) / size
            specs.append({"column": column, "part": "value", "fill": fill, "mean": float(unit.mean()) * size,
                          "scale": float(unit.std(ddof=0)) * size or 1.0, "lo": lo, "hi": hi, "size": size,
                          **({"codes": codes} if codes else {})})
            flags = [({"part": "missing"}, raw.isna())] + [({"part": "code", "code": c}, raw == c) for c in codes]
            for part, flag in flags:
                if flag.any():
                    specs.append({"column": column, **part, "mean": float(flag.mean()),
                                  "scale": float(flag.astype(float).std(ddof=0)) or 1.0})
        return specs

    def _design(self, X: pd.DataFrame) -> np.ndarray:
        # Each text column is matched to its levels once and each number read once; columns are written in
        # blocks (a single column of a row-major 50,000 x 235 array touches 50,000 cache lines, and a
        # column-major array would need a second full copy for the solver).
        Z = np.zeros((len(X), len(self.columns_)))
        levels: dict[str, list[str]] = {}
        for spec in self.columns_:
            if spec["part"] == "level":
                levels.setdefault(spec["column"], []).append(spec["level"])
        read: dict[str, np.ndarray] = {}   # per column: level index (-1 rare or unseen) or the numbers
        for start in range(0, len(self.columns_), DESIGN_BLOCK):
            block = [self._design_column(spec, X, levels, read)
                     for spec in self.columns_[start:start + DESIGN_BLOCK]]
            Z[:, start:start + len(block)] = np.column_stack(block)
        return Z

    @staticmethod
    def _design_column(spec: dict[str, Any], X: pd.DataFrame, levels: dict[str, list[str]],
                       read: dict[str, np.ndarray]) -> np.ndarray:
        column, part = spec["column"], spec["part"]
        if part == "rate":
            rates = _text(X[column]).map(spec["rates"]).astype(float).fillna(spec["other"]).to_numpy()
            return (rates - spec["mean"]) / spec["scale"]
        if part in ("level", "other"):
            if column not in read:
                known = levels.get(column, [])
                read[column] = (pd.Categorical(_text(X[column]), categories=known).codes if known
                                else np.full(len(X), -1))
            return (read[column] == (levels[column].index(spec["level"]) if part == "level" else -1)).astype(float)
        if column not in read:
            read[column] = to_numeric(X[column], errors="coerce").astype(float).to_numpy()
        values = read[column]
        if part == "value":
            # Held to the training range, as the trees are: a typo (income 1e12) must not drive a line
            # to a PD of 0 (models saved before the range was kept have no lo/hi).
            raw = np.where(np.isnan(values) | np.isin(values, spec.get("codes", [])), spec["fill"], values)
            lo, hi = spec.get("lo"), spec.get("hi")
            raw = raw if lo is None and hi is None else np.clip(raw, lo, hi)
        elif part == "code":
            raw = (values == spec["code"]).astype(float)
        else:
            raw = np.isnan(values).astype(float)
        size = spec.get("size", 1.0)  # models saved before sentinels were held have none
        return (raw / size - spec["mean"] / size) / (spec["scale"] / size)

    def _check_fitted(self) -> None:
        if not hasattr(self, "coef_"):
            raise NotFittedError("LogisticScorer used before fit.")

    def logit(self, X: pd.DataFrame) -> np.ndarray:
        self._check_fitted()
        return self._design(X) @ self.coef_ + self.intercept_

    def score(self, X: pd.DataFrame) -> np.ndarray:
        return expit(self.logit(X))

    @property
    def base_value_(self) -> float:
        """Log-odds of an applicant at the training average: contributions are measured from here."""
        self._check_fitted()
        return float(self.intercept_ + self.centre_ @ self.coef_)

    def contributions(self, X: pd.DataFrame) -> np.ndarray:
        """(rows, original columns) in log-odds: exact, so base_value_ + row sum == logit."""
        self._check_fitted()
        parts = (self._design(X) - self.centre_) * self.coef_
        out = np.zeros((len(X), len(self.kinds)))
        index = {c: i for i, c in enumerate(self.kinds)}
        for j, spec in enumerate(self.columns_):
            out[:, index[spec["column"]]] += parts[:, j]
        return out

    def to_json(self) -> dict[str, Any]:
        self._check_fitted()
        return {"kinds": self.kinds, "C": self.C, "min_frequency": self.min_frequency, "codes": self.codes,
                "columns": self.columns_,
                "coef": self.coef_.tolist(), "intercept": self.intercept_, "centre": self.centre_.tolist()}

    @classmethod
    def from_json(cls, payload: dict[str, Any]) -> "LogisticScorer":
        scorer = cls(payload["kinds"], C=float(payload["C"]), min_frequency=int(payload["min_frequency"]),
                     codes=payload.get("codes"))
        scorer.columns_ = [dict(s) for s in payload["columns"]]
        scorer.coef_ = np.asarray(payload["coef"], float)
        scorer.intercept_ = float(payload["intercept"])
        scorer.centre_ = np.asarray(payload["centre"], float)
        return scorer


def _text(series: pd.Series) -> pd.Series:
    """Categories as strings with one label for missing, as the one-hot columns were built."""
    return series.astype(object).where(series.notna(), MISSING).astype(str)


def _rates(text: np.ndarray, bad: np.ndarray, kept: list[str]) -> tuple[dict[str, float], float]:
    """Each kept level's default log-odds less the rows', pulled towards zero by RATE_ROWS; rare levels pooled."""
    rate = float(np.clip(bad.mean(), 1e-4, 1 - 1e-4))
    base = math.log(rate / (1 - rate))
    frame = pd.DataFrame({"level": np.where(np.isin(text, kept), text, POOLED), "bad": bad})
    sums = frame.groupby("level")["bad"].agg(["sum", "count"])
    smoothed = (sums["sum"] + RATE_ROWS * rate) / (sums["count"] + RATE_ROWS)
    logits = np.log(smoothed / (1 - smoothed)) - base
    other = float(logits.pop(POOLED)) if POOLED in logits.index else 0.0
    return {str(k): float(v) for k, v in logits.items()}, other


def _rate_spec(column: str, text: np.ndarray, bad: np.ndarray, kept: list[str],
               crossed: dict[str, np.ndarray]) -> dict[str, Any]:
    """The rate column of a many-valued category: rates from all rows for scoring, and each row's rate from the
    other folds (``crossed``) for the fit, so that a level's own noise does not look like signal to the line."""
    folds = np.random.default_rng(0).permutation(len(text)) % RATE_FOLDS
    values = np.zeros(len(text))
    for k in range(RATE_FOLDS):
        rates, other = _rates(text[folds != k], bad[folds != k], kept)
        values[folds == k] = pd.Series(text[folds == k]).map(rates).astype(float).fillna(other).to_numpy()
    crossed[column] = values
    rates, other = _rates(text, bad, kept)
    return {"column": column, "part": "rate", "rates": rates, "other": other, "mean": float(values.mean()),
            "scale": float(values.std(ddof=0)) or 1.0}

"""Ratio inputs of a credit model (the loan's amount per unit of its term: domain/loan_ratios.py decides which
columns) and their explanations folded back onto the columns they are made of, so reasons and SHAP charts stay
in the book's own columns."""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace

import numpy as np
import pandas as pd

from ml.task import Explanation


def add_ratios(X: pd.DataFrame, ratios: Mapping[str, Sequence[str]]) -> pd.DataFrame:
    """X with one column per ratio: numerator ÷ denominator, missing where either is missing or the
    denominator is 0 or below."""
    if not ratios:
        return X
    added = {}
    for name, (top, bottom) in ratios.items():
        num = pd.to_numeric(X[top], errors="coerce").astype(float)
        den = pd.to_numeric(X[bottom], errors="coerce").astype(float)
        added[name] = (num / den.where(den > 0)).replace([np.inf, -np.inf], np.nan)
    return X.assign(**added)


def fold_ratios(explanation: Explanation, ratios: Mapping[str, Sequence[str]]) -> Explanation:
    """The ratios' contributions given to their two columns, half each; the ratio columns are dropped. Totals
    per row (and the base value) are unchanged, so contributions still add up to the model's log-odds."""
    names = list(explanation.feature_names)
    folded = [r for r in ratios if r in names and any(p in names for p in ratios[r])]
    if not folded:
        return explanation
    values = np.array(explanation.values, dtype=float, copy=True)
    for name in folded:
        parts = [names.index(p) for p in ratios[name] if p in names]
        share = values[:, names.index(name)] / len(parts)
        for j in parts:
            values[:, j] += share
    keep = [i for i, n in enumerate(names) if n not in folded]
    data = explanation.data.drop(columns=folded, errors="ignore") if explanation.data is not None else None
    return replace(explanation, values=values[:, keep], feature_names=tuple(names[i] for i in keep), data=data)

"""Reason codes of scored applicants: the columns that moved each one's PD most, in plain language with the
applicant's own values as the file wrote them (a code, a date's years before the application, a blank scored at
the training median, a category never seen in training, a number far outside the training range)."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from domain import finance_text as wording
from domain.data_dictionary import Glossary
from ml.credit_features import FeaturePlan, as_dates
from ml.credit_ratios import fold_ratios
from services import finance_score_notes as score_notes

if TYPE_CHECKING:
    from services.finance_scoring import _Loaded


def reason_codes(loaded: _Loaded, frame: pd.DataFrame, X: pd.DataFrame, declined: list[bool] | None = None,
                 codes: dict[str, list[float]] | None = None, glossary: Glossary | None = None) -> list[list[str]]:
    """Top three plain-language reasons per row, with the applicant's values from the original columns.
    A declined applicant is given only what raised the risk: a decline is not explained by what helped."""
    explanation = fold_ratios(loaded.task.explain(X), loaded.plan.ratios)
    shown = at_median(shown_values(frame, X, loaded.plan, loaded.task.categories_, codes), X, loaded)
    shown = far_marked(shown, X, loaded.reference)
    names = list(explanation.feature_names)
    candidates = reason_candidates(np.asarray(explanation.values, float))
    result = []
    for row in range(len(X)):
        contributions = [(names[j], float(explanation.values[row, j]), shown[names[j]][row]) for j in candidates[row]]
        result.append(wording.top_reasons(contributions, 3, raising_only=bool(declined and declined[row]),
                                          glossary=glossary, scales=loaded.plan.scales))
    return result


def reason_candidates(values: np.ndarray, k: int = 3) -> list[list[int]]:
    """Per row, in column order, the columns top_reasons can pick: the k largest risk-raising effects and the k
    largest others by size (ties in column order, as its stable sorts keep them). It picks the same reasons from
    these as from all columns, without building and sorting a 114-column list per applicant."""
    raising = values > 0
    first = np.argsort(np.where(raising, -values, np.inf), axis=1, kind="stable")[:, :k]
    rest = np.argsort(np.where(raising, np.inf, -np.abs(values)), axis=1, kind="stable")[:, :k]
    return [sorted(set(a) | set(b)) for a, b in zip(first.tolist(), rest.tolist())]


def shown_values(frame: pd.DataFrame, X: pd.DataFrame, plan: FeaturePlan,
                  categories: dict[str, list[str]] | None = None,
                  codes: dict[str, list[float]] | None = None) -> dict[str, list[Any]]:
    values = {}
    for column, kind in plan.kinds.items():
        source = X[column] if kind == "numeric" and column not in plan.durations else frame[column]  # '1yrs 11mon'
        if kind == "boolean":  # trained on yes/no, scored as 1/0 or "Y": reads "Is homeowner: yes" either way
            source = X[column].map({1.0: True, 0.0: False})
        if kind == "datetime" and pd.api.types.is_numeric_dtype(source):  # Excel's 38744 and 201604 as dates
            source = as_dates(source)
        values[column] = _cells(source)
        if column in plan.percent:  # the file wrote 13.56%: so do the reasons
            values[column] = [v if v is None else f"{wording.format_value(v)} %" for v in values[column]]
        if kind == "datetime" and plan.anchor:  # 1995-02-01 (23.9 years before the application)
            values[column] = [v if v is None else f"{wording.format_value(v)} ({abs(years):.1f} years "
                              f"{'before' if years >= 0 else 'after'} the application)"
                              for v, years in zip(values[column], X[column].tolist())]
        for row in np.flatnonzero(X[column].isin((codes or {}).get(column, [])).to_numpy()):
            values[column][row] = f"{wording.code_text(values[column][row])} (a code)"  # 98 late payments: a code
        known = (categories or {}).get(column)
        if kind == "categorical" and known is not None:  # never seen in training, scored as missing: said so
            unseen = X[column].notna().to_numpy() & ~X[column].astype(str).isin(set(known)).to_numpy()
            for row in np.flatnonzero(unseen):
                values[column][row] = f"{values[column][row]} (not seen in training)"
    return values


def at_median(values: dict[str, list[Any]], X: pd.DataFrame, loaded: _Loaded) -> dict[str, list[Any]]:
    """A blank the model scored at its training median (the column was almost never empty in training) is
    shown so in the reasons, as the notes say, not as "(not given)"."""
    for column, fill in getattr(loaded.task, "fills_", {}).items():
        if column in values and column in X.columns:
            text = f"{score_notes.shown_fill(fill, column, loaded)} (not given: scored at the training median)"
            for row in np.flatnonzero(X[column].isna().to_numpy()):
                values[column][row] = text
    return values


def far_marked(values: dict[str, list[Any]], X: pd.DataFrame, reference: dict) -> dict[str, list[Any]]:
    """A number far outside the training range (an age of 250, an income of -45,000) is said to be so in the
    reasons, as the notes say: "Annual income of -45,000 raised the risk" read as a fact about the applicant."""
    for column, outside in score_notes.far_outside(X, reference).items():
        for row in np.flatnonzero(outside) if column in values else ():
            values[column][row] = f"{wording.format_value(values[column][row])} (far outside the training range)"
    return values


def _cells(source: pd.Series) -> list[Any]:
    """The column's cells as plain Python values, None where missing: blanks found for the whole column at once (one
    call per cell took 9.5 of the 67 s scoring a 20,000 x 200 file)."""
    cells = source.tolist()
    if source.dtype == object:
        cells = [v.item() if isinstance(v, np.generic) else v for v in cells]
    for row in np.flatnonzero(source.isna().to_numpy()):
        cells[row] = None
    return cells


def is_missing(value: Any) -> bool:
    return value is None or value is pd.NA or value is pd.NaT or (isinstance(value, float) and np.isnan(value))

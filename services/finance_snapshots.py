"""Behavioural tables: monthly snapshots of the same customers, one row per customer and month, as a behaviour
score is built from. The desk scores one row per applicant; a customer number repeated over months is no risk
factor, and one customer's rows in both training and validation folds make the figures better than on new ones."""
from __future__ import annotations

import calendar

import numpy as np
import pandas as pd

from domain import loan_columns
from ml.credit_dates import month_numbers, reads_as_dates
from ml.credit_features import plan_features

_MIN_CUSTOMERS = 20
_MONTH_NAMES = {m.lower() for m in (*calendar.month_name[1:], *calendar.month_abbr[1:])}
_PER_CUSTOMER = 0.9  # a text column with about one value of its own per customer names the customer (Name, SSN)


def snapshot_column(frame: pd.DataFrame, ids: pd.Series) -> str | None:
    """The date column that tells apart the rows sharing an id (snapshot_month): a date that never repeats within
    one id and differs within most repeated ids; None when there is none."""
    repeated = ids.duplicated(keep=False).to_numpy()
    if not repeated.any():
        return None
    keys = pd.Series(ids.to_numpy()[repeated])
    for column in frame.columns:
        values = frame[column][repeated].reset_index(drop=True)
        dated = pd.api.types.is_datetime64_any_dtype(values) or reads_as_dates(values) \
            or month_numbers(values, str(column)) is not None or month_names(values)
        pairs = pd.DataFrame({"id": keys, "when": values})
        if dated and values.notna().all() and not pairs.duplicated().any():
            return str(column)
    return None


def month_names(values: pd.Series) -> bool:
    """Every value a month's name ('January', 'aug'): the period of a snapshot written without its year, as Kaggle's
    Credit Score Classification book writes its Month (January to August; its test file September to December)."""
    if _typed(values):
        return False
    text = values.dropna().astype(str).str.strip().str.lower()
    return text.nunique() > 1 and bool(text.isin(_MONTH_NAMES).all())


def snapshot_advice(frame: pd.DataFrame, ids: pd.Series) -> str:
    """What to do when an id repeats over snapshots: one row per customer, or no --id."""
    when = snapshot_column(frame, ids)
    if when is None:
        return ""
    return (f" Its rows differ in {when!r}: snapshots of the same customers over time (a behavioural table). Each row "
            "is scored as an applicant of its own: keep one row per customer (the snapshot at the date you decide "
            "on), or train without --id; scored files then keep the file's row order.")


def repeated_customer_ids(candidates: pd.DataFrame, notes: list[str]) -> list[str]:
    """Columns named like an id (customer_id, AcctNum) whose values repeat over snapshots, one row per customer and
    date: a customer number, no risk factor. Used, a behavioural table's customer_id had been a category of 1,200
    values, every scored customer a category not seen in training."""
    found = []
    for column in [c for c in candidates.columns if loan_columns.is_id_name(str(c))]:
        ids = candidates[column]
        if ids.isna().any() or ids.nunique() < _MIN_CUSTOMERS or not ids.duplicated().any():
            continue
        when = snapshot_column(candidates.drop(columns=[column]), ids)
        if when is not None:
            found.append(str(column))
            notes.append(f"Column {column!r} is not used: an identifier repeated over {when!r} ({ids.nunique():,} "
                         "values: snapshots of the same customers), no risk factor.")
    return found


def customer_columns(candidates: pd.DataFrame, customer: str, notes: list[str]) -> dict[str, str]:
    """Beside a customer number repeated over snapshots: text columns with about one value of their own per
    customer (a name, an SSN: they name the customer, as the number does) and a snapshot's month written without
    its year; column -> why it is not used. Kept, a book's Name and SSN had passed for leaks (each customer's own
    outcome, AUC 0.98 in the training rows) or become a category of thousands, and its months 'January' to 'August'
    were all unseen in the later months of its file to score."""
    customers = candidates[customer].nunique()
    months = [str(c) for c in candidates.columns.drop(customer) if month_names(candidates[c])]
    found = dict.fromkeys(months, "the month of each snapshot, written without its year: new rows come from later "
                                  "months, and a month is no risk factor")
    text = [c for c in candidates.columns.drop([customer, *months]) if not _typed(candidates[c])]
    kinds = plan_features(candidates[text]).kinds if text else {}  # '34847.84_' is a number, not a name
    for column in [c for c in text if kinds.get(str(c)) == "categorical"]:
        if candidates[column].nunique() >= _PER_CUSTOMER * customers:
            found[str(column)] = (f"it names the customer, like {customer!r} ({candidates[column].nunique():,} "
                                  f"values for {customers:,} customers), no risk factor")
    for column, why in found.items():
        notes.append(f"Column {column!r} is not used: {why}.")
    return found


def _typed(values: pd.Series) -> bool:
    return pd.api.types.is_numeric_dtype(values) or pd.api.types.is_bool_dtype(values) \
        or pd.api.types.is_datetime64_any_dtype(values)


def fold_groups(repeated: pd.DataFrame, bad: np.ndarray, folds: int, notes: list[str]) -> str | None:
    """The customer number whose rows share a cross-validation fold (group k-fold), with a note; None when there is
    none, or too few customers of either outcome to spread over the folds (a note then says the folds split rows).
    Split by row, a customer's other months sat in the training folds of their own validation rows. (On a generated
    card book of 1,200 customers, whose lasting risk shows in their own columns, grouping moved the out-of-fold AUC
    0.8540 -> 0.8544 only.)"""
    if repeated.empty:
        return None
    column = str(repeated.columns[0])
    ids = repeated[column]
    with_default, without = ids[bad == 1].nunique(), ids[bad == 0].nunique()
    if min(with_default, without) < folds:
        notes.append(f"Cross-validation folds split rows, not customers: too few customers of one outcome in "
                     f"{column!r} ({with_default:,} with a default, {without:,} without) to give each of the {folds} "
                     "folds some. One customer's months can fall in both training and validation folds, so the "
                     "figures may come out better than on new customers.")
        return None
    notes.append(f"Cross-validation keeps each customer's rows in one fold (folds grouped by {column!r}, "
                 f"{ids.nunique():,} customers), so every row is scored by a model that saw none of that customer's "
                 "months, as a new customer would be.")
    return column

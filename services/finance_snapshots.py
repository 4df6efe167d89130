"""Behavioural tables: monthly snapshots of the same customers, one row per customer and month, as a behaviour
score is built from. The desk scores one row per applicant; a customer number repeated over months is no risk
factor, and one customer's rows in both training and validation folds make the figures better than on new ones."""
from __future__ import annotations

import pandas as pd

from domain import loan_columns
from ml.credit_dates import month_numbers, reads_as_dates

_MIN_CUSTOMERS = 20


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
            or month_numbers(values, str(column)) is not None
        pairs = pd.DataFrame({"id": keys, "when": values})
        if dated and values.notna().all() and not pairs.duplicated().any():
            return str(column)
    return None


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
                         "values: snapshots of the same customers), no risk factor. One customer's rows can fall in "
                         "both training and validation folds, so the figures may come out better than on new "
                         "customers; for a fairer measure keep one row per customer.")
    return found

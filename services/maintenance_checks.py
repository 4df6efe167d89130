"""What failure-risk training must keep together in a fold, and what it should say beyond its metrics.

Rows of one machine, or of one stretch of time, on both sides of a fold make cross-validated figures
look better than new machines or a later period will; a near-chance model or a handful of failures
deserve a word. Both read the leakage guard's verdict (``FailureSetup.flags``).
"""
from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

if TYPE_CHECKING:
    from services.maintenance import FailureSetup

WEAK_AUC = 0.6  # below this a model left without its strongest columns is worth a word
FEW_FAILURES = 20  # fewer failures make every cross-validated figure a rough guess
BLOCKS_PER_FOLD = 4  # periods of consecutive readings per fold when folds follow time


def fold_groups(data: pd.DataFrame, setup: FailureSetup, id_column: str | None,
                folds: int) -> tuple[pd.Series | None, list[str]]:
    """What must stay together in one fold. A machine: the id column, else a column the leakage guard left out
    as a machine identifier, when it repeats over enough machines. Else a period: with a timestamp the guard
    left out, runs of consecutive readings, so that one failure episode's hours are not on both sides."""
    named = [c for c, why in setup.flags.items() if why.startswith("machine identifier")]
    for column in [*([id_column] if id_column else []), *named]:
        machines = data[column].nunique(dropna=True)
        if folds <= machines <= len(data) / 2:
            return data[column].astype(str), [
                f"Cross-validation keeps each {column!r} value's readings in one fold ({machines} machines): the "
                "figures are for machines the model has not seen."]
    stamps = [c for c, why in setup.flags.items() if why.startswith("timestamp") and c in data.columns]
    blocks = folds * BLOCKS_PER_FOLD
    if stamps and len(data) >= blocks * 10:
        order = pd.Series(pd.to_datetime(data[stamps[0]], errors="coerce")).rank(method="first", na_option="bottom")
        period = ((order - 1) * blocks // len(data)).astype(int)
        return period.astype(str), [
            f"Cross-validation folds are periods of {stamps[0]!r} ({blocks} runs of consecutive readings, "
            f"{folds} folds): neighbouring readings of one failure episode stay on one side."]
    return None, []


def training_notes(frame: pd.DataFrame, setup: FailureSetup, metrics: dict[str, float]) -> list[str]:
    """What the user should know about the training that the metrics do not say."""
    notes = list(setup.label_notes)
    unlabelled = int(frame[setup.target].isna().sum())
    if unlabelled:
        notes.append(f"{unlabelled} row(s) without a value in {setup.target!r} were left out of training.")
    separating = [c for c, reason in setup.flags.items() if reason.startswith("separates the target alone")]
    if separating and metrics["cv_auc"] < WEAK_AUC:
        notes.append(f"The model is barely better than chance (cross-validated AUC {metrics['cv_auc']:.2f}) without "
                     f"{', '.join(map(repr, separating))}, which the leakage guard left out because each alone "
                     "separates failures. If they are measured before a failure happens, keep them (--keep NAME, "
                     "or tick them on the page).")
    elif metrics["cv_auc"] < WEAK_AUC:
        notes.append(f"The model is barely better than chance, or worse (cross-validated AUC "
                     f"{metrics['cv_auc']:.2f}): its alerts are not to be trusted as they stand.")
    failures = int(round(metrics["positive_rate"] * (len(frame) - unlabelled)))
    if failures < FEW_FAILURES:
        notes.append(f"Only {failures} failures to learn from: the cross-validated figures rest on a handful of "
                     "readings and may be far off on new data.")
    return notes

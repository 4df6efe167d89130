"""The outcome column read as default or repaid: which value is the default, a loan status of several values
grouped (running loans left out), outcomes written as not known left out. Split from ``services.finance_prepare``."""
from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from domain import finance as rules
from domain import loan_labels
from domain import loan_outcomes
from services import columns
from services.finance_errors import TargetError


def read_outcome(frame: pd.DataFrame, target: str, positive: str | None, notes: list[str]
                 ) -> tuple[pd.DataFrame, Any, str, str, list[str]]:
    """The rows with a known outcome (no blank, unknown or running loan), the default label, the rule that chose it,
    the label as the file spells it, and the warnings of reading a loan status into default / repaid."""
    known = frame if frame[target].notna().all() else frame[frame[target].notna()]  # no copy to keep every row
    if len(known) < len(frame):
        notes.append(f"{len(frame) - len(known)} rows without a value in {target!r} were left out.")
    folded, spelled = columns.fold_label_spellings(known[target], target)
    known = known.assign(**{target: folded})
    notes.extend(spelled)
    known = known_outcomes(known, target, positive, notes)
    grouped: list[str] = []
    if known[target].nunique() > 2:
        known, label, rule = grouped_outcomes(known, target, positive, notes, grouped)
    else:
        label, rule = positive_label(known[target], target, positive)
    return known, label, rule, shown_label(positive, label), grouped


def other_label(values: pd.Series, label: Any) -> Any:
    """The outcome column's value read as repaid (the one that is not ``label``)."""
    return next((v for v in values.drop_duplicates() if v != label), None)


def positive_label(values: pd.Series, target: str, positive: str | None) -> tuple[Any, str]:
    counts = values.value_counts()
    shown = ", ".join(f"{loan_labels.label_text(v)} ({n})" for v, n in counts.items())
    if len(counts) == 1:
        only = loan_labels.label_text(counts.index[0])
        raise TargetError(f"Target {target!r} has only one class ({only}, {counts.iloc[0]} rows); "
                          "a default model needs both defaulted and repaid loans.")
    if len(counts) != 2:
        listed = ", ".join(f"{v!s} ({n})" for v, n in counts.head(10).items())
        more = f" and {len(counts) - 10} more" if len(counts) > 10 else ""
        raise TargetError(f"Target {target!r} must have exactly two values (default / no default); it has "
                          f"{len(counts)}: {listed}{more}. Map it to two values first.")
    if positive is not None and str(positive).strip() != "":
        match = loan_labels.match_label(str(positive), counts.index)
        if match is None:
            raise TargetError(f"--positive {positive!r} is not a value of {target!r}; its values are {shown}. Give "
                              f"one of them with --positive ({loan_labels.POSITIVE_FIELD}).")
        given, read = str(positive).strip(), shown_label(positive, match)
        return match, f"given by the user ({given}{'' if given == read else f', read as {read}'})"
    return loan_labels.infer_positive_label({v: int(n) for v, n in counts.items()}, target)


def shown_label(positive: str | None, label: Any) -> str:
    """The default label as the file spells it. The reader turns a Y/N column into True/False: '--positive N'
    then names the file's 'N', which reads 'N' (not 'no'); 1 matched to 1.0 reads '1'."""
    given = str(positive).strip() if positive is not None else ""
    if given and loan_labels.is_flag(label) and loan_labels.match_label(given, [label]) is not None:
        return given
    return loan_labels.label_text(label)


def grouped_outcomes(known: pd.DataFrame, target: str, positive: str | None, notes: list[str],
                      warnings: list[str]) -> tuple[pd.DataFrame, str, str]:
    """A loan status with more than two values as default / repaid, running loans left out (see
    ``domain.loan_outcomes``); the target then holds two labels naming the values each stands for."""
    counts = known[target].value_counts()
    try:
        groups = loan_outcomes.group_outcomes({v: int(n) for v, n in counts.items()}, target, positive)
    except rules.DecisionRuleError as error:
        raise TargetError(str(error)) from None
    notes.extend(groups.notes)
    warnings.extend(groups.warnings)
    bad_label, good_label = _joined(groups.defaults), _joined(groups.repaid)
    ended = known[~known[target].isin(groups.running)]
    labels = np.where(ended[target].isin(groups.defaults), bad_label, good_label)
    return ended.assign(**{target: labels}), bad_label, groups.rule


def known_outcomes(known: pd.DataFrame, target: str, positive: str | None, notes: list[str]) -> pd.DataFrame:
    """Rows whose outcome is written as not known ("unknown", "pending") left out, as running loans are."""
    counts = known[target].value_counts()
    unknown, note = loan_outcomes.unknown_outcomes({v: int(n) for v, n in counts.items()}, target, positive)
    if not unknown:
        return known
    notes.append(note)
    return known[~known[target].isin(unknown)]


def _joined(values: list[Any]) -> str:
    shown = [loan_labels.label_text(v) for v in values]
    return " or ".join(shown) if len(shown) <= 3 else f"{' or '.join(shown[:2])} or {len(shown) - 2} more"

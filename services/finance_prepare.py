"""Checks a loan table before any training: target, default label, ids, row counts, columns.

Every problem a user can fix is raised here with a message naming the column, the values and
what to do, so bad files fail fast and nothing is stored.
"""
from __future__ import annotations

import shlex
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from domain import finance as rules
from domain import loan_labels
from domain import loan_outcomes
from domain import loan_ratios
from ml.credit_features import FeaturePlan, align, plan_features
from ml.credit_ratios import add_ratios
from services import columns
from services import finance_left_out as left
from services import finance_snapshots as snapshots
from services import finance_train_notes as train_notes
from services.errors import UserFacingError
from services.finance_dates import anchor_dates, application_dates
from services.finance_leakage import leakage_warnings, leave_out_leaks, leave_out_post_outcome, named_ids

MIN_ROWS = 50
MIN_PER_CLASS = 10
MIN_FOLDS = 3


class CreditDataError(UserFacingError):
    """The training table cannot be used as it is."""


class TargetError(CreditDataError):
    pass


class TooFewRowsError(CreditDataError):
    pass


class DuplicateIdError(CreditDataError):
    pass


class MissingColumnsError(UserFacingError):
    """A file lacks columns the model needs."""


@dataclass
class Prepared:
    X: pd.DataFrame                  # aligned features (training kinds)
    labels: pd.Series                # original label values
    bad: np.ndarray                  # 1 = default
    keys: list[str]                  # id value or 1-based row number
    plan: FeaturePlan
    positive: Any
    positive_rule: str
    folds: int
    id_column: str | None
    raw: pd.DataFrame                # the kept rows as given (for reasons, fairness and what-if)
    notes: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    codes: dict[str, list[float]] = field(default_factory=dict)  # numbers used as codes (96/98, 365243)
    leaks: list[str] = field(default_factory=list)  # features warned of as known only after the outcome
    positive_shown: str = ""  # the default label as the file spells it ('N', where the reader holds False)
    left_out: list[dict[str, str]] = field(default_factory=list)  # every column not used, and why (finance_left_out)


def prepare(frame: pd.DataFrame, target: str, *, positive: str | None = None, id_column: str | None = None,
            folds: int = 5, exclude: tuple[str, ...] = (), monotone: dict[str, int] | None = None,
            identifiers: tuple[str, ...] = (), keep: tuple[str, ...] = ()) -> Prepared:
    """Validate and split a loan table into features and a 0/1 default outcome. ``identifiers`` are the
    columns the upload found to be ids (loan_id 5489, 2886 … in any order): never a risk factor; ``keep``:
    columns named like records made after the outcome that the user says are known at application time."""
    _check_columns(frame, target, id_column, (*exclude, *keep), monotone)
    notes: list[str] = []
    known = frame if frame[target].notna().all() else frame[frame[target].notna()]  # no copy to keep every row
    if len(known) < len(frame):
        notes.append(f"{len(frame) - len(known)} rows without a value in {target!r} were left out.")
    folded, spelled = columns.fold_label_spellings(known[target], target)
    known, notes = known.assign(**{target: folded}), notes + spelled
    known = _known_outcomes(known, target, positive, notes)
    grouped: list[str] = []  # what reading a loan status into default / repaid warns about
    if known[target].nunique() > 2:
        known, label, rule = _grouped_outcomes(known, target, positive, notes, grouped)
    else:
        label, rule = _positive_label(known[target], target, positive)
    shown = _shown_label(positive, label)
    bad = (known[target] == label).to_numpy().astype(int)
    folds = _folds(bad, len(known), folds, notes)
    keys = _keys(known, id_column)
    raw = known.drop(columns=[target]).reset_index(drop=True)
    notes.extend(train_notes.repeated_rows(known, ignore=(id_column, *identifiers)))
    found: dict[str, tuple[str, str]] = {}
    left.mark(found, [id_column], "id")
    left.mark(found, exclude, "excluded")
    candidates = _candidates(raw, (id_column, *exclude), identifiers, keep, notes, found)
    candidates, applied = application_dates(candidates, notes)
    plan = plan_features(candidates)
    dated = anchor_dates(plan, applied, raw, notes)
    left.mark(found, [c for c in applied if c == plan.anchor], "anchor")
    left.mark(found, applied, "date")
    for column, why in plan.dropped.items():
        notes.append(f"Column {column!r} is not used: {why}.")
    if not plan.kinds:
        raise CreditDataError("No usable feature columns are left (all are empty, constant, ids or excluded).")
    X = align(dated, plan)
    notes.extend(train_notes.unread_numbers(dated, X, plan))
    labels = known[target].reset_index(drop=True)
    leaks: list[str] = []
    outcome = loan_labels.outcome_warnings(int(bad.sum()), len(bad), shown, target, bool(positive),
                                           _other_label(known[target], label), rule)
    warnings = grouped + outcome + train_notes.running_loans(known, target, bad)
    warnings += leakage_warnings(X, bad, plan, leaks, keep)
    X = leave_out_leaks(X, plan, leaks, keep)
    if not plan.kinds:
        raise CreditDataError("No usable feature columns are left: every one gives the outcome away (see the "
                              f"warnings: {' '.join(warnings)})")
    _check_monotone(monotone, plan)
    codes = train_notes.sentinel_codes(X, plan, notes)
    X, plan.scales = train_notes.tenfold_slips(X, plan, bad, codes, notes), train_notes.code_scales(X, plan)
    X = _with_ratio(X, plan, frame.columns, notes, monotone or {})
    for column, why in plan.dropped.items():
        kind = "leak" if column in leaks else left.plan_kind(why)
        left.mark(found, [column], kind, left.REASONS["leak"] if kind == "leak" else why)
    return Prepared(X, labels, bad, keys, plan, label, rule, folds, id_column, raw, notes, warnings, codes, leaks,
                    shown, left.left_out(frame.columns, found))


def _with_ratio(X: pd.DataFrame, plan: FeaturePlan, columns: Any, notes: list[str],
                monotone: dict[str, int]) -> pd.DataFrame:
    """The loan's amount per unit of its term beside the two (domain/loan_ratios.py), when the book has both and
    not the instalment itself; German credit's champion AUC 0.7961 → 0.8011 (5 seeds). Not when either is held
    monotone: the ratio, unconstrained, would let the PD move against the constraint."""
    numeric = [c for c, kind in plan.kinds.items() if kind == "numeric"]
    pair = loan_ratios.ratio_pair(numeric, [str(c) for c in columns])
    if pair is None or not loan_ratios.usable_values(X[pair[0]].tolist(), X[pair[1]].tolist()):
        return X
    if any(int(monotone.get(c, 0)) for c in pair):
        notes.append(loan_ratios.monotone_note(*pair))
        return X
    name = loan_ratios.ratio_name(*pair, [str(c) for c in columns])
    plan.ratios = {name: list(pair)}
    notes.append(loan_ratios.ratio_note(name, *pair))
    return add_ratios(X, plan.ratios)


def _other_label(values: pd.Series, label: Any) -> Any:
    """The outcome column's value read as repaid (the one that is not ``label``)."""
    return next((v for v in values.drop_duplicates() if v != label), None)


def _candidates(raw: pd.DataFrame, left_out: tuple[str | None, ...], identifiers: tuple[str, ...],
                keep: tuple[str, ...], notes: list[str], dropped: dict[str, tuple[str, str]]) -> pd.DataFrame:
    """The columns that may become features: not the id or those left out, not records made after the
    outcome (unless kept), not identifiers the upload found nor columns named like a loan number (LoanNr_ChkDgt)
    that differ on almost every row. ``dropped`` gets those left out here, by kind."""
    candidates = raw.drop(columns=[c for c in left_out if c], errors="ignore")
    named = list(candidates.columns)
    candidates = leave_out_post_outcome(candidates, keep, notes)
    left.mark(dropped, [c for c in named if c not in candidates.columns], "post_outcome")
    found = [c for c in named_ids(candidates) if c not in identifiers]  # LoanNr_ChkDgt, read as a number
    repeated = snapshots.repeated_customer_ids(candidates.drop(columns=found), notes)  # customer_id by month
    left.mark(dropped, repeated, "identifier")
    candidates = candidates.drop(columns=repeated)
    for column in [c for c in (*identifiers, *found) if c in candidates.columns]:
        carry = "" if left_out[0] else (" To carry it into scored files, give it as the id (--id "
                                        f"{shlex.quote(column)}; 'Applicant id column' on the page).")
        notes.append(f"Column {column!r} is not used: an identifier (a different value on almost every row, "
                     f"named like an id).{carry}")
        candidates = candidates.drop(columns=[column])
        left.mark(dropped, [column], "identifier")
    return candidates


def _check_columns(frame: pd.DataFrame, target: str, id_column: str | None, exclude: tuple[str, ...],
                   monotone: dict[str, int] | None) -> None:
    named = [target, *( [id_column] if id_column else []), *exclude, *(monotone or {})]
    missing = [c for c in dict.fromkeys(named) if c not in frame.columns]
    if missing:
        raise MissingColumnsError(f"Column(s) not in the file: {', '.join(map(repr, missing))}. "
                                  + columns.present(frame.columns, missing))
    if id_column == target:
        raise CreditDataError("The id column and the target column must differ.")


def _positive_label(values: pd.Series, target: str, positive: str | None) -> tuple[Any, str]:
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
        given, read = str(positive).strip(), _shown_label(positive, match)
        return match, f"given by the user ({given}{'' if given == read else f', read as {read}'})"
    return loan_labels.infer_positive_label({v: int(n) for v, n in counts.items()}, target)


def _shown_label(positive: str | None, label: Any) -> str:
    """The default label as the file spells it. The reader turns a Y/N column into True/False: '--positive N'
    then names the file's 'N', which reads 'N' (not 'no'); 1 matched to 1.0 reads '1'."""
    given = str(positive).strip() if positive is not None else ""
    if given and loan_labels.is_flag(label) and loan_labels.match_label(given, [label]) is not None:
        return given
    return loan_labels.label_text(label)


def _grouped_outcomes(known: pd.DataFrame, target: str, positive: str | None, notes: list[str],
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


def _known_outcomes(known: pd.DataFrame, target: str, positive: str | None, notes: list[str]) -> pd.DataFrame:
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


def _folds(bad: np.ndarray, rows: int, folds: int, notes: list[str]) -> int:
    minority = int(min(bad.sum(), rows - bad.sum()))
    if rows < MIN_ROWS:
        raise TooFewRowsError(f"Only {rows} rows with a known outcome; at least {MIN_ROWS} are needed to "
                              "train and cross-validate a credit model.")
    if minority < MIN_PER_CLASS:
        raise TooFewRowsError(f"Only {minority} rows in the smaller outcome class; at least {MIN_PER_CLASS} "
                              "defaulted and repaid loans are needed.")
    usable = max(MIN_FOLDS, min(int(folds), minority // 3))
    if usable < folds:
        notes.append(f"Only {minority} rows in the smaller class: using {usable}-fold cross-validation "
                     f"instead of {folds}.")
    return usable


def _keys(frame: pd.DataFrame, id_column: str | None) -> list[str]:
    if not id_column:  # the row's number in the file, also when rows before it were left out
        numbered = pd.api.types.is_integer_dtype(frame.index)
        return [str(i + 1) for i in (frame.index if numbered else range(len(frame)))]
    ids = frame[id_column]
    if ids.isna().any():
        raise DuplicateIdError(f"Id column {id_column!r} is empty in {int(ids.isna().sum())} rows.")
    text = ids.map(_key_text)
    duplicated = text[text.duplicated(keep=False)]
    if len(duplicated):
        examples = ", ".join(sorted(duplicated.unique().tolist())[:5])
        raise DuplicateIdError(f"Id column {id_column!r} has {duplicated.nunique():,} duplicated value(s) (e.g. "
                               f"{examples}); each applicant needs a unique id.{train_notes.copies(frame, text)}"
                               f"{snapshots.snapshot_advice(frame.drop(columns=[id_column]), text)}")
    return text.tolist()


def record_keys(frame: pd.DataFrame, id_column: str | None) -> list[str]:
    """Each row's key as training stored it (its id, or its row number in the file), without the checks."""
    if not id_column:
        return [str(i + 1) for i in frame.index]
    return [_key_text(v) for v in frame[id_column]]


def _key_text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _check_monotone(monotone: dict[str, int] | None, plan: FeaturePlan) -> None:
    for column, sign in (monotone or {}).items():
        if int(sign) not in (-1, 0, 1):
            raise CreditDataError(f"Monotone constraint for {column!r} must be +1, -1 or 0; got {sign}.")
        if column not in plan.kinds:
            raise CreditDataError(f"Monotone constraint on {column!r}, which is not a model feature.")
        if plan.kinds[column] == "categorical" and int(sign):
            raise CreditDataError(f"Monotone constraints need a numeric column; {column!r} is categorical.")

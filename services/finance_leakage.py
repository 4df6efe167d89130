"""Columns that would let a credit model see the outcome, or decide on a protected ground, warned about at training.

A record made after the loan (payments received, a default date, a charge-off amount) ranks past loans
perfectly and new applicants not at all. It shows by its name, by separating defaults alone, or by being
filled only on loans that went bad; a model that still separates defaults almost perfectly names the
columns it leans on most.
"""
from __future__ import annotations

import re
import shlex

import numpy as np
import pandas as pd

from domain import finance_columns
from domain import loan_columns
from ml.credit_features import FeaturePlan

LEAKAGE_AUC = 0.98
SUSPECT_AUC = 0.90  # one application field rarely ranks defaults past ~0.80 (a bureau score); beyond 0.90, check it
SUSPECT_MAX_LEVELS = 20  # a category's in-sample default rates flatter a column with many levels: not judged
PRESENCE_PURITY = 0.99  # filled (or blank) on loans of one outcome only, all but 1 in 100
PRESENCE_EXPECTED = 10  # ... where chance would have put at least this many loans of the other outcome
PRESENCE_COVER = 0.05   # ... and on at least this share of that outcome's loans
# ... and holding at most this share of the other outcome's loans that chance would put there: in a book of
# 0.2 % defaults, 10,000 blank rows with their 20 expected defaults are 99.8 % repaid, yet tell nothing
PRESENCE_BELOW_CHANCE = 0.1
ID_DISTINCT = 0.95  # distinct on this share of its filled rows, at least
ID_MIN_ROWS = 20    # ... of at least this many
_PAGE_EXCLUDE = "'Columns to leave out' on the page"
_EXCLUDE = f"Leave them out (--exclude COLUMN; {_PAGE_EXCLUDE})"


# A marketing call's own record (UCI bank marketing): its length is known only once the call has ended, and with it
# the outcome (a call of 0 seconds sold nothing). A plain 'duration' is a loan's term (German credit) unless the file
# also holds two of the campaign's columns.
_CALL_DURATION = re.compile(r"(?i)^(last_?)?(call|contact)_?duration\w*$|"
                            r"^duration_?(of_?)?(the_?)?(last_?)?(call|contact)$")
_CAMPAIGN = re.compile(r"(?i)^(campaign|poutcome|pdays|contact|contact_?type|previous_?contacts?)$")


def call_durations(columns) -> list[str]:
    """'duration' beside two of 'campaign', 'pdays', 'poutcome', 'contact'; 'call_duration' anywhere."""
    names = [str(c) for c in columns]
    campaign = sum(bool(_CAMPAIGN.match(n.strip())) for n in names) >= 2
    return [n for n in names if _CALL_DURATION.match(n.strip()) or (campaign and n.strip().lower() == "duration")]


def post_outcome_columns(columns) -> list[str]:
    """The columns named like records made after the loan's outcome (for the page's 'keep' choice)."""
    calls = call_durations(columns)
    return [str(c) for c in columns if finance_columns.is_post_outcome(str(c)) or str(c) in calls]


def named_ids(candidates: pd.DataFrame) -> list[str]:
    """Columns named like a loan, account or application number (SBA's LoanNr_ChkDgt, loan_no, AcctNum) whose
    values differ on (nearly) every row: whole numbers or text. The upload reads such a number as a number, yet a
    model on it learns which loans were numbered how (it was the SBA book's eighth strongest input)."""
    found = []
    for column in [c for c in candidates.columns if loan_columns.is_id_name(str(c))]:
        values = candidates[column].dropna()
        if len(values) < max(ID_MIN_ROWS, 0.5 * len(candidates)) or values.nunique() < ID_DISTINCT * len(values):
            continue
        numbers = pd.to_numeric(values, errors="coerce") if pd.api.types.is_numeric_dtype(values) else None
        if numbers is None or bool(np.allclose(numbers, np.round(numbers))):
            found.append(str(column))
    return found


def leave_out_post_outcome(candidates: pd.DataFrame, keep: tuple[str, ...], notes: list[str]) -> pd.DataFrame:
    """Lending Club's total_pymnt, recoveries, last_pymnt_d … left out before training: a model on them ranks
    past loans perfectly (AUC 1.0), leans on them for its reasons, and cannot score an applicant, whose file
    lacks them. A column the user keeps (--keep) stays, and is warned about like any other leak."""
    calls = [c for c in call_durations(candidates.columns) if c not in keep]
    after = [c for c in post_outcome_columns(candidates.columns) if c not in keep and c not in calls]
    if calls:
        notes.append(f"Column(s) {', '.join(map(repr, calls))} are left out: the length of the last marketing call "
                     "(the file holds the campaign's columns), known only once the call has ended, and with it the "
                     "outcome. If it is known before the decision, keep it with --keep COLUMN ('Columns to keep' on "
                     "the page).")
    if after:
        notes.append(f"Column(s) {', '.join(map(repr, after))} are left out: named like records made after the "
                     "loan's outcome (payments received, recoveries, settlement, charge-off or default dates), which "
                     "a new applicant does not have. If one is known at application time, keep it with --keep COLUMN "
                     "('Columns to keep' on the page).")
    return candidates.drop(columns=after + calls)


def leakage_warnings(X: pd.DataFrame, bad: np.ndarray, plan: FeaturePlan, leaks: list[str] | None = None,
                     keep: tuple[str, ...] = ()) -> list[str]:
    """Columns named like records made after the outcome, or like a protected ground; a single column that
    separates defaults almost perfectly, by its values or by whether it is filled. ``leaks`` gets the leaking ones;
    those found by their values (not kept) are said to be left out: ``leave_out_leaks`` drops them."""
    leaks = leaks if leaks is not None else []
    warnings = _name_warnings(plan, leaks)
    for column, kind in plan.kinds.items():
        warnings.extend(_separation_warning(X[column], kind, bad, column, leaks, column in keep))
    for column in [c for c in plan.kinds if c not in leaks]:
        found = _presence_warning(X[column].notna().to_numpy(), bad, column, column in keep)
        if found:
            leaks.append(column)
            warnings.append(found)
        elif plan.kinds[column] == "categorical":
            warnings.extend(_level_warning(X[column], bad, column))
    return warnings


def leave_out_leaks(X: pd.DataFrame, plan: FeaturePlan, leaks: list[str], keep: tuple[str, ...]) -> pd.DataFrame:
    """Loan_Default.csv's rate_of_interest, Interest_rate_spread and Upfront_charges are blank on almost every
    defaulted loan and on almost no other: a model on them reported an out-of-fold AUC of 0.9996 and scored new
    applicants on a pattern they cannot have. A column found to give the outcome away is no feature, unless the
    user keeps it; it stays in ``leaks`` (the run's leak_columns)."""
    out = [c for c in leaks if c in plan.kinds and c not in keep]
    for column in out:
        del plan.kinds[column]
        plan.dropped[column] = "it gives the outcome away (see the warning)"
    return X.drop(columns=out)


def _action(column: str, kept: bool) -> str:
    if kept:
        return ("It is kept, as asked (--keep; 'Columns to keep' on the page); check that it is known at application "
                "time.")
    return (f"It is left out of the model; if it is known at application time, keep it with --keep "
            f"{shlex.quote(column)} ('Columns to keep' on the page).")


def _name_warnings(plan: FeaturePlan, leaks: list[str]) -> list[str]:
    warnings = []
    calls = call_durations(plan.kinds)
    after = [c for c in post_outcome_columns(plan.kinds) if c not in calls]
    leaks.extend(after + calls)
    if calls:
        warnings.append(f"Column(s) {', '.join(map(repr, calls))} hold the length of the last marketing call, known "
                        "only once the call has ended, and with it the outcome: a model on it cannot score a new "
                        f"applicant before the call. {_EXCLUDE}.")
    if after:
        warnings.append(f"Column(s) {', '.join(map(repr, after))} are named like records made after the loan's "
                        "outcome (payments received, recoveries, settlement, charge-off or default dates): a model "
                        f"must not see them at application time. {_EXCLUDE}.")
    protected = [c for c in plan.kinds if loan_columns.is_protected(c)]
    if protected:
        warnings.append(f"Column(s) {', '.join(map(repr, protected))} look like a protected ground (sex, race, "
                        "religion, marital status …): lending law in many countries forbids deciding on them, and "
                        f"reason codes would cite them. {_EXCLUDE} and compare groups with the fairness check "
                        "instead.")
    grades = [c for c in plan.kinds if loan_columns.is_lender_grade(c)]
    if grades:
        warnings.append(f"Column(s) {', '.join(map(repr, grades))} look like the lender's own risk grade: the model "
                        "then learns the grading in use (and an interest rate priced from it does too), and a new "
                        "applicant has it only once graded. Keep it if applicants are graded before this model scores "
                        f"them; for a score of its own, leave it out (--exclude COLUMN; {_PAGE_EXCLUDE}).")
    areas = [c for c in plan.kinds if loan_columns.is_area_proxy(c) and c not in protected]
    if areas:
        warnings.append(f"Column(s) {', '.join(map(repr, areas))} say where the applicant (or their bank) is, which "
                        "can stand in for race or national origin (redlining): check with the fairness check that it "
                        f"does not, or leave it out (--exclude COLUMN; {_PAGE_EXCLUDE}).")
    return warnings


def _separation_warning(series: pd.Series, kind: str, bad: np.ndarray, column: str, leaks: list[str],
                        kept: bool = False) -> list[str]:
    if kind == "categorical":
        text = series.astype(object).where(series.notna(), "(missing)").astype(str)
        score = text.map(pd.Series(bad).groupby(text.to_numpy()).mean()).to_numpy(float)
    else:
        score = series.fillna(series.median() if series.notna().any() else 0).to_numpy(float)
    if _surely_below(bad, score, SUSPECT_AUC):
        return []
    auc = _auc(bad, score)
    if auc >= LEAKAGE_AUC:
        leaks.extend([] if column in leaks else [column])
        return [f"Column {column!r} alone separates defaults almost perfectly (AUC {auc:.3f}): it most likely leaks "
                f"the outcome (recorded after the loan, or the outcome in other words). {_action(column, kept)}"]
    if auc >= SUSPECT_AUC and (kind != "categorical" or series.nunique() <= SUSPECT_MAX_LEVELS):
        return [f"Column {column!r} alone ranks defaults with an AUC of {auc:.3f}, more than application data "
                "usually allows (a credit bureau score reaches about 0.80): check that it is recorded before the "
                "decision (collections, arrears or write-offs after the loan leak the outcome)."]
    return []


def _auc(bad: np.ndarray, score: np.ndarray) -> float:
    """ROC AUC from average ranks (ties count half), either direction: the value roc_auc_score gives, without
    its input checks, which took 24 of 59 s of checking a 50,000 x 114 book (two calls per column)."""
    bad = np.asarray(bad).astype(bool)
    positives, negatives = int(bad.sum()), int(len(bad) - bad.sum())
    ranks = pd.Series(np.asarray(score, float)).rank(method="average").to_numpy()
    auc = float((ranks[bad].sum() - positives * (positives + 1) / 2) / (positives * negatives))
    return max(auc, 1 - auc)


SCREEN_BINS = 1024  # equal-width bins of the score for _surely_below


def _surely_below(bad: np.ndarray, score: np.ndarray, limit: float) -> bool:
    """Whether the score's AUC (either direction) is surely below ``limit``, told from counts per equal-width bin
    in two passes over the rows rather than from ranks (a sort): pairs of a default and a repaid loan in one bin may
    go either way, so the AUC lies within half their share of the binned AUC. Ranking every column took 11 of the
    37 s spent preparing a 200,000 x 200 book; only a column this cannot clear (a skewed one, or one near the
    limit) is ranked."""
    bad = np.asarray(bad).astype(bool)
    positives, negatives = int(bad.sum()), int(len(bad) - bad.sum())
    low, high = (float(score.min()), float(score.max())) if len(score) else (0.0, 0.0)
    scale = SCREEN_BINS / (high - low) if high > low else np.inf
    if not positives or not negatives or not np.isfinite(low) or not np.isfinite(scale):
        return False
    bins = np.minimum(((score - low) * scale).astype(np.int64), SCREEN_BINS - 1)
    bad_in = np.bincount(bins[bad], minlength=SCREEN_BINS).astype(float)
    good_in = np.bincount(bins[~bad], minlength=SCREEN_BINS).astype(float)
    below = np.cumsum(good_in) - good_in  # repaid loans in lower bins
    pairs = float(positives) * negatives
    auc = float(bad_in @ below + 0.5 * (bad_in @ good_in)) / pairs
    slack = 0.5 * float(bad_in @ good_in) / pairs
    return 1 - limit < auc - slack and auc + slack < limit


def _presence_warning(filled: np.ndarray, bad: np.ndarray, column: str, kept: bool = False) -> str | None:
    """Bondora's DefaultDate is empty unless the loan defaulted: whether it is filled tells the outcome,
    whatever it holds."""
    if filled.all() or not filled.any():
        return None
    auc = _auc(bad, filled.astype(float))
    if auc >= LEAKAGE_AUC:
        return (f"Whether column {column!r} is filled separates defaults almost perfectly (AUC {auc:.3f}): it is "
                "most likely written only once a loan has defaulted or been repaid, so it leaks the outcome. "
                f"{_action(column, kept)}")
    for mask, state in ((filled, "filled"), (~filled, "blank")):
        rows, share = int(mask.sum()), float(bad[mask].mean()) if mask.any() else 0.0
        outcome = int(share >= 0.5)
        base = float((bad == outcome).mean())
        purity = share if outcome else 1 - share
        if purity >= PRESENCE_PURITY and rows * (1 - base) >= PRESENCE_EXPECTED \
                and rows >= PRESENCE_COVER * base * len(bad) and 1 - purity <= PRESENCE_BELOW_CHANCE * (1 - base):
            told = "defaulted" if outcome else "repaid"
            return (f"Column {column!r} is {state} on {rows:,} loans, {purity:.1%} of them {told} (against "
                    f"{base:.1%} of all loans): being {state} gives the outcome away, so it is most likely written "
                    f"after the loan {told}. {_action(column, kept)}")
    return None


def _level_warning(series: pd.Series, bad: np.ndarray, column: str) -> list[str]:
    """Loan_Default.csv's credit_type = 'EQUI': a category held by defaulted loans only, and by many of them, is
    most likely written after the outcome; the column's other values may still be fair, so it is warned about,
    not left out. Only the defaulted side: in a book of 0.2 % fraud, a large group without one is no leak."""
    frame = pd.DataFrame({"level": series.astype(object).to_numpy(), "bad": bad}).dropna()
    stats = frame.groupby("level")["bad"].agg(["sum", "count"]).sort_values("count", ascending=False)
    base = float(np.mean(bad))
    counts = stats["count"]
    pure = stats[(stats["sum"] >= PRESENCE_PURITY * counts) & (counts * (1 - base) >= PRESENCE_EXPECTED)
                 & (counts >= PRESENCE_COVER * float(np.sum(bad)))]
    if pure.empty:
        return []
    level, rows = pure.index[0], int(pure["count"].iloc[0])
    purity = float(pure["sum"].iloc[0]) / rows
    return [f"Column {column!r} is {str(level)!r} on {rows:,} loans, {purity:.1%} of them defaulted (against "
            f"{base:.1%} of all loans): a value given only to loans that went bad is most likely written after the "
            f"outcome. Check it, and leave the column out (--exclude {shlex.quote(column)}; {_PAGE_EXCLUDE}) "
            "if so."]


def model_leak_warning(auc: float, importance: pd.Series | None) -> str:
    """A near-perfect model, naming the columns it leans on most (by mean |SHAP|): the likely leak."""
    head = (f"The model separates defaults almost perfectly (out-of-fold AUC {auc:.3f}), which credit data rarely "
            "allows: ")
    if importance is None or importance.empty or not float(importance.sum()) > 0:
        return head + ("check that every column is known at application time; a ratio of two columns (repaid "
                       "principal / loan amount) can leak the outcome.")
    top = importance.sort_values(ascending=False).head(3)
    shares = ", ".join(f"{name!r} ({value / float(importance.sum()):.0%})" for name, value in top.items())
    return head + (f"it leans most on {shares} (shares of its effect, by SHAP). Check that these are known at "
                   f"application time and leave out any recorded after the loan (--exclude COLUMN; {_PAGE_EXCLUDE}); "
                   "a ratio of two columns (repaid principal / loan amount) can leak the outcome too.")

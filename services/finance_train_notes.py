"""What training says about a loan table's columns: number cells that are not numbers, repeated rows, numbers
used as codes (96/98, 365243) and loans a status column says are still running. Nothing here refuses a file."""
from __future__ import annotations

import numpy as np
import pandas as pd

from domain import finance_columns
from domain import finance_text as wording
from domain import loan_columns
from domain import loan_outcomes
from ml import credit_slips
from ml.credit_features import FeaturePlan


def unread_numbers(frame: pd.DataFrame, X: pd.DataFrame, plan: FeaturePlan) -> list[str]:
    """Cells of a number column written as text that are not numbers (SBA's ApprovalFY holds '1976A' among its
    years): said in training as scoring says them, not left missing in silence. Columns read as numbers already
    are not looked at (a 300,000-row book would spend seconds on each). Durations written in years and months are
    named too."""
    notes = [] if not plan.durations else [
        f"Column(s) {', '.join(map(repr, plan.durations))} hold durations in years and months (e.g. "
        f"{str(frame[plan.durations[0]].dropna().iloc[0])!r}): read as a number of months, not as categories."]
    for column in [c for c, kind in plan.kinds.items() if kind == "numeric"]:
        if pd.api.types.is_numeric_dtype(frame[column]) or pd.api.types.is_bool_dtype(frame[column]):
            continue
        raw = frame[column].astype("string").str.strip()
        lost = raw[((raw != "") & raw.notna()).fillna(False).to_numpy(bool) & X[column].isna().to_numpy()]
        if len(lost):
            examples = ", ".join(repr(str(v)) for v in lost.drop_duplicates().head(3))
            notes.append(f"Column {column!r}: {len(lost):,} value(s) could not be read as numbers (e.g. {examples}); "
                         "the model treats them as missing.")
    return notes


def repeated_rows(rows: pd.DataFrame, ignore: tuple[str | None, ...] = ()) -> list[str]:
    """The Kaggle credit_risk_dataset.csv holds 165 rows twice: copies that land in different folds are
    predicted from themselves, which flatters the out-of-fold figures. Said, not removed: two applicants may
    share every value (the columns in ``ignore``, the id and identifiers, are not compared)."""
    repeated = _repeats(rows, [c for c in rows.columns if c not in ignore])
    if not repeated:
        return []
    return [f"{repeated:,} row(s) repeat an earlier row in every column, the outcome included. They are kept, as "
            "different applicants may look alike; if they are copies, remove them: a copy in another fold is "
            "predicted from itself, which flatters the out-of-fold figures."]


def running_loans(known: pd.DataFrame, target: str, bad: np.ndarray) -> list[str]:
    """A two-valued outcome beside a loan status (a core-banking export's Default Flag Y/N next to Loan Status
    Current, Fully Paid, Charged Off): loans the status says are still running, counted as no default, have no
    outcome yet; a loan that may yet default counted as repaid pulls the PDs down. Warned of, with the way out."""
    found = []
    for column in known.columns:
        series = known[column]
        if column == target or series.dtype.kind in "biufcmM" or series.head(2000).nunique() > 30 \
                or not 3 <= series.nunique() <= 30:  # text of a few values only (ids and names cost a sample)
            continue
        kinds = {value: loan_outcomes.outcome_kind(value) for value in series.dropna().unique()}
        if None in kinds.values() or {*kinds.values()} & {loan_outcomes.DEFAULT, loan_outcomes.REPAID} == set():
            continue
        running = series[series.map(kinds).eq(loan_outcomes.RUNNING).to_numpy() & (bad == 0)].value_counts()
        if running.sum() < max(10, 0.01 * len(bad)):
            continue
        shown = ", ".join(f"{wording.format_value(value)} ({count:,})" for value, count in running.items())
        found.append(f"{running.sum():,} loans counted as no default are still running according to {column!r} "
                     f"({shown}): their outcome is not known yet, and a loan that may still default counted as repaid "
                     f"makes the PDs too low. To leave them out, train with --target {column!r} (loans still running "
                     "are then left out), or remove them from the file.")
    return found


def copies(frame: pd.DataFrame, ids: pd.Series) -> str:
    """For ids given to more than one row: whether those rows are copies (the same in every column), as a Bank Loan
    Status export repeats about a tenth of its rows, which the user can remove, or different records."""
    repeated = ids.duplicated(keep=False).to_numpy()
    distinct = frame[repeated].assign(_id=ids[repeated].to_numpy()).drop_duplicates()
    per_id = distinct["_id"].value_counts()
    copied, other = int((per_id == 1).sum()), int((per_id > 1).sum())
    if not copied:
        return ""
    advice = "remove the repeated rows (keep one of each) and train again"
    if not other:
        return f" The rows sharing an id repeat one another in every column, the outcome included: copies; {advice}."
    return (f" For {copied:,} of them the rows repeat one another in every column (copies: {advice}); for the other "
            f"{other:,} they differ, so one id names different records.")


def _repeats(rows: pd.DataFrame, compared: list, first: int = 8) -> int:
    """rows.duplicated(compared).sum(), every column compared only among the rows that repeat on a few (number
    columns first, most telling): a 200,000 x 200 book took 3 s to compare in full."""
    if not compared:
        return 0
    floats = [c for c in compared if pd.api.types.is_float_dtype(rows[c])]
    subset = list(dict.fromkeys([*floats, *compared]))[:first]
    if len(subset) < len(compared):
        rows = rows[rows.duplicated(subset=subset, keep=False).to_numpy()]
    return int(rows.duplicated(subset=compared).sum())


def sentinel_codes(X: pd.DataFrame, plan: FeaturePlan, notes: list[str]) -> dict[str, list[float]]:
    """Numbers standing for 'not applicable' or 'unknown' (96/98 late payments, 365243 days employed): said,
    and kept so that reasons show them as codes rather than as amounts."""
    found = {}
    for column in [c for c, kind in plan.kinds.items() if kind == "numeric"]:
        codes = loan_columns.sentinel_codes(extreme_counts(X[column]), len(X))
        if not codes:
            continue
        found[column] = codes
        rest = X[column][~X[column].isin(codes)].dropna()
        shown = " and ".join(wording.code_text(c) for c in codes)  # 365243, not 365,243: a code, not an amount
        low, high = wording.format_value(float(rest.min())), wording.format_value(float(rest.max()))
        notes.append(f"Column {column!r} holds {shown} on {int(X[column].isin(codes).sum()):,} rows, far beyond its "
                     f"other values ({low} to {high}): a code (not applicable, unknown) rather than an amount, it "
                     "seems. The trees keep it apart; reasons show it as a code.")
    return found


def code_scales(X: pd.DataFrame, plan: FeaturePlan) -> dict[str, list[float]]:
    """Number columns named as a percent or rate that hold only a scale's codes (German credit's installment_rate_pct,
    1-4), and repayment statuses (the Taiwan card book's PAY_0, -2 … 8): column -> [lowest, highest], so that reasons
    read "4 (a code from 1 to 4)", not 4 percent, and "code 2 (2 months late)", not "of 2"."""
    found = {}
    for column in [c for c, kind in plan.kinds.items() if kind == "numeric" and c not in plan.percent]:
        values = X[column].dropna()
        distinct = values.unique() if values.nunique() <= finance_columns.MOST_CODES else []
        codes = [float(v) for v in distinct]
        if finance_columns.is_code_scale(column, codes) or finance_columns.is_repayment_status(column, codes):
            found[column] = [float(min(distinct)), float(max(distinct))]
    return found


def tenfold_slips(X: pd.DataFrame, plan: FeaturePlan, bad: np.ndarray, codes: dict[str, list[float]],
                  notes: list[str]) -> pd.DataFrame:
    """Numbers written ten times too big on some rows (a credit score of 7,230 beside 585-751): read as meant, here
    and in scoring (the plan keeps the range), with a note saying how often such loans defaulted."""
    for column in [c for c, kind in plan.kinds.items() if kind == "numeric" and c not in codes]:
        bounds = credit_slips.tenfold_range(X[column])
        if bounds is None:
            continue
        plan.tenfold[column] = bounds
        rows = credit_slips.slipped_rows(X[column], bounds).to_numpy()
        low, high, first, last = (wording.format_value(float(v)) for v in (*bounds, X[column][rows].min(),
                                                                            X[column][rows].max()))
        notes.append(f"Column {column!r} holds {int(rows.sum()):,} values ({first} to {last}) ten times its others "
                     f"({low} to {high}), with nothing between: read as written ten times too big "
                     f"({wording.format_value(10 * bounds[1])} as {high}), here and in files to score. "
                     f"{bad[rows].mean():.0%} of those loans defaulted, against {bad.mean():.0%} of the book (as "
                     "written, the trees would have learnt the slip as a risk factor).")
        X = X.assign(**{column: credit_slips.read_tenfold(X[column], bounds)})
    return X


EXTREMES = 4  # sentinel_codes looks at up to 3 values at either end, the next one, and how many values there are


def extreme_counts(values: pd.Series) -> dict[float, int]:
    """Counts of a number column's distinct values, for sentinel_codes: all of them when there are few, else the
    four smallest and four largest (its answer depends on no others once there are more than eight), rather than
    a dictionary of 50,000 distinct amounts per column. Those are found among the 64 smallest and largest values
    when they hold enough distinct ones, without sorting the column (a 200,000 x 200 book: 5 of the 37 s spent
    preparing it); a column of few, much repeated values is sorted (quick then)."""
    numbers = values.dropna().to_numpy(float)
    lows = _smallest_distinct(numbers, 2 * EXTREMES + 1)
    highs = _smallest_distinct(-numbers, EXTREMES) if lows is not None else None
    if lows is not None and highs is not None:
        distinct = np.r_[lows[:EXTREMES], -highs[::-1]]
        return {float(v): int(np.count_nonzero(numbers == v)) for v in distinct}
    distinct, counts = np.unique(numbers, return_counts=True)
    if len(distinct) > 2 * EXTREMES:
        keep = np.r_[0:EXTREMES, len(distinct) - EXTREMES:len(distinct)]
        distinct, counts = distinct[keep], counts[keep]
    return {float(v): int(n) for v, n in zip(distinct, counts)}


def _smallest_distinct(numbers: np.ndarray, k: int, among: int = 64) -> np.ndarray | None:
    """The ``k`` smallest distinct values, ascending, when the ``among`` smallest values hold that many."""
    if len(numbers) <= among:
        return None
    head = np.unique(numbers[numbers <= np.partition(numbers, among - 1)[among - 1]])
    return head[:k] if len(head) >= k else None

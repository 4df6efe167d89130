"""What a scoring batch says beyond its scores: columns ignored or unusable, categories never seen, rows too
empty to score, gaps scored at training medians and values far outside the training range."""
from __future__ import annotations

import re
from dataclasses import replace
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from domain import finance as rules
from domain import finance_text as wording
from domain import finance_columns
from domain.data_dictionary import Glossary
from ml import credit_eval, credit_slips
from ml.credit_categories import unseen_categories
from ml.credit_features import as_dates, unparsed_counts
from ml.numbers import to_numeric
from services import columns
from services.errors import UserFacingError
from services.results import RunInfo

if TYPE_CHECKING:
    from services.finance_scoring import _Loaded

MIN_BATCH_FOR_EMPTY_CHECK = 10  # a batch this size with no value in a column is a file problem, not gaps
FAR_SHARE = 0.25  # of the training range: values further past either end are named (typos, units, signs)


def check_unusable(frame: pd.DataFrame, X: pd.DataFrame, loaded: _Loaded) -> None:
    """A number the training rows (almost) always had, with no usable value on any row of a batch: a column
    written another way ("-12339 days") or exported empty. Scoring every applicant at the training median
    would decide on a made-up value, so the batch is refused like a missing column."""
    if len(X) < MIN_BATCH_FOR_EMPTY_CHECK:
        return
    unusable = [c for c in getattr(loaded.task, "fills_", {}) if c in X.columns and X[c].isna().all()]
    if not unusable:
        return
    shown = []
    for column in unusable:
        written = frame[column].dropna().astype(str) if column in frame.columns else pd.Series(dtype=str)
        shown.append(f"{column!r} (" + (f"written like {written.iloc[0]!r}" if len(written) else "empty") + ")")
    written = "dates" if all(loaded.plan.kinds.get(c) == "datetime" for c in unusable) else "numbers"
    raise UserFacingError(f"No row of this file has a usable value in {', '.join(shown)}; the model needs "
                          f"{'them' if len(shown) > 1 else 'it'} (the training rows almost always had one). "
                          f"Write {'them' if len(shown) > 1 else 'it'} as {written}, as in the training file."
                          + _positional_hint(frame.columns, unusable[0]))


POSITIONAL = re.compile(r"column_(\d+)")  # the reader's names for the columns of a file without a header row


def _positional_hint(names, column: str) -> str:
    """crx.data without its 14th column: every later column moves one place left, and column_15 then holds the
    outcome ('+'). A file without a header is matched by position, which the user has to be told."""
    found = POSITIONAL.fullmatch(str(column))
    if not (found and len(names) and all(POSITIONAL.fullmatch(str(c)) for c in names)):
        return ""
    return (f" The file has no header row, so its columns are matched by position ({column} is the "
            f"{_ordinal(int(found.group(1)))} value on each row; this file has {len(names)} columns): check that no "
            "column is missing or out of order.")


def _ordinal(n: int) -> str:
    return f"{n}{'th' if 10 <= n % 100 <= 20 else {1: 'st', 2: 'nd', 3: 'rd'}.get(n % 10, 'th')}"


def leak_notes(run: RunInfo) -> list[str]:
    """A run trained on columns known only after the outcome scores new applicants on them too: said on every
    batch, not only when it was trained (PDs of exactly 0 and 1 and reasons citing recoveries came silently)."""
    leaks = [c for c in run.parameters.get("leak_columns", []) if c in run.parameters.get("features", [c])]
    if not leaks:
        return []
    return [f"This run was trained on column(s) {', '.join(map(repr, leaks))}, which training warned may be known "
            "only after the loan's outcome: these scores lean on them and will not hold for new applicants, who do "
            "not have them yet. Train again without them (--exclude COLUMN; 'Columns to leave out' on the page)."]


def used_columns(loaded: _Loaded, run: RunInfo) -> set[str]:
    """The columns a scored file is read for: the model's, the id, exposure, LGD and the application's date."""
    return {c for c in (*loaded.plan.features, run.parameters.get("id_column"), run.parameters.get("exposure_column"),
                        run.parameters.get("lgd_column"), loaded.plan.anchor) if c}


def _plain(name: object) -> str:
    return re.sub(r"[^0-9a-z]", "", str(name).casefold())


def concerns(problem, used: set[str], present) -> bool:
    """Whether a reader's note on a file to score is about a column it is read for. A note on an ignored column
    (Give Me Some Credit's cs-test.csv: 'NA' on every row of the blank SeriousDlqin2yrs) says nothing about the
    scores; the column is named in the note on ignored columns. Names are compared as matching does (case, spaces)."""
    column = problem.get("column") if isinstance(problem, dict) else problem.column
    if column is None or column not in set(present):
        return True
    return _plain(column) in {_plain(c) for c in used}


def schema_notes(frame: pd.DataFrame, loaded: _Loaded, run: RunInfo, id_column: str | None) -> list[str]:
    anchor = loaded.plan.anchor
    used = used_columns(loaded, run) | ({id_column} if id_column else set())
    notes = []
    if anchor and anchor not in frame.columns:
        notes.append(f"The file has no {anchor!r} (the application's date): dates were counted back from today.")
    elif anchor:
        unusable = int(as_dates(frame[anchor], day_first=anchor in loaded.plan.day_first).isna().sum())
        if unusable:
            notes.append(f"{unusable:,} row(s) have no usable {anchor!r} (the application's date): their dates were "
                         "counted back from today.")
    return notes + same_names(loaded.plan.features, run) + columns.ignored_note(frame.columns, used)


def same_names(features: list[str], run: RunInfo) -> list[str]:
    """A Lending-Club book's own `grade` is an input; the scored file's `grade` is the model's risk grade from its
    PD: a row may read grade C beside a reason citing the input's B. Said, and the reasons name the input so."""
    glossary = Glossary.from_dict(run.parameters.get("glossary"))
    clash = [c for c in features if finance_columns.is_scored_name(c)]
    return [f"Input column {column!r} is not the output column {column.strip().casefold()!r}: "
            + ("the output's grade is the model's risk grade A–G from its PD (from the run's PD bands), "
               if column.strip().casefold() == "grade" else "the output's is the model's own, ")
            + f"while the input is read as a risk factor like any other; the reasons name it "
              f"{wording.column_name(column, glossary)!r}." for column in clash]


def value_notes(frame: pd.DataFrame, X: pd.DataFrame, loaded: _Loaded, run: RunInfo) -> list[str]:
    notes = []
    for column, info in unseen_categories(X, loaded.task.categories_).items():
        examples = ", ".join(repr(e) for e in info["examples"])
        notes.append(f"Column {column!r}: {info['rows']} row(s) have categories not seen in training ({examples}); "
                     "they are scored as missing values.")
    declined = sparse_rows(X, run)
    if declined.any():
        fields = len(loaded.plan.features)
        notes.append(f"{int(declined.sum())} row(s) have more of the model's {fields} fields empty than any "
                     "training row and more than half: declined as not enough information to score, with a PD of "
                     "at least the book's default rate.")
    scored = X[~declined]  # the notes below are about rows the model scored
    notes += _new_blank_categories(scored, loaded)
    fills = getattr(loaded.task, "fills_", {})
    for column, count in _unparsed(frame, X, loaded.plan).items():
        notes.append(f"Column {column!r}: {count} value(s) could not be read as {loaded.plan.kinds[column]}"
                     + ("." if column in fills else " and were scored as missing."))
    filled = [(c, int(scored[c].isna().sum()), fill) for c, fill in fills.items()
              if c in scored.columns and scored[c].isna().any()]
    if len(filled) > 5:
        listed = ", ".join(repr(c) for c, _, _ in filled[:5])
        notes.append(f"{len(filled)} columns, among them {listed} …, have rows with no usable value though they were "
                     "missing in at most 1 % of the training rows; those values were scored at the training median.")
    for column, blank, fill in filled if len(filled) <= 5 else []:
        if column in loaded.plan.ratios:  # made by the model from two columns: say from which
            top, bottom = loaded.plan.ratios[column]
            notes.append(f"{blank} row(s) give no {column!r} ({top} ÷ {bottom}: a blank, or {bottom} of 0 or "
                         f"below), which almost every training row had; the model read it at its training median "
                         f"({fill:,.6g}). Check them.")
            continue
        notes.append(f"Column {column!r}: {blank} row(s) have no usable value, though it was missing in at most "
                     f"1 % of the training rows; they were scored at its training median "
                     f"({shown_fill(fill, column, loaded)}). Check them.")
    return notes + tenfold_notes(frame, loaded.plan) + far_notes(X, loaded.reference)


def training_rows(X: pd.DataFrame, out: pd.DataFrame, loaded: _Loaded, run: RunInfo) -> list[str]:
    """The training file scored again: the refitted model has seen those rows, so their PDs are more confident than
    the out-of-fold PDs the score's PSI and the run's approval rate come from (German credit: PSI 0.18, "watch",
    every input's 0.000; 47 % approved against 39 %). Said, so that it is not read as drift."""
    stored, ids = loaded.reference.get("__rows__"), loaded.reference.get("__ids__")
    if not stored or not len(X):
        return []
    hashes = credit_eval.row_hashes(X, list(loaded.plan.kinds))
    seen = np.isin(hashes, np.asarray(stored, dtype=np.uint64))
    if ids and run.parameters.get("id_column"):  # the same applicants, edited: the scored file's first column
        seen |= out.iloc[:, 0].map(str).isin(set(ids)).to_numpy()
    seen = int(seen.sum())
    if seen * 2 < len(X):  # a few returning applicants do not move a batch's figures
        return []
    approved = f"{(out['decision'] == rules.APPROVE).mean():.0%} approved here"
    rate = run.metrics.get("approval_rate")
    return [f"{seen:,} of these {len(X):,} rows were in the training data: their PDs come from a model that saw them, "
            "so they are more confident (further from the average, less spread by chance) than a new applicant's. "
            f"The score PSI and the approval rate ({approved}"
            + (f", {float(rate):.0%} in training" if rate is not None else "")
            + ") compare against out-of-fold scores (each training row scored by a model that had not seen it): a "
            "difference there is this, not drift."]


def tenfold_notes(frame: pd.DataFrame, plan) -> list[str]:
    """Values read as written ten times too big (a credit score of 7,230 for 723), as training read them."""
    notes = []
    for column, bounds in plan.tenfold.items():
        slipped = credit_slips.slipped_rows(to_numeric(frame[column], errors="coerce"), bounds)
        if slipped.any():
            notes.append(f"Column {column!r}: {int(slipped.sum())} value(s) ten times its training range were read as "
                         f"written ten times too big ({wording.format_value(10 * bounds[1])} as "
                         f"{wording.format_value(bounds[1])}), as training read them.")
    return notes


def _unparsed(frame: pd.DataFrame, X: pd.DataFrame, plan) -> dict[str, int]:
    """unparsed_counts, with the columns the reader already typed as numbers counted without writing every cell as
    text (11 of the 67 s scoring a 20,000 x 200 file): a number is never blank text, so it is lost only if emptied."""
    typed = {c for c, kind in plan.kinds.items() if kind != "categorical" and pd.api.types.is_numeric_dtype(frame[c])}
    rest = unparsed_counts(frame, X, replace(plan, kinds={c: k for c, k in plan.kinds.items() if c not in typed}))
    lost = {c: int((frame[c].notna() & X[c].isna()).sum()) for c in typed}
    return {c: rest.get(c, lost.get(c, 0)) for c in plan.kinds if rest.get(c) or lost.get(c)}


def far_outside(X: pd.DataFrame, reference: dict) -> dict[str, np.ndarray]:
    """Per number column, the rows whose value lies far outside the training range (codes aside): beyond a quarter
    of the range past either end, or across zero from every training value (a day count of 12,000 where training's
    ran -25,199 to -7,501; an EXT_SOURCE of 1.5 where training's ran 0 to 1; a negative income)."""
    found = {}
    for column in X.columns:
        spec = reference.get(column, {})
        if "min" not in spec:  # categorical, or a run stored before the range was kept
            continue
        low, high = spec["min"], spec["max"]
        margin = FAR_SHARE * max(high - low, 1e-9)
        values = to_numeric(X[column], errors="coerce")
        outside = (values < low - margin) | (values > high + margin) | ((low >= 0) & (values < 0)) | \
            ((high <= 0) & (values > 0))
        outside &= ~values.isin(spec.get("codes", []))
        if outside.any():
            found[column] = outside.to_numpy()
    return found


def far_notes(X: pd.DataFrame, reference: dict) -> list[str]:
    """Numbers far outside the training range, with the range written as the reasons write numbers
    (19,850.7 to 1,314,285.75, not 1.31429e+06)."""
    notes = []
    for column, outside in far_outside(X, reference).items():
        shown = [wording.format_value(float(reference[column][end])) for end in ("min", "max")]
        notes.append(f"Column {column!r}: {int(outside.sum())} value(s) lie far outside the training range ({shown[0]} "
                     f"to {shown[1]}); the model scores them like the nearest values it saw. Check them.")
    return notes


def duplicate_ids(ids: pd.Series, id_column: str) -> list[str]:
    """Ids written on more than one row of a batch, the first three with their rows (1 is the first row below the
    header, as the other notes count): with 'has duplicated values' alone, which of 300 rows was left to find."""
    filled = ids.loc[ids.notna() & (ids != "")]
    repeated = list(dict.fromkeys(filled[filled.duplicated()]))
    if not repeated:
        return []
    shown = "; ".join(f"{value} (rows {', '.join(str(row + 1) for row in np.flatnonzero(ids == value))})"
                      for value in repeated[:3])
    more = f" and {len(repeated) - 3} more" if len(repeated) > 3 else ""
    return [f"Id column {id_column!r} has duplicated values: {shown}{more}; every row was still scored, in place."]


def sparse_rows(X: pd.DataFrame, run: RunInfo) -> np.ndarray:
    """Rows emptier than the training rows ever were, and more than half empty (or wholly empty): too little
    to score on. A book whose fields are often empty (building details, bureau records) keeps its rows."""
    usual = float(run.parameters.get("usual_empty_share", 0.0))
    X = X.drop(columns=list(run.parameters.get("ratios") or {}), errors="ignore")  # the file's fields only
    return np.array([rules.too_empty(share, usual) for share in X.isna().mean(axis=1).to_numpy()], dtype=bool)


def shown_fill(fill: float, column: str, loaded: _Loaded) -> str:
    """A training median as the user wrote the column: a date (days since 1970 inside the model) as a date."""
    if loaded.plan.kinds.get(column) == "datetime" and loaded.plan.anchor:
        return f"{fill:.1f} years before the application"
    if loaded.plan.kinds.get(column) == "datetime":
        return (pd.Timestamp("1970-01-01") + pd.Timedelta(days=round(fill))).strftime("%Y-%m-%d")
    if finance_columns.is_plain_number(column, fill):  # a year or a code: 1998, not 1,998
        return str(int(fill))
    return f"{fill:,.6g}"


def _new_blank_categories(scored: pd.DataFrame, loaded: _Loaded) -> list[str]:
    """Text columns never empty in training with empty cells here: the model has not learned what that means."""
    blanks = []
    for column, kind in loaded.plan.kinds.items():
        counts = loaded.reference.get(column, {}).get("counts")
        if kind == "categorical" and column in scored.columns and counts and counts[-1] == 0:
            empty = int(scored[column].isna().sum())
            if empty:
                blanks.append(f"{column!r} ({empty})")
    if not blanks:
        return []
    return [f"Empty cells in column(s) never empty in training, scored as missing (a case the model has not "
            f"learned): {', '.join(blanks[:8])}{' …' if len(blanks) > 8 else ''}."]


def outside_training(X: pd.DataFrame, loaded: _Loaded, glossary: Glossary | None = None) -> list[str]:
    """An edited number beyond anything in training (an amount of -5): the trees read it as the nearest
    value they saw, so the PD does not move past that edge; say so rather than let it look like an answer."""
    notes = []
    for column in [c for c in X.columns if loaded.plan.kinds.get(c) == "numeric"]:  # dates: days inside
        spec = loaded.reference.get(column, {})
        value = to_numeric(X[column], errors="coerce").iloc[0]
        if "min" in spec and pd.notna(value) and not spec["min"] <= value <= spec["max"] \
                and value not in spec.get("codes", []):
            side = "below" if value < spec["min"] else "above"
            said = wording.named_value(wording.column_name(column, glossary), wording.format_value(float(value)))
            notes.append(f"{said} is {side} anything in training ({spec['min']:,.6g} to {spec['max']:,.6g}): the "
                         "model reads it as the nearest value it saw.")
    return notes

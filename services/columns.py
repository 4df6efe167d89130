"""Column names in a scoring file, matched to those a model was trained on.

Exports from another system often change only the letter case or the spaces of a header ("AGE" for
"age", "Air temperature" for "air temperature"). Such a column is taken for the model's one, and
said; anything less certain (two candidates, a different word) is left for the missing-column error.
Id columns are written back as they were read.
"""
from __future__ import annotations

import re

import numpy as np
import pandas as pd

PANDAS_BLANK = re.compile(r"Unnamed: (\d+)")   # pandas' name for a blank header cell (0-based position)


def _folded(name: object) -> str:
    return " ".join(str(name).split()).casefold()


def match_names(frame: pd.DataFrame, needed: list[str]) -> tuple[pd.DataFrame, list[str]]:
    """``frame`` with columns renamed to the needed names they match but for case and spacing, and a note."""
    present = set(map(str, frame.columns))
    by_fold: dict[str, list[str]] = {}
    for column in frame.columns:
        by_fold.setdefault(_folded(column), []).append(column)
    renames = {}
    for name in needed:
        if name in present:
            continue
        candidates = [c for c in by_fold.get(_folded(name), []) if c not in needed]
        if len(candidates) == 1:
            renames[candidates[0]] = name
    if not renames:
        return frame, []
    pairs = ", ".join(f"{old!r} as {new!r}" for old, new in list(renames.items())[:6])
    more = f" and {len(renames) - 6} more" if len(renames) > 6 else ""
    return frame.rename(columns=renames), [f"Columns matched to the model's names, which differ only in letter case "
                                           f"or spaces: {pairs}{more}."]


def missing_names(frame: pd.DataFrame, needed: list[str]) -> list[str]:
    return [c for c in needed if c not in frame.columns]


def fold_label_spellings(values: pd.Series, column: str) -> tuple[pd.Series, list[str]]:
    """Target values that differ only in case or spacing ('Bad', 'BAD ') as their most common spelling,
    with a note; the values unchanged (and no note) when every label has one spelling."""
    from domain import labels

    counts = values.value_counts()
    merged = labels.label_spellings(dict(counts.items()))
    if not merged:
        return values, []
    return values.replace(merged), [labels.spelling_note(column, merged, counts)]


def listed(names, shown: int = 20) -> str:
    """Column names for a message: the first ``shown`` and how many more (a 591-column file is not printed whole)."""
    names = [str(n) for n in names]
    more = f" … and {len(names) - shown:,} more" if len(names) > shown else ""
    return ", ".join(names[:shown]) + more


def ignored_note(frame_columns, used) -> list[str]:
    """'Ignored 2 column(s) the model does not use: extra_col, Shift.' for a scoring file's extra columns."""
    extra = [str(c) for c in frame_columns if c not in used]
    return [f"Ignored {len(extra)} column(s) the model does not use: {listed(extra, 8)}."] if extra else []


def ids_as_written(values: pd.Series) -> pd.Series:
    """Whole-number ids that one blank cell turned into decimals (7 read as 7.0) as whole numbers again, the
    blank kept blank, so that scored rows join back to the asset or loan register."""
    if not pd.api.types.is_float_dtype(values):
        return values
    known = values.dropna()
    if known.empty or not np.isfinite(known).all() or not (known == known.round()).all():
        return values
    return values.astype("Int64")


def missing_id_note(id_column: str) -> str:
    """A scoring file without the run's id column is scored anyway (the id is no feature): what the output holds."""
    return (f"The scoring file has no id column {id_column!r}: its cells in the output are empty, and the rows are "
            "in the file's order (stored under their row numbers).")


def present(frame_columns, asked=()) -> str:
    """'Columns present: a, b, c.' for a message about columns not found, with blank_header_hint."""
    return f"Columns present: {listed(frame_columns)}." + blank_header_hint(frame_columns, asked)


def blank_header_hint(frame_columns, asked) -> str:
    """Where a column asked for is pandas' name for a blank header ('Unnamed: 0', as a file written with its
    index reads in pandas), the name that column has here; else ''."""
    names = set(map(str, frame_columns))
    text = ""
    for name in asked:
        match = PANDAS_BLANK.fullmatch(str(name))
        if match and f"column_{int(match.group(1)) + 1}" in names:
            text += (f" {name!r} is what pandas calls the blank header of column {int(match.group(1)) + 1}; "
                     f"here it is called 'column_{int(match.group(1)) + 1}'.")
    return text

"""A scoring file without a header row, given the training file's column names by position.

NASA's turbofan files have no header: a user who names the training file's columns (unit, cycle, setting_1 …)
but converts the test file as it is gets a file read as column_1 … column_26 (or, when the first row holds only
distinct whole numbers, with that row as its names). When the file has as many columns as the training file (or
one fewer: the failure column, which a file to score lacks), the training names are applied by position, with a
note; of another width, it is refused, saying so. Empty columns at the end of every row (the raw text's trailing
spaces, converted) do not count.
"""
from __future__ import annotations

import re

import numpy as np
import pandas as pd

from ml.numbers import to_numeric
from services import datasets
from services.errors import NotFoundError, UserFacingError
from services.results import RunInfo
from services.runtime import Runtime

NUMBERED = re.compile(r"column_\d+")  # the reader's names for the columns of a file without a header row


def _numbered(names) -> bool:
    return len(names) > 0 and all(NUMBERED.fullmatch(str(c)) for c in names)


def _is_number(text: object) -> bool:
    try:
        return np.isfinite(float(str(text).strip()))
    except ValueError:
        return False


def _numbers_as_names(names) -> bool:
    """The reader took a first row of distinct whole numbers for names (a header of years reads so): data here."""
    return len(names) > 1 and all(_is_number(c) for c in names)


def _trailing_empty(frame: pd.DataFrame) -> int:
    """Empty columns at the end of every row (C-MAPSS's trailing spaces, converted to CSV, end each row in ',,')."""
    count = 0
    for column in reversed(list(frame.columns)):
        if not NUMBERED.fullmatch(str(column)) or not _blank(frame[column]).all():
            break
        count += 1
    return count


def _blank(values: pd.Series) -> pd.Series:
    return values.isna() | values.astype(str).str.strip().eq("")


def _candidates(trained: list[str], target: str | None, role: str) -> list[tuple[list[str], str]]:
    """Name lists a headerless file may carry, with what the note says of each: the training file's columns,
    without the failure column, and either without the training file's own unnamed empty columns at its end."""
    lists = [(trained, "")]
    if target in trained:
        lists.append(([c for c in trained if c != target], f" but {role} {target!r}"))
    out = []
    for names, said in lists:
        kept = list(names)
        while kept and NUMBERED.fullmatch(kept[-1]):
            kept.pop()
        out.extend([(kept, said), (names, said)] if 0 < len(kept) < len(names) else [(names, said)])
    return out


def positional_names(frame: pd.DataFrame, trained: list[str] | None, needed: list[str], *,
                     target: str | None = None, kinds: dict[str, str] | None = None,
                     role: str = "the failure column") -> tuple[pd.DataFrame, list[str]]:
    """``frame`` with the training file's names applied by position, and a note; unchanged (and no note) unless
    the file lacks the ``needed`` columns, has no header row and has the training file's number of columns (or one
    fewer: ``target``, which ``role`` names: the failure column, or a RUL column the RUL model left out).
    ``kinds`` (the training dataset's column kinds) refuses a file whose columns are plainly in another order."""
    trained = [str(c) for c in trained or []]
    names = list(frame.columns)
    if not trained or all(c in map(str, names) for c in needed):  # numbered in training too: one column short
        return frame, []
    restored = _numbers_as_names(names) and not _numbered(names)
    if not (_numbered(names) or restored):
        return frame, []
    data = _with_first_row(frame) if restored else frame
    empty = _trailing_empty(data)
    for width, dropped in ((len(names) - empty, empty), (len(names), 0)):  # the empty columns left out first
        for chosen, said in _candidates(trained, target, role):
            if width == len(chosen) and width >= 2:
                data = data.iloc[:, :width].set_axis(chosen, axis=1)
                _check_kinds(data, chosen, kinds)
                return data, [_note(chosen, said, dropped, restored)]
    if _numbered(names) and not _numbered(trained):  # said first: "Columns not in the data: unit, cycle" hid why
        raise UserFacingError(
            f"The file has no header row, and it has {len(names) - empty} columns where the training file had "
            f"{len(trained)}" + (f" ({len(trained) - 1} without {role} {target!r})" if target in trained else "")
            + ", so the training file's names cannot be given to its columns by position. Give it the "
            f"training file's header row ({', '.join(trained)}), or its {len(trained)} columns in that order.")
    return frame, []


def _with_first_row(frame: pd.DataFrame) -> pd.DataFrame:
    """The row the reader took for names put back as the first row of data."""
    first = pd.DataFrame([[_as_value(name, frame[name]) for name in frame.columns]], columns=frame.columns)
    return pd.concat([first, frame], ignore_index=True)


def _as_value(name: object, values: pd.Series):
    if pd.api.types.is_integer_dtype(values) and float(str(name)).is_integer():
        return int(float(str(name)))
    return float(str(name)) if pd.api.types.is_numeric_dtype(values) else str(name)


def _check_kinds(data: pd.DataFrame, chosen: list[str], kinds: dict[str, str] | None) -> None:
    """A column that held numbers in training but holds none here: the file's columns are in another order."""
    for position, name in enumerate(chosen):
        if (kinds or {}).get(name) != "numeric" or pd.api.types.is_numeric_dtype(data[name]):
            continue
        filled = data[name][~_blank(data[name])]
        if len(filled) and to_numeric(filled, errors="coerce").isna().all():
            raise UserFacingError(
                f"The file has no header row; it has as many columns as the training file, but its column "
                f"{position + 1} (the training file's {name!r}, numbers) holds text such as {str(filled.iloc[0])!r}: "
                "its columns are not in the training file's order. Give it the training file's header row: "
                f"{', '.join(chosen)}.")


def _note(chosen: list[str], said: str, dropped: int, restored: bool) -> str:
    shown = ", ".join(chosen[:4]) + (f", … {chosen[-1]}" if len(chosen) > 4 else "")
    empty = f"; the {dropped} empty column(s) at the end of every row were left out" if dropped else ""
    first = " (its first row, which the reader took for names, is read as data)" if restored else ""
    return (f"The file has no header row{first}: its {len(chosen)} columns were given the training file's names by "
            f"position ({shown}: the training file's columns{said}, in order){empty}. Check that its columns are "
            "in the training file's order.")


def reversed_header_hint(frame: pd.DataFrame, trained: list[str] | None) -> str:
    """A model trained on a file without a header row (column_1 …) and a file with one: said how to match them."""
    if not _numbered([str(c) for c in trained or []]) or _numbered(list(frame.columns)) or not len(frame.columns):
        return ""
    return (" The model was trained on a file without a header row (columns numbered column_1 …): score a file "
            "without one too, or train on a file with this header.")


def training_kinds(runtime: Runtime, run: RunInfo) -> dict[str, str]:
    """The training dataset's column kinds ('numeric' …), in file order; none when the dataset is gone."""
    if run.dataset_id is None:
        return {}
    try:
        return datasets.get_dataset(runtime, run.dataset_id).schema
    except NotFoundError:
        return {}

"""Cells written as Python bytes literals (``b'1'``, ``b'A11'``), read as the text inside.

scipy's ARFF reader returns nominal attributes as bytes; a table it read, written out with pandas, holds
``b'0'``/``b'1'`` in the class column (the Polish bankruptcy files, OpenML's credit-g) and ``b'?'`` where a
nominal value was missing. Read as they stand, the outcome's default was reported as "b'1'" and, with no
name to go by, chosen as the minority; categories read "Checking status of b'A11'" in the reasons.
"""
from __future__ import annotations

import re
from typing import Any

import pandas as pd

LITERAL = r"""b'[^']*'|b"[^"]*\""""
MISSING = "?"  # ARFF's missing value


def unwrapped(frame: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    """The frame with every text column whose filled cells are all bytes literals read as their text (numbers
    when they all are), and a note naming those columns (none when there are none)."""
    read: dict[Any, pd.Series] = {}
    for column in frame.columns:
        values = frame[column]
        if not (pd.api.types.is_object_dtype(values) or pd.api.types.is_string_dtype(values)):
            continue
        filled = values.dropna().astype(str)
        if filled.empty or not filled.str.fullmatch(LITERAL).all():
            continue
        text = filled.str.slice(2, -1)
        text = text[text.str.strip() != MISSING]
        numbers = pd.to_numeric(text, errors="coerce")
        inner = numbers if numbers.notna().all() and not text.empty else text
        read[column] = inner.reindex(values.index)
    if not read:
        return frame, []
    names = ", ".join(repr(str(c)) for c in list(read)[:5]) + (f" and {len(read) - 5} more" if len(read) > 5 else "")
    example = next(str(frame[c].dropna().iloc[0]) for c in read)
    note = (f"Column(s) {names} hold values written as bytes ({example}), as a table read from an ARFF file with "
            f"scipy and saved as CSV has them: read as the text inside, and b'{MISSING}' as an empty cell.")
    out = frame.copy(deep=False)
    for column, values in read.items():
        out[column] = values
    return out, [note]


def for_model(frame: pd.DataFrame, categories: dict[str, list[str]]) -> pd.DataFrame:
    """A frame to score read as the model's training rows were: runs trained before bytes literals were read
    (their categories spelt b'A11') keep them."""
    spelt = any(re.fullmatch(LITERAL, str(v)) for values in categories.values() for v in values)
    return frame if spelt else unwrapped(frame)[0]


def unwrapped_value(value: Any) -> Any:
    """One value given by the user (``--positive b'1'``) read the same way."""
    text = str(value).strip() if value is not None else ""
    return text[2:-1] if re.fullmatch(LITERAL, text) else value

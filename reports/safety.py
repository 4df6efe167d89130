"""Spreadsheet formula-injection defence (CSV/XLSX "formula injection").

A user-supplied value such as ``=HYPERLINK("http://evil", "click")`` becomes a live formula
when an exported file is opened in Excel or LibreOffice.  Following the OWASP guidance, every
*string* that starts with a formula trigger gets a leading apostrophe, which spreadsheet
programs display as text.  The check is done on the raw value, without stripping, because
leading whitespace does not stop the attack for tab and carriage return.

The apostrophe is for text files (CSV; DOCX tables, which are pasted into Excel). An XLSX cell keeps the
text itself, typed as text and styled quote-prefix; HTML and PDF show the text as it is. An apostrophe
there had become part of the data: an XLSX purchase plan's ``'-Bolt`` matched no item in an item master.

Numbers are never touched, so a numeric ``-5`` stays a number. A *string* that is nothing but a
plain number (``"-0042"``, ``"+44"``, ``"-1.5e3"``: an id or a code kept as written) is left as it is
too: a spreadsheet reads it as a number, never as a formula, and an apostrophe would change the id
a script matches on. Anything more (``"-1+1"``, ``"-x"``, ``"+A1"``) gets the apostrophe.
"""

from __future__ import annotations

import re
from collections.abc import Hashable

import pandas as pd
from pandas.api.types import is_object_dtype, is_string_dtype

FORMULA_TRIGGERS: tuple[str, ...] = ("=", "+", "-", "@", "\t", "\r")
"""First characters that make a spreadsheet treat a cell as a formula (OWASP list)."""

_PREFIX = "'"
_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")


def starts_like_formula(value: object) -> bool:
    """Text a spreadsheet reads as typed, not as text: a formula, or a number (``"-0042"`` read as -42). An HTML
    report marks such a cell as text for Excel (its text unchanged)."""
    return isinstance(value, str) and value.startswith(FORMULA_TRIGGERS)


def reads_as_formula(value: object) -> bool:
    """Whether a spreadsheet would take ``value`` as a formula: the one test every exporter shares. CSV answers
    it with a leading apostrophe (``neutralise``), XLSX with a text cell styled quote-prefix (the text unchanged)."""
    return starts_like_formula(value) and not _PLAIN_NUMBER.fullmatch(value)  # type: ignore[arg-type]


def neutralise(value: object) -> object:
    """Return ``value`` made inert for spreadsheets; non-strings come back unchanged.

    Only ``str`` (and subclasses such as ``numpy.str_``) are changed, so numbers, dates and
    missing values keep their type and stay usable in the exported file.
    """
    if reads_as_formula(value):
        return _PREFIX + str(value)
    return value


def _neutralise_label(label: Hashable) -> Hashable:
    """Neutralise a column or index label, including each part of a MultiIndex tuple."""
    if isinstance(label, tuple):
        return tuple(neutralise(part) for part in label)
    return neutralise(label)


def _needs_cleaning(series: pd.Series | pd.Index) -> bool:
    """Only text-like columns can hold a formula; numeric and date columns are skipped fast."""
    dtype = series.dtype
    if isinstance(dtype, pd.CategoricalDtype):
        return _needs_cleaning(dtype.categories)
    return is_object_dtype(dtype) or is_string_dtype(dtype)


def _clean_series(series: pd.Series) -> pd.Series:
    if isinstance(series.dtype, pd.CategoricalDtype):
        # Mapping categories keeps the column categorical and costs one call per category.
        return series.map(neutralise)
    if is_object_dtype(series.dtype):  # each cell keeps its type: an order of 129 beside 106.41 stays 129, not 129.0
        return pd.Series([neutralise(v) for v in series], index=series.index, name=series.name, dtype=object)
    cleaned = series.map(neutralise)
    if is_string_dtype(series.dtype) and not is_object_dtype(series.dtype):
        cleaned = cleaned.astype(series.dtype)
    return cleaned


def neutralise_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """Return a copy whose text cells, column names and text index are neutralised.

    The index is included because many exporters write it as a column; callers that
    drop it lose nothing.  The input frame is never modified.
    """
    out = frame.copy()
    if isinstance(out.columns, pd.MultiIndex):
        out.columns = pd.MultiIndex.from_tuples(
            [_neutralise_label(c) for c in out.columns], names=out.columns.names
        )
    else:
        out.columns = pd.Index([_neutralise_label(c) for c in out.columns], name=out.columns.name)
    for position in range(out.shape[1]):
        column = out.iloc[:, position]
        if _needs_cleaning(column):
            out.isetitem(position, _clean_series(column))
    if not isinstance(out.index, pd.MultiIndex) and _needs_cleaning(out.index):
        out.index = pd.Index([neutralise(v) for v in out.index], name=out.index.name)
    return out

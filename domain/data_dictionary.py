"""A data dictionary: what a table's coded columns and values mean, so reasons read by applicants say
"Checking account status of 1 (no checking account)" rather than "Laufkont of 1".

A dictionary is a table with a column-name column, a label column and, optionally, a value (code) column.
A row without a value names the column; a row with one names that value of the column.
"""
from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

# Header names a dictionary's three columns go by (compared lower-cased, without spaces, _ or -).
COLUMN_HEADERS = ("column", "columnname", "variable", "variablename", "field", "fieldname", "feature", "attribute",
                  "name", "col")
LABEL_HEADERS = ("label", "description", "meaning", "definition", "text", "desc", "title")
# Not "category" or "level": dictionaries use those to group their columns ("Account", "Demographics").
VALUE_HEADERS = ("value", "code", "values", "codes", "valuecode")
MAX_LABEL = 120  # characters: a reason stays one readable line


class DictionaryError(ValueError):
    """A dictionary that cannot be read as one (its columns are not recognised)."""


@dataclass(frozen=True)
class Glossary:
    columns: Mapping[str, str] = field(default_factory=dict)                # column → what it is called
    values: Mapping[str, Mapping[str, str]] = field(default_factory=dict)   # column → code → what it means
    unseen: Mapping[str, list[str]] = field(default_factory=dict)  # column → codes not in the training data

    def column(self, name: str) -> str | None:
        return self.columns.get(str(name))

    def value(self, column: str, value: object) -> str | None:
        """The meaning of a value: its code as spelled, else as loosely spelled (01 for 1, a11 for A11)."""
        codes = self.values.get(str(column))
        if not codes:
            return None
        key = value_key(value)
        if key in codes or not key:
            return codes.get(key)
        loose = loose_key(key)
        return next((label for code, label in codes.items() if loose_key(code) == loose), None)

    def __bool__(self) -> bool:
        return bool(self.columns or self.values)

    def to_dict(self) -> dict[str, dict]:
        return {"columns": dict(self.columns), "values": {c: dict(v) for c, v in self.values.items()},
                "unseen": {c: list(v) for c, v in self.unseen.items()}}

    @classmethod
    def from_dict(cls, stored: Mapping | None) -> "Glossary":
        stored = stored or {}
        return cls(dict(stored.get("columns") or {}), {c: dict(v) for c, v in (stored.get("values") or {}).items()},
                   {c: list(v) for c, v in (stored.get("unseen") or {}).items()})


def value_key(value: object) -> str:
    """One spelling per code: 1, 1.0 and " 1 " are the same code; a blank is no code."""
    if value is None or isinstance(value, bool):
        return "" if value is None else str(value).lower()
    if isinstance(value, float):
        if math.isnan(value):
            return ""
        if value.is_integer():
            return str(int(value))
    return str(value).strip()


def loose_key(value: object) -> str:
    """A code compared loosely: letter case aside, and numbers by value ("01", "1.0" and 1 alike)."""
    key = value_key(value).casefold()
    try:
        number = float(key)
    except ValueError:
        return key
    if not math.isfinite(number):
        return key
    return str(int(number)) if number.is_integer() else repr(number)


def _header(name: object) -> str:
    return re.sub(r"[\s_\-.]+", "", str(name).lower())


def _find(headers: Sequence[object], names: Sequence[str]) -> int | None:
    normal = [_header(h) for h in headers]
    return next((normal.index(n) for n in names if n in normal), None)


def _text(value: object) -> str:
    text = " ".join(value_key(value).split())
    return text if len(text) <= MAX_LABEL else text[:MAX_LABEL - 1].rstrip() + "…"


def parse(headers: Sequence[object], rows: Iterable[Sequence[object]]) -> tuple[Glossary, list[str]]:
    """A glossary from a dictionary table's headers and rows, and notes on what was skipped. Raises
    DictionaryError when no column-name and label columns are found."""
    at_column, at_label = _find(headers, COLUMN_HEADERS), _find(headers, LABEL_HEADERS)
    if at_column is None or at_label is None or at_column == at_label:
        raise DictionaryError(
            "A data dictionary needs a column-name column (headed 'column', 'variable' or 'field') and a label "
            "column (headed 'label' or 'description'), and may have a 'value' (or 'code') column for coded values; "
            f"this file has: {', '.join(str(h) for h in headers) or 'no columns'}.")
    at_value = _find(headers, VALUE_HEADERS)
    columns: dict[str, str] = {}
    values: dict[str, dict[str, str]] = {}
    repeated: list[str] = []
    for row in rows:
        name, label = _text(row[at_column]), _text(row[at_label])
        code = value_key(row[at_value]) if at_value is not None else ""
        if not name or not label:
            continue
        target = values.setdefault(name, {}) if code else columns
        key = code or name
        if key in target:
            repeated.append(f"{name} = {code}" if code else name)
            continue
        target[key] = label
    notes = []
    if repeated:
        notes.append(f"The data dictionary describes {_few(repeated)} more than once: the first is kept.")
    return Glossary(columns, {c: v for c, v in values.items() if v}), notes


def unknown_columns(glossary: Glossary, known: Iterable[str]) -> list[str]:
    """Columns the dictionary describes that the table does not have, even ignoring letter case."""
    present = {str(c).casefold() for c in known}
    return sorted(c for c in {*glossary.columns, *glossary.values} if c.casefold() not in present)


def unknown_notes(glossary: Glossary, present: Iterable[str]) -> list[str]:
    """A note naming the dictionary's columns that the table (``present``: all its columns) lacks."""
    unknown = unknown_columns(glossary, present)
    if not unknown:
        return []
    return [f"The data dictionary describes {len(unknown)} column(s) not in the data, left unused: {_few(unknown)}."]


def fit_to_data(glossary: Glossary, features: Iterable[str], present: Sequence[str],
                data_values: Mapping[str, Iterable[object]]) -> tuple[Glossary, list[str]]:
    """The dictionary as the data spells it, and notes on what it explains. Column names and codes that differ
    from the data only in letter case (ATTR1, a11) or in how a number is written (01, 2.0) take the data's
    spelling; codes matching no value of ``data_values`` (each coded column's values) are named; only what
    matches is counted."""
    by_case: dict[str, str] = {}
    for column in map(str, present):
        by_case.setdefault(column.casefold(), column)
    columns: dict[str, str] = {}
    for name, label in glossary.columns.items():
        if name.casefold() in by_case:
            columns.setdefault(by_case[name.casefold()], label)
    used = {str(c) for c in features}
    values: dict[str, dict[str, str]] = {}
    unmatched: list[str] = []
    unseen: dict[str, list[str]] = {}
    explained = 0
    for name, codes in glossary.values.items():
        if name.casefold() not in by_case:
            continue
        real = by_case[name.casefold()]
        spelled = {loose_key(v): value_key(v) for v in data_values.get(real, ()) if value_key(v)}
        kept = values.setdefault(real, {})
        for code, label in codes.items():
            if loose_key(code) in spelled:
                kept.setdefault(spelled[loose_key(code)], label)
                explained += real in used
            else:
                unmatched.append(f"{real} = {code}")
                unseen.setdefault(real, []).append(code)
                kept.setdefault(code, label)  # an applicant scored later may still have it
    notes = [f"Reasons use the data dictionary: {sum(c in used for c in columns)} of the model's {len(used)} "
             f"columns named, {explained} coded value(s) explained.", *unknown_notes(glossary, present)]
    if unmatched:
        notes.append(f"{len(unmatched)} code(s) of the data dictionary match no value in the data: {_few(unmatched)}.")
    return Glossary(columns, values, unseen), notes


def _few(names: Sequence[str], limit: int = 8) -> str:
    shown = ", ".join(names[:limit])
    return shown + (f" and {len(names) - limit} more" if len(names) > limit else "")

"""Categories of a scoring file against training's: spellings matched to the training value, and values never
seen in training counted (split from ml/credit_features.py)."""
from __future__ import annotations

import re
from typing import Any

import pandas as pd


def match_categories(aligned: pd.DataFrame, categories: dict[str, list[str]]) -> tuple[pd.DataFrame, list[str]]:
    """Categories written differently from training ('rent' for 'RENT', '<0' for "'<0'") mapped to the
    training spelling when exactly one matches, so they are not scored as never seen. Said in a note."""
    out, notes = aligned.copy(), []
    for column, known in categories.items():
        if column not in out:
            continue
        keys: dict[str, list[str]] = {}
        for value in known:
            keys.setdefault(_category_key(value), []).append(value)
        values = out[column]
        text = values.dropna().astype(str)
        unknown = text[~text.isin(set(known))]
        mapping = {v: keys[_category_key(v)][0] for v in unknown.unique() if len(keys.get(_category_key(v), [])) == 1}
        if not mapping:
            continue
        hits = unknown.isin(set(mapping))
        out.loc[hits[hits].index, column] = unknown[hits].map(mapping)
        shown = ", ".join(f"{v!r} as {k!r}" for v, k in list(mapping.items())[:3])
        notes.append(f"Column {column!r}: {int(hits.sum())} value(s) matched a training category written "
                     f"differently ({shown}).")
    return out, notes


def _category_key(value: Any) -> str:
    return re.sub(r"\s+", " ", str(value).strip().strip("'\"`").strip()).casefold()


def unseen_categories(aligned: pd.DataFrame, categories: dict[str, list[str]]) -> dict[str, dict[str, Any]]:
    """Per categorical column: rows whose category was never seen in training, with examples."""
    found = {}
    for column, known in categories.items():
        if column not in aligned:
            continue
        values = aligned[column].dropna().astype(str)
        new = values[~values.isin(set(known))]
        if len(new):
            found[column] = {"rows": int(len(new)), "examples": sorted(new.unique().tolist())[:3]}
    return found

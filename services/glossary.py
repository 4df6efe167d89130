"""Reading a data dictionary file (what coded columns and values mean) for the reasons a run gives."""
from __future__ import annotations

import os

import pandas as pd

from data import ingest
from domain import data_dictionary as rules
from domain.data_dictionary import Glossary, fit_to_data
from ml.ordering import natural_key
from services import datasets
from services.errors import UserFacingError
from services.runtime import Runtime

MAX_DICTIONARY_BYTES = 20 * 1024 * 1024  # a dictionary is a few hundred rows; a bigger file is the wrong file


def read_dictionary(source: bytes | str | os.PathLike, *, filename: str) -> tuple[Glossary, list[str]]:
    """The glossary in a CSV/TSV/Excel data dictionary (columns: column, label and optionally value), with
    notes on repeated entries. A file that is not a readable table, or has no such columns, is refused."""
    try:
        result = ingest.read_table(source, filename=filename, max_bytes=MAX_DICTIONARY_BYTES)
    except ingest.IngestError as exc:
        raise datasets.DatasetRejected(f"The data dictionary could not be read. {exc}",
                                       ingest.problems_to_json(exc.problems)) from exc
    frame = result.frame
    try:
        glossary, notes = rules.parse(frame.columns, frame.rows())
    except rules.DictionaryError as exc:
        raise UserFacingError(str(exc)) from None
    if not glossary:
        raise UserFacingError(f"The data dictionary {filename} has no entries with both a column name and a label.")
    return glossary, notes



def display_names(stored: dict | None, columns: list[str]) -> dict[str, str]:
    """Chart labels for a run's columns: the dictionary's name with the column's own ("Checking account
    status (laufkont)"), or the column's own name where the dictionary (``stored``, as kept with the run)
    has none."""
    glossary = Glossary.from_dict(stored)
    return {c: f"{glossary.column(c)} ({c})" if glossary.column(c) else c for c in columns}


def fit_glossary(glossary: Glossary, frame: pd.DataFrame, features: list[str] | None = None
                 ) -> tuple[Glossary, list[str]]:
    """The dictionary spelled as the table spells its columns and codes, with notes on what it explains (of
    ``features``: the model's columns; all of the table's when not known yet)."""
    present = [str(c) for c in frame.columns]
    by_case = {c.casefold(): c for c in present}
    coded = {by_case[c.casefold()] for c in glossary.values if c.casefold() in by_case}
    data_values = {c: frame[c].dropna().unique().tolist() for c in coded}
    return fit_to_data(glossary, present if features is None else features, present, data_values)


def preview(runtime: Runtime, dataset_id: int, glossary: Glossary) -> list[str]:
    """What of the dictionary does not fit a stored table (before training on it): columns it lacks, codes
    matching none of its values. (The first note, on what the model's reasons will use, waits for the run.)"""
    return fit_glossary(glossary, datasets.load_pandas(runtime, dataset_id))[1][1:]


def value_names(stored: dict | None, column: str, values: list) -> dict:
    """Labels for a column's values in a picker, in natural order (A41, A42, A410): "A46 (education)" with a
    dictionary's meaning, else the value itself."""
    glossary = Glossary.from_dict(stored)
    return {v: f"{v} ({glossary.value(column, v)})" if glossary.value(column, v) else str(v)
            for v in sorted(values, key=natural_key)}


__all__ = ["Glossary", "MAX_DICTIONARY_BYTES", "display_names", "fit_glossary", "preview", "read_dictionary", "value_names"]

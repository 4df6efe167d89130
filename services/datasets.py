"""Dataset use cases: import (validate, profile, store), list, load, change column roles."""
from __future__ import annotations

import os
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import BinaryIO

import pandas as pd
import polars as pl

from data import ingest, storage, text_table
from data.sniff import DELIMITER_NAMES, ENCODING_NAMES
from data.records import DatasetRecord
from services.errors import NotFoundError, UserFacingError
from services.results import DatasetInfo
from services.runtime import Runtime


ROLES = ingest.ROLES


class DatasetRejected(UserFacingError):
    """The file has problems that must be fixed before it can be stored; ``problems`` lists them all."""

    def __init__(self, message: str, problems: list[dict]) -> None:
        super().__init__(message)
        self.problems = problems


@dataclass(frozen=True)
class NamesCheck:
    """A check that reads only the table's column names (and dtypes): import hands it the table with no rows.
    Converting a 1.5-million-row telemetry file to pandas only to look at its header doubled the import's peak
    memory (0.41 GB → 0.86 GB), and the allocators kept most of it afterwards."""

    check: Callable[[pd.DataFrame], object]

    def __call__(self, frame: pd.DataFrame) -> object:
        return self.check(frame)


def list_sheets(source: bytes | str | os.PathLike, *, filename: str) -> list[str]:
    try:
        return ingest.list_sheets(source, filename=filename)
    except ingest.IngestError as exc:
        raise DatasetRejected(str(exc), ingest.problems_to_json(exc.problems)) from exc


def import_dataset(runtime: Runtime, source: bytes | str | os.PathLike | BinaryIO, *, filename: str,
                   name: str | None = None, user: str, sheet: str | None = None,
                   check: Callable[[pd.DataFrame], object] | None = None, keep_blank_rows: bool = False
                   ) -> DatasetInfo:
    """Validate everything first; write the Parquet file atomically; commit the row; nothing half-stored.
    ``check``, given the table as ``load_pandas`` would return it (a NamesCheck: with no rows), may refuse it
    (raise) before it is stored: a scoring file without the model's columns is not kept as a dataset.
    ``keep_blank_rows``: a file to score keeps its blank rows inside the table, so that the output has one row per
    row of the file."""
    try:
        result = ingest.read_table(source, filename=filename, max_bytes=runtime.max_upload_bytes, sheet=sheet,
                                   keep_blank_rows=keep_blank_rows)
    except ingest.IngestError as exc:
        raise DatasetRejected(str(exc), ingest.problems_to_json(exc.problems)) from exc
    if check is not None:
        check((result.frame.head(0) if isinstance(check, NamesCheck) else result.frame).to_pandas())
    name = (name or suggested_name(filename)).strip()[:200]
    stored = _stored_before(runtime, result, name)
    if stored is not None:
        return stored
    parquet_path = runtime.datasets_dir / f"{result.file_sha256[:16]}-{uuid.uuid4().hex[:8]}.parquet"
    storage.write_parquet_atomic(result.frame, parquet_path)
    try:
        with runtime.uow() as uow:
            owner = uow.users.get_or_create(user)
            record = uow.datasets.add(DatasetRecord(
                name=name, owner_id=owner.id, original_filename=Path(filename).name[:500],
                sha256=result.file_sha256, size_bytes=result.size_bytes, rows=result.rows, columns=result.columns,
                schema=dict(result.schema), roles=dict(result.roles),
                profile=ingest.profile_to_json(result.profile), problems=ingest.problems_to_json(result.problems),
                source_format={"encoding": result.encoding, "delimiter": result.delimiter,
                               "decimal_comma": result.decimal_comma, "sheet": result.sheet,
                               "sheets": list(result.sheets)},
                parquet_path=parquet_path.name,
            ))
            uow.audit.add(user_id=owner.id, action="import", object_type="dataset", object_id=record.id,
                          details={"file": Path(filename).name, "sha256": result.file_sha256, "rows": result.rows})
            uow.commit()
            return DatasetInfo.from_record(record, owner=user)
    except BaseException:
        parquet_path.unlink(missing_ok=True)
        raise


def _stored_before(runtime: Runtime, result: ingest.IngestResult, name: str) -> DatasetInfo | None:
    """The dataset stored from the same bytes under the same name and read the same way (sheet, rows, column kinds),
    with a note: importing a file again had stored another copy, and every dataset picker listed each one. Another
    name keeps a second copy."""
    with runtime.uow() as uow:
        for record in uow.datasets.same_file(result.file_sha256, name):
            same = (record.rows, record.schema, (record.source_format or {}).get("sheet")) == (
                result.rows, result.schema, result.sheet)
            if same and (runtime.datasets_dir / record.parquet_path).is_file():
                owner = uow.users.get(record.owner_id)
                info = DatasetInfo.from_record(record, owner=owner.name if owner else "")
                note = {"row": None, "column": None, "severity": "info", "problem": (
                    f"This file was imported before, as dataset #{record.id} '{record.name}' on "
                    f"{record.created_at:%Y-%m-%d}: that dataset is used and no copy was stored. Import it under "
                    "another name to keep a second copy.")}
                return replace(info, problems=[note, *info.problems], reused=True)
    return None


def import_or_reuse(runtime: Runtime, path: Path, *, user: str,
                    check: Callable[[pd.DataFrame], object] | None = None) -> DatasetInfo:
    """The stored dataset with the same bytes (same sha256) when there is one, else a new import: running a
    desk command twice on one file stores it once. Workbooks are always read afresh (the largest sheet by
    default), since a stored import of the same file may hold another sheet. ``check`` as for import_dataset
    (a stored copy is checked too, so a wrong column name fails before any job)."""
    from ml.artifacts import sha256_of

    if path.suffix.lower() in ingest.EXCEL_EXTENSIONS:  # the stored copy may hold another sheet of it
        return import_dataset(runtime, path, filename=path.name, user=user, check=check)
    digest = sha256_of(path)
    for info in list_datasets(runtime):
        if info.sha256 == digest:
            if isinstance(check, NamesCheck):
                check(pl.DataFrame(schema=pl.read_parquet_schema(_stored_file(runtime, info.id))).to_pandas())
            elif check is not None:
                check(load_pandas(runtime, info.id))
            return info
    return import_dataset(runtime, path, filename=path.name, user=user, check=check)


def list_datasets(runtime: Runtime) -> list[DatasetInfo]:
    with runtime.uow() as uow:
        return [DatasetInfo.from_record(record) for record in uow.datasets.list()]


def get_dataset(runtime: Runtime, dataset: int | str) -> DatasetInfo:
    """By id, or by name (the latest with that name)."""
    with runtime.uow() as uow:
        record = uow.datasets.get(int(dataset)) if str(dataset).isdigit() else uow.datasets.by_name(str(dataset))
        if record is None:
            raise NotFoundError(f"No dataset {dataset!r}. Import it first (home page or `cli.py data import`).")
        return DatasetInfo.from_record(record)


def load_frame(runtime: Runtime, dataset: int | str, columns: list[str] | None = None) -> pl.DataFrame:
    return storage.read_parquet(_stored_file(runtime, dataset), columns=columns)


def _stored_file(runtime: Runtime, dataset: int | str) -> Path:
    info = get_dataset(runtime, dataset)
    with runtime.uow() as uow:
        path = runtime.datasets_dir / uow.datasets.get(info.id).parquet_path
    if not path.is_file():
        raise NotFoundError(f"The stored file for dataset {info.name!r} is missing from the state folder.")
    return path


def load_pandas(runtime: Runtime, dataset: int | str, columns: list[str] | None = None) -> pd.DataFrame:
    return load_frame(runtime, dataset, columns).to_pandas()


def update_roles(runtime: Runtime, dataset_id: int, roles: dict[str, str], *, user: str) -> DatasetInfo:
    with runtime.uow() as uow:
        record = uow.datasets.get(dataset_id)
        if record is None:
            raise NotFoundError(f"No dataset {dataset_id}.")
        unknown = sorted(set(roles) - set(record.schema))
        if unknown:
            raise UserFacingError(f"Unknown columns: {', '.join(unknown)}")
        bad = sorted({role for role in roles.values() if role not in ingest.ROLES})
        if bad:
            raise UserFacingError(f"Unknown roles: {', '.join(bad)}; use one of {', '.join(ingest.ROLES)}.")
        targets = [column for column, role in {**record.roles, **roles}.items() if role == "target"]
        if len(targets) > 1:
            raise UserFacingError(f"Only one target column is allowed; chosen: {', '.join(targets)}.")
        record.roles = {**record.roles, **roles}
        owner = uow.users.get_or_create(user)
        uow.audit.add(user_id=owner.id, action="update_roles", object_type="dataset", object_id=dataset_id,
                      details={"roles": roles})
        uow.commit()
        return DatasetInfo.from_record(record)


def load_samples(runtime: Runtime, *, user: str, only_if_empty: bool = True) -> list[DatasetInfo]:
    """Store the bundled sample datasets (on first start, so every desk has data to try)."""
    from data.sample_data import sample_files

    with runtime.uow() as uow:
        if only_if_empty and uow.datasets.count():
            return []
        existing = {record.name for record in uow.datasets.list()}
    return [import_dataset(runtime, path, filename=path.name, name=name, user=user)
            for path, name in sample_files() if name not in existing]


def emptied_values_notes(problems, shown: int = 5) -> list[str]:
    """The reader's notes on cells it emptied (inf, 'NaN', '?', 'N/A'); how each such cell is scored is the
    desk's to say. Many columns (64 ratios written with '?') make one note, not one each."""
    texts = [p["problem"] if isinstance(p, dict) else p.problem for p in problems]
    emptied = [t for t in texts if t.endswith(("replaced with empty cells.", "treated as empty cells."))]
    if len(emptied) <= shown:
        return emptied
    columns = list(dict.fromkeys(m.group(1) for t in emptied if (m := re.match(r"Column '(.+?)' ", t))))
    if len(columns) <= shown:  # few columns with several kinds each ('?' and inf): the notes themselves
        return emptied
    listed = ", ".join(repr(c) for c in columns[:shown])
    return [f"{len(columns)} columns had cells read as empty ({_markers(emptied)}), among them {listed} …"]


def _markers(texts: list[str]) -> str:
    """What the emptied cells held, as the reader's notes say: "'na'", "'?', 'NaN' or inf"."""
    found: list[str] = []
    for text in texts:
        words = re.search(r"uses text such as (.+?) for missing|(?:is not a number|are not numbers) \((.+?)\) in", text)
        found += re.findall(r"'[^']*'", words.group(1) or words.group(2)) if words else []
        found += ["'NaN'"] if "'NaN' values" in text else []
        found += ["inf"] if "infinite values" in text else []
        found += ["only spaces"] if "holding only spaces" in text else []
    kinds = list(dict.fromkeys(found))[:4]
    if not kinds:
        return "markers of missing values"
    return "such as " + (kinds[0] if len(kinds) == 1 else ", ".join(kinds[:-1]) + f" or {kinds[-1]}")


def reading_notes(problems, shown: int = 8) -> list[str]:
    """What the reader did to a file (title rows skipped, blank rows dropped, text such as 'n/a' read as
    missing), for the notes of a run trained on it: without them a CLI user never sees how the file was read.
    Long row lists are cut; cells emptied in many columns make one note."""
    items = [(p["problem"], p["severity"]) if isinstance(p, dict) else (p.problem, p.severity) for p in problems]
    emptied = ("replaced with empty cells.", "treated as empty cells.")
    unused = ("it carries no information and will be ignored.", "is completely empty; it will be ignored.")
    texts = [_cut(t) for t, severity in items  # constant and empty columns: each desk says what it left out
             if severity in ("info", "warning") and not t.endswith(emptied + unused)]
    more = [f"… and {len(texts) - shown} more note{'s' if len(texts) - shown > 1 else ''} on reading the file."] \
            if len(texts) > shown else []
    return [*texts[:shown], *more, *emptied_values_notes(problems)]


def _cut(text: str, limit: int = 300) -> str:
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + " …"


def suggested_name(filename: str) -> str:
    """A dataset's name from its file: 'loans.csv' → 'loans', and 'loans.csv.gz' or 'loans.csv.zip' → 'loans' too
    (a compressed table had been named 'loans.csv')."""
    return Path(re.sub(r"\.(gz|zip)$", "", filename, flags=re.I)).stem or "dataset"


NOT_THE_TABLE = " not part of the table ("  # the reader's lines above or under a table, left out


def scoring_read_notes(problems) -> list[str]:
    """The reader's notes a scored file needs: the encoding it was converted from (accents to check), and rows
    it skipped (blank lines; a title above the table, a total under it), since a scored file then has fewer rows
    than lines (a LoanStats file's prospectus line and 'Total amount funded' lines were left out without a word)."""
    texts = [p["problem"] if isinstance(p, dict) else p.problem for p in problems]
    return [f"{t} Scored files have one row per data row, so they are shorter than the file by those rows."
            if t.startswith(ingest.BLANK_ROWS) else t for t in texts if t.startswith(ingest.KEPT_BLANK_ROWS)
            or t.startswith(ingest.BLANK_ROWS) or t.endswith(ingest.TRAILING_BLANK_ROWS)
            or t.startswith(text_table.ENCODING_NOTE) or NOT_THE_TABLE in t]


def read_as_words(source: dict) -> str:
    """How the file was read, in words: its sheet for a workbook, else its text encoding and what separates the
    columns ("encoding utf-8 · delimiter ','" had been the reader's own terms)."""
    if source.get("sheet"):
        return f"Read from the sheet {source['sheet']!r}"
    if not source.get("encoding"):
        return ""
    said = f"Read as text in {ENCODING_NAMES.get(source['encoding'], source['encoding'])}"
    delimiter = source.get("delimiter")
    if delimiter is None:
        return said
    word = DELIMITER_NAMES.get(delimiter)
    if word is None:
        return f"{said}, columns separated by {delimiter!r}"
    symbol = f" ({delimiter})" if delimiter.strip() and delimiter != "," else ""  # semicolons (;), pipes (|)
    return f"{said}, columns separated by {word if word.endswith('s') else word + 's'}{symbol}"

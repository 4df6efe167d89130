"""Turn an uploaded CSV, TSV or Excel file into a typed polars frame and a list of its problems.

Every check runs before anything is stored and all problems are reported together, so an
analyst can fix a file in one pass. Reading is done by polars (Excel through pandas+openpyxl);
this module only adds the sniffing polars cannot do and turns its errors into plain language.
"""

from __future__ import annotations

import csv
import dataclasses
import hashlib
import io
import os
import re
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

import polars as pl

from data import excel, layout, sniff
from data.kinds import type_columns
from data.profile import (
    KINDS,
    MAX_LISTED_ROWS,
    ROLES,
    ColumnProfile,
    Problem,
    Severity,
    infer_roles,
    profile_frame,
    profile_from_facts,
    roles_from_facts,
    rows_text,
)

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "KINDS", "ROLES", "ColumnProfile", "FileTooLargeError", "IngestError", "IngestResult", "Problem",
    "Severity", "frame_to_pandas", "infer_roles", "list_sheets", "problems_from_json",
    "problems_to_json", "profile_frame", "profile_from_json", "profile_to_json", "read_table",
]  # fmt: skip

Source = str | os.PathLike | bytes | BinaryIO
TEXT_EXTENSIONS = (".csv", ".txt", ".tsv", ".dat", ".data")
EXCEL_EXTENSIONS = (".xlsx", ".xlsm")
INFER_SCHEMA_ROWS = 1_000  # with try_parse_dates, longer inference costs polars far more CPU
_SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}


@dataclass(frozen=True)
class IngestResult:
    """A validated, typed table with everything the app shows or stores about it."""

    frame: pl.DataFrame
    schema: dict[str, str]
    roles: dict[str, str]
    profile: list[ColumnProfile]
    problems: list[Problem]
    encoding: str
    delimiter: str | None
    decimal_comma: bool
    sheet: str | None
    sheets: list[str]
    file_sha256: str
    size_bytes: int

    @property
    def rows(self) -> int:
        return self.frame.height

    @property
    def columns(self) -> int:
        return self.frame.width


class IngestError(ValueError):
    """The file cannot be used as it is; `problems` lists everything found, errors first."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems, key=lambda p: _SEVERITY_ORDER[p.severity])
        errors = [p for p in self.problems if p.severity == "error"] or self.problems
        if len(errors) == 1:
            summary = errors[0].problem
        else:
            summary = f"The file has {len(errors)} problems to fix:\n" + "\n".join(f"- {p}" for p in errors)
        super().__init__(summary)


class FileTooLargeError(IngestError):
    """Raised from the byte size alone, before any of the file is read."""


def _error(message: str, column: str | None = None) -> IngestError:
    return IngestError([Problem(None, column, message, "error")])


@dataclass
class _Upload:
    """The upload as either a path on disk or bytes in memory, never both."""

    path: Path | None
    data: bytes | None
    size: int
    temp_files: list[Path] = field(default_factory=list)

    def head(self, n: int) -> bytes:
        if self.data is not None:
            return self.data[:n]
        assert self.path is not None
        with self.path.open("rb") as fh:
            return fh.read(n)

    def handle(self) -> str | bytes | io.BytesIO:
        return str(self.path) if self.path is not None else self.data  # type: ignore[return-value]


def _open_upload(source: Source, max_bytes: int) -> _Upload:
    """Normalise the source and enforce the size limit before reading a single byte of it."""
    if isinstance(source, (str, os.PathLike)):
        path = Path(source)
        upload = _Upload(path, None, path.stat().st_size)
    elif isinstance(source, (bytes, bytearray, memoryview)):
        upload = _Upload(None, bytes(source), len(source))
    else:
        size = _stream_size(source)
        if size is not None:
            _check_size(size, max_bytes)
        data = source.getvalue() if hasattr(source, "getvalue") else source.read(max_bytes + 1)
        upload = _Upload(None, bytes(data), len(data))
    _check_size(upload.size, max_bytes)
    return upload


def _stream_size(stream: BinaryIO) -> int | None:
    try:
        position = stream.tell()
        size = stream.seek(0, io.SEEK_END)
        stream.seek(0 if hasattr(stream, "getvalue") else position)
        return size - (0 if hasattr(stream, "getvalue") else position)
    except (OSError, AttributeError, ValueError):
        return None


def _check_size(size: int, max_bytes: int) -> None:
    if size > max_bytes:
        raise FileTooLargeError([Problem(
            None, None, f"The file is {_human_size(size)}; the limit is {_human_size(max_bytes)}. "
            "Split the file or raise DD_MAX_UPLOAD_MB.", "error",
        )])  # fmt: skip


def _human_size(n: int) -> str:
    for unit, scale in (("GB", 1024**3), ("MB", 1024**2), ("KB", 1024)):
        if n >= scale:
            return f"{n / scale:.1f} {unit}"
    return f"{n} bytes"


def _sha256(upload: _Upload) -> str:
    if upload.data is not None:
        return hashlib.sha256(upload.data).hexdigest()
    assert upload.path is not None
    with upload.path.open("rb") as fh:
        return hashlib.file_digest(fh, "sha256").hexdigest()


@dataclass
class _Parsed:
    """A raw frame straight from the reader, before kinds are decided."""

    frame: pl.DataFrame
    header: list[str]
    problems: list[Problem]
    encoding: str = "utf-8"
    delimiter: str | None = None
    decimal_comma: bool = False
    sheet: str | None = None
    sheets: list[str] = field(default_factory=list)
    sample_rows: list[list[str]] = field(default_factory=list)  # first records as written (text files)


def read_table(
    source: Source, *, filename: str, max_bytes: int = 1024**3, sheet: str | None = None
) -> IngestResult:
    """Read, validate, type and profile an upload; raises IngestError listing every error found."""
    extension = Path(filename).suffix.lower()
    upload = _open_upload(source, max_bytes)
    # Hashing runs beside parsing: hashlib and polars both release the GIL.
    with ThreadPoolExecutor(max_workers=1) as pool:
        digest: Future[str] = pool.submit(_sha256, upload)
        try:
            if extension in EXCEL_EXTENSIONS or extension == ".xls":
                parsed = _read_excel(upload, filename, extension, sheet)
            elif extension in TEXT_EXTENSIONS or not extension:
                parsed = _read_text(upload, filename, extension)
            else:
                raise _error(
                    f"'{filename}' is a {extension} file. Upload a CSV, TSV or Excel (.xlsx) file instead."
                )
            try:
                result = _finish(parsed, upload, digest)
            except (pl.exceptions.PolarsError, pl.exceptions.PanicException) as exc:
                # Data odd enough to trip polars while checking it: still a message, not a traceback.
                first_line = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
                raise _error(f"The file could not be checked: {first_line}.") from exc
        finally:
            for tmp in upload.temp_files:
                tmp.unlink(missing_ok=True)
    return result


def list_sheets(source: Source, *, filename: str) -> list[str]:
    """Sheet names of a workbook so the UI can offer a picker; [] for text files."""
    extension = Path(filename).suffix.lower()
    if extension not in EXCEL_EXTENSIONS and extension != ".xls":
        return []
    return _workbook_sheets(_open_upload(source, 2**62), filename, extension)


def _finish(parsed: _Parsed, upload: _Upload, digest: Future[str]) -> IngestResult:
    problems = list(parsed.problems)
    frame = _apply_header(parsed.frame, parsed.header, problems)
    problems += _ambiguous_dates(frame, parsed.sample_rows)
    frame, row_numbers = _drop_blank_rows(frame, problems)
    if frame.height == 0 and frame.width > 0:
        problems.append(Problem(None, None, "The file has a header row but no data rows.", "error"))
    if any(p.severity == "error" for p in problems) and frame.height == 0:
        raise IngestError(problems)
    typed = type_columns(frame, decimal_comma=parsed.decimal_comma, row_numbers=row_numbers)
    problems += typed.problems
    order = {c: i for i, c in enumerate(typed.frame.columns)}
    problems.sort(key=lambda p: (_SEVERITY_ORDER[p.severity], order.get(p.column, -1), p.row or 0))
    if any(p.severity == "error" for p in problems):
        raise IngestError(problems)
    roles = roles_from_facts(typed.schema, typed.facts, typed.frame.height)
    profile = profile_from_facts(typed.frame, typed.schema, typed.facts)
    return IngestResult(
        frame=typed.frame,
        schema=typed.schema,
        roles=roles,
        profile=profile,
        problems=problems,
        encoding=parsed.encoding,
        delimiter=parsed.delimiter,
        decimal_comma=parsed.decimal_comma,
        sheet=parsed.sheet,
        sheets=parsed.sheets,
        file_sha256=digest.result(),
        size_bytes=upload.size,
    )


def _apply_header(frame: pl.DataFrame, header: list[str], problems: list[Problem]) -> pl.DataFrame:
    """Use the header as written (polars renames duplicates), report its problems, keep names unique."""
    names, found = _header_names(header if len(header) == frame.width else frame.columns)
    problems += found
    return frame.rename(dict(zip(frame.columns, names, strict=True))) if names != frame.columns else frame


def _header_names(header: list[str]) -> tuple[list[str], list[Problem]]:
    """Name blank columns and report duplicates by position; returns unique names to carry on with."""
    names = [h.strip() for h in header]
    problems = []
    for i, name in enumerate(names):
        if not name:
            names[i] = f"column_{i + 1}"
            problems.append(Problem(
                None, names[i], f"Column {i + 1} has no name; it was called '{names[i]}'.", "warning"
            ))  # fmt: skip
    positions: dict[str, list[int]] = {}
    for i, name in enumerate(names):
        positions.setdefault(name, []).append(i + 1)
    for name, where in positions.items():
        if len(where) > 1:
            listed = ", ".join(str(p) for p in where[:-1]) + f" and {where[-1]}"
            problems.append(Problem(
                None, name, f"Column name '{name}' appears {len(where)} times (columns {listed}). "
                "Give each column a unique name.", "error",
            ))  # fmt: skip
            for p in where[1:]:
                names[p - 1] = f"{name} (column {p})"
    return names, problems


def _drop_blank_rows(frame: pl.DataFrame, problems: list[Problem]) -> tuple[pl.DataFrame, pl.Series | None]:
    """Blank lines arrive as all-null rows; drop them but keep the file's row numbers for messages."""
    if frame.width == 0 or frame.height == 0 or min(frame.null_count().row(0)) == 0:
        return frame, None
    blank = frame.select(pl.all_horizontal(pl.all().is_null())).to_series()
    if not blank.any():
        return frame, None
    keep = ~blank
    row_numbers = keep.arg_true() + 1
    last_kept = row_numbers[-1] if len(row_numbers) else 0
    interior = blank.head(last_kept).arg_true() + 1
    if len(interior):
        rows = interior.head(MAX_LISTED_ROWS).to_list()
        problems.append(Problem(
            rows[0], None, f"Blank rows {rows_text(rows, len(interior))} were skipped.", "info"
        ))  # fmt: skip
    return frame.filter(keep), row_numbers


# --- delimited text -------------------------------------------------------------------------------


def _read_text(upload: _Upload, filename: str, extension: str) -> _Parsed:
    head = upload.head(sniff.SAMPLE_BYTES)
    whole = upload.size <= sniff.SAMPLE_BYTES
    if upload.size == 0 or (not head.strip() and (whole or _blank_file(upload))):
        raise _error("The file is empty.")
    what = sniff.binary_description(head)
    if what:
        raise _error(f"'{filename}' does not look like a text table (it looks like {what}); is it really a CSV?")
    encoding = sniff.sniff_encoding(head, whole_file=whole)
    problems: list[Problem] = []
    source: str | bytes = upload.handle()  # type: ignore[assignment]
    if encoding not in ("utf-8", "utf-8-sig"):
        source, encoding = _transcode(upload, encoding)
    fmt = sniff.sniff_format(sniff.decode_sample(head, encoding), extension=extension, whole_file=whole)
    delimiter = fmt.delimiter
    if delimiter == layout.WHITESPACE:
        source, fmt = _tabs_for_whitespace(upload, source), dataclasses.replace(fmt, delimiter="\t")
        problems.append(Problem(None, None, "Values are separated by spaces; each run of spaces was read as one "
                                "separator.", "info"))
    if not fmt.has_header:
        problems.append(Problem(
            None, None, f"The first row holds values, not column names, so it was read as data and the columns "
            f"are called column_1 … column_{len(fmt.header)}.", "info",
        ))  # fmt: skip
    try:
        try:
            frame = _polars_read(source, fmt)
        except _NotUtf8:  # the sample was UTF-8 but a later byte is not
            source, encoding = _transcode(upload, sniff.fallback_encoding(head))
            frame = _polars_read(source, fmt)
    except _Ragged:
        ragged, trailing_only = _ragged_rows(source, fmt, spaced=delimiter == layout.WHITESPACE)
        if not trailing_only:
            _, header_problems = _header_names(fmt.header)
            raise IngestError(ragged + header_problems) from None
        problems += ragged  # only empty extra fields, e.g. a delimiter at the end of every line
        frame = _polars_read(source, fmt, truncate_ragged_lines=True)
    if encoding == "utf-8-lossy":
        problems.append(Problem(
            None, None, "Some bytes in the file are not valid UTF-8; they were replaced with �. "
            "Save the file as UTF-8 to keep those characters.", "warning",
        ))  # fmt: skip
    elif encoding not in ("utf-8", "utf-8-sig"):
        problems.append(Problem(
            None, None, f"The file is encoded as {sniff.ENCODING_NAMES[encoding]}, not UTF-8; it was "
            "converted. Check that accented letters look right.", "info",
        ))  # fmt: skip
    if frame.width == 1:
        problems.append(Problem(
            None, None, "Only one column was found. If the values are separated by something other than "
            "a comma, semicolon, tab, pipe or spaces (a colon, say), save the file as CSV.", "info",
        ))  # fmt: skip
    if fmt.decimal_comma:
        problems.append(Problem(
            None, None, "Numbers use a comma as the decimal mark (like 1,5); they were read as 1.5.", "info"
        ))  # fmt: skip
    return _Parsed(frame, fmt.header, problems, encoding, delimiter, fmt.decimal_comma, sample_rows=fmt.rows)


_SLASH_DATE = re.compile(r"^\s*\d{1,2}/\d{1,2}/\d{4}")


def _ambiguous_dates(frame: pl.DataFrame, sample_rows: list[list[str]]) -> list[Problem]:
    """polars reads 01/02/2024 as 1 February; say so when no value in the column rules out 2 January."""
    problems = []
    for i, (c, dtype) in enumerate(frame.schema.items()):
        written = [r[i] for r in sample_rows if i < len(r) and r[i].strip()]
        if not dtype.is_temporal() or not written or not all(_SLASH_DATE.match(v) for v in written):
            continue
        if frame.select((pl.col(c).dt.day() <= 12).all()).item():
            problems.append(Problem(
                None, c, f"Dates in column '{c}' fit both DD/MM/YYYY and MM/DD/YYYY; they were read as "
                "DD/MM/YYYY. Check a few values.", "info",
            ))  # fmt: skip
    return problems


def _blank_file(upload: _Upload) -> bool:
    with upload.path.open("rb") if upload.path else io.BytesIO(upload.data or b"") as fh:
        while chunk := fh.read(1 << 20):
            if chunk.strip():
                return False
    return True


def _transcode(upload: _Upload, encoding: str) -> tuple[str | bytes, str]:
    try:
        converted, used = sniff.transcode_to_utf8(upload.path or upload.data or b"", encoding)
    except UnicodeDecodeError as exc:
        raise _error(
            f"The file could not be decoded as {sniff.ENCODING_NAMES.get(encoding, encoding)}. "
            "Save it again as UTF-8 CSV."
        ) from exc
    if isinstance(converted, Path):
        upload.temp_files.append(converted)
        return str(converted), used
    return converted, used


def _tabs_for_whitespace(upload: _Upload, source: str | bytes) -> str | bytes:
    rewritten = layout.tabs_for_whitespace(source)
    if isinstance(rewritten, Path):
        upload.temp_files.append(rewritten)
        return str(rewritten)
    return rewritten


class _NotUtf8(Exception):
    pass


class _Ragged(Exception):
    pass


_PARSE_FAILURE = re.compile(r"could not parse `.*?` as dtype `[^`]+` at column '(.+?)' \(column number", re.S)


def _polars_read(source: str | bytes, fmt: sniff.TextFormat, *, truncate_ragged_lines: bool = False) -> pl.DataFrame:
    """polars.read_csv with its numeric inference; a late non-number turns that column to text."""
    overrides: dict[str, pl.DataType] = {}
    # try_parse_dates: clean ISO/DMY date columns are parsed inside polars' parallel reader;
    # a column it cannot parse consistently fails like a late non-number and comes back as text,
    # where detect_dates finds the mixed formats and bad values to report.
    options = {
        "separator": fmt.delimiter, "decimal_comma": fmt.decimal_comma, "raise_if_empty": False,
        "try_parse_dates": True, "truncate_ragged_lines": truncate_ragged_lines, "has_header": fmt.has_header,
    }  # fmt: skip
    for _ in range(5):
        try:
            return pl.read_csv(
                source, infer_schema_length=INFER_SCHEMA_ROWS, schema_overrides=overrides or None, **options
            )
        except pl.exceptions.ComputeError as exc:
            failed = _PARSE_FAILURE.search(str(exc))
            if failed and failed.group(1) not in overrides:
                overrides[failed.group(1)] = pl.String()
                continue
            _raise_readable(exc)
        except (pl.exceptions.PolarsError, pl.exceptions.PanicException) as exc:
            _raise_readable(exc)
    try:  # too many late surprises: read everything as text and let type_columns decide
        return pl.read_csv(source, infer_schema=False, **options)
    except (pl.exceptions.PolarsError, pl.exceptions.PanicException) as exc:
        _raise_readable(exc)
    raise AssertionError("unreachable")


def _raise_readable(exc: BaseException) -> None:
    message = str(exc)
    if "invalid utf-8" in message.lower():
        raise _NotUtf8 from exc
    if "more fields than defined" in message:
        raise _Ragged from exc
    first_line = message.strip().splitlines()[0] if message.strip() else type(exc).__name__
    raise _error(f"The file could not be read as a table: {first_line}. Check that it is a plain CSV.") from exc


def _rows(rows: list[int]) -> str:
    """'Row 4 has' / 'Rows 4, 9 have'."""
    listed = rows_text(rows[:MAX_LISTED_ROWS], len(rows))
    return f"Row {listed} has" if len(rows) == 1 else f"Rows {listed} have"


def _ragged_rows(source: str | bytes, fmt: sniff.TextFormat, *, spaced: bool = False) -> tuple[list[Problem], bool]:
    """Find rows whose field count differs from the header (a Python pass: only broken files pay).

    Also says whether every extra field is empty, i.e. the lines merely end with a delimiter.
    """
    width = len(fmt.header)
    longer: list[int] = []
    shorter: list[int] = []
    trailing_only = True
    text = open(source, encoding="utf-8-sig", newline="") if isinstance(source, str) else (  # noqa: SIM115
        io.StringIO(source.decode("utf-8-sig"), newline="")
    )
    with text:
        reader = csv.reader(text, delimiter=fmt.delimiter)
        if fmt.has_header:
            next(reader, None)
        for row, record in enumerate(reader, start=1):
            if record and len(record) > width:
                longer.append(row)
                trailing_only = trailing_only and not any(f.strip() for f in record[width:])
            elif record and len(record) < width:
                shorter.append(row)
            if len(longer) + len(shorter) >= 100_000:
                break
    name = sniff.DELIMITER_NAMES[fmt.delimiter]
    problems = []
    if longer and trailing_only:
        problems.append(Problem(
            longer[0], None, f"Rows {rows_text(longer[:MAX_LISTED_ROWS], len(longer))} end with an extra "
            f"{name}; the empty field after it was ignored.", "warning",
        ))  # fmt: skip
    elif longer:
        problems.append(Problem(
            longer[0], None, f"{_rows(longer)} more fields than the {width} header columns" + (
                ". Fix those rows." if spaced else f" (a stray {name} or a missing quote?). Fix those rows or put "
                f"quotes around values that contain a {name}."), "error",
        ))  # fmt: skip
    if shorter:
        problems.append(Problem(
            shorter[0], None, f"{_rows(shorter)} fewer fields than the {width} header columns; the missing "
            "cells are empty.", "warning",
        ))  # fmt: skip
    if not longer:  # polars saw a problem the csv module did not: report it plainly
        problems.append(Problem(None, None, "Some rows have more fields than the header.", "error"))
        trailing_only = False
    return problems, trailing_only


# --- Excel ----------------------------------------------------------------------------------------


def _workbook(upload: _Upload) -> excel.Workbook:
    return upload.path if upload.path is not None else io.BytesIO(upload.data or b"")


def _workbook_sheets(upload: _Upload, filename: str, extension: str) -> list[str]:
    try:
        return excel.sheet_names(_workbook(upload), filename, extension)
    except excel.WorkbookError as exc:
        raise _error(str(exc)) from exc.__cause__


def _read_excel(upload: _Upload, filename: str, extension: str, sheet: str | None) -> _Parsed:
    try:
        read = excel.read_sheet(_workbook(upload), filename, extension, sheet)
    except excel.WorkbookError as exc:
        raise _error(str(exc)) from exc.__cause__
    problems = []
    if len(read.sheets) > 1 and sheet is None:
        problems.append(Problem(
            None, None, f"Workbook has {len(read.sheets)} sheets ({', '.join(read.sheets)}); using '{read.name}'.",
            "info",
        ))  # fmt: skip
    return _Parsed(read.frame, read.header, problems, "utf-8", None, False, read.name, read.sheets)  # xlsx XML is UTF-8


# --- JSON and pandas helpers ----------------------------------------------------------------------


def profile_to_json(profile: list[ColumnProfile]) -> list[dict]:
    return [dataclasses.asdict(p) | {"top_values": [list(t) for t in p.top_values]} for p in profile]


def profile_from_json(items: list[dict]) -> list[ColumnProfile]:
    return [ColumnProfile(**(d | {"top_values": [tuple(t) for t in d["top_values"]]})) for d in items]


def problems_to_json(problems: list[Problem]) -> list[dict]:
    return [dataclasses.asdict(p) for p in problems]


def problems_from_json(items: list[dict]) -> list[Problem]:
    return [Problem(**d) for d in items]


def frame_to_pandas(frame: pl.DataFrame) -> pd.DataFrame:
    """For libraries that only take pandas (sklearn, shap); strings stay plain Python objects."""
    return frame.to_pandas()

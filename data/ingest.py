"""Turn an uploaded CSV, TSV or Excel file into a typed polars frame and a list of its problems.

Every check runs before anything is stored and all problems are reported together, so an
analyst can fix a file in one pass. Reading is done by polars (Excel through pandas+openpyxl):
`data.text_table` reads delimited text, `data.excel` workbooks; this module picks the reader,
then names, types and profiles the columns.
"""

from __future__ import annotations

import dataclasses
import unicodedata
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import polars as pl

from data import compressed, dates, excel, export_lines, layout, sniff, text_table
from data.excel_upload import read_excel, text_named_xls, workbook, workbook_named_text, workbook_sheets
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
from data.upload import (
    SEVERITY_ORDER,
    FileTooLargeError,
    IngestError,
    Parsed,
    Source,
    Upload,
    open_upload,
    rejected,
    sha256_of,
)

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "KINDS", "ROLES", "ColumnProfile", "FileTooLargeError", "IngestError", "IngestResult", "Problem",
    "Severity", "Source", "frame_to_pandas", "infer_roles", "list_sheets", "problems_from_json",
    "problems_to_json", "profile_frame", "profile_from_json", "profile_to_json", "read_table",
]  # fmt: skip

EXCEL_EXTENSIONS = (".xlsx", ".xlsm")
# Files that are not delimited tables even when they are text: refused by name. Any other name is read as
# text, and content that is not text (an image, an archive) is refused by what it is.
NOT_TABLES = frozenset({".json", ".jsonl", ".xml", ".html", ".htm", ".yaml", ".yml", ".parquet", ".feather",
                        ".arrow", ".pdf", ".doc", ".docx", ".ppt", ".pptx", ".ods", ".odt", ".zip", ".gz", ".bz2",
                        ".xz", ".7z", ".tar", ".rar", ".png", ".jpg", ".jpeg", ".gif", ".bmp", ".tif", ".tiff",
                        ".dcm", ".pkl", ".pickle", ".npy", ".npz", ".h5", ".hdf5", ".sav", ".sas7bdat", ".dta",
                        ".arff", ".mat", ".db", ".sqlite", ".exe", ".py", ".ipynb", ".md", ".names"})
BLANK_ROWS = "Blank rows"  # how the note on skipped blank lines starts (services match on it)
KEPT_BLANK_ROWS = "Empty rows"  # the note when blank rows inside the table are kept (files to score)
TRAILING_BLANK_ROWS = "after the last filled one were left out (nothing to score there)."


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


def read_table(
    source: Source, *, filename: str, max_bytes: int = 1024**3, sheet: str | None = None,
    keep_blank_rows: bool = False,
) -> IngestResult:
    """Read, validate, type and profile an upload; raises IngestError listing every error found.
    Blank rows are dropped, unless ``keep_blank_rows`` (a file to score, whose output must line up with its
    rows): then those inside the table stay as rows of empty cells, and only trailing ones are dropped."""
    upload = open_upload(source, max_bytes)
    # Hashing runs beside parsing: hashlib and polars both release the GIL.
    with ThreadPoolExecutor(max_workers=1) as pool:
        digest: Future[str] = pool.submit(sha256_of, upload)
        try:
            parsed = _parsed(upload, filename, max_bytes, sheet)
            try:
                result = _finish(parsed, upload, digest, keep_blank_rows)
            except (pl.exceptions.PolarsError, pl.exceptions.PanicException) as exc:
                # Data odd enough to trip polars while checking it: still a message, not a traceback.
                first_line = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
                raise rejected(f"The file could not be checked: {first_line}.") from exc
        finally:
            for tmp in upload.temp_files:
                tmp.unlink(missing_ok=True)
    return result


def _parsed(upload: Upload, filename: str, max_bytes: int, sheet: str | None) -> Parsed:
    """The upload read by the reader its name and content call for (a gzip file or a ZIP of one table: the one
    inside; a ZIP under another name refused by name, such as .npz, stays refused so)."""
    notes = []
    extension = Path(filename).suffix.lower()
    unpacked = compressed.gunzipped(upload, filename, max_bytes)
    if unpacked is None and (extension == ".zip" or extension not in (*NOT_TABLES, *EXCEL_EXTENSIONS, ".xls")):
        unpacked = compressed.unzipped(upload, filename, max_bytes)
    if unpacked is not None:
        upload, filename, note = unpacked
        notes.append(note)
        extension = Path(filename).suffix.lower()
    if extension == ".xls" and excel.workbook_kind(workbook(upload)) == "other":
        parsed = text_named_xls(upload, filename)
    elif extension in EXCEL_EXTENSIONS or extension == ".xls":
        parsed = read_excel(upload, filename, extension, sheet)
    elif extension in NOT_TABLES:
        raise rejected(f"'{filename}' is a {extension} file. Use a CSV, TSV or Excel (.xlsx) file instead.")
    elif (disguised := workbook_named_text(upload, filename, sheet)) is not None:
        parsed = disguised
    else:  # .csv, .txt, .dat, and the many names text tables go by (UCI's Faults.NNA, .prn, .asc …)
        parsed = text_table.read_text(upload, filename, extension)
    parsed.problems[:0] = notes
    return parsed


def list_sheets(source: Source, *, filename: str) -> list[str]:
    """Sheet names of a workbook so the UI can offer a picker; [] for text files."""
    extension = Path(filename).suffix.lower()
    if extension not in EXCEL_EXTENSIONS and extension != ".xls":
        return []
    upload = open_upload(source, 2**62)
    if extension == ".xls" and excel.workbook_kind(workbook(upload)) == "other":
        return []  # a text table named .xls: no sheets to pick
    return workbook_sheets(upload, filename, extension)


def _finish(parsed: Parsed, upload: Upload, digest: Future[str], keep_blank_rows: bool = False) -> IngestResult:
    problems = list(parsed.problems)
    frame = export_lines.drop_footer(_composed(_apply_header(parsed.frame, parsed.header, problems)), problems)
    frame, found = dates.ambiguous_dates(frame, parsed.sample_rows)
    problems += found
    frame, row_numbers = _drop_blank_rows(frame, problems, keep_interior=keep_blank_rows)
    if frame.height == 0 and frame.width > 0:
        problems.append(Problem(None, None, "The file has a header row but no data rows.", "error"))
    if any(p.severity == "error" for p in problems) and frame.height == 0:
        raise IngestError(problems)
    typed = type_columns(frame, decimal_comma=parsed.decimal_comma, row_numbers=row_numbers,
                         dot_thousands=sniff.dots_may_group(parsed.delimiter, parsed.decimal_comma, parsed.sample_rows))
    problems += typed.problems
    order = {c: i for i, c in enumerate(typed.frame.columns)}
    problems.sort(key=lambda p: (SEVERITY_ORDER[p.severity], order.get(p.column, -1), p.row or 0))
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
    header = header if len(header) == frame.width else frame.columns
    frame, header = _drop_unnamed_empty(frame, header, problems)
    names, found = layout.header_names(header)
    problems += found
    return frame.rename(dict(zip(frame.columns, names, strict=True))) if names != frame.columns else frame


def _drop_unnamed_empty(frame: pl.DataFrame, header: list[str], problems: list[Problem]
                        ) -> tuple[pl.DataFrame, list[str]]:
    """Columns with neither a name nor a value are left out: a Google Sheets export ends every line, its header's
    too, with a comma, which had made an empty 'column_8' with two warnings (and a column in every scored file)."""
    blank = [j for j, name in enumerate(header) if not name.strip()]
    empty = [j for j in blank if frame.to_series(j).null_count() == frame.height]
    if not empty or len(empty) == frame.width:
        return frame, header
    what = f"Columns {', '.join(str(j + 1) for j in empty)} have" if len(empty) > 1 else f"Column {empty[0] + 1} has"
    problems.append(Problem(None, None, f"{what} no name and no values (a delimiter at the end of each line); left "
                            "out.", "info"))
    kept = [j for j in range(frame.width) if j not in empty]
    return frame.select(frame.columns[j] for j in kept), [header[j] for j in kept]


def _composed(frame: pl.DataFrame) -> pl.DataFrame:
    """Names and text in one Unicode form (NFC): a Mac writes 'é' as 'e' plus an accent, Windows as one
    character; they look the same, so a scoring file from one must match a training file from the other."""
    names = [unicodedata.normalize("NFC", c) for c in frame.columns]
    if names != frame.columns and len(set(names)) == len(names):
        frame = frame.rename(dict(zip(frame.columns, names, strict=True)))
    return frame.with_columns(pl.col(pl.String).str.normalize("NFC"))


def _drop_blank_rows(frame: pl.DataFrame, problems: list[Problem], *, keep_interior: bool = False
                     ) -> tuple[pl.DataFrame, pl.Series | None]:
    """Blank lines arrive as all-null rows; drop them but keep the file's row numbers for messages.
    ``keep_interior``: those before the last filled row stay (as rows of empty cells), with a note."""
    if frame.width == 0 or frame.height == 0 or min(frame.null_count().row(0)) == 0:
        return frame, None
    blank = frame.select(pl.all_horizontal(pl.all().is_null())).to_series()
    if not blank.any():
        return frame, None
    keep = ~blank
    row_numbers = keep.arg_true() + 1
    last_kept = row_numbers[-1] if len(row_numbers) else 0
    interior = blank.head(last_kept).arg_true() + 1
    trailing = frame.height - last_kept
    if keep_interior and trailing:
        problems.append(Problem(None, None, f"{trailing} empty row(s) {TRAILING_BLANK_ROWS}", "info"))
    if len(interior) and keep_interior:
        rows = interior.head(MAX_LISTED_ROWS).to_list()
        problems.append(Problem(rows[0], None, f"{KEPT_BLANK_ROWS} {rows_text(rows, len(interior))} were kept as "
                                "rows with no values, so that the output lines up with the file.", "info"))
        return frame.head(last_kept), None
    if len(interior):
        rows = interior.head(MAX_LISTED_ROWS).to_list()
        problems.append(Problem(
            rows[0], None, f"{BLANK_ROWS} {rows_text(rows, len(interior))} were skipped.", "info"
        ))  # fmt: skip
    return frame.filter(keep), row_numbers


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

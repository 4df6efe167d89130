"""Workbook uploads: .xlsx/.xlsm/.xls read through `data.excel`, an .xls that holds a text table or a web page, and
a workbook under a text name (.csv)."""

from __future__ import annotations

import dataclasses
import io

from data import excel, text_table
from data.profile import Problem
from data.upload import IngestError, Parsed, Upload, rejected


def workbook(upload: Upload) -> excel.Workbook:
    return upload.path if upload.path is not None else io.BytesIO(upload.data or b"")


def workbook_sheets(upload: Upload, filename: str, extension: str) -> list[str]:
    try:
        return excel.sheet_names(workbook(upload), filename, extension)
    except excel.WorkbookError as exc:
        raise rejected(str(exc)) from exc.__cause__


def text_named_xls(upload: Upload, filename: str) -> Parsed:
    """Bank and ERP 'Excel' exports are often a text table (tab-separated) or a web page named .xls."""
    if upload.data is not None:
        head = upload.data[:512]
    else:
        with open(upload.path, "rb") as handle:
            head = handle.read(512)
    head = head.lstrip().lower()
    if head.startswith((b"<!doctype html", b"<html", b"<table", b"<?xml")):
        raise rejected(f"'{filename}' is named .xls but holds a web page (HTML or XML), not a workbook. Open it in "
                       "Excel and save it as .xlsx or CSV.")
    parsed = text_table.read_text(upload, filename, ".txt")
    note = Problem(None, None, f"'{filename}' is named .xls but holds a text table, not an Excel workbook: it was "
                   "read as text.", "info")  # fmt: skip
    return dataclasses.replace(parsed, problems=[note, *parsed.problems])


def read_excel(upload: Upload, filename: str, extension: str, sheet: str | None) -> Parsed:
    try:
        read = excel.read_sheet(workbook(upload), filename, extension, sheet)
    except excel.WorkbookError as exc:
        raise rejected(str(exc)) from exc.__cause__
    problems = []
    if len(read.sheets) > 1 and sheet is None:
        problems.append(Problem(
            None, None, f"Workbook has {len(read.sheets)} sheets ({', '.join(read.sheets)}); using '{read.name}', the "
            "largest. Choose another sheet when importing the file (Data page or `cli.py data import --sheet`).",
            "info",
        ))  # fmt: skip
    if read.title_rows:
        problems.append(Problem(
            None, None, f"The first {read.title_rows} row(s) of sheet '{read.name}' hold a title or codes, not the "
            f"column names; the column names were read from row {read.title_rows + 1}.", "info",
        ))  # fmt: skip
    return Parsed(read.frame, read.header, problems, "utf-8", None, False, read.name, read.sheets)  # xlsx XML is UTF-8


def workbook_named_text(upload: Upload, filename: str, sheet: str | None) -> Parsed | None:
    """An Excel workbook under a text name ('export.csv' saved as "Excel Workbook", or renamed): read as the
    workbook it is, with a note; it had been refused as "a ZIP archive or an Excel .xlsx workbook". None when the
    content is no workbook (a ZIP of CSVs is then refused as what it is)."""
    kind = excel.workbook_kind(workbook(upload))
    if kind == "other":
        return None
    try:
        parsed = read_excel(upload, filename, f".{kind}", sheet)
    except IngestError:
        return None
    note = Problem(None, None, f"'{filename}' holds an Excel workbook, not text: it was read as a workbook.", "info")
    return dataclasses.replace(parsed, problems=[note, *parsed.problems])

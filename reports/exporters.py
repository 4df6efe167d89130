"""One entry point for every export, so pages and the CLI offer the same formats.

Each format lives in its own module (``export_html``, ``export_pdf``, ``export_xlsx``,
``export_docx``); this module names them, maps them to MIME types and adds the plain data
exports (CSV, one-sheet XLSX) used by download buttons.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pandas as pd

from reports.document import RunReport, prepare_table
from reports.export_docx import export_docx
from reports.export_html import export_html
from reports.export_pdf import export_pdf
from reports.export_xlsx import SheetTooLargeError, export_frame_xlsx, export_xlsx

__all__ = [
    "FORMATS",
    "MEDIA_TYPES",
    "SheetTooLargeError",
    "export_csv",
    "export_docx",
    "export_frame_xlsx",
    "export_html",
    "export_pdf",
    "export_report",
    "export_xlsx",
    "report_filename",
]

FORMATS: tuple[str, ...] = ("html", "pdf", "xlsx", "docx")
MEDIA_TYPES: dict[str, str] = {
    "html": "text/html",
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "csv": "text/csv",
}
_EXPORTERS: dict[str, Callable[[RunReport], bytes]] = {
    "html": export_html,
    "pdf": export_pdf,
    "xlsx": export_xlsx,
    "docx": export_docx,
}


def export_report(report: RunReport, fmt: str) -> bytes:
    """Export ``report`` as ``fmt`` (one of FORMATS); unknown formats are a caller error."""
    try:
        exporter = _EXPORTERS[fmt]
    except KeyError:
        raise ValueError(f"unknown report format {fmt!r}; choose one of {', '.join(FORMATS)}") from None
    return exporter(report)


def export_csv(frame: pd.DataFrame, *, excel: bool = False) -> bytes:
    """UTF-8 CSV with a header row; text cells and names neutralised against formulas. ``excel`` (browser
    downloads) starts it with a byte-order mark, without which Excel reads accents as two odd characters;
    files for programs (the CLI's) have none."""
    prepared, _ = prepare_table(frame)
    return prepared.to_csv(index=False, lineterminator="\n").encode("utf-8-sig" if excel else "utf-8")


def report_filename(report: RunReport, fmt: str) -> str:
    """A safe download name such as ``credit-run-12.pdf`` (no path or shell characters)."""
    desk = re.sub(r"[^A-Za-z0-9_-]+", "-", report.desk).strip("-").lower() or "report"
    return f"{desk}-run-{report.run_id}.{fmt}"

"""Excel exports with xlsxwriter: the full-data companion to the paginated formats.

Strings are written with ``write_string`` on a workbook that has formula, URL and number
conversion switched off, *and* a string a spreadsheet would read as a formula is styled quote-prefix
(reports.xlsx_cells); either alone would stop a cell such as ``=HYPERLINK(...)`` from becoming live, both
together also protect users who later edit the cell in a spreadsheet program. The text itself is kept as
written: no apostrophe is added to it.
"""

from __future__ import annotations

import io
import math
import numbers
import re
from collections.abc import Iterable
from typing import Any

import pandas as pd
from xlsxwriter import Workbook
from xlsxwriter.worksheet import Worksheet

from reports.document import RunReport, dataset_facts, format_value, paragraphs, prepare_table, run_facts
from reports.figures import DEFAULT_HEIGHT_PX, figure_title, try_figure_to_png
from reports.xlsx_cells import CellFormats, write_cell, write_text

EXCEL_MAX_ROWS = 1_048_576
SHEET_NAME_MAX = 31
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
_RESERVED_SHEET_NAMES = frozenset({"history"})
_ASIDE = re.compile(r"\s*\(|\s[-–—]\s|[:;,]\s")
# Words a shortened sheet name must not end on: 'Forecast per series over the' says less than 'Forecast per series'
_LEADING_NOWHERE = frozenset("a an and as at by for from in into of on or over per than the to versus vs with within"
                             .split())
_WORKBOOK_OPTIONS = {
    "in_memory": True,
    "strings_to_formulas": False,
    "strings_to_urls": False,
    "strings_to_numbers": False,
    "remove_timezone": True,
}
_IMAGE_SCALE = 2.0
_ROW_HEIGHT_PX = 20


class SheetTooLargeError(ValueError):
    """The frame has more rows than one Excel sheet can hold; CSV has no such limit."""


def sheet_name(caption: str, taken: set[str]) -> str:
    """A valid, unique sheet name from a caption: no []:*?/\\, <= 31 chars, not 'History'.

    Uniqueness is case-insensitive because Excel treats 'Data' and 'data' as the same sheet;
    the caller's ``taken`` set (lower-cased names) is updated.
    """
    base = _SHEET_FORBIDDEN.sub("_", caption).strip().strip("'").strip() or "Table"
    short = _words_within(base, SHEET_NAME_MAX) or "Table"
    candidate, counter = short, 1
    while candidate.lower() in taken or candidate.lower() in _RESERVED_SHEET_NAMES:
        counter += 1
        suffix = f" ({counter})"
        candidate = _words_within(base, SHEET_NAME_MAX - len(suffix)) + suffix
    taken.add(candidate.lower())
    return candidate


def _words_within(text: str, limit: int) -> str:
    """``text`` within ``limit`` characters, cut where a phrase ends: first an aside (in brackets, after a dash,
    colon or comma), then whole words, then the words that lead nowhere at the end ('Forecast per series over the
    horizon (largest 20)' → 'Forecast per series', not 'Forecast per series over the'); a single long word is cut
    where it must be."""
    text = text.rstrip("'").rstrip()
    if len(text) <= limit:
        return text
    text = _ASIDE.split(text, maxsplit=1)[0] or text
    words: list[str] = []
    for word in text.split():
        if len(" ".join([*words, word])) > limit:
            break
        words.append(word)
    while len(words) > 1 and words[-1].lower() in _LEADING_NOWHERE:
        words.pop()
    return (" ".join(words) or text[:limit]).rstrip(" '-–—,;(").rstrip()


def _column_widths(frame: pd.DataFrame, sample: int = 200) -> list[int]:
    widths = []
    for position, column in enumerate(frame.columns):
        values = frame.iloc[:sample, position].map(format_value)
        longest = max([len(str(column)), *(len(v) for v in values)], default=8)
        widths.append(min(max(longest + 2, 8), 60))
    return widths


def write_frame(sheet: Worksheet, frame: pd.DataFrame, formats: CellFormats, *, first_row: int = 0,
                numbers_in_text: bool = False) -> int:
    """Header plus rows from ``first_row``; the frame must already be prepared. Returns next free row."""
    for col, name in enumerate(frame.columns):
        write_text(sheet, first_row, col, str(name), formats, "header")
    for offset, values in enumerate(frame.itertuples(index=False, name=None), start=first_row + 1):
        for col, value in enumerate(values):
            write_cell(sheet, offset, col, value, formats, numbers_in_text=numbers_in_text)
    for col, width in enumerate(_column_widths(frame)):
        sheet.set_column(col, col, width)
    if len(frame.columns):
        sheet.freeze_panes(first_row + 1, 0)
        sheet.autofilter(first_row, 0, first_row + len(frame), len(frame.columns) - 1)
    return first_row + len(frame) + 1


def _check_rows(frame: pd.DataFrame) -> None:
    if len(frame) + 1 > EXCEL_MAX_ROWS:
        raise SheetTooLargeError(
            f"{len(frame):,} rows exceed the Excel limit of {EXCEL_MAX_ROWS - 1:,}; export CSV instead"
        )


def export_frame_xlsx(frame: pd.DataFrame, sheet: str = "data", about: dict[str, Any] | None = None) -> bytes:
    """A plain data export (header in row 1), guarded against formulas, its text as written; with ``about``, a
    second sheet 'about' lists what the table rests on (run, lead time, service level …), so a forwarded file
    keeps them."""
    prepared, _ = prepare_table(frame, neutralised=False)  # guarded cell by cell: quote-prefix, not an apostrophe
    _check_rows(prepared)
    buffer = io.BytesIO()
    book = Workbook(buffer, _WORKBOOK_OPTIONS)
    formats = CellFormats(book)
    used: set[str] = set()
    write_frame(book.add_worksheet(sheet_name(sheet, used)), prepared, formats)
    if about:
        page = book.add_worksheet(sheet_name("about", used))
        page.set_column(0, 0, 28)
        page.set_column(1, 1, 60)
        _Block(page, formats).pairs(about.items())
    book.close()
    return buffer.getvalue()


class _Block:
    """Writes label/value blocks down the Summary sheet, tracking the next row."""

    def __init__(self, sheet: Worksheet, formats: CellFormats) -> None:
        self.sheet, self.formats, self.row = sheet, formats, 0

    def heading(self, text: str) -> None:
        self.row += 1
        write_text(self.sheet, self.row, 0, text, self.formats, "section")
        self.row += 1

    def pairs(self, items: Iterable[tuple[str, Any]], *, numbers_in_text: bool = False) -> None:
        for label, value in items:
            write_text(self.sheet, self.row, 0, str(label), self.formats, "label")
            write_cell(self.sheet, self.row, 1, value, self.formats, numbers_in_text=numbers_in_text)
            self.row += 1

    def lines(self, items: Iterable[str], empty: str = "") -> None:
        items = list(items) or ([empty] if empty else [])
        for item in items:
            write_text(self.sheet, self.row, 0, str(item), self.formats, "wrap")
            self.row += 1


def _metric_cell(value: Any) -> Any:
    """Keep finite metrics numeric (so they can be charted); say 'n/a' rather than leave a gap."""
    if isinstance(value, numbers.Real) and not isinstance(value, bool) and math.isfinite(value):
        return value
    return format_value(value)


def _summary(book: Workbook, report: RunReport, formats: CellFormats, table_sheets: list[tuple[str, str]]) -> None:
    sheet = book.add_worksheet("Summary")
    sheet.set_column(0, 0, 28)
    sheet.set_column(1, 1, 80)
    block = _Block(sheet, formats)
    write_text(sheet, 0, 0, report.title, formats, "title")
    block.row = 1
    if report.disclaimer:
        sheet.merge_range(1, 0, 1, 1, "", formats.get("disclaimer"))
        write_text(sheet, 1, 0, report.disclaimer, formats, "disclaimer")
        sheet.set_row(1, 15 * max(1, len(report.disclaimer) // 100 + 1))
        block.row = 2
    block.heading("Run")
    block.pairs(run_facts(report), numbers_in_text=True)  # Run 1 a number, not the text '1'
    block.pairs([("Purpose", report.purpose)])
    block.heading("Dataset")
    block.pairs([(label, value if label != "Rows" else report.dataset_rows) for label, value in dataset_facts(report)])
    block.heading("Metrics")
    block.pairs((name, _metric_cell(value)) for name, value in report.metrics.items())
    block.heading("Parameters")
    block.pairs((k, v if isinstance(v, (numbers.Real, str)) else format_value(v)) for k, v in report.parameters.items())
    block.heading("Features")
    block.lines(report.features, "None listed.")
    for section in report.sections:
        if section.text:
            block.heading(section.heading)
            block.lines(paragraphs(section.text))
    if table_sheets:
        block.heading("Tables")
        block.pairs(table_sheets)
    block.heading("Limitations")
    block.lines(report.limitations, "None recorded.")
    block.heading("Library versions")
    block.pairs(report.library_versions.items())


def _charts(book: Workbook, report: RunReport, formats: CellFormats) -> None:
    sheet = book.add_worksheet("Charts")
    row = 0
    figures = list(report.all_figures())
    if not figures:
        sheet.write_string(0, 0, "No charts in this report.")
        return
    for heading, figure in figures:
        caption = " — ".join(part for part in (heading, figure_title(figure)) if part)
        write_text(sheet, row, 0, caption, formats, "label")
        row += 1
        png = try_figure_to_png(figure, scale=_IMAGE_SCALE)
        if png is None:
            sheet.write_string(row, 0, "Chart could not be rendered.")
            row += 2
            continue
        sheet.insert_image(row, 0, f"chart-{row}.png", {
            "image_data": io.BytesIO(png), "x_scale": 1 / _IMAGE_SCALE, "y_scale": 1 / _IMAGE_SCALE,
            "object_position": 3,
        })
        height_px = figure.layout.height or DEFAULT_HEIGHT_PX
        row += math.ceil(height_px / _ROW_HEIGHT_PX) + 2


def export_xlsx(report: RunReport) -> bytes:
    """Summary sheet, one sheet per table (full rows), and a Charts sheet of PNG images."""
    buffer = io.BytesIO()
    book = Workbook(buffer, _WORKBOOK_OPTIONS)
    formats = CellFormats(book)
    taken = {"summary", "charts"}
    tables = [(caption, sheet_name(caption, taken), frame) for caption, frame in report.all_tables()]
    _summary(book, report, formats, [(caption, name) for caption, name, _ in tables])
    for caption, name, frame in tables:
        prepared, notes = prepare_table(frame, max_rows=EXCEL_MAX_ROWS - 1, words=True, neutralised=False)
        sheet = book.add_worksheet(name)
        write_frame(sheet, prepared, formats, numbers_in_text=True)  # a report's '0.410' a number, shown the same
        if notes:
            # Only a table over Excel's sheet limit is cut; say so beside the data, never silently.
            note = f"Cut to {len(prepared):,} of {len(frame):,} rows: Excel's sheet limit."
            sheet.write_string(0, len(prepared.columns) + 1, note)
    _charts(book, report, formats)
    book.set_properties({"title": report.title, "author": report.author, "comments": "Decision Desk run report"})
    book.close()
    return buffer.getvalue()

"""Typed XLSX cells: text stays text, numbers stay numbers, and nothing becomes a formula.

A string a spreadsheet would read as a formula (``reports.safety.reads_as_formula``) is written as it is, in a
text cell styled quote-prefix: Excel shows ``=SUM(A1:A9)`` as text, keeps it text when the cell is edited, and a
lookup finds the original ``-Bolt``. The apostrophe that guards a CSV had been written into the cells, where Excel
showed it and lookups against an item master failed. The workbook also has formula conversion switched off
(``strings_to_formulas``), so no string is ever stored as an ``<f>`` element.
"""

from __future__ import annotations

import math
import numbers
import re
from datetime import date, datetime, time, timedelta
from typing import Any

import pandas as pd
from xlsxwriter import Workbook
from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

from reports.document import format_value
from reports.safety import reads_as_formula

_STYLES: dict[str, dict[str, Any]] = {
    "plain": {},
    "title": {"bold": True, "font_size": 16},
    "disclaimer": {"bold": True, "font_color": "#9C3D00", "bg_color": "#FFF4E5", "border": 2,
                   "border_color": "#E07A1F", "text_wrap": True, "valign": "top"},
    "section": {"bold": True, "font_size": 12, "font_color": "#2E5EAA", "bottom": 1},
    "label": {"bold": True, "valign": "top"},
    "header": {"bold": True, "bg_color": "#EEF2F7", "border": 1, "text_wrap": True, "valign": "top"},
    "wrap": {"text_wrap": True, "valign": "top"},
    "datetime": {"num_format": "yyyy-mm-dd hh:mm:ss"},
    "date": {"num_format": "yyyy-mm-dd"},
    "time": {"num_format": "hh:mm:ss"},
}
# A number a report shows as text ('0.410', '60'): no sign but '-', no leading zero (a code such as '0042' stays
# text), at most 15 digits (Excel's precision)
_SHOWN_NUMBER = re.compile(r"-?(?:0|[1-9]\d*)(?:\.(\d+))?")
_EXCEL_DIGITS = 15


class CellFormats:
    """Cell formats are workbook objects: each (style, quote prefix, number format) is made once per workbook."""

    def __init__(self, book: Workbook) -> None:
        self._book = book
        self._made: dict[tuple[str, bool, str], Format | None] = {}

    def get(self, style: str = "plain", *, quoted: bool = False, num_format: str = "") -> Format | None:
        key = (style, quoted, num_format)
        if key not in self._made:
            props = {**_STYLES[style], **({"quote_prefix": True} if quoted else {}),
                     **({"num_format": num_format} if num_format else {})}
            self._made[key] = self._book.add_format(props) if props else None
        return self._made[key]


def write_text(sheet: Worksheet, row: int, col: int, text: str, formats: CellFormats, style: str = "plain") -> None:
    """A text cell holding ``text`` unchanged; quote-prefixed where a spreadsheet would read a formula."""
    sheet.write_string(row, col, text, formats.get(style, quoted=reads_as_formula(text)))


def shown_number(text: str) -> tuple[float, str] | None:
    """The number a report wrote as text, with the Excel format that shows it the same ('0.410' → 0.41, '0.000')."""
    match = _SHOWN_NUMBER.fullmatch(text)
    if match is None or sum(ch.isdigit() for ch in text) > _EXCEL_DIGITS:
        return None
    decimals = len(match[1] or "")
    return float(text), ("0." + "0" * decimals if decimals else "")


def _is_missing(value: Any) -> bool:
    if value is None or value is pd.NaT or value is pd.NA:
        return True
    return isinstance(value, float) and math.isnan(value)


def write_cell(sheet: Worksheet, row: int, col: int, value: Any, formats: CellFormats, *,
               numbers_in_text: bool = False) -> None:
    """Write one value with an explicit type so xlsxwriter never guesses a formula. ``numbers_in_text`` (a report's
    sheets, not a data export, whose text ids a program matches on): text that is a plain number is a number."""
    if _is_missing(value):
        return
    if isinstance(value, bool):
        sheet.write_boolean(row, col, value)
    elif isinstance(value, numbers.Real) and not isinstance(value, (pd.Timestamp, timedelta)):
        number = float(value)
        if math.isfinite(number):
            sheet.write_number(row, col, number)
        else:
            write_text(sheet, row, col, "inf" if number > 0 else "-inf", formats)
    elif isinstance(value, datetime):
        if isinstance(value, pd.Timestamp):
            value = value.to_pydatetime()
        sheet.write_datetime(row, col, value, formats.get("datetime"))
    elif isinstance(value, date):
        sheet.write_datetime(row, col, value, formats.get("date"))
    elif isinstance(value, time):
        sheet.write_datetime(row, col, value, formats.get("time"))
    else:
        text = str(value if isinstance(value, str) else format_value(value))
        shown = shown_number(text) if numbers_in_text else None
        if shown is None:
            write_text(sheet, row, col, text, formats)
        else:
            sheet.write_number(row, col, shown[0], formats.get(num_format=shown[1]))

"""PDF report with fpdf2: a paginated, printable record of a run with static charts.

Text goes through a Unicode TrueType font (DejaVu Sans) when the system has one, so names
like "Zürich — 5 €" print as written. Chinese, Japanese and Korean text takes a fallback font
when one is installed (Droid Sans Fallback: Debian's fonts-droid-fallback; Arial Unicode on
macOS). Glyphs no font has become "?" rather than vanishing silently.  Without DejaVu the text
is transliterated to Latin-1, so an export never fails because of the characters in a user's data.
"""

from __future__ import annotations

import functools
import io
import re
import unicodedata
from collections.abc import Iterable
from pathlib import Path

import pandas as pd
from fpdf import FPDF
from fpdf.fonts import FontFace

from reports.document import (
    ReportSection,
    RunReport,
    dataset_facts,
    format_number,
    format_value,
    paragraphs,
    prepare_table,
    run_facts,
)
from reports.figures import DEFAULT_HEIGHT_PX, DEFAULT_WIDTH_PX, figure_title, try_figure_to_png

MAX_PDF_ROWS = 50
MAX_PDF_COLUMNS = 8
MAX_CELL_CHARS = 120
FONT_FAMILY = "DejaVu"
FONT_DIRS: tuple[Path, ...] = (
    Path("/usr/share/fonts/truetype/dejavu"),
    Path("/usr/share/fonts/dejavu"),
    Path("/usr/share/fonts/TTF"),
    Path("/usr/share/fonts/dejavu-sans-fonts"),
    Path("/usr/local/share/fonts"),
    Path("/Library/Fonts"),
    Path.home() / "Library/Fonts",
    Path("C:/Windows/Fonts"),
)
_FONT_FILES = {"": "DejaVuSans.ttf", "B": "DejaVuSans-Bold.ttf", "I": "DejaVuSans-Oblique.ttf"}
FALLBACK_FAMILY = "CJKFallback"
CJK_FONT_FILES: tuple[Path, ...] = (  # TrueType files with CJK glyphs (fpdf2 embeds .ttf, not .ttc collections)
    Path("/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf"),
    Path("/usr/share/fonts-droid-fallback/truetype/DroidSansFallbackFull.ttf"),
    Path("/usr/share/fonts/google-droid-sans-fonts/DroidSansFallbackFull.ttf"),
    Path("/usr/share/fonts/truetype/droid/DroidSansFallback.ttf"),
    Path("/usr/share/fonts-droid-fallback/truetype/DroidSansFallback.ttf"),
    Path("/Library/Fonts/Arial Unicode.ttf"),
    Path("/System/Library/Fonts/Supplemental/Arial Unicode.ttf"),
)
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_LATIN1_FALLBACKS = str.maketrans({
    "—": "-", "–": "-", "‑": "-", "−": "-", "•": "-", "…": "...", "€": "EUR", "‘": "'", "’": "'",
    "“": '"', "”": '"', "„": '"', "≤": "<=", "≥": ">=", "×": "x", "→": "->", "↑": "+", "↓": "-",
    "\u00a0": " ",
})
_HEADING_COLOUR = (46, 94, 170)
_DISCLAIMER_FILL = (255, 244, 229)
_DISCLAIMER_BORDER = (224, 122, 31)


@functools.cache
def find_unicode_fonts() -> dict[str, Path] | None:
    """Locate DejaVu Sans (regular, bold, oblique); None when the regular face is missing."""
    for folder in FONT_DIRS:
        regular = folder / _FONT_FILES[""]
        if regular.is_file():
            # A missing bold or oblique face falls back to the regular file.
            return {
                style: folder / name if (folder / name).is_file() else regular
                for style, name in _FONT_FILES.items()
            }
    return None


@functools.cache
def find_cjk_font() -> Path | None:
    """A TrueType font with CJK glyphs, used where DejaVu has none; None when the system lacks one."""
    return next((path for path in CJK_FONT_FILES if path.is_file()), None)


class _ReportPDF(FPDF):
    """FPDF with a footer carrying the disclaimer and page numbers on every page."""

    def __init__(self, footer_text: str) -> None:
        super().__init__(orientation="portrait", unit="mm", format="A4")
        self.footer_text = footer_text
        fonts = find_unicode_fonts()
        self.unicode = fonts is not None
        if fonts is not None:
            for style, path in fonts.items():
                self.add_font(FONT_FAMILY, style, str(path))
            self.body_font = FONT_FAMILY
            glyphs = set(self.fonts[f"{FONT_FAMILY.lower()}"].cmap)
            cjk = find_cjk_font()
            if cjk is not None:  # bold and italic text borrow its one face (exact_match=False)
                self.add_font(FALLBACK_FAMILY, "", str(cjk))
                self.set_fallback_fonts([FALLBACK_FAMILY], exact_match=False)
                glyphs |= set(self.fonts[FALLBACK_FAMILY.lower()].cmap)
            self._glyphs = frozenset(glyphs)
        else:
            self.body_font = "Helvetica"
            self._glyphs = frozenset()

    def clean(self, text: object) -> str:
        """Make text printable in the active font instead of raising or dropping glyphs."""
        value = _CONTROL.sub(" ", str(text).replace("\r\n", "\n").replace("\r", "\n").replace("\t", "    "))
        if self.unicode:
            return "".join(ch if ch == "\n" or ord(ch) in self._glyphs else "?" for ch in value)
        value = unicodedata.normalize("NFKC", value.translate(_LATIN1_FALLBACKS))
        return value.encode("latin-1", errors="replace").decode("latin-1")

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(self.body_font, "I", 7.5)
        self.set_text_color(110, 110, 110)
        page = f"Page {self.page_no()}/{{nb}}"
        text = f"{self.footer_text}    {page}" if self.footer_text else page
        self.cell(0, 6, self.clean(text), align="C")
        self.set_text_color(0, 0, 0)


def _heading(pdf: _ReportPDF, text: str, level: int) -> None:
    size = {1: 14, 2: 12}[level]
    pdf.ln(4 if level == 1 else 2)
    pdf.set_font(pdf.body_font, "B", size)
    pdf.set_text_color(*_HEADING_COLOUR)
    pdf.multi_cell(0, size * 0.5, pdf.clean(text), new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(0, 0, 0)
    pdf.set_font(pdf.body_font, "", 10)
    pdf.ln(1)


def _text(pdf: _ReportPDF, text: str) -> None:
    pdf.set_font(pdf.body_font, "", 10)
    for block in paragraphs(text):
        pdf.multi_cell(0, 5, pdf.clean(block), new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2)


def _note(pdf: _ReportPDF, text: str) -> None:
    pdf.set_font(pdf.body_font, "I", 8.5)
    pdf.set_text_color(90, 101, 115)
    pdf.multi_cell(0, 4.5, pdf.clean(text), new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(0, 0, 0)
    pdf.set_font(pdf.body_font, "", 10)


def _bullets(pdf: _ReportPDF, items: Iterable[str], empty: str) -> None:
    items = list(items)
    if not items:
        _note(pdf, empty)
        return
    for item in items:
        pdf.multi_cell(0, 5, pdf.clean(f"•  {item}"), new_x="LMARGIN", new_y="NEXT")


def _clip(text: str) -> str:
    return text if len(text) <= MAX_CELL_CHARS else text[: MAX_CELL_CHARS - 3] + "..."


def _rows_table(pdf: _ReportPDF, rows: list[list[str]], *, headings: bool, col_widths: tuple[float, ...] | None = None,
                font_size: float = 9, align_right: frozenset[int] = frozenset(), label_column: bool = False) -> None:
    if not rows:
        return
    pdf.set_font(pdf.body_font, "", font_size)
    style = FontFace(emphasis="BOLD", fill_color=(238, 242, 247))
    label_style = FontFace(emphasis="BOLD")
    with pdf.table(
        col_widths=col_widths, first_row_as_headings=headings, headings_style=style,
        line_height=font_size * 0.5, text_align="LEFT", width=pdf.epw, padding=0.8,
    ) as table:
        for index, values in enumerate(rows):
            row = table.row()
            for column, value in enumerate(values):
                align = "RIGHT" if column in align_right and (index > 0 or not headings) else None
                cell_style = label_style if label_column and column == 0 else None
                row.cell(pdf.clean(_clip(value)), align=align, style=cell_style)
    pdf.set_font(pdf.body_font, "", 10)
    pdf.ln(2)


def _facts(pdf: _ReportPDF, facts: Iterable[tuple[str, str]]) -> None:
    _rows_table(pdf, [[label, value] for label, value in facts], headings=False, col_widths=(1, 3), label_column=True)


def _frame(pdf: _ReportPDF, caption: str, frame: pd.DataFrame) -> None:
    prepared, notes = prepare_table(frame, max_rows=MAX_PDF_ROWS, max_columns=MAX_PDF_COLUMNS, words=True,
                                    neutralised=False)  # a PDF has no formulas: '=SUM(A1:A9)' as written
    pdf.set_font(pdf.body_font, "B", 9.5)
    pdf.multi_cell(0, 5, pdf.clean(caption), new_x="LMARGIN", new_y="NEXT")
    if prepared.shape[1] == 0:
        _note(pdf, "Empty table.")
        return
    numeric = frozenset(i for i, dtype in enumerate(prepared.dtypes) if pd.api.types.is_numeric_dtype(dtype))
    rows = [[str(c) for c in prepared.columns]]
    rows.extend([format_value(v) for v in values] for values in prepared.itertuples(index=False, name=None))
    _rows_table(pdf, rows, headings=True, font_size=7.5, align_right=numeric)
    for note in notes:
        _note(pdf, note)


def _figure(pdf: _ReportPDF, figure) -> None:  # noqa: ANN001 - go.Figure, kept loose for fpdf typing
    png = try_figure_to_png(figure)
    if png is None:
        _note(pdf, f"Chart could not be rendered: {figure_title(figure) or 'untitled'}")
        return
    width_px = figure.layout.width or DEFAULT_WIDTH_PX
    height_px = figure.layout.height or DEFAULT_HEIGHT_PX
    width = pdf.epw
    height = width * height_px / width_px
    limit = (pdf.h - pdf.t_margin - pdf.b_margin) * 0.85
    if height > limit:
        width, height = width * limit / height, limit
    pdf.image(io.BytesIO(png), w=width, h=height, x=pdf.l_margin + (pdf.epw - width) / 2)
    pdf.ln(3)


def _section(pdf: _ReportPDF, section: ReportSection) -> None:
    _heading(pdf, section.heading, 2)
    _text(pdf, section.text)
    for figure in section.figures:
        _figure(pdf, figure)
    for caption, frame in section.tables:
        _frame(pdf, caption, frame)


def _disclaimer(pdf: _ReportPDF, text: str) -> None:
    pdf.set_font(pdf.body_font, "B", 11)
    pdf.set_fill_color(*_DISCLAIMER_FILL)
    pdf.set_draw_color(*_DISCLAIMER_BORDER)
    pdf.set_line_width(0.6)
    pdf.multi_cell(0, 6, pdf.clean(text), border=1, fill=True, padding=2.5, new_x="LMARGIN", new_y="NEXT")
    pdf.set_line_width(0.2)
    pdf.set_draw_color(0, 0, 0)
    pdf.set_fill_color(255, 255, 255)
    pdf.set_font(pdf.body_font, "", 10)
    pdf.ln(3)


def export_pdf(report: RunReport) -> bytes:
    """Render the report as an A4 PDF: disclaimer first, then run, data, results."""
    pdf = _ReportPDF(footer_text=report.disclaimer or "")
    pdf.set_title(pdf.clean(report.title))
    if report.author:
        pdf.set_author(pdf.clean(report.author))
    pdf.set_creator("Decision Desk")
    pdf.set_auto_page_break(auto=True, margin=16)
    pdf.add_page()
    pdf.set_font(pdf.body_font, "B", 18)
    pdf.multi_cell(0, 9, pdf.clean(report.title), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    if report.disclaimer:
        _disclaimer(pdf, report.disclaimer)
    _facts(pdf, run_facts(report))
    _heading(pdf, "Purpose", 1)
    _text(pdf, report.purpose)
    _heading(pdf, "Data", 1)
    _facts(pdf, dataset_facts(report))
    _heading(pdf, "Features", 1)
    _text(pdf, ", ".join(report.features) or "None listed.")
    _heading(pdf, "Parameters", 1)
    _facts(pdf, [(str(k), format_value(v)) for k, v in report.parameters.items()])
    _heading(pdf, "Metrics", 1)
    _rows_table(pdf, [["Metric", "Value"], *([str(k), format_number(v)] for k, v in report.metrics.items())],
                headings=True, col_widths=(2, 1), align_right=frozenset({1}))
    if report.sections:
        _heading(pdf, "Results and explanations", 1)
        for section in report.sections:
            _section(pdf, section)
    _heading(pdf, "Limitations", 1)
    _bullets(pdf, report.limitations, "None recorded.")
    _heading(pdf, "Library versions", 1)
    _facts(pdf, [(str(k), str(v)) for k, v in report.library_versions.items()])
    return bytes(pdf.output())

"""Word "model document" with python-docx: the format reviewers annotate and file.

Headings follow a model-documentation outline (Purpose, Data, Features, Parameters, Metrics,
Results and explanations, Limitations, Library versions) so every desk's document can be reviewed the
same way. The desk's own sections (discrimination, calibration, SHAP …) sit under "Results and explanations":
under "Explanations" alone, a desk's own SHAP section of that name read as a second one. Table cells are
neutralised because Word tables are routinely pasted into Excel.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable
from datetime import datetime, timezone

import pandas as pd
from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Inches, Pt, RGBColor

from reports.document import (
    ReportSection,
    RunReport,
    dataset_facts,
    format_value,
    paragraphs,
    prepare_table,
    run_facts,
)
from reports.figures import DEFAULT_HEIGHT_PX, DEFAULT_WIDTH_PX, figure_title, try_figure_to_png
from reports.safety import neutralise

MAX_DOCX_ROWS = 100
MAX_DOCX_COLUMNS = 10
_IMAGE_WIDTH_IN = 6.3
_IMAGE_MAX_HEIGHT_IN = 8.0
_TABLE_STYLE = "Table Grid"
# Characters XML 1.0 forbids; python-docx raises on them, so they are dropped.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _xml(text: object) -> str:
    return _NOT_XML.sub("", str(text))


def _cell_text(value: object) -> str:
    """Neutralise text, but format numbers without it: ``-0.5`` must not read ``'-0.5``."""
    if isinstance(value, str):
        return _xml(neutralise(value))
    return _xml(format_value(value))


def _table(
    doc: DocxDocument, rows: list[list[object]], *, header: bool, right_align: frozenset[int] = frozenset()
) -> None:
    if not rows or not rows[0]:
        return
    table = doc.add_table(rows=0, cols=len(rows[0]))
    table.style = _TABLE_STYLE
    for index, values in enumerate(rows):
        cells = table.add_row().cells
        for column, (cell, value) in enumerate(zip(cells, values)):
            paragraph = cell.paragraphs[0]
            run = paragraph.add_run(_cell_text(value))
            if header and index == 0:
                run.bold = True
            elif column in right_align:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT


def _facts(doc: DocxDocument, facts: Iterable[tuple[str, object]]) -> None:
    _table(doc, [[label, value] for label, value in facts], header=False)


def _text(doc: DocxDocument, text: str) -> None:
    for block in paragraphs(text):
        doc.add_paragraph(_xml(block))


def _note(doc: DocxDocument, text: str) -> None:
    doc.add_paragraph().add_run(_xml(text)).italic = True


def _bullets(doc: DocxDocument, items: Iterable[str], empty: str) -> None:
    items = list(items)
    if not items:
        _note(doc, empty)
    for item in items:
        doc.add_paragraph(_xml(item), style="List Bullet")


def _figure(doc: DocxDocument, figure) -> None:  # noqa: ANN001 - go.Figure
    png = try_figure_to_png(figure)
    if png is None:
        _note(doc, f"Chart could not be rendered: {figure_title(figure) or 'untitled'}")
        return
    width_px = figure.layout.width or DEFAULT_WIDTH_PX
    height_px = figure.layout.height or DEFAULT_HEIGHT_PX
    if _IMAGE_WIDTH_IN * height_px / width_px > _IMAGE_MAX_HEIGHT_IN:
        doc.add_picture(io.BytesIO(png), height=Inches(_IMAGE_MAX_HEIGHT_IN))
    else:
        doc.add_picture(io.BytesIO(png), width=Inches(_IMAGE_WIDTH_IN))


def _frame(doc: DocxDocument, caption: str, frame: pd.DataFrame) -> None:
    prepared, notes = prepare_table(frame, max_rows=MAX_DOCX_ROWS, max_columns=MAX_DOCX_COLUMNS, words=True)
    doc.add_paragraph(_xml(caption), style="Caption")
    numeric = frozenset(i for i, dtype in enumerate(prepared.dtypes) if pd.api.types.is_numeric_dtype(dtype))
    rows: list[list[object]] = [list(prepared.columns)]
    rows.extend(list(values) for values in prepared.itertuples(index=False, name=None))
    _table(doc, rows, header=True, right_align=numeric)
    for note in notes:
        _note(doc, note)


def _section(doc: DocxDocument, section: ReportSection) -> None:
    doc.add_heading(_xml(section.heading), level=2)
    _text(doc, section.text)
    for figure in section.figures:
        _figure(doc, figure)
    for caption, frame in section.tables:
        _frame(doc, caption, frame)


def _disclaimer(doc: DocxDocument, text: str) -> None:
    paragraph = doc.add_paragraph(style="Intense Quote")
    run = paragraph.add_run(_xml(text))
    run.bold = True
    run.font.size = Pt(12)
    run.font.color.rgb = RGBColor(0x9C, 0x3D, 0x00)


def _properties(doc: DocxDocument, report: RunReport) -> None:
    props = doc.core_properties
    props.title = _xml(report.title)[:255]
    props.author = _xml(report.author)[:255]
    props.subject = _xml(f"{report.desk} run {report.run_id}")[:255]
    created = report.created_at
    if created.tzinfo is not None:
        created = created.astimezone(timezone.utc).replace(tzinfo=None)
    props.created = datetime(created.year, created.month, created.day, created.hour, created.minute, created.second)


def export_docx(report: RunReport) -> bytes:
    """Render the report as a .docx model document, disclaimer first."""
    doc = Document()
    _properties(doc, report)
    doc.add_heading(_xml(report.title), level=0)
    if report.disclaimer:
        _disclaimer(doc, report.disclaimer)
    _facts(doc, run_facts(report))
    doc.add_heading("Purpose", level=1)
    _text(doc, report.purpose)
    doc.add_heading("Data", level=1)
    _facts(doc, dataset_facts(report))
    doc.add_heading("Features", level=1)
    _bullets(doc, report.features, "None listed.")
    doc.add_heading("Parameters", level=1)
    _facts(doc, [(str(k), v) for k, v in report.parameters.items()])
    doc.add_heading("Metrics", level=1)
    _table(doc, [["Metric", "Value"], *([str(k), v] for k, v in report.metrics.items())],
           header=True, right_align=frozenset({1}))
    doc.add_heading("Results and explanations", level=1)
    if report.sections:
        for section in report.sections:
            _section(doc, section)
    else:
        _note(doc, "No explanations in this report.")
    doc.add_heading("Limitations", level=1)
    _bullets(doc, report.limitations, "None recorded.")
    doc.add_heading("Library versions", level=1)
    _facts(doc, [(str(k), str(v)) for k, v in report.library_versions.items()])
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()

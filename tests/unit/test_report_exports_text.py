"""What the exports write, read back from the files: XLSX cells keep text as written (typed as text, styled
quote-prefix, no formula), HTML shows it, CSV alone carries the apostrophe; a report's numbers are numeric cells;
sheet names end where a phrase ends."""
from __future__ import annotations

import dataclasses
import io
import re
import zipfile
from datetime import datetime

import openpyxl
import pandas as pd

from reports.document import ReportSection, RunReport
from reports.exporters import export_csv, export_frame_xlsx, export_html, export_xlsx
from services import reports

ITEMS = ["-Bolt", "=SUM(A1:A9)", "@Widget", "-0042", "Nut"]
CAPTION = "Forecast per series over the horizon (largest 20)"


def _xml(payload: bytes) -> dict[str, str]:
    with zipfile.ZipFile(io.BytesIO(payload)) as archive:
        return {name: archive.read(name).decode("utf-8") for name in archive.namelist() if name.endswith(".xml")}


def _report() -> RunReport:
    figures = pd.DataFrame({"figure": ["Review cut-off", "Validation images", "Item code"],
                            "value": ["0.410", "60", "0042"]})
    plan = pd.DataFrame({"item": ITEMS, "order_quantity": [3, 4, 5, 6, 7]})
    return RunReport(title="Retail run 1", desk="retail", run_id=1, created_at=datetime(2026, 1, 2, 3, 4),
                     purpose="Plan.", dataset_name="sales.csv", dataset_sha256="ab" * 32, dataset_rows=10,
                     features=(), parameters={}, metrics={"WAPE (%)": 12.8},
                     sections=(ReportSection("Plan", "item==SUM(A1:A9)",
                                             tables=((CAPTION, plan), ("Validation figures", figures))),))


def test_purchase_plan_xlsx_holds_the_items_as_written_typed_as_text_and_no_formula() -> None:
    """The cells had held "'-Bolt", "'=SUM(A1:A9)", "'@Widget": Excel showed the apostrophe and a lookup against
    the item master found nothing."""
    frame = pd.DataFrame({"item": ITEMS, "order_quantity": [3, 4, 5, 6, 7]})
    payload = export_frame_xlsx(frame, "purchase plan", about={"On-hand stock column": "=stock"})
    sheet = openpyxl.load_workbook(io.BytesIO(payload))["purchase plan"]
    assert [sheet.cell(row, 1).value for row in range(2, 7)] == ITEMS
    assert {sheet.cell(row, 1).data_type for row in range(2, 7)} == {"s"}
    assert [sheet.cell(row, 1).quotePrefix for row in range(2, 7)] == [True, True, True, False, False]
    xml = _xml(payload)
    shared = re.findall(r"<t[^>]*>([^<]*)</t>", xml["xl/sharedStrings.xml"])
    assert {"-Bolt", "=SUM(A1:A9)", "@Widget", "=stock"} <= set(shared) and not any(s.startswith("'") for s in shared)
    assert not any("<f>" in text or "<f " in text for name, text in xml.items() if name.startswith("xl/worksheets/"))
    assert 'quotePrefix="1"' in xml["xl/styles.xml"]


def test_csv_alone_keeps_the_apostrophe() -> None:
    lines = export_csv(pd.DataFrame({"item": ITEMS})).decode("utf-8").splitlines()
    assert lines[1:] == ["'-Bolt", "'=SUM(A1:A9)", "'@Widget", "-0042", "Nut"]


TEXT_CELL = "<td style=\"mso-number-format:'\\@'\">"


def test_html_report_table_shows_the_text_as_written() -> None:
    """The table had shown "'=SUM(A1:A9)" beside the text's "item==SUM(A1:A9)"."""
    page = export_html(_report()).decode("utf-8")
    assert all(f"{TEXT_CELL}{item}</td>" in page for item in ("=SUM(A1:A9)", "-Bolt", "@Widget"))
    assert "&#x27;" not in page.split("<h2>Results and explanations</h2>", 1)[1]


def test_html_report_cells_excel_would_read_as_formulas_are_marked_as_text() -> None:
    """Excel opens an HTML report as a sheet and had read "=SUM(A1:A9)", "-1+2" or "@Widget" as formulas (and "+1",
    "-0042" as numbers): such text cells carry Excel's text format; numbers, and text that reads as text, do not."""
    report = _report()
    odd = pd.DataFrame({"code": ["+1", "-1+2", "=1", "plain"], "change": [-1.5, 2.0, -3.0, 0.0]})
    sections = (*report.sections, ReportSection("Codes", "", tables=(("Codes", odd),)))
    report = dataclasses.replace(report, sections=sections, author="=HYPERLINK(1)", parameters={"shift": -2})
    page = export_html(report).decode("utf-8")
    for text in ("=SUM(A1:A9)", "-Bolt", "@Widget", "-0042", "+1", "-1+2", "=1", "=HYPERLINK(1)"):
        assert f"{TEXT_CELL}{text}</td>" in page, text
    assert "<td>Nut</td>" in page and "<td>plain</td>" in page
    assert '<td class="num">-1.5</td>' in page and '<td class="num">-3</td>' in page  # numbers stay numbers
    assert page.count("mso-number-format") == 8  # the parameter -2 is a number: not marked


def test_report_xlsx_numbers_are_numeric_cells() -> None:
    """The triage report's 'value' column ("0.410", "60") and Summary's Run ("1") had been text cells."""
    book = openpyxl.load_workbook(io.BytesIO(export_xlsx(_report())))
    figures = book[book.sheetnames[2]]
    assert (figures["B2"].value, figures["B2"].data_type, figures["B2"].number_format) == (0.41, "n", "0.000")
    assert (figures["B3"].value, figures["B3"].data_type) == (60, "n")
    assert (figures["B4"].value, figures["B4"].data_type) == ("0042", "s")  # a code keeps its leading zero
    run = [row for row in book["Summary"].iter_rows() if row[0].value == "Run"][-1]  # the fact, not the heading
    assert (run[1].value, run[1].data_type) == (1, "n")
    plan = book[book.sheetnames[1]]
    assert plan["A3"].value == "=SUM(A1:A9)" and plan["A3"].quotePrefix and plan["B3"].value == 4


def test_report_xlsx_sheet_names_end_where_a_phrase_ends() -> None:
    """A caption had been cut to the sheet name "Forecast per series over the"."""
    book = openpyxl.load_workbook(io.BytesIO(export_xlsx(_report())))
    assert book.sheetnames == ["Summary", "Forecast per series", "Validation figures", "Charts"]
    summary = [(row[0].value, row[1].value) for row in book["Summary"].iter_rows()]
    assert ("Validation figures", "Validation figures") in summary and (CAPTION, "Forecast per series") in summary


def test_report_metrics_are_listed_by_label_alone() -> None:
    """The report had listed "WAPE (%) (wape)" and "Validation AUC (val_auc)"; two figures that share a label
    keep their stored names, so neither hides the other."""
    assert reports._labelled_metrics({"val_auc": 0.99, "baseline_auc": 0.9, "epochs": True}, "triage") == {
        "Validation AUC": 0.99, "Pixel-baseline AUC": 0.9}
    assert reports._labelled_metrics({"val_auc": 0.99, "Validation AUC": 0.5}, "triage") == {
        "Validation AUC (val_auc)": 0.99, "Validation AUC": 0.5}

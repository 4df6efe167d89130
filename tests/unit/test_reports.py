"""Report model, formula-injection defence and the four exporters, checked by reopening files."""

from __future__ import annotations

import ast
import io
import re
import zlib
from datetime import datetime
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest
from docx import Document

from reports import export_pdf as pdf_module
from reports import figures
from reports.document import ReportSection, RunReport, format_number, format_value, prepare_table
from reports.export_xlsx import sheet_name
from reports.exporters import (
    FORMATS,
    MEDIA_TYPES,
    export_csv,
    export_docx,
    export_frame_xlsx,
    export_html,
    export_pdf,
    export_report,
    export_xlsx,
    report_filename,
)
from reports.safety import FORMULA_TRIGGERS, neutralise, neutralise_frame

SHA = "3f" * 32
HYPERLINK = '=HYPERLINK("http://evil.example","click")'
SCRIPT = "<script>alert(1)</script>"
LONG_CAPTION = "Scores by grade [all]: what/why? *draft* \\ for the committee review"


def _tables() -> tuple[tuple[str, pd.DataFrame], ...]:
    cells = pd.DataFrame({
        "name": [HYPERLINK, SCRIPT, "Zürich — 5 €", "東京", "-2+3", "plain"],
        "value": [1.5, -2.0, np.nan, 4.0, 5.0, 6.0],
        "when": pd.date_range("2024-01-01", periods=6),
    })
    long_frame = pd.DataFrame(np.arange(120 * 3).reshape(120, 3), columns=["=a", "b", "c"])
    return ((LONG_CAPTION, cells), (LONG_CAPTION, long_frame), ("summary", cells.head(1)))


def _report(**overrides: object) -> RunReport:
    fields: dict[str, object] = dict(
        title="Credit risk — Zürich 東京",
        desk="Credit",
        run_id=42,
        created_at=datetime(2024, 5, 1, 9, 30),
        purpose="Rank applicants by default risk.\n\nUsed to prioritise manual review.",
        dataset_name="loans.csv",
        dataset_sha256=SHA,
        dataset_rows=1234,
        features=("income", "age"),
        parameters={"learning_rate": 0.05, "num_leaves": 15, "offset": -3, "grid": [1, 2]},
        metrics={"roc_auc": 0.8312, "log_loss": -0.4567},
        sections=(
            ReportSection(
                heading="Global explanation",
                text="Income matters most.\n\nAge second.",
                figures=(
                    figures.metrics_bar_figure({"roc_auc": 0.8312}, "Metrics"),
                    figures.feature_importance_figure(["income", "age"], [2.0, 1.0], "Importance"),
                ),
                tables=_tables(),
            ),
        ),
        limitations=("Trained on 2023 data only.",),
        library_versions={"pandas": pd.__version__, "plotly": "5.24.1"},
        disclaimer="Decision support only — a person makes the decision.",
        author="Analyst",
    )
    fields.update(overrides)
    return RunReport(**fields)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def report() -> RunReport:
    return _report()


@pytest.fixture(scope="module")
def html_text(report: RunReport) -> str:
    return export_html(report).decode("utf-8")


@pytest.fixture(scope="module")
def pdf_bytes(report: RunReport) -> bytes:
    return export_pdf(report)


@pytest.fixture(scope="module")
def xlsx_book(report: RunReport) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(export_xlsx(report)))


@pytest.fixture(scope="module")
def docx_doc(report: RunReport):  # noqa: ANN201 - python-docx Document
    return Document(io.BytesIO(export_docx(report)))


# --- safety -----------------------------------------------------------------------------------

@pytest.mark.parametrize("trigger", ["=", "+", "-", "@", "\t", "\r"])
def test_neutralise_prefixes_every_trigger(trigger: str) -> None:
    assert neutralise(f"{trigger}1+1") == f"'{trigger}1+1"
    assert trigger in FORMULA_TRIGGERS


@pytest.mark.parametrize("value", ["hello", "", "a=b", " =1", "'=already", "5", "-0042", "+44", "-1.5e3", "-.5"])
def test_neutralise_leaves_safe_strings(value: str) -> None:
    assert neutralise(value) == value


@pytest.mark.parametrize("value", ["-1+1", "+A1", "-x", "-", "+", "-1e", "- 5", "-5\n=cmd", "--5", "@5"])
def test_neutralise_prefixes_more_than_a_plain_number(value: str) -> None:
    assert neutralise(value) == "'" + value


@pytest.mark.parametrize("value", [-5, -2.5, 0, np.float64(-1.0), None, True, datetime(2024, 1, 1)])
def test_neutralise_leaves_non_strings(value: object) -> None:
    assert neutralise(value) is value


def test_neutralise_frame_cleans_text_columns_and_names_only() -> None:
    frame = pd.DataFrame({
        "=total": ["=1+1", "ok"],
        "n": [-1, 2],
        "s": pd.array(["@cmd", None], dtype="string"),
        "c": pd.Categorical(["-x", "y"]),
    }, index=pd.Index(["+i", "j"], name="key"))
    out = neutralise_frame(frame)
    assert list(out.columns) == ["'=total", "n", "s", "c"]
    assert list(out["'=total"]) == ["'=1+1", "ok"]
    assert list(out["n"]) == [-1, 2] and out["n"].dtype == frame["n"].dtype
    assert out["s"].dtype == "string" and out["s"].iloc[0] == "'@cmd" and pd.isna(out["s"].iloc[1])
    assert list(out["c"]) == ["'-x", "y"]
    assert list(out.index) == ["'+i", "j"]
    assert list(frame.columns)[0] == "=total" and frame.iloc[0, 0] == "=1+1"  # input untouched


def test_a_report_without_a_stored_file_has_no_hash_row() -> None:
    from reports.document import dataset_facts

    assert [label for label, _ in dataset_facts(_report())] == ["Name", "SHA-256", "Rows"]
    assert [label for label, _ in dataset_facts(_report(dataset_sha256="—"))] == ["Name", "Rows"]
    assert b"SHA-256" not in export_html(_report(dataset_sha256="—"))


def test_neutralise_frame_keeps_each_cell_type_in_a_mixed_column() -> None:
    """A purchase plan holds whole-unit orders as int beside orders by weight: 129 was written as 129.0."""
    frame = pd.DataFrame({"order_quantity": pd.Series([129, 106.41, None], dtype=object), "note": ["=x", 1, None]})
    out = neutralise_frame(frame)
    assert out["order_quantity"].dtype == object and list(out["order_quantity"])[:2] == [129, 106.41]
    assert type(out["order_quantity"].iloc[0]) is int and list(out["note"])[:2] == ["'=x", 1]
    assert export_csv(frame).decode("utf-8").splitlines()[1:3] == ["129,'=x", "106.41,1"]


# --- document model ---------------------------------------------------------------------------

def test_model_accepts_lists_and_rejects_wrong_types() -> None:
    section = ReportSection("S", figures=[figures.metrics_bar_figure({"a": 1.0}, "m")], tables=[("t", pd.DataFrame())])
    assert isinstance(section.figures, tuple) and isinstance(section.tables, tuple)
    report = _report(features=["x"], sections=[section], limitations=["l"])
    assert report.features == ("x",) and report.sections == (section,) and report.limitations == ("l",)
    with pytest.raises(TypeError, match="go.Figure"):
        ReportSection("S", figures=({"data": []},))  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="DataFrame"):
        ReportSection("S", tables=(("t", [1, 2]),))  # type: ignore[arg-type]


@pytest.mark.parametrize(("value", "text"), [
    (0.83123, "0.8312"), (12345.678, "12,345.678"), (3.0, "3"), (7, "7"), (float("nan"), "n/a"), (-0.5, "-0.5"),
])
def test_format_number(value: float, text: str) -> None:
    assert format_number(value) == text


def test_format_value_structures_and_dates() -> None:
    assert format_value({"a": [1, 2]}) == '{"a": [1, 2]}'
    assert format_value(datetime(2024, 1, 2)) == "2024-01-02"
    assert format_value(datetime(2024, 1, 2, 3, 4, 5)) == "2024-01-02 03:04:05"
    assert format_value(None) == ""


def test_prepare_table_keeps_named_index_truncates_and_says_so() -> None:
    frame = pd.DataFrame({"v": range(10)}, index=pd.Index([f"=r{i}" for i in range(10)], name="row"))
    prepared, notes = prepare_table(frame, max_rows=3)
    assert list(prepared.columns) == ["row", "v"]
    assert prepared["row"].tolist() == ["'=r0", "'=r1", "'=r2"]
    assert notes == ["Showing the first 3 of 10 rows; the XLSX export holds them all."]
    ranked = pd.DataFrame({"feature": ["a", "b", "c"], "mean |SHAP|": [0.1, 0.3, 0.2]}).sort_values("mean |SHAP|")
    assert list(prepare_table(ranked)[0].columns) == ["feature", "mean |SHAP|"]  # sorted row numbers: no 'index'
    kept = pd.DataFrame({"v": [1, 2]}, index=[10, 20])
    assert list(prepare_table(kept)[0].columns) == ["index", "v"]  # other row labels are kept
    wide, wide_notes = prepare_table(pd.DataFrame([range(12)]), max_columns=5)
    assert wide.shape == (1, 5) and "first 5 of 12 columns" in wide_notes[0]


# --- dispatch ---------------------------------------------------------------------------------

def test_formats_media_types_and_unknown_format(report: RunReport) -> None:
    assert FORMATS == ("html", "pdf", "xlsx", "docx")
    assert set(FORMATS) <= set(MEDIA_TYPES)
    assert MEDIA_TYPES["pdf"] == "application/pdf"
    with pytest.raises(ValueError, match="unknown report format"):
        export_report(report, "odt")
    assert report_filename(report, "pdf") == "credit-run-42.pdf"


def test_export_report_dispatches(report: RunReport, html_text: str) -> None:
    assert export_report(report, "html").decode("utf-8") == html_text


# --- HTML -------------------------------------------------------------------------------------

def test_html_is_one_self_contained_file(html_text: str) -> None:
    assert html_text.startswith("<!DOCTYPE html>")
    assert html_text.count("* plotly.js v") == 1  # bundle banner: inlined once for two charts
    assert 'id="figure-1"' in html_text and 'id="figure-2"' in html_text
    assert not re.search(r"<script[^>]*\bsrc=", html_text)  # nothing fetched: no CDN, works offline
    assert html_text.count("<script") == 2 + 2  # PlotlyConfig + bundle once, then one newPlot per chart


def test_html_content_and_escaping(html_text: str) -> None:
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html_text
    assert SCRIPT not in html_text
    assert "0.8312" in html_text and "-0.4567" in html_text
    assert SHA in html_text and "Zürich — 5 €" in html_text
    for heading in ("Purpose", "Data", "Features", "Parameters", "Metrics", "Limitations", "Library versions"):
        assert f"<h2>{heading}</h2>" in html_text
    assert html_text.index("Decision support only") < html_text.index("<h2>Purpose</h2>")
    assert "income" in html_text and "Trained on 2023 data only." in html_text and "5.24.1" in html_text
    assert "<td style=\"mso-number-format:'\\@'\">=HYPERLINK" in html_text  # as written, a text cell for Excel
    assert "&#x27;=HYPERLINK" not in html_text


# --- PDF --------------------------------------------------------------------------------------

def _pdf_text(data: bytes) -> bytes:
    """Decompressed content streams; enough to find core-font text without a PDF library."""
    chunks = []
    for stream in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", data, flags=re.S):
        try:
            chunks.append(zlib.decompress(stream))
        except zlib.error:
            continue
    return b"\n".join(chunks)


def test_pdf_has_pages_images_and_unicode_font(pdf_bytes: bytes) -> None:
    assert pdf_bytes.startswith(b"%PDF")
    assert pdf_bytes.rstrip().endswith(b"%%EOF")
    assert pdf_bytes.count(b"/Subtype /Image") >= 2
    if pdf_module.find_unicode_fonts() is not None:
        assert b"DejaVu" in pdf_bytes


def test_pdf_without_unicode_font_transliterates_and_truncates(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pdf_module, "find_unicode_fonts", lambda: None)
    report = _report(sections=(ReportSection("Tables", tables=_tables()),))
    data = export_pdf(report)
    assert data.startswith(b"%PDF")
    text = _pdf_text(data)
    assert b"5 EUR" in text and "Zürich".encode("latin-1") in text
    assert b"Showing the first 50 of 120 rows" in text
    assert b"Decision support only - a person makes the decision." in text


def test_pdf_table_shows_formula_text_as_written(monkeypatch: pytest.MonkeyPatch) -> None:
    """A PDF has no formulas: its table had read "'-2+3", the same apostrophe the HTML table showed."""
    monkeypatch.setattr(pdf_module, "find_unicode_fonts", lambda: None)
    text = _pdf_text(export_pdf(_report(sections=(ReportSection("Tables", tables=_tables()[:1]),))))
    assert b"(-2+3)" in text and b"'-2+3" not in text


def test_pdf_without_unicode_font_writes_arrows_as_signs(monkeypatch: pytest.MonkeyPatch) -> None:
    """Finance's monotone constraints read 'Duration ↑ (increasing)': without DejaVu the arrow printed as '?'."""
    monkeypatch.setattr(pdf_module, "find_unicode_fonts", lambda: None)
    text = _pdf_text(export_pdf(_report(sections=(ReportSection("Model settings", "Duration ↑ (increasing), "
                                                                "Age ↓ (decreasing)"),))))
    assert b"Duration + \\(increasing\\), Age - \\(decreasing\\)" in text  # PDF escapes parentheses


def test_pdf_prints_cjk_text_in_a_fallback_font(monkeypatch: pytest.MonkeyPatch) -> None:
    if pdf_module.find_unicode_fonts() is None or pdf_module.find_cjk_font() is None:
        pytest.skip("needs DejaVu Sans and a CJK TrueType font (Debian: fonts-droid-fallback, installed by the tests)")
    data = export_pdf(_report(title="Sales 東京店", sections=(), disclaimer=None))
    assert re.search(rb"/BaseFont /[A-Z]+\+DroidSansFallback", data)  # the font is embedded: the text is drawn
    assert pdf_module._ReportPDF("").clean("東京 ストア Zürich \U0001F642") == "東京 ストア Zürich ?"
    monkeypatch.setattr(pdf_module, "find_cjk_font", lambda: None)  # no CJK font: "?" as before
    assert pdf_module._ReportPDF("").clean("東京 Zürich") == "?? Zürich"


def test_pdf_survives_control_and_missing_glyphs() -> None:
    report = _report(title="bad \x00\x07 chars 東京 🙂", sections=(), disclaimer=None)
    assert export_pdf(report).startswith(b"%PDF")


# --- XLSX -------------------------------------------------------------------------------------

def _cells(sheet) -> list[object]:  # noqa: ANN001 - openpyxl worksheet
    return [cell.value for row in sheet.iter_rows() for cell in row if cell.value is not None]


def test_xlsx_summary_holds_run_dataset_metrics(xlsx_book: openpyxl.Workbook) -> None:
    assert xlsx_book.sheetnames[0] == "Summary" and xlsx_book.sheetnames[-1] == "Charts"
    summary = xlsx_book["Summary"]
    values = _cells(summary)
    assert summary["A1"].value == "Credit risk — Zürich 東京"
    assert summary["A2"].value.startswith("Decision support only")
    assert 0.8312 in values and -0.4567 in values  # numbers, not text
    assert -3 in values  # a negative parameter stays numeric, no apostrophe
    assert SHA in values and 1234 in values and "loans.csv" in values
    assert "5.24.1" in values and "Trained on 2023 data only." in values


def test_xlsx_formula_text_is_a_literal_string(xlsx_book: openpyxl.Workbook) -> None:
    table = xlsx_book[xlsx_book.sheetnames[1]]
    cell = table["A2"]
    assert cell.value == HYPERLINK and cell.quotePrefix  # the text as written, typed and styled as text
    assert cell.data_type == "s"
    assert table["A6"].value == "-2+3" and table["A6"].quotePrefix and not table["A7"].quotePrefix
    assert table["B3"].value == -2.0 and table["B3"].data_type == "n"
    assert table["C2"].value == datetime(2024, 1, 1)
    assert not any(c.data_type == "f" for ws in xlsx_book for row in ws.iter_rows() for c in row)  # no formula


def test_xlsx_sheet_names_valid_unique_and_charts_present(xlsx_book: openpyxl.Workbook) -> None:
    names = xlsx_book.sheetnames
    assert len(names) == 5
    assert len({n.lower() for n in names}) == len(names)
    for name in names:
        assert 0 < len(name) <= 31 and not re.search(r"[\[\]:*?/\\]", name)
    assert names[2].endswith("(2)") and names[3].lower() != "summary"
    long_sheet = xlsx_book[names[2]]
    assert long_sheet["A1"].value == "=a" and long_sheet["A1"].quotePrefix and long_sheet.max_row == 121
    assert len(xlsx_book["Charts"]._images) == 2


def test_sheet_name_rules() -> None:
    taken: set[str] = set()
    assert sheet_name("a/b:c", taken) == "a_b_c"
    assert sheet_name("A/B:C", taken) == "A_B_C (2)"
    assert sheet_name("x" * 40, taken) == "x" * 31
    assert sheet_name("x" * 40, taken) == "x" * 27 + " (2)"
    assert sheet_name("History", taken) == "History (2)"
    assert sheet_name("''", taken) == "Table"
    assert sheet_name("'quoted'", taken) == "quoted"
    # cut where a phrase ends, not mid-word ("… over the ho") nor on a word that leads nowhere ("… over the")
    assert sheet_name("Forecast per series over the horizon (largest 20)", taken) == "Forecast per series"
    assert sheet_name("Forecast per series over the horizon", taken) == "Forecast per series (2)"
    assert sheet_name("Scored units' remaining useful life", taken) == "Scored units' remaining useful"


# --- DOCX -------------------------------------------------------------------------------------

def _docx_cells(doc) -> list[str]:  # noqa: ANN001
    return [cell.text for table in doc.tables for row in table.rows for cell in row.cells]


def test_docx_outline_and_content(docx_doc) -> None:  # noqa: ANN001
    headings = [p.text for p in docx_doc.paragraphs if p.style.name.startswith("Heading")]
    for heading in ("Purpose", "Data", "Features", "Parameters", "Metrics", "Results and explanations", "Limitations",
                    "Library versions"):
        assert heading in headings
    assert "Global explanation" in headings
    assert docx_doc.paragraphs[0].text == "Credit risk — Zürich 東京"
    assert docx_doc.paragraphs[1].text.startswith("Decision support only")  # directly under the title
    cells = _docx_cells(docx_doc)
    assert SHA in cells and "1234" in cells
    assert "0.8312" in cells and "-0.4567" in cells and "-3" in cells  # numbers are not apostrophised
    assert len(docx_doc.inline_shapes) == 2
    assert docx_doc.core_properties.title == "Credit risk — Zürich 東京"


def test_docx_tables_neutralised_and_truncated(docx_doc) -> None:  # noqa: ANN001
    cells = _docx_cells(docx_doc)
    assert "'" + HYPERLINK in cells and HYPERLINK not in cells
    assert "'-2+3" in cells and SCRIPT in cells
    assert "'=a" in cells
    notes = [p.text for p in docx_doc.paragraphs if p.text.startswith("Showing the first")]
    assert notes == ["Showing the first 100 of 120 rows; the XLSX export holds them all."]


def test_unrenderable_chart_becomes_a_note(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*_: object, **__: object) -> bytes:
        raise RuntimeError("renderer missing")

    monkeypatch.setattr(figures, "figure_to_png", broken)
    report = _report(sections=(ReportSection("Charts", figures=(figures.metrics_bar_figure({"a": 1.0}, "Lost"),)),))
    doc = Document(io.BytesIO(export_docx(report)))
    assert len(doc.inline_shapes) == 0
    assert any(p.text == "Chart could not be rendered: Lost" for p in doc.paragraphs)
    assert export_pdf(report).startswith(b"%PDF")


# --- plain data exports -----------------------------------------------------------------------

def test_csv_neutralised_and_round_trips() -> None:
    frame = pd.DataFrame({"=col": [HYPERLINK, "+SUM(A1)", "ok"], "n": [-1.5, 2.0, 3.0], "text": ["-2+3", "a,b", 'say "hi"'],
                          "id": ["-0042", "+44", "7"]})
    data = export_csv(frame)
    assert data.decode("utf-8").splitlines()[0] == "'=col,n,text,id"
    back = pd.read_csv(io.BytesIO(data), dtype={"id": str})
    assert list(back.columns) == ["'=col", "n", "text", "id"]
    assert back["'=col"].tolist() == ["'" + HYPERLINK, "'+SUM(A1)", "ok"]
    assert back["n"].tolist() == [-1.5, 2.0, 3.0]
    assert back["text"].tolist() == ["'-2+3", "a,b", 'say "hi"']
    assert back["id"].tolist() == ["-0042", "+44", "7"]  # ids kept as written: a plain number is no formula


def test_csv_for_excel_starts_with_a_byte_order_mark_and_reads_back_the_same() -> None:
    frame = pd.DataFrame({"city": ["Zürich", "São Paulo"], "n": [1, 2]})
    plain, for_excel = export_csv(frame), export_csv(frame, excel=True)
    assert not plain.startswith(b"\xef\xbb\xbf")  # files for programs (the CLI) carry no mark
    assert for_excel == b"\xef\xbb\xbf" + plain
    back = pd.read_csv(io.BytesIO(for_excel))
    assert list(back.columns) == ["city", "n"] and back["city"].tolist() == ["Zürich", "São Paulo"]


def test_frame_xlsx_is_plain_and_neutralised() -> None:
    frame = pd.DataFrame({"name": [HYPERLINK, "fine"], "n": [-1, 2]})
    book = openpyxl.load_workbook(io.BytesIO(export_frame_xlsx(frame, sheet="scores/2024")))
    sheet = book["scores_2024"]
    assert [c.value for c in sheet[1]] == ["name", "n"]
    assert sheet["A2"].value == HYPERLINK and sheet["A2"].data_type == "s" and sheet["A2"].quotePrefix
    assert sheet["B2"].value == -1


def test_frame_xlsx_keeps_what_the_table_rests_on_in_an_about_sheet() -> None:
    frame = pd.DataFrame({"sku": ["a"], "order_quantity": [12.0]})
    about = {"Forecast run": 7, "Service level": 0.95, "On-hand stock column": HYPERLINK}
    book = openpyxl.load_workbook(io.BytesIO(export_frame_xlsx(frame, "purchase plan", about=about)))
    assert book.sheetnames == ["purchase plan", "about"]
    rows = [(r[0].value, r[1].value) for r in book["about"].iter_rows()]
    assert rows == [("Forecast run", 7), ("Service level", 0.95), ("On-hand stock column", HYPERLINK)]
    assert book["about"]["B3"].quotePrefix
    assert openpyxl.load_workbook(io.BytesIO(export_frame_xlsx(frame))).sheetnames == ["data"]  # without: one sheet


# --- boundaries -------------------------------------------------------------------------------

def test_reports_imports_no_upper_layers_or_streamlit() -> None:
    forbidden = {"streamlit", "services", "pages", "data", "ml", "domain"}
    for path in Path(pdf_module.__file__).parent.glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                roots = {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                roots = {node.module.split(".")[0]}
            else:
                continue
            assert not roots & forbidden, f"{path.name} imports {roots & forbidden}"


def test_a_report_title_names_the_champion_when_the_task_does_not():
    from types import SimpleNamespace

    from services.reports import _title

    run = SimpleNamespace(desk="finance", id=3, task="credit_lightgbm", metrics={"champion": "blend", "oof_auc": 0.8})
    assert _title(run) == "Finance run 3 — credit-default scoring, champion: blend"
    assert _title(SimpleNamespace(**{**vars(run), "metrics": {"champion": "lightgbm"}})) == \
        "Finance run 3 — credit-default scoring"
    assert _title(SimpleNamespace(desk="retail", id=4, task="global_lightgbm_forecast", metrics={})) == \
        "Retail run 4 — demand forecast"
    assert _title(SimpleNamespace(desk="retail", id=5, task="new_task", metrics={})) == "Retail run 5 — new task"


def test_a_blended_finance_champion_is_named_with_its_shares_in_the_title():
    from types import SimpleNamespace

    import importlib

    from services.reports import _title

    importlib.import_module("services.finance_report")  # registers the finance desk's title wording

    run = SimpleNamespace(desk="finance", id=3, task="credit_lightgbm",
                          metrics={"champion": "blend", "blend_weight": 0.7, "logistic_weight": 0.3})
    assert _title(run) == "Finance run 3 — credit-default scoring, champion: blend of LightGBM 70 %, " \
        "logistic regression 30 %"


def test_desks_that_validate_otherwise_say_so_in_the_limitations_and_triage_counts_its_images():
    from types import SimpleNamespace

    import importlib

    from services import reports

    for desk in ("retail_report", "triage_report"):  # importing a desk's report module registers it
        importlib.import_module(f"services.{desk}")

    assert reports.LIMITATIONS_BY_DESK["triage"][0].startswith("Metrics are measured on a validation split")
    assert reports.LIMITATIONS_BY_DESK["retail"][0].startswith("Metrics come from rolling-origin backtests")
    run = SimpleNamespace(parameters={"class_counts": {"normal": 120, "pneumonia": 80}})
    assert reports.DATA_SUMMARIES["triage"](run) == ("images (training split: normal 120, pneumonia 80)", 200)
    run.parameters["image_count"] = 336  # with val/ and test/ folders beside train/
    assert reports.DATA_SUMMARIES["triage"](run)[1] == 336


def test_report_tables_read_their_stored_column_names_as_words_and_data_exports_keep_them():
    from reports.document import header_in_words

    assert [header_in_words(n) for n in ("cumulative_gain", "p_failure", "min_pd", "pd", "Air temperature [K]",
                                         "share of failures", "=a_b")] == [
        "cumulative gain", "p(failure)", "min pd", "pd", "Air temperature [K]", "share of failures", "=a_b"]
    frame = pd.DataFrame({"observed_default_rate": [0.1], "grade": ["A"]})
    report = _report(sections=(ReportSection("Grades", "By grade.", tables=(("Grades", frame),)),))
    assert "<th>observed default rate</th>" in export_html(report).decode("utf-8")
    book = openpyxl.load_workbook(io.BytesIO(export_xlsx(report)))
    assert any(sheet.cell(1, 1).value == "observed default rate" for sheet in book.worksheets)
    assert export_csv(frame).decode("utf-8").splitlines()[0] == "observed_default_rate,grade"  # names a program reads
    assert list(prepare_table(frame)[0].columns) == ["observed_default_rate", "grade"]

"""Single-file HTML report: interactive charts that open anywhere, even offline.

plotly.js is inlined once (with the first chart) so the file needs no network and no CDN,
and every piece of user text is escaped: a report must never run code from the data.
"""

from __future__ import annotations

import html
from collections.abc import Iterable

import pandas as pd
import plotly.graph_objects as go

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
from reports.safety import starts_like_formula

MAX_HTML_ROWS = 1000
"""Beyond this a browser table is unusable; the XLSX export carries the full data."""

_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;margin:0;color:#1d2733;background:#fff}
main{max-width:1100px;margin:0 auto;padding:24px 32px 64px}
h1{margin:0 0 8px;font-size:28px}h2{margin-top:36px;border-bottom:2px solid #2E5EAA;padding-bottom:4px}
h3{margin-top:24px}
.disclaimer{background:#fff4e5;border:2px solid #E07A1F;border-radius:6px;padding:12px 16px;font-weight:600;margin:16px 0}
table{border-collapse:collapse;margin:8px 0 16px;font-size:14px}
th,td{border:1px solid #d5dbe3;padding:4px 8px;text-align:left;vertical-align:top}
th{background:#eef2f7}td.num{text-align:right;font-variant-numeric:tabular-nums}
.table-wrap{overflow-x:auto}caption{caption-side:top;text-align:left;font-weight:600;padding:4px 0}
code{font-family:ui-monospace,"DejaVu Sans Mono",monospace;word-break:break-all}
.note{color:#5a6573;font-style:italic}figure{margin:16px 0}
""".strip()


def _e(value: object) -> str:
    return html.escape(format_value(value), quote=True)


# Excel's HTML import reads a cell as if typed: "=SUM(A1)" and "-1+2" became formulas, "+1" and "-0042" numbers.
# This number format makes it a text cell, as the XLSX export writes it; a browser ignores it and shows the text.
_TEXT_CELL = " style=\"mso-number-format:'\\@'\""


def _as_text(value: object) -> str:
    """The attribute that keeps a text cell text in Excel, for text a spreadsheet would read otherwise."""
    return _TEXT_CELL if starts_like_formula(value) else ""


def _facts_table(rows: Iterable[tuple[str, str]], *, code_labels: frozenset[str] = frozenset()) -> str:
    body = []
    for label, value in rows:
        shown = f"<code>{_e(value)}</code>" if label in code_labels else _e(value)
        body.append(f"<tr><th scope=\"row\"{_as_text(label)}>{_e(label)}</th><td{_as_text(value)}>{shown}</td></tr>")
    return "<table>" + "".join(body) + "</table>"


def _metrics_table(metrics: dict[str, float]) -> str:
    rows = "".join(f"<tr><th scope=\"row\"{_as_text(name)}>{_e(name)}</th>"
                   f"<td class=\"num\">{html.escape(format_number(value))}</td></tr>"
                   for name, value in metrics.items())
    return f"<table><thead><tr><th>Metric</th><th>Value</th></tr></thead><tbody>{rows}</tbody></table>"


def _frame_table(caption: str, frame: pd.DataFrame) -> str:
    prepared, notes = prepare_table(frame, max_rows=MAX_HTML_ROWS, words=True, neutralised=False)  # no formulas
    head = "".join(f"<th{_as_text(column)}>{_e(column)}</th>" for column in prepared.columns)
    numeric = [pd.api.types.is_numeric_dtype(dtype) for dtype in prepared.dtypes]
    rows = []
    for values in prepared.itertuples(index=False, name=None):
        cells = "".join(
            f"<td class=\"num\">{_e(v)}</td>" if is_num else f"<td{_as_text(v)}>{_e(v)}</td>"
            for v, is_num in zip(values, numeric)
        )
        rows.append(f"<tr>{cells}</tr>")
    notes_html = "".join(f"<p class=\"note\">{html.escape(note)}</p>" for note in notes)
    return (
        f"<div class=\"table-wrap\"><table><caption>{html.escape(caption)}</caption>"
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table></div>{notes_html}"
    )


def _text(text: str) -> str:
    return "".join(
        "<p>" + "<br>".join(html.escape(line) for line in block.split("\n")) + "</p>" for block in paragraphs(text)
    )


class _FigureWriter:
    """Inline plotly.js with the first chart only, so the file carries one copy of it."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, figure: go.Figure) -> str:
        self.count += 1
        height = int(figure.layout.height or 480)
        snippet = figure.to_html(
            full_html=False,
            include_plotlyjs=self.count == 1,
            include_mathjax=False,
            div_id=f"figure-{self.count}",
            default_height=f"{height}px",
            config={"displaylogo": False, "responsive": True},
        )
        return f"<figure class=\"chart\">{snippet}</figure>"


def _section(section: ReportSection, write_figure: _FigureWriter) -> str:
    parts = [f"<h3>{html.escape(section.heading)}</h3>", _text(section.text)]
    parts.extend(write_figure(figure) for figure in section.figures)
    parts.extend(_frame_table(caption, frame) for caption, frame in section.tables)
    return "<section>" + "".join(parts) + "</section>"


def _bullets(items: tuple[str, ...], empty: str) -> str:
    if not items:
        return f"<p class=\"note\">{html.escape(empty)}</p>"
    return "<ul>" + "".join(f"<li>{html.escape(item)}</li>" for item in items) + "</ul>"


def export_html(report: RunReport) -> bytes:
    """Render the report as one self-contained UTF-8 HTML document."""
    write_figure = _FigureWriter()
    body: list[str] = [f"<h1>{html.escape(report.title)}</h1>"]
    if report.disclaimer:
        body.append(f"<div class=\"disclaimer\" role=\"note\">{html.escape(report.disclaimer)}</div>")
    body.append(_facts_table(run_facts(report)))
    body.append(f"<h2>Purpose</h2>{_text(report.purpose) or '<p></p>'}")
    body.append("<h2>Data</h2>" + _facts_table(dataset_facts(report), code_labels=frozenset({"SHA-256"})))
    body.append("<h2>Features</h2>" + _bullets(report.features, "None listed."))
    body.append("<h2>Parameters</h2>" + _facts_table((str(k), v) for k, v in report.parameters.items()))
    body.append("<h2>Metrics</h2>" + _metrics_table(report.metrics))
    if report.sections:
        body.append("<h2>Results and explanations</h2>" + "".join(_section(s, write_figure) for s in report.sections))
    body.append("<h2>Limitations</h2>" + _bullets(report.limitations, "None recorded."))
    body.append("<h2>Library versions</h2>" + _facts_table(report.library_versions.items()))
    document = (
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
        f"<title>{html.escape(report.title)}</title><style>{_CSS}</style></head>"
        f"<body><main>{''.join(body)}</main></body></html>\n"
    )
    return document.encode("utf-8")

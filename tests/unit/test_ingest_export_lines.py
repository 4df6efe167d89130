"""Lines real exports carry around a table: old-Mac line ends, a title padded with delimiters, a header name with a
line break, a total or a note under the table, a cell over the csv module's 128 KiB limit, a workbook named .csv.

Each had been read wrong or refused: a CR-only file as a header and no rows, an Excel-saved title as the header, a
few NUL bytes as binary data, a footer as a data row (a scored row in a file to score), a long cell as a traceback.
"""
from __future__ import annotations

import io
from pathlib import Path

import pandas as pd
import pytest

from data.ingest import IngestError, read_table


def _rows(n: int = 30) -> list[str]:
    return [f"L{i:03d},{1000 + 37 * i},{i % 7 / 2:.1f},{'abc'[i % 3]},{i % 2}" for i in range(n)]


HEADER = "loan_id,amount,rate,grade,bad"


def _notes(result) -> str:
    return " | ".join(p.problem for p in result.problems)


@pytest.mark.parametrize("on_disk", [False, True])
def test_old_mac_line_ends_are_line_ends(tmp_path: Path, on_disk: bool) -> None:
    data = ("\r".join([HEADER, *_rows()]) + "\r").encode()
    source = tmp_path / "mac.csv" if on_disk else data
    if on_disk:
        source.write_bytes(data)
    result = read_table(source, filename="mac.csv")
    assert result.frame.height == 30 and result.frame.columns == HEADER.split(",")
    assert result.frame["amount"].to_list()[:2] == [1000, 1037]
    assert "carriage return only" in _notes(result)


def test_a_crlf_file_with_a_lone_cr_in_a_cell_is_not_rewritten() -> None:
    text = "\r\n".join([HEADER, *_rows(), ""]).replace("L001,", '"L\r001",', 1)
    result = read_table(text.encode(), filename="crlf.csv")
    assert result.frame.height == 30 and "carriage return" not in _notes(result)


def test_title_and_blank_line_padded_with_delimiters_are_skipped() -> None:
    text = "\n".join(["Loan book export,,,,", ",,,,", HEADER, *_rows()]) + "\n"
    result = read_table(text.encode(), filename="book.csv")
    assert result.frame.columns == HEADER.split(",") and result.frame.height == 30
    assert "The first 2 line(s)" in _notes(result) and "'Loan book export'" in _notes(result)


def test_header_with_a_quoted_line_break_below_a_title() -> None:
    header = 'UDI;"Torque\n[Nm]";Type;failure'
    rows = [f"{i};{40 + i % 9},5;{'LMH'[i % 3]};{i % 2}" for i in range(30)]
    text = "\r".join(["Plant telemetry export;;;", ";;;", header, *rows]) + "\r"
    result = read_table(text.encode(), filename="plant.csv")
    assert result.frame.columns == ["UDI", "Torque [Nm]", "Type", "failure"]
    assert result.frame.height == 30 and result.schema["Torque [Nm]"] == "numeric"


def test_total_and_report_lines_under_the_table_are_left_out() -> None:
    text = "\n".join([HEADER, *_rows(), "Total,68085,,,", ",,,,", "Report generated 2024-03-05 10:00 by SAP,,,,"])
    result = read_table(text.encode(), filename="book.csv")
    assert result.frame.height == 30 and result.frame["loan_id"][-1] == "L029"
    assert "Rows 31, 33 at the end are not part of the table" in _notes(result)


def test_a_file_to_score_keeps_its_rows_and_loses_only_the_footer() -> None:
    rows = _rows()
    rows[10] = "L010,,,,"  # a sparse row inside the table stays a row
    text = "\n".join([HEADER, *rows, "Total,68085,,,"]) + "\n"
    result = read_table(text.encode(), filename="score.csv", keep_blank_rows=True)
    assert result.frame.height == 30 and result.frame["loan_id"][10] == "L010"


@pytest.mark.parametrize("last", ["L030,,,,", "Acme Trading Ltd,,,,", "Total,x,,,"])
def test_a_last_row_that_is_data_stays(last: str) -> None:
    text = "\n".join([HEADER, *_rows(), last]) + "\n"
    assert read_table(text.encode(), filename="book.csv").frame.height == 31


def test_a_cell_longer_than_the_csv_module_limit_is_read() -> None:
    rows = _rows()
    rows[3] = rows[3].replace(",a,", f",{'x' * 200_000},")
    result = read_table("\n".join([HEADER, *rows]).encode(), filename="long.csv")
    assert result.frame.height == 30 and len(result.frame["grade"][3]) == 200_000


def test_header_names_with_line_breaks_are_one_line() -> None:
    text = "\n".join(['loan_id,"amount\r\n(EUR)",rate,grade,bad', *_rows()])
    assert read_table(text.encode(), filename="b.csv").frame.columns[1] == "amount (EUR)"


def test_a_workbook_named_csv_is_read_as_a_workbook() -> None:
    frame = pd.DataFrame([r.split(",") for r in _rows()], columns=HEADER.split(","))
    buffer = io.BytesIO()
    frame.to_excel(buffer, index=False)
    result = read_table(buffer.getvalue(), filename="export.csv")
    assert result.frame.height == 30 and result.frame.columns == HEADER.split(",")
    assert "holds an Excel workbook" in _notes(result)


@pytest.mark.parametrize("where", ["inside", "padding"])
def test_a_few_nul_bytes_are_removed_not_taken_for_binary(where: str) -> None:
    data = "\n".join([HEADER, *_rows()]).encode() + b"\n"
    data = data.replace(b"L005", b"L0\x0005") if where == "inside" else data + b"\x00" * 4096
    result = read_table(data, filename="nul.csv")
    assert result.frame.height == 30 and result.frame["loan_id"][5] == "L005"
    assert "NUL bytes" in _notes(result)


def test_binary_data_and_utf16_without_its_mark_are_still_refused() -> None:
    for data in (bytes(range(256)) * 20, "a,b\n1,2\n".encode("utf-16-le")):
        with pytest.raises(IngestError, match="does not look like a text table"):
            read_table(data, filename="x.csv")

"""A rate Excel formats as a percent (stored 0.1281, shown 12.81%) reads as the same column saved as CSV does
("12.81%"), so a model trained on one and scored on the other sees the same numbers.

It had read 0.1281 from the workbook and "12.81%" from the CSV: a finance model trained on the CSV scored the
workbook's 60 applicants with a mean PD of 0.21 against 0.45 (39 decisions changed).
"""
from __future__ import annotations

import io

import openpyxl

from data.ingest import read_table

ROWS = [("A1", 4706, 0.2412, 0.5), ("A2", 21194, 0.2171, 0.25), ("A3", 9000, 0.05, None), ("A4", 12000, 0.1281, 1)]


def _workbook(rate_format: str = "0.00%") -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["id", "loan_amnt", "int_rate", "share"])
    for row in ROWS:
        sheet.append(list(row))
        sheet.cell(row=sheet.max_row, column=3).number_format = rate_format
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_percent_cells_read_as_the_csv_writes_them() -> None:
    from_book = read_table(_workbook(), filename="loans.xlsx").frame
    csv = "id,loan_amnt,int_rate,share\n" + "".join(
        f"{i},{a},{r * 100:g}%,{'' if s is None else s}\n" for i, a, r, s in ROWS)
    from_csv = read_table(csv.encode(), filename="loans.csv").frame
    assert from_book["int_rate"].to_list() == ["24.12%", "21.71%", "5%", "12.81%"]
    assert from_book.equals(from_csv)


def test_numbers_without_a_percent_format_stay_numbers() -> None:
    frame = read_table(_workbook("0.00"), filename="loans.xlsx").frame
    assert frame["int_rate"].to_list() == [0.2412, 0.2171, 0.05, 0.1281]

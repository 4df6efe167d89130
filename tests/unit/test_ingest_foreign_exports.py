"""Exports from other tools: a Google Sheets CSV (a comma ending every line), a SAS or SPSS export ('.' for a missing
value, 01JAN2020 dates, variable labels in a second header row), a JSON-lines file renamed .csv.

Before: an empty 'column_8' with two warnings; the label row kept as data (its labels emptied as "not a number" in
four columns) and the dates left as text; the JSON read as seven text columns named after the first record.
"""
from __future__ import annotations

import json

import pytest

from data.ingest import IngestError, read_table

COLUMNS = ["id", "loan_amnt", "int_rate", "issue_d", "bad"]
LABELS = ["Loan ID", "Loan amount (USD)", "Interest rate (%)", "Issue date", "Default flag"]
MONTHS = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN"]


def _rows(n: int = 30) -> list[list[str]]:
    return [[f"L{i:03d}", str(1000 + 37 * i), "." if i % 9 == 4 else f"{5 + i / 4:.2f}",
             "." if i % 10 == 7 else f"{1 + i % 28:02d}{MONTHS[i % 6]}2020", str(i % 2)] for i in range(n)]


def _csv(lines: list[list[str]], end: str = "") -> bytes:
    return "".join(",".join(line) + end + "\n" for line in lines).encode()


def test_google_sheets_trailing_comma_adds_no_column() -> None:
    result = read_table(_csv([COLUMNS, *_rows()], end=","), filename="Sheet1.csv")
    assert result.frame.columns == COLUMNS
    assert [p.severity for p in result.problems if "no name" in p.problem] == ["info"]


def test_named_empty_column_stays() -> None:
    result = read_table(_csv([[*COLUMNS, "notes"], *_rows()], end=","), filename="book.csv")
    assert result.frame.columns == [*COLUMNS, "notes"]


def test_sas_export_labels_missing_dots_and_dates() -> None:
    result = read_table(_csv([COLUMNS, LABELS, *_rows()]), filename="loans.csv")
    assert result.frame.height == 30
    assert result.schema == {"id": "identifier", "loan_amnt": "numeric", "int_rate": "numeric",
                             "issue_d": "datetime", "bad": "numeric"}
    first = result.frame.row(0, named=True)
    assert first["loan_amnt"] == 1000 and first["issue_d"].isoformat() == "2020-01-01"
    assert result.frame["issue_d"][7] is None and result.frame["int_rate"][4] is None
    notes = " | ".join(p.problem for p in result.problems)
    assert "labels the columns ('Loan ID'" in notes and "not a number" not in notes


def test_a_first_row_of_values_is_not_labels() -> None:
    result = read_table(_csv([COLUMNS, *_rows()]), filename="loans.csv")
    assert result.frame.height == 30 and result.frame["id"][0] == "L000"


@pytest.mark.parametrize("text", [
    "".join(json.dumps({"id": i, "bad": i % 2}) + "\n" for i in range(20)),
    json.dumps([{"id": i, "bad": i % 2} for i in range(20)], indent=1),
], ids=["lines", "document"])
def test_json_named_csv_is_refused_in_words(text: str) -> None:
    with pytest.raises(IngestError, match="'export.csv' holds (JSON lines|a JSON document)"):
        read_table(text.encode(), filename="export.csv")

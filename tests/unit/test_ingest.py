"""Reading and validating uploads: every bad-file case a user can hit, with the message they see."""

from __future__ import annotations

import hashlib
import io
import os
from pathlib import Path

import pandas as pd
import polars as pl
import pytest

from data.ingest import (
    FileTooLargeError,
    IngestError,
    IngestResult,
    list_sheets,
    read_table,
)


def write(tmp_path: Path, name: str, content: bytes | str, encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(content.encode(encoding) if isinstance(content, str) else content)
    return path


def messages(problems: list, severity: str | None = None) -> list[str]:
    return [p.problem for p in problems if severity is None or p.severity == severity]


def read_error(path: Path, **kwargs: object) -> IngestError:
    with pytest.raises(IngestError) as caught:
        read_table(path, filename=path.name, **kwargs)  # type: ignore[arg-type]
    return caught.value


# --- empty and unreadable files -------------------------------------------------------------------


@pytest.mark.parametrize("content", [b"", b"   \n\n \r\n"])
def test_empty_file_is_an_error(tmp_path: Path, content: bytes) -> None:
    error = read_error(write(tmp_path, "empty.csv", content))
    assert str(error) == "The file is empty."
    assert [(p.row, p.column, p.severity) for p in error.problems] == [(None, None, "error")]


def test_header_only_file_is_an_error(tmp_path: Path) -> None:
    error = read_error(write(tmp_path, "header.csv", "date,store,sales\n"))
    assert "has a header row but no data rows" in str(error)


def test_header_with_only_blank_lines_is_header_only(tmp_path: Path) -> None:
    error = read_error(write(tmp_path, "header.csv", "a,b\n\n\n"))
    assert "has a header row but no data rows" in str(error)


def test_png_renamed_to_csv_is_rejected(tmp_path: Path) -> None:
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10" + bytes(range(256))
    error = read_error(write(tmp_path, "photo.csv", png))
    assert "does not look like a text table" in str(error)
    assert "PNG image" in str(error)
    assert "is it really a CSV?" in str(error)


def test_random_bytes_with_nuls_are_rejected(tmp_path: Path) -> None:
    blob = bytes((i * 37) % 256 for i in range(5000))
    error = read_error(write(tmp_path, "data.csv", blob))
    assert "does not look like a text table (it looks like binary data)" in str(error)


def test_xlsx_renamed_to_csv_says_it_is_a_workbook(tmp_path: Path) -> None:
    pd.DataFrame({"a": [1]}).to_excel(tmp_path / "real.xlsx", index=False)
    error = read_error(write(tmp_path, "book.csv", (tmp_path / "real.xlsx").read_bytes()))
    assert "Excel .xlsx workbook" in str(error)


def test_size_limit_is_checked_before_reading(tmp_path: Path) -> None:
    path = write(tmp_path, "big.csv", "a,b\n" + "1,2\n" * 1000)
    with pytest.raises(FileTooLargeError) as caught:
        read_table(path, filename="big.csv", max_bytes=1024)
    assert str(caught.value) == "The file is 3.9 KB; the limit is 1.0 KB. Split the file or raise DD_MAX_UPLOAD_MB."
    assert isinstance(caught.value, IngestError)


def test_size_limit_on_a_stream_never_reads_it() -> None:
    class Unreadable(io.BytesIO):
        def read(self, *args: object) -> bytes:
            raise AssertionError("the stream was read")

        def getvalue(self) -> bytes:
            raise AssertionError("the stream was read")

    stream = Unreadable(b"x" * (3 * 1024**3 // 1024))
    with pytest.raises(FileTooLargeError, match=r"The file is 3\.0 MB; the limit is 1\.0 MB"):
        read_table(stream, filename="big.csv", max_bytes=1024**2)


def test_unsupported_extension(tmp_path: Path) -> None:
    error = read_error(write(tmp_path, "data.json", '{"a": 1}'))
    assert "is a .json file" in str(error) and "Use a CSV" in str(error)


def test_a_text_table_under_another_name_is_read_and_an_image_is_not(tmp_path: Path) -> None:
    result = read_table(write(tmp_path, "Faults.NNA", "42 270900 0.05\n645 651 0.21\n"), filename="Faults.NNA")
    assert result.frame.shape == (2, 3) and result.frame.columns[0] == "column_1"
    image = tmp_path / "scan.img"
    image.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(64))
    with pytest.raises(IngestError, match="it looks like a PNG image"):
        read_table(image, filename="scan.img")


def test_a_broken_old_xls_gets_a_clear_error(tmp_path: Path) -> None:
    error = read_error(write(tmp_path, "old.xls", b"\xd0\xcf\x11\xe0" + b"\x00" * 100))
    assert "could not be opened as an Excel 97-2003 workbook" in str(error)
    assert "save it as .xlsx or CSV" in str(error)


XLS = Path(__file__).resolve().parents[1] / "data" / "credit_card_clients.xls"


def test_an_excel_97_2003_workbook_is_read_like_an_xlsx() -> None:
    """UCI ships the Taiwan credit-card file as .xls, with a row of codes (X1 … Y) above the names, behind a notes
    sheet; it had been refused ("save it as .xlsx")."""
    result = read_table(XLS, filename="default of credit card clients.xls")
    assert list_sheets(XLS, filename="credit_card_clients.xls") == ["Notes", "Data"]
    assert result.sheet == "Data" and result.frame.height == 40
    assert result.frame.columns[:3] == ["ID", "LIMIT_BAL", "SEX"]
    assert result.frame.columns[-2:] == ["default payment next month", "statement_date"]
    assert result.schema["statement_date"] == "datetime" and result.schema["LIMIT_BAL"] == "numeric"
    assert result.frame["statement_date"].cast(pl.Date).to_list()[1] == pd.Timestamp("2005-09-02").date()
    said = " ".join(messages(result.problems))
    assert "using 'Data', the largest" in said and "hold a title or codes" in said


def test_a_text_table_named_xls_is_read_as_text_and_a_web_page_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, "export.xls", "account\tamount\tdate\nA1\t12.5\t2024-01-02\nA2\t7\t2024-01-03\n")
    result = read_table(path, filename="export.xls")
    assert result.frame.columns == ["account", "amount", "date"] and result.frame.height == 2
    assert any("is named .xls but holds a text table" in m for m in messages(result.problems))
    assert list_sheets(path, filename="export.xls") == []
    page = write(tmp_path, "report.xls", "<html><body><table><tr><td>1</td></tr></table></body></html>")
    assert "holds a web page (HTML or XML)" in str(read_error(page))


def test_ragged_rows_are_listed(tmp_path: Path) -> None:
    rows = ["a,b,c"] + ["1,2,3"] * 5 + ["4,5,6,7"] + ["1,2,3"] * 3 + ["8,9,10,11"]
    error = read_error(write(tmp_path, "ragged.csv", "\n".join(rows) + "\n"))
    assert "Rows 6, 10 have more fields than the 3 header columns" in str(error)
    assert error.problems[0].row == 6


def test_trailing_delimiter_on_every_line_is_tolerated(tmp_path: Path) -> None:
    result = read_table(write(tmp_path, "t.csv", "a;b\n1;x;\n2;y;\n"), filename="t.csv")
    assert result.frame.columns == ["a", "b"]
    assert result.frame.get_column("b").to_list() == ["x", "y"]
    assert "Rows 1, 2 end with an extra semicolon; the empty field after it was ignored." in messages(
        result.problems, "warning"
    )


def test_ragged_rows_and_duplicate_names_are_reported_together(tmp_path: Path) -> None:
    error = read_error(write(tmp_path, "r.csv", "a,a,b\n1,2,3\n4,5,6,7\n8,9\n"))
    found = [(p.severity, p.row) for p in error.problems]
    assert ("error", 2) in found  # the long row
    assert ("warning", 3) in found  # the short row
    assert any("Column name 'a' appears 2 times" in m for m in messages(error.problems, "error"))


# --- encodings ------------------------------------------------------------------------------------


def test_latin1_names_round_trip_and_encoding_is_reported(tmp_path: Path) -> None:
    text = "name,city,amount\nJosé,Köln,10\nMüller,São Paulo,20\nFrançois,Zürich,30\n"
    result = read_table(write(tmp_path, "people.csv", text, "latin-1"), filename="people.csv")
    assert result.encoding == "latin-1"
    assert result.frame.get_column("name").to_list() == ["José", "Müller", "François"]
    assert result.frame.get_column("city").to_list() == ["Köln", "São Paulo", "Zürich"]
    assert any("Latin-1" in m for m in messages(result.problems, "info"))


def test_windows_1252_euro_sign(tmp_path: Path) -> None:
    text = "item;price\nCafé;3€\n“Quote”;4€\n"
    result = read_table(write(tmp_path, "prices.csv", text, "cp1252"), filename="prices.csv")
    assert result.encoding == "cp1252"
    assert result.delimiter == ";"
    assert result.frame.get_column("price").to_list() == [3, 4]  # money: read as the numbers, the € decoded
    assert any("('3€', '4€')" in m for m in messages(result.problems, "info"))
    assert result.frame.get_column("item").to_list() == ["Café", "“Quote”"]
    assert any("Windows-1252" in m for m in messages(result.problems, "info"))


def test_cp1252_after_a_long_ascii_start_is_still_decoded(tmp_path: Path) -> None:
    body = "".join(f"{i},plain\n" for i in range(30_000)) + "30000,Crème brûlée €\n"
    path = write(tmp_path, "late.csv", "id,dish\n" + body, "cp1252")
    result = read_table(path, filename="late.csv")
    assert result.encoding == "cp1252"
    assert result.frame.get_column("dish")[-1] == "Crème brûlée €"


def test_utf8_file_with_a_few_bad_bytes_keeps_its_accents(tmp_path: Path) -> None:
    good = "name,n\nJosé,1\n" + "".join(f"x{i},{i}\n" for i in range(30_000))
    path = write(tmp_path, "mixed.csv", good.encode("utf-8") + b"Caf\xe9,2\n")
    result = read_table(path, filename="mixed.csv")
    assert result.encoding == "utf-8-lossy"
    assert result.frame.get_column("name")[0] == "José"
    assert result.frame.get_column("name")[-1] == "Caf\ufffd"
    assert any("not valid UTF-8" in m for m in messages(result.problems, "warning"))


def test_utf8_bom_is_detected_and_stripped(tmp_path: Path) -> None:
    result = read_table(write(tmp_path, "bom.csv", "\ufeffUDI,Type\n1,M\n2,L\n"), filename="bom.csv")
    assert result.encoding == "utf-8-sig"
    assert result.frame.columns == ["UDI", "Type"]
    assert not messages(result.problems, "info")


def test_utf16_export_is_transcoded(tmp_path: Path) -> None:
    text = "name\tcity\nJosé\tMünchen\nAnn\tOslo\n"
    result = read_table(write(tmp_path, "export.txt", text, "utf-16"), filename="export.txt")
    assert result.encoding == "utf-16" and result.delimiter == "\t"
    assert result.frame.get_column("city").to_list() == ["München", "Oslo"]


# --- delimiters and numbers -----------------------------------------------------------------------


def test_semicolon_with_decimal_commas(tmp_path: Path) -> None:
    text = "region;price;qty\nNord;1,5;3\nSüd;2,25;4\nOst;10,0;5\n"
    result = read_table(write(tmp_path, "de.csv", text), filename="de.csv")
    assert result.delimiter == ";"
    assert result.decimal_comma is True
    assert result.frame.schema["price"] == pl.Float64
    assert result.frame.get_column("price").to_list() == [1.5, 2.25, 10.0]
    assert result.frame.get_column("qty").to_list() == [3, 4, 5]
    assert any("comma as the decimal mark" in m for m in messages(result.problems, "info"))


def test_decimal_comma_with_thousands_dots(tmp_path: Path) -> None:
    text = "Artikel;Umsatz\nA;1.234,50\nB;999,95\nC;12.000,00\n"
    result = read_table(write(tmp_path, "umsatz.csv", text), filename="umsatz.csv")
    assert result.decimal_comma is True
    assert result.frame.get_column("Umsatz").to_list() == [1234.5, 999.95, 12000.0]


def test_thousands_dots_without_decimals_in_a_decimal_comma_file(tmp_path: Path) -> None:
    # European Excel: 298,1 K and 1.551 rpm; 1.551 cast cleanly to a float and every machine looked stopped.
    text = "air;rpm;wear\n298,1;1.551;0\n298,2;998;12\n299,0;2.861;1.200\n"
    result = read_table(write(tmp_path, "ai4i.csv", text), filename="ai4i.csv")
    assert result.decimal_comma is True
    assert result.frame.get_column("rpm").to_list() == [1551.0, 998.0, 2861.0]
    assert result.frame.get_column("wear").to_list() == [0, 12, 1200]


def test_a_semicolon_file_of_whole_numbers_with_thousands_dots(tmp_path: Path) -> None:
    text = "Datum;Filiale;Menge\n01.01.2023;Nord;664\n02.01.2023;Nord;2.897\n03.01.2023;Süd;1.025.300\n"
    result = read_table(write(tmp_path, "de.csv", text), filename="de.csv")
    assert result.frame.get_column("Menge").to_list() == [664, 2897, 1025300]
    dotted = "a;b\n1;2.897\n2;0.5\n"  # a 0.5 says the dots are decimals
    assert read_table(write(tmp_path, "dots.csv", dotted), filename="dots.csv").frame.get_column("b").to_list() == [
        2.897, 0.5]


@pytest.mark.parametrize(("delimiter", "name"), [("\t", "data.tsv"), ("|", "data.txt"), ("\t", "data.csv")])
def test_tab_and_pipe_delimiters(tmp_path: Path, delimiter: str, name: str) -> None:
    rows = [["id", "city", "amount"], ["1", "Paris, FR", "2.5"], ["2", "Oslo", "3.5"], ["3", "Rome", "4"]]
    text = "\n".join(delimiter.join(r) for r in rows) + "\n"
    result = read_table(write(tmp_path, name, text), filename=name)
    assert result.delimiter == delimiter
    assert result.frame.columns == ["id", "city", "amount"]
    assert result.frame.get_column("city").to_list() == ["Paris, FR", "Oslo", "Rome"]
    assert result.frame.get_column("amount").to_list() == [2.5, 3.5, 4.0]


def test_quoted_delimiters_crlf_and_thousands(tmp_path: Path) -> None:
    text = 'name,amount,note\r\n"Smith, J","1,250.50",ok\r\n"Lee, K","980",fine\r\n'
    result = read_table(write(tmp_path, "q.csv", text), filename="q.csv")
    assert result.delimiter == ","
    assert result.frame.get_column("name").to_list() == ["Smith, J", "Lee, K"]
    assert result.frame.get_column("amount").to_list() == [1250.5, 980.0]


def test_single_column_file(tmp_path: Path) -> None:
    result = read_table(write(tmp_path, "one.csv", "amount\n1.5\n2.5\n"), filename="one.csv")
    assert result.frame.columns == ["amount"]
    assert result.frame.get_column("amount").to_list() == [1.5, 2.5]
    assert any("Only one column was found" in m for m in messages(result.problems, "info"))


def test_numbers_with_na_markers_become_numeric(tmp_path: Path) -> None:
    text = "id,income\n1,100\n2,NA\n3,250\n4,n/a\n5,300\n"
    result = read_table(write(tmp_path, "na.csv", text), filename="na.csv")
    assert result.schema["income"] == "numeric"
    assert result.frame.get_column("income").to_list() == [100, None, 250, None, 300]
    warning = [p for p in result.problems if p.column == "income"][0]
    assert warning.severity == "warning"
    assert warning.row == 2
    assert "'NA', 'n/a'" in warning.problem and "rows 2, 4" in warning.problem


def test_late_text_in_a_numeric_column_keeps_the_column(tmp_path: Path) -> None:
    body = "".join(f"{i},{i * 2}\n" for i in range(12_000)) + "12000,unknown\n"
    result = read_table(write(tmp_path, "late.csv", "id,value\n" + body), filename="late.csv")
    assert result.rows == 12_001
    # One word in 12,001 numbers: the column stays numeric (it had become text), the word's cell is emptied and said.
    assert result.frame.schema["value"] == pl.Int64 and result.frame.get_column("value")[-1] is None
    assert any("('unknown') in rows 12001" in p.problem for p in result.problems if p.column == "value")


# --- column names ---------------------------------------------------------------------------------


def test_duplicate_column_names_are_named_with_positions(tmp_path: Path) -> None:
    error = read_error(write(tmp_path, "dup.csv", "id,price,qty,price,qty,qty\n1,2,3,4,5,6\n"))
    texts = messages(error.problems, "error")
    assert "Column name 'price' appears 2 times (columns 2 and 4). Give each column a unique name." in texts
    assert "Column name 'qty' appears 3 times (columns 3, 5 and 6). Give each column a unique name." in texts


def test_blank_column_names_are_renamed_with_a_warning(tmp_path: Path) -> None:
    result = read_table(write(tmp_path, "blank.csv", ",name,\n1,a,x\n2,b,y\n"), filename="blank.csv")
    assert result.frame.columns == ["column_1", "name", "column_3"]
    assert "Column 1 has no name; it was called 'column_1'." in messages(result.problems, "warning")


# --- column contents ------------------------------------------------------------------------------


def test_all_empty_column_is_a_warning_and_ignored(tmp_path: Path) -> None:
    text = "id,notes,amount\n1,,5\n2,,6\n3,,7\n"
    result = read_table(write(tmp_path, "e.csv", text), filename="e.csv")
    assert result.schema["notes"] == "empty"
    assert result.roles["notes"] == "ignore"
    assert result.frame.get_column("notes").null_count() == 3
    assert "Column 'notes' is completely empty; it will be ignored." in messages(result.problems, "warning")


def test_constant_column_is_a_warning(tmp_path: Path) -> None:
    text = "country,amount\nDE,5\nDE,6\nDE,7\n"
    result = read_table(write(tmp_path, "c.csv", text), filename="c.csv")
    assert result.roles["country"] == "ignore"
    assert any("'country' has the same value ('DE') in every row" in m for m in messages(result.problems))


def test_inf_values_are_listed_and_nulled(tmp_path: Path) -> None:
    text = "id,ratio\n1,0.5\n2,inf\n3,1.5\n4,-inf\n5,2.5\n"
    result = read_table(write(tmp_path, "inf.csv", text), filename="inf.csv")
    assert result.frame.get_column("ratio").to_list() == [0.5, None, 1.5, None, 2.5]
    (warning,) = [p for p in result.problems if p.column == "ratio"]
    assert warning.severity == "warning" and warning.row == 2
    assert "infinite values (inf/-inf) in rows 2, 4" in warning.problem
    assert "replaced with empty cells" in warning.problem
    assert result.profile[1].missing_pct == 40.0


def test_nan_values_are_listed_and_nulled(tmp_path: Path) -> None:
    text = "id,score\n1,0.5\n2,NaN\n3,1.5\n"
    result = read_table(write(tmp_path, "nan.csv", text), filename="nan.csv")
    assert result.frame.get_column("score").to_list() == [0.5, None, 1.5]
    assert any("'NaN'" in m and "rows 2" in m for m in messages(result.problems, "warning"))


def test_row_listing_is_capped_at_twenty(tmp_path: Path) -> None:
    body = "".join(f"{i},{'inf' if i % 2 else i}\n" for i in range(1, 101))
    result = read_table(write(tmp_path, "many.csv", "id,x\n" + body), filename="many.csv")
    (warning,) = [p for p in result.problems if p.column == "x"]
    listed = ", ".join(str(i) for i in range(1, 41, 2))
    assert f"rows {listed} and 30 more;" in warning.problem


def test_date_column_with_two_formats_is_an_error(tmp_path: Path) -> None:
    dates = ["2024-01-05", "2024-01-06", "07/01/2024", "2024-01-08", "2024-01-09", "2024-01-10", "11/01/2024"]
    text = "date,sales\n" + "".join(f"{d},{i}\n" for i, d in enumerate(dates))
    error = read_error(write(tmp_path, "dates.csv", text))
    assert str(error) == (
        "Column 'date' mixes date formats: rows 3, 7 look like DD/MM/YYYY while the rest are "
        "YYYY-MM-DD. Use one format."
    )
    assert error.problems[0].row == 3 and error.problems[0].column == "date"


def test_day_month_swap_is_caught(tmp_path: Path) -> None:
    dates = ["25/12/2023", "26/12/2023", "27/12/2023", "12/28/2023", "29/12/2023"]
    error = read_error(write(tmp_path, "swap.csv", "day\n" + "\n".join(dates) + "\n"))
    assert "rows 4 look like MM/DD/YYYY while the rest are DD/MM/YYYY" in str(error)


def test_date_column_with_one_garbage_value_is_a_warning(tmp_path: Path) -> None:
    days = [f"2024-03-{d:02d}" for d in range(1, 20)] + ["soon"]
    text = "date,sales\n" + "".join(f"{d},{i}\n" for i, d in enumerate(days))
    result = read_table(write(tmp_path, "g.csv", text), filename="g.csv")
    assert result.schema["date"] == "datetime"
    assert result.frame.schema["date"] == pl.Date
    assert result.frame.get_column("date").null_count() == 1
    (warning,) = [p for p in result.problems if p.column == "date"]
    assert warning.severity == "warning" and warning.row == 20
    assert "values that are not dates ('soon') in rows 20; they were left empty" in warning.problem


def test_datetimes_with_times_and_european_dates(tmp_path: Path) -> None:
    text = "ts,d\n2024-01-05 10:30:00,31.12.2023\n2024-01-05 11:45:10,01.01.2024\n2024-01-06,15.01.2024\n"
    result = read_table(write(tmp_path, "t.csv", text), filename="t.csv")
    assert result.frame.schema["ts"] == pl.Datetime("us")
    assert str(result.frame.get_column("ts")[1]) == "2024-01-05 11:45:10"
    assert str(result.frame.get_column("ts")[2]) == "2024-01-06 00:00:00"
    assert result.frame.get_column("d").cast(pl.String).to_list() == ["2023-12-31", "2024-01-01", "2024-01-15"]


def test_us_times_with_am_and_pm_are_datetimes(tmp_path: Path) -> None:
    text = "datetime,v\n1/1/2015 6:00:00 AM,1\n1/1/2015 6:00:00 PM,2\n12/31/2015 11:59:59 pm,3\n1/2/2015 12:00 AM,4\n"
    result = read_table(write(tmp_path, "us.csv", text), filename="us.csv")
    assert result.frame.schema["datetime"] == pl.Datetime("us")
    assert [str(v) for v in result.frame.get_column("datetime")] == [
        "2015-01-01 06:00:00", "2015-01-01 18:00:00", "2015-12-31 23:59:59", "2015-01-02 00:00:00"]


def test_ambiguous_day_month_is_flagged_as_info(tmp_path: Path) -> None:
    text = "when,v\n01/02/2024,1\n03/04/2024,2\n05/06/2024,3\n"
    result = read_table(write(tmp_path, "amb.csv", text), filename="amb.csv")
    assert str(result.frame.get_column("when")[0]) == "2024-02-01"
    assert any("fit both DD/MM/YYYY and MM/DD/YYYY" in m for m in messages(result.problems, "info"))


def test_a_date_order_the_sample_cannot_tell_is_decided_by_the_whole_column(tmp_path: Path) -> None:
    # Sorted by date with many rows a day: the first thousand values all fall on 1 December (day ≤ 12).
    days = [f"12/{d}/2010 {h}:26" for d in range(1, 32) for h in range(8, 18) for _ in range(10)]
    result = read_table(write(tmp_path, "us.csv", "InvoiceDate,q\n" + "".join(f"{d},1\n" for d in days)),
                        filename="us.csv")
    column = result.frame.get_column("InvoiceDate")
    assert column.null_count() == 0 and str(column[-1]) == "2010-12-31 17:26:00"
    assert not any("fit both" in m for m in messages(result.problems, "info"))


def test_late_date_problems_beyond_the_inferred_rows(tmp_path: Path) -> None:
    dt_rows = "".join(f"2024-01-{i % 28 + 1:02d} 10:00:00,{i}\n" for i in range(12_000))
    text = "when,v\n" + dt_rows + "07/01/2024 10:00:00,1\nnever,2\n"
    error = read_error(write(tmp_path, "late.csv", text))
    assert "rows 12001 look like DD/MM/YYYY while the rest are YYYY-MM-DD" in str(error)
    assert any("not dates ('never') in rows 12002" in m for m in messages(error.problems, "warning"))


def test_interior_blank_rows_are_skipped_and_row_numbers_kept(tmp_path: Path) -> None:
    text = "id,x\n1,1.0\n\n2,inf\n3,2.0\n\n"
    result = read_table(write(tmp_path, "b.csv", text), filename="b.csv")
    assert result.rows == 3
    assert "Blank rows 2 were skipped." in messages(result.problems, "info")
    assert any("rows 3;" in m for m in messages(result.problems, "warning"))


def test_blank_rows_inside_a_file_to_score_are_kept_and_trailing_ones_dropped(tmp_path: Path) -> None:
    text = "id,x\n1,1.0\n,\n2,2.0\n,\n\n"
    result = read_table(write(tmp_path, "s.csv", text), filename="s.csv", keep_blank_rows=True)
    assert result.frame.get_column("x").to_list() == [1.0, None, 2.0]
    assert "Empty rows 2 were kept as rows with no values, so that the output lines up with the file." in messages(
        result.problems, "info")
    assert "2 empty row(s) after the last filled one were left out (nothing to score there)." in messages(
        result.problems, "info")


def test_error_carries_every_problem_at_once(tmp_path: Path) -> None:
    text = (
        "date,amount,amount,,notes\n"
        "2024-01-01,1,2,x,\n2024-01-02,3,inf,y,\n03/01/2024,5,6,z,\n2024-01-04,7,8,w,\n"
    )
    error = read_error(write(tmp_path, "bad.csv", text))
    found = {(p.severity, p.column) for p in error.problems}
    assert ("error", "amount") in found  # duplicate name
    assert ("error", "date") in found  # mixed date formats
    assert ("warning", "column_4") in found  # blank name
    assert ("warning", "notes") in found  # empty column
    assert ("warning", "amount (column 3)") in found  # inf
    assert [p.severity for p in error.problems][:2] == ["error", "error"]
    assert str(error).startswith("The file has 2 problems to fix:\n- ")


# --- sources and bookkeeping ----------------------------------------------------------------------


def test_bytes_stream_and_path_sources_agree(tmp_path: Path) -> None:
    content = b"a,b\n1,x\n2,y\n"
    path = write(tmp_path, "s.csv", content)
    results = [
        read_table(path, filename="s.csv"),
        read_table(str(path), filename="s.csv"),
        read_table(content, filename="s.csv"),
        read_table(io.BytesIO(content), filename="s.csv"),
    ]
    expected = hashlib.sha256(content).hexdigest()
    for result in results:
        assert isinstance(result, IngestResult)
        assert result.file_sha256 == expected
        assert result.size_bytes == len(content)
        assert (result.rows, result.columns) == (2, 2)
        assert result.frame.equals(results[0].frame)


def test_temp_files_from_transcoding_are_removed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import data.sniff

    monkeypatch.setattr(data.sniff, "_IN_MEMORY_LIMIT", 10)
    monkeypatch.setattr("tempfile.tempdir", str(tmp_path / "tmp"))
    os.makedirs(tmp_path / "tmp")
    path = write(tmp_path, "l1.csv", "name,n\nJosé,1\nRenée,2\n", "latin-1")
    result = read_table(path, filename="l1.csv")
    assert result.frame.get_column("name").to_list() == ["José", "Renée"]
    assert list((tmp_path / "tmp").iterdir()) == []


# --- Excel ----------------------------------------------------------------------------------------


@pytest.fixture
def workbook(tmp_path: Path) -> Path:
    path = tmp_path / "book.xlsx"
    with pd.ExcelWriter(path, engine="openpyxl") as writer:
        pd.DataFrame(
            {"date": pd.to_datetime(["2024-01-01", "2024-01-02"]), "store": [1, 2], "sales": [10.0, 12.5]}
        ).to_excel(writer, sheet_name="Sales", index=False)
        pd.DataFrame({"note": ["a", "b", "c"], "count": [1, 2, 3]}).to_excel(writer, sheet_name="Notes", index=False)
    return path


def test_excel_first_sheet_by_default_with_info(workbook: Path) -> None:
    result = read_table(workbook, filename="book.xlsx")
    assert result.sheet == "Sales" and result.sheets == ["Sales", "Notes"]
    assert result.delimiter is None
    assert result.frame.schema == pl.Schema({"date": pl.Date, "store": pl.Int64, "sales": pl.Float64})
    assert result.frame.get_column("sales").to_list() == [10.0, 12.5]
    assert any(m.startswith("Workbook has 2 sheets (Sales, Notes); using 'Sales', the largest.")
               for m in messages(result.problems, "info"))


def test_excel_default_is_the_largest_sheet_not_a_cover_sheet_in_front(tmp_path: Path) -> None:
    path = tmp_path / "covered.xlsx"
    with pd.ExcelWriter(path, engine="openpyxl") as writer:
        pd.DataFrame({"info": ["Weekly sales export", "Do not edit"]}).to_excel(writer, sheet_name="Notes", index=False)
        pd.DataFrame({"week": pd.date_range("2024-01-07", periods=20, freq="W-SUN"), "sku": "A",
                      "units": range(20)}).to_excel(writer, sheet_name="Sales", index=False)
    result = read_table(path, filename="covered.xlsx")
    assert result.sheet == "Sales" and result.frame.columns == ["week", "sku", "units"]


def test_excel_sheet_argument_picks_another_sheet(workbook: Path) -> None:
    result = read_table(workbook, filename="book.xlsx", sheet="Notes")
    assert result.sheet == "Notes"
    assert result.frame.get_column("count").to_list() == [1, 2, 3]
    assert not messages(result.problems, "info")


def test_excel_unknown_sheet_names_the_available_ones(workbook: Path) -> None:
    error = read_error(workbook, sheet="Budget")
    assert str(error) == "Sheet 'Budget' is not in the workbook. Available sheets: Sales, Notes."


def test_list_sheets(workbook: Path, tmp_path: Path) -> None:
    assert list_sheets(workbook, filename="book.xlsx") == ["Sales", "Notes"]
    assert list_sheets(workbook.read_bytes(), filename="book.xlsx") == ["Sales", "Notes"]
    assert list_sheets(write(tmp_path, "x.csv", "a\n1\n"), filename="x.csv") == []


def test_excel_mixed_cells_and_duplicate_headers(tmp_path: Path) -> None:
    path = tmp_path / "mixed.xlsx"
    frame = pd.DataFrame([["a", 1, "x"], ["b", "two", "y"]], columns=["name", "value", "name"])
    frame.to_excel(path, index=False)
    error = read_error(path)
    assert "Column name 'name' appears 2 times (columns 1 and 3)" in str(error)


def test_excel_formula_errors_become_missing_numbers(tmp_path: Path) -> None:
    path = tmp_path / "calc.xlsx"
    pd.DataFrame({"region": ["N", "S", "E"], "margin": [0.25, "#DIV/0!", 0.5]}).to_excel(path, index=False)
    result = read_table(path, filename="calc.xlsx")
    assert result.schema["margin"] == "numeric"
    assert result.frame.get_column("margin").to_list() == [0.25, None, 0.5]
    assert any("'#DIV/0!'" in m and "rows 2" in m for m in messages(result.problems, "warning"))


def test_empty_excel_sheet(tmp_path: Path) -> None:
    path = tmp_path / "blank.xlsx"
    pd.DataFrame().to_excel(path, index=False)
    assert str(read_error(path)) == "Sheet 'Sheet1' is empty."


def test_text_file_named_xlsx_is_a_clear_error(tmp_path: Path) -> None:
    error = read_error(write(tmp_path, "fake.xlsx", "a,b\n1,2\n"))
    assert "could not be opened as an Excel workbook" in str(error)


def test_excel_title_rows_above_the_table_are_skipped_with_a_note(tmp_path: Path) -> None:
    path = tmp_path / "report.xlsx"
    table = pd.DataFrame({"loan_id": ["A1", "A2"], "amount": [100.0, 250.0], "default": ["no", "yes"]})
    with pd.ExcelWriter(path, engine="openpyxl") as writer:
        pd.DataFrame([["Loan book export"], [None]]).to_excel(writer, sheet_name="Loans", index=False, header=False)
        table.to_excel(writer, sheet_name="Loans", index=False, startrow=3)
    result = read_table(path, filename="report.xlsx")
    assert result.frame.columns == ["loan_id", "amount", "default"]
    assert result.frame.get_column("amount").to_list() == [100.0, 250.0]
    assert any("hold a title or codes, not the column names; the column names were read from row 4" in m
               for m in messages(result.problems, "info"))


def test_excel_codes_above_the_real_column_names_are_skipped(tmp_path: Path) -> None:
    """The UCI credit-card workbook: X1 … X23, Y on row 1, then ID, LIMIT_BAL … and the numbers."""
    path = tmp_path / "default of credit card clients.xlsx"
    codes = pd.DataFrame([["", "X1", "X2", "Y"], ["ID", "LIMIT_BAL", "SEX", "default payment next month"]])
    rows = pd.DataFrame([[i, 1000 * i, 1 + i % 2, i % 3 == 0] for i in range(1, 30)]).astype(int)
    with pd.ExcelWriter(path, engine="openpyxl") as writer:
        pd.concat([codes, rows.astype(object)]).to_excel(writer, index=False, header=False)
    result = read_table(path, filename=path.name)
    assert result.frame.columns == ["ID", "LIMIT_BAL", "SEX", "default payment next month"]
    assert result.frame.height == 29 and result.frame.get_column("LIMIT_BAL").to_list()[:2] == [1000, 2000]
    assert any("The first 1 row(s)" in m for m in messages(result.problems, "info"))
    plain = tmp_path / "plain.xlsx"                                  # names then numbers: row 1 stays the header
    rows.set_axis(["ID", "LIMIT_BAL", "SEX", "Y"], axis=1).to_excel(plain, index=False)
    assert read_table(plain, filename="plain.xlsx").frame.columns == ["ID", "LIMIT_BAL", "SEX", "Y"]
    units = tmp_path / "units.xlsx"                                  # names, then a row of units: names stay
    pd.concat([pd.DataFrame([["id", "kg", "USD", "flag"]]), rows.astype(object)]).set_axis(
        ["ID", "weight", "price", "Y"], axis=1).to_excel(units, index=False)
    assert read_table(units, filename="units.xlsx").frame.columns == ["ID", "weight", "price", "Y"]


def test_names_and_text_in_either_unicode_form_read_the_same(tmp_path: Path) -> None:
    import unicodedata

    def text(form: str) -> str:
        return unicodedata.normalize(form, "région;employeur\nÎle-de-France;Café Ñandú\n")

    composed = read_table(write(tmp_path, "win.csv", text("NFC")), filename="win.csv")
    decomposed = read_table(write(tmp_path, "mac.csv", text("NFD")), filename="mac.csv")
    assert decomposed.frame.columns == composed.frame.columns == ["région", "employeur"]
    assert decomposed.frame.row(0) == composed.frame.row(0) == ("Île-de-France", "Café Ñandú")


def test_month_and_year_dates_are_dates(tmp_path: Path) -> None:
    text = "first_credit_line,month,share,season\n03/1985,2019-01,1/2,2019-2020\n12/2001,2019-02,3/4,2020-2021\n"
    result = read_table(write(tmp_path, "m.csv", text), filename="m.csv")
    assert [str(v) for v in result.frame.get_column("first_credit_line")] == ["1985-03-01", "2001-12-01"]
    assert [str(v) for v in result.frame.get_column("month")] == ["2019-01-01", "2019-02-01"]
    assert result.schema["share"] == result.schema["season"] == "categorical"  # fractions, spans: not dates

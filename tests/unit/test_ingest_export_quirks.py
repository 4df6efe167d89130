"""What real exports do to a table that earlier checks had not tried (session 32 QA, each also run through the finance
and maintenance CLI): line ends of two systems in one file, decimal commas that start past the rows sniffed, a
header name behind a second byte-order mark, a date column with a third way of writing dates, a gzip-compressed CSV.

Each had been refused in misleading words, or read wrong without a word.
"""
from __future__ import annotations

import gzip

import pytest

from data import sniff
from data.ingest import IngestError, read_table

HEADER = "id,rpm,torque,failure"


def _lines(n: int = 30) -> list[str]:
    return [f"M{i:05d},{1200 + 7 * i},{40 + i % 9}.5,{i % 2}" for i in range(n)]


def _notes(result) -> str:
    return " | ".join(p.problem for p in result.problems)


def test_crlf_lf_and_cr_line_ends_in_one_file_are_all_line_ends() -> None:
    lines = [HEADER, *_lines()]
    text = "".join(line + ("\r\n", "\n", "\r")[i % 3] for i, line in enumerate(lines))
    result = read_table(text.encode(), filename="joined.csv")  # refused: "more fields than the header"
    assert result.frame.height == 30 and result.frame.columns == HEADER.split(",")
    assert result.frame["rpm"].to_list()[:3] == [1200, 1207, 1214]
    assert "Some lines end with a carriage return only" in _notes(result)


def test_cr_line_ends_after_the_sniffed_sample_are_line_ends() -> None:
    body = _lines(20_000)
    head = "\n".join([HEADER, *body[:15_000]]) + "\n"
    assert len(head) > sniff.SAMPLE_BYTES
    text = head + "\r".join(body[15_000:]) + "\r"
    result = read_table(text.encode(), filename="appended.csv")
    assert result.frame.height == 20_000 and result.frame["id"][-1] == "M19999"
    assert "Some lines end with a carriage return only" in _notes(result)


def test_a_lone_cr_inside_a_quoted_cell_stays_in_the_cell() -> None:
    notes = ["line\rbreak" if i % 5 == 0 else "a" for i in range(30)]
    text = "\n".join(["id,note,failure", *[f'M{i},"{note}",{i % 2}' for i, note in enumerate(notes)]])
    result = read_table((text + "\n").encode(), filename="notes.csv")
    assert result.frame.height == 30 and result.frame["note"][0] == "line\rbreak"
    assert "carriage return" not in _notes(result)


def test_decimal_commas_that_start_past_the_first_thousand_rows_are_read_as_decimals() -> None:
    rows = [f"M{i};{1200 + i};{40 + i % 9}{',5' if i >= 1_100 else ''};{i % 2}" for i in range(1_500)]
    text = "\n".join(["id;rpm;torque;failure", *rows]) + "\n"
    result = read_table(text.encode(), filename="semicolon.csv")  # torque had been text, without a word
    assert result.schema["torque"] == "numeric"
    assert result.frame["torque"].to_list()[1_099:1_101] == [41.0, 42.5]
    note = next(p for p in result.problems if p.column == "torque")
    assert note.severity == "info" and note.row == 1_101 and "'42,5' is 42.5" in note.problem


def test_dotted_numbers_beside_late_decimal_commas_stay_as_they_were() -> None:
    """1.234 beside 12,5 could be a thousand or a decimal: that column is not decided by the comma."""
    rows = [f"M{i};{'1.234' if i == 200 else i};{i % 2}" for i in range(1_100)] + ["M9;12,5;1"]
    result = read_table(("id;amount;failure\n" + "\n".join(rows) + "\n").encode(), filename="dots.csv")
    assert 1234.0 not in result.frame["amount"].to_list() and "decimal comma" not in _notes(result)


@pytest.mark.parametrize("mark", ["\ufeff", "\u200b"])
def test_a_header_name_behind_a_second_bom_or_a_zero_width_space_is_found_by_its_name(mark: str) -> None:
    text = "\ufeff" + mark + "\n".join([HEADER, *_lines()]) + "\n"  # a BOM file saved again with a BOM
    result = read_table(text.encode("utf-8"), filename="twice.csv")
    assert result.frame.columns == HEADER.split(",")


def test_a_date_column_with_a_third_way_of_writing_dates_is_kept_as_text_in_words() -> None:
    days = [f"2023-05-{d:02d}" if i % 3 == 0 else f"{d:02d}.05.2023" if i % 3 == 1 else f"202305{d:02d}"
            for i, d in enumerate(range(1, 31))]
    text = "id,installed,failure\n" + "".join(f"M{i},{day},{i % 2}\n" for i, day in enumerate(days))
    result = read_table(text.encode(), filename="dates.csv")  # had been text without a word
    assert result.schema["installed"] != "datetime"
    warning = next(p for p in result.problems if p.column == "installed")
    assert warning.severity == "warning" and warning.row == 2
    assert "('02.05.2023', '20230503', '05.05.2023' in rows 2, 3, 5, 6" in warning.problem
    assert "20 of its values" in warning.problem and "kept as text" in warning.problem


@pytest.mark.parametrize("filename", ["machines.csv.gz", "machines.csv"])
def test_a_gzip_compressed_csv_is_read_as_the_table_inside(filename: str) -> None:
    plain = ("\n".join([HEADER, *_lines()]) + "\n").encode()
    result = read_table(gzip.compress(plain), filename=filename)  # refused: "a .gz file" / "a gzip archive"
    assert result.frame.equals(read_table(plain, filename="machines.csv").frame)
    assert "gzip-compressed" in _notes(result) and "'machines.csv'" in _notes(result)


def test_a_damaged_or_oversized_gzip_file_is_refused_in_words() -> None:
    packed = gzip.compress(("\n".join([HEADER, *_lines(3_000)]) + "\n").encode())
    with pytest.raises(IngestError, match="damaged or incomplete gzip file"):
        read_table(packed[: len(packed) // 2], filename="cut.csv.gz")
    with pytest.raises(IngestError, match="Unpacked, the file is over"):
        read_table(packed, filename="big.csv.gz", max_bytes=len(packed) + 1000)


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_without_a_byte_order_mark_is_read_as_text(codec: str) -> None:
    text = "\r\n".join([HEADER.replace(",", "\t"), *[line.replace(",", "\t") for line in _lines()]]) + "\r\n"
    result = read_table(text.replace("M0", "Mé").encode(codec), filename="bcp.txt")  # refused as binary data
    assert result.frame.shape == (30, 4) and result.frame["id"][0] == "Mé0000"
    assert "UTF-16" in _notes(result) and "without a byte-order mark" in _notes(result)


def test_small_16_bit_numbers_with_every_other_byte_nul_are_still_binary() -> None:
    int16 = bytes(b for i in range(4000) for b in (i % 200 + 1, 0))  # line feeds and commas among them
    with pytest.raises(IngestError, match="does not look like a text table"):
        read_table(int16, filename="int16.csv")


def test_school_years_that_look_like_year_months_in_part_are_no_date_column() -> None:
    """1994-95 is shaped as 2000-01 (a year and a month) but is none: text without a warning (WTQ 204-133)."""
    years = [f"{y}-{(y + 1) % 100:02d}" for y in range(1994, 2012)]
    text = "School Year,Winner\n" + "".join(f"{y},Team {i % 4}\n" for i, y in enumerate(years))
    result = read_table(text.encode(), filename="schools.csv")
    assert result.schema["School Year"] != "datetime" and not result.problems


def test_dots_between_thousands_below_the_sampled_rows_of_a_semicolon_file_are_thousands() -> None:
    rows = [f"M{i};{(i * 37) % 900 + 1};{i % 2}" for i in range(1_500)]
    rows[300], rows[1_200] = "M300;1.200;0", "M1200;2.450;1"  # within polars' 1,000 inferred rows, and past them
    result = read_table(("id;menge;bad\n" + "\n".join(rows) + "\n").encode(), filename="lager.csv")  # had been 1.2
    assert result.frame["menge"][300] == 1200 and result.frame["menge"][1_200] == 2450
    note = next(p for p in result.problems if p.column == "menge")
    assert note.severity == "info" and note.row == 301 and "'1.200' is 1200" in note.problem


def test_a_dot_decimal_below_the_sampled_rows_keeps_the_dots_as_decimals() -> None:
    rows = [f"M{i};{(i * 37) % 900 + 1};{i % 2}" for i in range(1_500)]
    rows[300], rows[700] = "M300;1.200;0", "M700;0.5;0"
    result = read_table(("id;qty;bad\n" + "\n".join(rows) + "\n").encode(), filename="stock.csv")
    assert result.frame["qty"][300] == 1.2 and result.frame["qty"][700] == 0.5 and not result.problems

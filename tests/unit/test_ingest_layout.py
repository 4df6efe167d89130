"""Space-separated tables and files without a header row (NASA C-MAPSS, UCI and instrument exports)."""
from __future__ import annotations

from pathlib import Path

import pytest

from data.ingest import IngestError, read_table

CMAPSS = (  # the layout of NASA's train_FD001.txt: no header, runs of spaces, two trailing blanks
    "1 1 -0.0007 -0.0004 100.0 518.67 641.82 1589.70 1400.60  \n"
    "1 2 0.0019 -0.0003 100.0 518.67 642.15 1591.82 1403.14  \n"
    "1 3 -0.0043 0.0003 100.0 518.67 642.35 1587.99 1404.20  \n"
    "2 1 -0.0018 0.0006 100.0 518.67 642.44 1584.12 1406.42  \n"
)
GERMAN = (  # UCI german.data: no header, codes and numbers separated by single spaces
    "A11 6 A34 A43 1169 A65 A75 4 A93 A101 4 A121 67 A143 A152 2 A173 1 A192 A201 1\n"
    "A12 48 A32 A43 5951 A61 A73 2 A92 A101 2 A121 22 A143 A152 1 A173 1 A191 A201 2\n"
    "A14 12 A34 A46 2096 A61 A74 2 A93 A101 3 A121 49 A143 A152 1 A172 2 A191 A201 1\n"
)


def infos(result) -> list[str]:
    return [p.problem for p in result.problems if p.severity == "info"]


@pytest.mark.parametrize("as_bytes", [False, True])
def test_space_separated_file_without_header_is_read_whole(tmp_path: Path, as_bytes: bool) -> None:
    path = tmp_path / "train_FD001.txt"
    path.write_text(CMAPSS)
    source = path.read_bytes() if as_bytes else path
    result = read_table(source, filename=path.name)
    assert result.frame.columns == [f"column_{i}" for i in range(1, 10)]
    assert result.frame.height == 4                       # the first line is data, not names
    assert result.frame.get_column("column_1").to_list() == [1, 1, 1, 2]
    assert result.frame.get_column("column_3").to_list() == [-0.0007, 0.0019, -0.0043, -0.0018]
    assert result.delimiter == " "
    assert any("separated by spaces" in m for m in infos(result))
    assert any("column_1 … column_9" in m for m in infos(result))


def test_space_separated_file_with_header_keeps_its_names(tmp_path: Path) -> None:
    path = tmp_path / "fleet.txt"
    path.write_text("unit   cycle  s2      s3\n1      1      641.82  1589.70\n1      2      642.15  1591.82\n")
    result = read_table(path, filename=path.name)
    assert result.frame.columns == ["unit", "cycle", "s2", "s3"]
    assert result.frame.get_column("s3").to_list() == [1589.70, 1591.82]
    assert not any("not column names" in m for m in infos(result))


def test_uci_codes_without_header_are_read_as_data(tmp_path: Path) -> None:
    path = tmp_path / "german.data"
    path.write_text(GERMAN)
    result = read_table(path, filename=path.name)
    assert result.frame.width == 21 and result.frame.height == 3
    assert result.frame.get_column("column_1").to_list() == ["A11", "A12", "A14"]
    assert result.frame.get_column("column_5").to_list() == [1169, 5951, 2096]


def test_comma_file_whose_first_row_is_numbers_has_no_header(tmp_path: Path) -> None:
    path = tmp_path / "readings.csv"
    path.write_text("1,0.52,20.1\n2,0.61,20.4\n3,0.58,19.9\n")
    result = read_table(path, filename=path.name)
    assert result.frame.columns == ["column_1", "column_2", "column_3"]
    assert result.frame.get_column("column_2").to_list() == [0.52, 0.61, 0.58]


def test_a_first_row_of_readings_with_gaps_is_data(tmp_path: Path) -> None:
    """UCI SECOM as CSV: no header, and the first row already has empty readings."""
    path = tmp_path / "secom.csv"
    path.write_text("3030.93,,0.0175,97.6133,-1\n3095.78,2465.14,0.0175,,-1\n2932.61,2559.94,-0.0134,102.3,1\n")
    result = read_table(path, filename=path.name)
    assert result.frame.columns == [f"column_{i}" for i in range(1, 6)] and result.frame.height == 3
    assert result.frame.get_column("column_2").to_list() == [None, 2465.14, 2559.94]
    index = tmp_path / "export.csv"  # pandas' index column: an empty name over numbers, real names beside it
    index.write_text(",a,b\n0,1.5,2\n1,3,4.5\n")
    assert read_table(index, filename=index.name).frame.columns[1:] == ["a", "b"]


@pytest.mark.parametrize("text", ["2019,2020,2021\n5,6,7\n8,9,10\n", "store,2019,2020\nA,1.5,2\nB,3,4.5\n"])
def test_a_header_of_distinct_whole_numbers_stays_a_header(tmp_path: Path, text: str) -> None:
    path = tmp_path / "pivot.csv"
    path.write_text(text)
    result = read_table(path, filename=path.name)
    assert "2019" in result.frame.columns and result.frame.height == 2


def test_one_column_of_whole_numbers_has_no_header(tmp_path: Path) -> None:
    """NASA's RUL_FD001.txt: one number a line; its first value is no column name."""
    path = tmp_path / "RUL_FD001.txt"
    path.write_text("112\n98\n69\n82\n")
    result = read_table(path, filename=path.name)
    assert result.frame.columns == ["column_1"] and result.frame.get_column("column_1").to_list() == [112, 98, 69, 82]
    named = tmp_path / "named.csv"
    named.write_text("rul\n112\n98\n")
    assert read_table(named, filename=named.name).frame.columns == ["rul"]


def test_one_column_of_words_is_not_split_on_spaces(tmp_path: Path) -> None:
    path = tmp_path / "cities.csv"
    path.write_text("city name\nNew York\nLos Angeles\nSan Jose\n")
    result = read_table(path, filename=path.name)
    assert result.frame.columns == ["city name"]
    assert result.frame.get_column("city name").to_list() == ["New York", "Los Angeles", "San Jose"]


def test_space_separated_rows_of_the_wrong_length_are_listed(tmp_path: Path) -> None:
    path = tmp_path / "broken.txt"
    path.write_text("a b c\n1 2 3\n4 5 6 7\n8 9 10\n")
    with pytest.raises(IngestError) as caught:
        read_table(path, filename=path.name)
    assert [p.problem for p in caught.value.problems] == ["Row 2 has more fields than the 3 header columns. Fix those rows."]


@pytest.mark.parametrize("as_bytes", [False, True])
def test_a_licence_or_title_above_the_table_is_skipped_and_said(tmp_path: Path, as_bytes: bool) -> None:
    """UCI's Scania file opens with 20 licence lines: "Rows 20, 21 … have more fields than the 1 header columns"."""
    licence = "This file is part of APS Failure at Scania Trucks.\nCopyright (c) <2016> <Scania CV AB>\n\n"
    table = "class,aa_000,ab_000\n" + "".join(f"{'pos' if i % 5 == 0 else 'neg'},{i},na\n" for i in range(12))
    path = tmp_path / "aps_failure_training_set.csv"
    path.write_text(licence + table)
    result = read_table(path.read_bytes() if as_bytes else path, filename=path.name)
    assert result.frame.columns == ["class", "aa_000", "ab_000"] and result.frame.height == 12
    assert result.frame.get_column("aa_000").to_list() == list(range(12))
    assert any(m.startswith("The first 3 line(s) are not part of the table (they start 'This file is part of")
               for m in infos(result))
    plain = tmp_path / "plain.csv"
    plain.write_text(table)
    assert not any("not part of the table" in m for m in infos(read_table(plain, filename=plain.name)))
    from data.layout import preamble_lines

    semicolons = "week;sku;units\n" + "2024-01-01;a;12,5\n" * 8  # decimal commas split into 2 on ','
    assert preamble_lines(semicolons, (",", ";")) == (0, "")
    every = "Asset ID;Temp [°C];Vibration [mm/s]\n" + "A00;70,17;6,338\n" * 8  # wider at ',' past the header
    assert preamble_lines(every, (",", ";")) == (0, "")
    rows = "".join(f"r{i},{i},{i * 2}\n" for i in range(8))  # R's write.table: no name over the row names
    assert preamble_lines("x,y\n" + rows, (",",)) == (0, "")
    assert preamble_lines("Sales report, Q3\nregion,store,month,units,price\n" + "n,1,2,3,4\n" * 6, (",",)) == \
        (1, "Sales report, Q3")


def test_a_semicolon_file_whose_numbers_all_carry_decimal_commas_keeps_its_header(tmp_path: Path) -> None:
    """Each row splits into more fields at its commas than at its semicolons: the header was taken for a title
    line above a comma table, and 'A00;72' became a column."""
    rows = "".join(f"A{i:02d};{60 + i},{i + 10};{3 + i % 4},{i * 7 % 1000:03d}\n" for i in range(12))
    path = tmp_path / "sensors.csv"
    path.write_text("Asset ID;Temp [°C];Vibration [mm/s]\n" + rows, encoding="utf-8")
    result = read_table(path, filename=path.name)
    assert result.frame.columns == ["Asset ID", "Temp [°C]", "Vibration [mm/s]"] and result.frame.height == 12
    assert result.frame.get_column("Temp [°C]").to_list()[:2] == [60.1, 61.11]
    assert not any("not part of the table" in m for m in infos(result))



def test_a_row_of_variable_codes_above_the_names_is_skipped(tmp_path: Path) -> None:
    """UCI's credit-card file saved as CSV keeps its code row (',X1,X2,…,Y') above ID, LIMIT_BAL …: the names had
    been read as the first data row and the codes as columns."""
    rows = "".join(f"{i},{20000 + i * 1000},{1 + i % 2},{-1 + i % 3},{i % 2}\n" for i in range(1, 13))
    path = tmp_path / "default of credit card clients.csv"
    path.write_text(",X1,X2,X3,Y\nID,LIMIT_BAL,SEX,PAY_0,default payment next month\n" + rows)
    result = read_table(path, filename=path.name)
    assert result.frame.columns == ["ID", "LIMIT_BAL", "SEX", "PAY_0", "default payment next month"]
    assert result.frame.height == 12 and result.frame.get_column("LIMIT_BAL").to_list()[:2] == [21000, 22000]
    assert any(m.startswith("The first 1 line(s) are not part of the table (they start ',X1,X2,X3,Y')")
               for m in infos(result))
    from data.layout import preamble_lines

    units = "sensor,temp,pressure\nA1,C,bar\n" + "x,1,2\n" * 8  # a row of units under real names: no code row
    assert preamble_lines(units, (",",)) == (0, "")
    codes_as_data = "X1,X2,Y\n" + "1,2,3\n" * 8  # codes as the names of number columns: the header stays
    assert preamble_lines(codes_as_data, (",",)) == (0, "")


def test_a_code_row_above_a_table_of_codes_is_skipped_too(tmp_path: Path) -> None:
    """German credit with UCI's code row on top: most cells are codes (A11, A34), so the numbers test missed it."""
    rows = "".join(f"{i},A1{1 + i % 4},{6 + i % 30},A3{i % 5},{1000 + 37 * i},{1 + i % 2}\n" for i in range(1, 13))
    path = tmp_path / "german.csv"
    path.write_text(",X1,X2,X3,X4,Y\napplicant_id,checking,duration,history,amount,risk\n" + rows)
    result = read_table(path, filename=path.name)
    assert result.frame.columns == ["applicant_id", "checking", "duration", "history", "amount", "risk"]
    assert result.frame.height == 12 and result.frame.get_column("checking").to_list()[:2] == ["A12", "A13"]
    from data.layout import preamble_lines

    values = "X1,X2,Y\nred,small,yes\n" + "".join(f"{c},{s},no\n" for c, s in [("red", "big"), ("blue", "small")] * 4)
    assert preamble_lines(values, (",",)) == (0, "")  # a first row of values that recur below: data, not names

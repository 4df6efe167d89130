"""A numeric column with a few cells that are not numbers stays numeric; each such cell is reported by row.

Browser QA: an AI4I-shaped telemetry file with Torque = 'n/a' in row 6 and 'high' in row 18 was stored with
Torque as text, the problems named only 'n/a', and the maintenance page dropped its Torque formulas.
"""
from __future__ import annotations

from pathlib import Path

import polars as pl

from data.ingest import read_table


def read(tmp_path: Path, text: str, name: str = "t.csv"):
    path = tmp_path / name
    path.write_text(text)
    return read_table(path, filename=name)


def messages(result, column: str) -> list[str]:
    return [p.problem for p in result.problems if p.column == column]


def _telemetry(cells: dict[int, str], rows: int = 200) -> str:
    lines = [f"{i},M{14860 + i},{298.1 + i % 7 / 10:.1f},{20 + i % 40 * 1.3:.1f},{i % 200}" for i in range(1, rows + 1)]
    for row, value in cells.items():
        parts = lines[row - 1].split(",")
        parts[3] = value
        lines[row - 1] = ",".join(parts)
    return "UDI,Product ID,Air temperature [K],Torque [Nm],Tool wear [min]\n" + "\n".join(lines) + "\n"


def test_a_word_in_a_sensor_column_is_emptied_and_reported_and_the_column_stays_numeric(tmp_path: Path) -> None:
    result = read(tmp_path, _telemetry({6: "n/a", 18: "high"}))
    assert result.schema["Torque [Nm]"] == "numeric"
    torque = result.frame.get_column("Torque [Nm]")
    assert torque.dtype == pl.Float64 and torque.null_count() == 2
    assert torque[5] is None and torque[17] is None and torque[18] == 20 + 19 % 40 * 1.3
    said = messages(result, "Torque [Nm]")
    assert any("'n/a'" in m and "(rows 6)" in m for m in said)
    assert any("1 cell is not a number ('high') in rows 18" in m and "kept as numbers" in m for m in said)
    assert result.schema["Product ID"] == "identifier"  # codes like M14861 stay text


def test_gap_markers_and_many_bad_cells_are_all_counted_with_a_capped_listing(tmp_path: Path) -> None:
    bad = {r: "ERR" for r in range(10, 60, 5)} | {r: "-" for r in range(100, 400, 10)}
    bad |= {r: w for r, w in zip(range(500, 1500, 40), ["high", "low", "spike", "??"] * 10, strict=False)}
    result = read(tmp_path, _telemetry(bad, rows=2000))
    assert result.schema["Torque [Nm]"] == "numeric"
    assert result.frame.get_column("Torque [Nm]").null_count() == len(bad)
    said = " ".join(messages(result, "Torque [Nm]"))
    assert "'-', 'ERR'" in said and "(rows 10, 15," in said and "and 20 more)" in said  # 40 gaps, 20 listed
    assert "25 cells are not numbers ('high', 'low', 'spike' …) in rows 500, 540," in said and "and 5 more;" in said


def test_a_bad_cell_past_the_sampled_rows_is_found_too(tmp_path: Path) -> None:
    result = read(tmp_path, _telemetry({30_000: "overload"}, rows=30_000))
    assert result.schema["Torque [Nm]"] == "numeric"
    assert any("('overload') in rows 30000" in m for m in messages(result, "Torque [Nm]"))


def test_thousands_separators_and_decimal_commas_still_read_beside_a_bad_cell(tmp_path: Path) -> None:
    rows = "".join(f'"{1000 + i * 7:,}",{i}\n' for i in range(40))
    result = read(tmp_path, "rpm,n\n" + rows + "stalled,41\n")
    assert result.schema["rpm"] == "numeric" and result.frame.get_column("rpm")[1] == 1007
    lines = "".join(f"{12 + i / 10:.1f};{1500 + i}\n".replace(".", ",") for i in range(40))
    result = read(tmp_path, "load;rpm\n" + lines + "stalled;1551\n")
    assert result.decimal_comma and result.schema["load"] == "numeric"
    assert result.frame.get_column("load")[1] == 12.1 and result.frame.get_column("load")[-1] is None


def test_text_columns_with_some_numbers_stay_text(tmp_path: Path) -> None:
    diagnoses = ["250.83", "428", "414", "V57", "786"] + ["401", "599", "276", "250.01", "427"] * 9
    grades = ["K", "1", "2", "3", "4", "5"] * 8
    rows = "".join(f"A-{i:03d},{d},{g}\n" for i, (d, g) in enumerate(zip(diagnoses, grades, strict=False)))
    result = read(tmp_path, "patient,diag_1,grade\n" + rows)
    assert result.schema["patient"] == "identifier"
    assert result.schema["diag_1"] != "numeric"  # 'V57': a code among numeric codes, not a bad reading
    assert result.schema["grade"] != "numeric"  # 'K' in 1 of 6 rows: too many to be bad cells
    assert result.frame.get_column("diag_1").null_count() == 0 and result.frame.get_column("grade")[0] == "K"


def test_run_notes_name_the_words_emptied_in_many_numeric_columns(tmp_path: Path) -> None:
    from services.datasets import emptied_values_notes

    header = ",".join(f"s{i}" for i in range(7))
    rows = "".join(",".join(str(r + i) for i in range(7)) + "\n" for r in range(40))
    result = read(tmp_path, header + "\n" + rows + ",".join(["high"] * 7) + "\n")
    assert [result.schema[f"s{i}"] for i in range(7)] == ["numeric"] * 7
    assert emptied_values_notes(result.problems) == [
        "7 columns had cells read as empty (such as 'high'), among them 's0', 's1', 's2', 's3', 's4' …"]


def test_accounting_negatives_are_kept_as_written_for_the_desks_to_read(tmp_path: Path) -> None:
    """A product-demand file writes returns as "(19)": emptied as unreadable cells, its returns became blanks."""
    values = [str(10 + i % 400) for i in range(400)]
    values[5], values[50], values[390] = "(19)", "(3)", "(1200)"
    text = "Date,Product_Code,Order_Demand\n" + "".join(f"2016-01-{i % 28 + 1:02d},P{i % 3},{v}\n"
                                                        for i, v in enumerate(values))
    result = read(tmp_path, text)
    assert result.frame["Order_Demand"].to_list()[5] == "(19)"
    assert not messages(result, "Order_Demand")

"""A column of one number and a few recurring codes is a code column, not numbers with bad cells.

Retail QA: a Rossmann-shaped train.csv (StateHoliday '0' on most days, 'a', 'b' or 'c' on about 3 % of them) was read
as numbers with 192 cells "not numbers … treated as empty cells": every holiday became a blank.
"""
from __future__ import annotations

from pathlib import Path

from data.ingest import read_table


def _read(tmp_path: Path, column: str, cells: list[str]):
    path = tmp_path / "t.csv"
    path.write_text(f"day,{column}\n" + "".join(f"{i},{v}\n" for i, v in enumerate(cells, 1)))
    return read_table(path, filename=path.name)


def test_state_holiday_codes_beside_zero_stay_codes(tmp_path: Path) -> None:
    cells = ["0"] * 400
    for row, code in zip(range(30, 400, 31), "aabbccaabbcc", strict=True):
        cells[row] = code
    result = _read(tmp_path, "StateHoliday", cells)
    assert result.schema["StateHoliday"] == "categorical"
    column = result.frame.get_column("StateHoliday")
    assert column.null_count() == 0 and column.value_counts().height == 4
    assert column[30] == "a" and column[92] == "b" and column[0] == "0"
    assert not [p for p in result.problems if p.column == "StateHoliday"]


def test_recurring_words_among_many_readings_still_read_as_numbers(tmp_path: Path) -> None:
    cells = [f"{20 + i % 40 * 1.3:.1f}" for i in range(400)]
    for row in (17, 90, 201, 333):
        cells[row] = "high"
    result = _read(tmp_path, "Torque", cells)
    assert result.schema["Torque"] == "numeric" and result.frame.get_column("Torque").null_count() == 4


def test_a_one_off_word_beside_a_flag_is_still_an_empty_cell(tmp_path: Path) -> None:
    cells = ["0", "1"] * 200
    cells[50] = "oops"
    result = _read(tmp_path, "Promo", cells)
    assert result.schema["Promo"] == "numeric" and result.frame.get_column("Promo")[50] is None

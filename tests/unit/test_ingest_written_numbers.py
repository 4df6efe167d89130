"""Numbers written as money or with spaces between thousands, timestamps with a bare-hour offset, and Excel's
TRUE/FALSE as a German or French Excel writes them.

A money column ('$1,200.00') and a French or Swiss amount ('1 234,5' with a no-break or narrow no-break space,
'1'234.50') had been stored as identifier or text; PostgreSQL's timestamps ('2024-03-05 10:00:00+00') as text.
"""
from __future__ import annotations

import pytest

from data.ingest import read_table


def _read(values: list[str], sep: str = ","):
    lines = [f"id{sep}value{sep}bad"] + [f"C{i}{sep}{v}{sep}{i % 2}" for i, v in enumerate(values)]
    return read_table(("\n".join(lines) + "\n").encode(), filename="t.csv")


@pytest.mark.parametrize(("written", "sep", "expected"), [
    ('"${:,}.50"', ",", 1000.5),
    ("{} €", ";", 1000.0),
    ("€{},00", ";", 1000.0),
    ("1\u202f{:03d},5", ";", 1000.5),
    ("1\u00a0{:03d},5", ";", 1000.5),
    ("1 {:03d},5", ";", 1000.5),
    ("1'{:03d}.5", ",", 1000.5),
    ('"-${:,}.50"', ",", -1000.5),
])
def test_decorated_numbers_are_numbers(written: str, sep: str, expected: float) -> None:
    base = [1000 + i for i in range(30)] if "{:03d}" not in written else list(range(30))
    values = [written.format(v) for v in base]
    values[3] = "n/a"
    result = _read(values, sep)
    assert result.schema["value"] == "numeric"
    column = result.frame["value"]
    assert column[0] == expected and column[3] is None and column.null_count() == 1
    assert any("currency sign, spaces between thousands" in p.problem for p in result.problems)


@pytest.mark.parametrize("values", [
    ["A 100", "B 200", "C 300"] * 10,             # codes with spaces stay text
    ["030 123 456", "040 987 654", "089 555 123"] * 10,  # phone numbers, not thousands
    ["$12.00", "($5.00)", "$7.50"] * 10,          # an accounting negative: the desks read these themselves
    ["12%", "high", "13%"] * 10,                  # a word among them
    ["12.5%", "9.1%", "22%"] * 10,                # percents: the finance desk reads them and writes "12.5 %"
])
def test_text_that_only_looks_decorated_stays_as_written(values: list[str]) -> None:
    result = _read(values)
    assert result.schema["value"] != "numeric"
    assert result.frame["value"].to_list()[:3] == values[:3]


@pytest.mark.parametrize("suffix", ["+00", " UTC", "-05"])
def test_timestamps_with_an_hour_offset_or_zone_name_are_dates(suffix: str) -> None:
    result = _read([f"2024-03-{d:02d} 10:00:00{suffix}" for d in range(1, 29)])
    assert result.schema["value"] == "datetime"
    assert str(result.frame["value"][0]) == "2024-03-01 10:00:00"


@pytest.mark.parametrize(("yes", "no"), [("WAHR", "FALSCH"), ("VRAI", "FAUX")])
def test_excel_booleans_in_other_languages_are_booleans(yes: str, no: str) -> None:
    result = _read([yes if i % 3 else no for i in range(30)], ";")
    assert result.schema["value"] == "boolean"
    assert result.frame["value"].to_list()[:2] == [False, True]


def test_a_trailing_underscore_on_a_number_is_a_typing_slip() -> None:
    """Kaggle's credit-score book writes some ages and incomes '28_', '34847.84_': under about 5 % of a column they
    were emptied, above it the column stayed text, so two files of one book were read differently."""
    for share in (2, 10):  # of 40 cells: rare, then common
        values = [f"{20 + i}_" if i < share else str(20 + i) for i in range(40)]
        values[-1] = "34847.84_"
        result = _read(values)
        assert result.schema["value"] == "numeric", share
        assert result.frame["value"].to_list()[:3] == [20.0, 21.0, 22.0] and result.frame["value"][-1] == 34847.84
        assert any("trailing underscore ('20_', '21_')" in p.problem for p in result.problems)
    wrapped = _read(["__10000__"] * 3 + [str(i) for i in range(37)])  # a placeholder: not read as 10000
    assert 10000.0 not in wrapped.frame["value"].to_list()

"""Windows-1250 files (Polish, Czech, Slovak exports) are read in that code page.

They had been read as Windows-1252: 'zaległość' came out 'zaleg³oœæ' and 'Łódź' '£ódŸ', so `--target zaległość`
stopped with "Column(s) not in the file".
"""
from __future__ import annotations

import pytest

from data.ingest import read_table

POLISH = ["Łódź", "Gdańsk", "Wrocław", "Poznań", "Kraków", "Bielsko-Biała", "Świętochłowice", "Szczecin"]
CZECH = ["České Budějovice", "Plzeň", "Ústí nad Labem", "Třebíč", "Hradec Králové", "Děčín", "Šumperk", "Jihlava"]
WESTERN = ["Köln", "Zürich", "Málaga", "København", "Straße", "Genève", "l’été", "crème brûlée"]


def _table(places: list[str], name: str) -> str:
    return f"id;{name};kwota\n" + "".join(f"{i};{places[i % len(places)]};{100 + i},5\n" for i in range(40))


@pytest.mark.parametrize("places", [POLISH, CZECH], ids=["polish", "czech"])
def test_central_european_letters_are_read(places: list[str]) -> None:
    result = read_table(_table(places, "zaległość").encode("cp1250"), filename="export.csv")
    assert result.frame.columns == ["id", "zaległość", "kwota"]
    assert result.frame["zaległość"].to_list()[: len(places)] == places
    assert result.encoding == "cp1250"
    assert any("Windows-1250" in p.problem for p in result.problems)


def test_western_file_stays_windows_1252() -> None:
    result = read_table(_table(WESTERN, "Stadt").encode("cp1252"), filename="export.csv")
    assert result.frame["Stadt"].to_list()[: len(WESTERN)] == WESTERN
    assert result.encoding == "cp1252"

"""The words pages show for the database, a retail series id and a derived-feature formula."""
from __future__ import annotations

from services.display_labels import first_measurement, formula_words, series_id_words, series_words, storage_note


def test_the_database_is_named_in_a_sentence_not_by_its_backend_name():
    assert storage_note("sqlite") == "Results are saved in a local database file."
    assert storage_note("postgresql") == "Results are saved in the team's PostgreSQL database."
    assert "sqlite" not in storage_note("sqlite")


def test_the_first_histogram_is_a_measurement_not_the_row_counter():
    roles = {"UDI": "id", "Product ID": "id", "Air temperature [K]": "feature"}
    assert first_measurement(["UDI", "Air temperature [K]"], roles) == 1
    assert first_measurement(["UDI"], roles) == 0  # only ids: the first one


def test_a_series_reads_as_its_values():
    assert series_words({"store": "North", "item": "-Bolt"}, ["store", "item"]) == "North · -Bolt"
    assert series_words({}, []) == ""
    assert series_id_words("store=North|item=-Bolt", ["store", "item"]) == "North · -Bolt"
    assert series_id_words("store=a|b|item=c=d", ["store", "item"]) == "a|b · c=d"  # separators inside values
    assert series_id_words("total", ["store"]) == "total"  # another shape: as it is


def test_a_formula_reads_without_backquotes_or_code_operators():
    line = "power_w = `Torque [Nm]` * `Rotational speed [rpm]` * 2 * 3.14159 / 60"
    assert formula_words(line) == "power_w: Torque [Nm] × Rotational speed [rpm] × 2 × 3.14159 ÷ 60"
    assert formula_words("temp_difference = `Process temperature [K]` - `Air temperature [K]`") == (
        "temp_difference: Process temperature [K] − Air temperature [K]")

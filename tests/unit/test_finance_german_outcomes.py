"""German loan books: a status of Ausgefallen / Zurückgezahlt / Laufend and a yes/no column named Zahlungsausfall
are read by their words, as Spanish, French and Portuguese ones are (the status had been refused as three values)."""
import pytest

from domain.loan_labels import infer_positive_label
from domain.loan_outcomes import group_outcomes, outcome_kind


@pytest.mark.parametrize("value,kind", [("Ausgefallen", "default"), ("abgeschrieben", "default"),
                                        ("Zurückgezahlt", "repaid"), ("getilgt", "repaid"),
                                        ("nicht bezahlt", "default"), ("Laufend", "running"), ("im Verzug", "running")])
def test_german_loan_statuses_are_read_by_their_words(value, kind):
    assert outcome_kind(value) == kind


def test_a_german_status_with_three_values_is_grouped_and_running_loans_left_out():
    groups = group_outcomes({"Ausgefallen": 146, "Zurückgezahlt": 116, "Laufend": 38}, "Status")
    assert (groups.defaults, groups.repaid, groups.running) == (["Ausgefallen"], ["Zurückgezahlt"], ["Laufend"])


@pytest.mark.parametrize("column,default", [("Zahlungsausfall", "ja"), ("ausgefallen", "ja"), ("kein_ausfall", "nein"),
                                            ("getilgt", "nein")])
def test_a_german_yes_no_outcome_is_read_with_its_columns_name(column, default):
    assert infer_positive_label({"ja": 700, "nein": 300}, column)[0] == default  # ja on most loans: the name decides


@pytest.mark.parametrize("column,level", [("Wohnort", 2), ("Bundesland", 0), ("Postleitzahl", 3),
                                          ("Current_pincode_ID", 3)])
def test_german_places_and_the_vehicle_loan_books_pin_code_are_area_proxies(column, level):
    from domain.loan_columns import area_level, is_area_proxy

    assert is_area_proxy(column) and area_level(column) == level
    assert not is_area_proxy("spinning_wheels") and not is_area_proxy("pinned")

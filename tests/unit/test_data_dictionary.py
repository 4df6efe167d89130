"""The data dictionary: names for coded columns and values in the reasons applicants read."""
from __future__ import annotations

import math

import pytest

from domain import finance_text as wording
from domain.data_dictionary import DictionaryError, Glossary, fit_to_data, parse, unknown_columns, value_key

ROWS = [("laufkont", "", "Checking account status"), ("laufkont", 1, "no checking account"),
        ("laufkont", 2, "below 0 DM"), ("purpose", "A46", "education"), ("hoehe", None, "Credit amount")]


def test_a_dictionary_names_columns_and_their_codes():
    glossary, notes = parse(["Column", "Value", "Label"], ROWS)
    assert notes == []
    assert glossary.column("laufkont") == "Checking account status" and glossary.column("hoehe") == "Credit amount"
    assert glossary.value("laufkont", 1) == "no checking account"
    assert glossary.value("laufkont", 1.0) == glossary.value("laufkont", " 1 ") == "no checking account"
    assert glossary.value("purpose", "A46") == "education" and glossary.column("purpose") is None
    assert glossary.value("laufkont", 3) is None and glossary.value("age", 30) is None
    assert Glossary.from_dict(glossary.to_dict()) == glossary


def test_headers_go_by_their_usual_names_in_any_order_and_case():
    glossary, _ = parse(["Description", "Variable Name"], [("Months on book", "mob")])
    assert glossary.column("mob") == "Months on book"
    glossary, _ = parse(["field", "value code", "meaning"], [("sex", "M", "male")])
    assert glossary.value("sex", "M") == "male" and not glossary.columns


def test_a_table_without_a_name_and_a_label_column_is_refused_with_what_it_has():
    with pytest.raises(DictionaryError, match="needs a column-name column.*this file has: a, b"):
        parse(["a", "b"], [("x", "y")])
    with pytest.raises(DictionaryError, match="label column"):
        parse(["column", "value"], [("x", 1)])


def test_blank_rows_are_skipped_and_repeats_keep_the_first_with_a_note():
    glossary, notes = parse(["column", "value", "label"], [("a", "", "First"), ("a", "", "Second"),
                                                          ("", "", "orphan"), ("b", 1, ""), ("b", 1, "one"),
                                                          ("b", 1.0, "uno")])
    assert glossary.column("a") == "First" and glossary.value("b", 1) == "one"
    assert notes == ["The data dictionary describes a, b = 1 more than once: the first is kept."]


def test_labels_are_one_line_and_long_ones_are_cut():
    glossary, _ = parse(["column", "label"], [("a", "two\nlines  here"), ("b", "x" * 500)])
    assert glossary.column("a") == "two lines here"
    assert len(glossary.column("b")) == 120 and glossary.column("b").endswith("…")


def test_value_keys_treat_number_spellings_alike_and_blanks_as_none():
    assert value_key(2.0) == value_key(2) == value_key("2 ") == "2"
    assert value_key(2.5) == "2.5" and value_key(math.nan) == value_key(None) == "" and value_key(True) == "true"


def test_fitted_to_the_data_it_counts_what_matches_and_names_what_does_not():
    glossary, _ = parse(["column", "value", "label"], ROWS)
    fitted, notes = fit_to_data(glossary, ["laufkont", "hoehe", "age"], ["laufkont", "hoehe", "age", "kredit"],
                                {"laufkont": [1, 3, 4]})
    assert notes == [
        "Reasons use the data dictionary: 2 of the model's 3 columns named, 1 coded value(s) explained.",
        "The data dictionary describes 1 column(s) not in the data, left unused: purpose.",
        "1 code(s) of the data dictionary match no value in the data: laufkont = 2."]
    assert fitted.value("laufkont", 2) == "below 0 DM"  # kept: a later applicant may have it
    assert fitted.unseen == {"laufkont": ["2"]} and Glossary.from_dict(fitted.to_dict()) == fitted
    assert unknown_columns(glossary, ["laufkont", "hoehe", "purpose"]) == []


def test_columns_and_codes_spelled_differently_take_the_datas_spelling():
    glossary, _ = parse(["Column", "Code", "Label"], [("ATTR1", "", "Checking account"), ("ATTR1", "01", "none"),
                                                      ("attr1", "2.0", "below 0"), ("Purpose", "a46", "education")])
    fitted, notes = fit_to_data(glossary, ["attr1", "purpose"], ["attr1", "purpose"],
                                {"attr1": [1, 2], "purpose": ["A46", "A40"]})
    assert fitted.column("attr1") == "Checking account" and fitted.value("attr1", 1) == "none"
    assert fitted.value("attr1", 2.0) == "below 0" and fitted.value("purpose", "A46") == "education"
    assert notes == ["Reasons use the data dictionary: 1 of the model's 2 columns named, 3 coded value(s) explained."]
    assert glossary.value("ATTR1", 1) == "none" and glossary.value("Purpose", "A46") == "education"  # loosely


def test_a_category_column_groups_the_dictionary_and_is_not_read_as_codes():
    glossary, _ = parse(["Variable", "Category", "Description"], [("attr1", "Account", "Checking account")])
    assert glossary.column("attr1") == "Checking account" and not glossary.values


def test_reasons_speak_the_dictionary_and_keep_the_applicants_value():
    glossary, _ = parse(["column", "value", "label"], ROWS)
    assert wording.reason_text("laufkont", 1, 0.4, glossary) == \
        "Checking account status of 1 (no checking account) raised the risk"
    assert wording.reason_text("hoehe", 15000.0, -0.2, glossary) == "Credit amount of 15,000 lowered the risk"
    assert wording.reason_text("laufkont", None, 0.1, glossary) == "Checking account status (not given) raised the risk"
    assert wording.reason_text("laufkont", 4, 0.1, glossary) == "Checking account status of 4 raised the risk"
    assert wording.reason_text("purpose", "A46", 0.3, glossary) == "Purpose of A46 (education) raised the risk"
    assert wording.reason_text("laufkont", 1, 0.4) == "Laufkont of 1 raised the risk"  # without one: as before
    reasons = wording.top_reasons([("laufkont", 0.5, 2), ("hoehe", 0.2, 900)], 2, glossary=glossary)
    assert reasons == ["Checking account status of 2 (below 0 DM) raised the risk",
                       "Credit amount of 900 raised the risk"]

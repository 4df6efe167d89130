"""Names ending in a window or a number read with a colon, and German unit words follow the value: "Delinquency 2
years of 1", "Laufzeit monate of 48" and "X1 of 5 is above anything in training" read like counts or German-English
mixes."""
from types import SimpleNamespace

import pandas as pd
import pytest

from domain import finance_text as wording
from services.finance_score_notes import outside_training


@pytest.mark.parametrize("column, value, text", [
    ("delinq_2yrs", 1.0, "Delinquencies in the last 2 years: 1 raised the risk"),     # Lending Club
    ("inq_last_6mths", 2.0, "Inquiries in the last 6 months: 2 raised the risk"),
    ("open_acc_6m", 3, "Open accounts in the last 6 months: 3 raised the risk"),
    ("acc_open_past_24mths", 4, "Accounts open in the past 24 months: 4 raised the risk"),
    ("chargeoff_within_12_mths", 0, "Chargeoff within 12 months: 0 lowered the risk"),
    ("mths_since_last_delinq", 5, "Months since last delinquency of 5 raised the risk"),  # no window: as before
])
def test_a_count_over_a_window_reads_with_a_colon(column, value, text):
    assert wording.reason_text(column, value, 0.3 if "lowered" not in text else -0.3) == text


@pytest.mark.parametrize("column, value, text", [
    ("Laufzeit_Monate", 48, "Laufzeit of 48 Monate raised the risk"),
    ("Laufzeit_Monate", 1, "Laufzeit of 1 Monat raised the risk"),
    ("Alter in Jahren", 35.0, "Alter of 35 Jahre raised the risk"),
    ("Dauer (Tage)", 10, "Dauer of 10 Tage raised the risk"),
    ("Laufzeit_Monate", None, "Laufzeit in Monaten (not given) raised the risk"),
    ("Monatsrate", 300, "Monatsrate of 300 raised the risk"),                          # one word: no unit
])
def test_german_unit_words_follow_the_value_as_english_ones_do(column, value, text):
    assert wording.reason_text(column, value, 0.3) == text


def test_a_numbered_column_outside_training_reads_with_a_colon():
    loaded = SimpleNamespace(plan=SimpleNamespace(kinds={"X1": "numeric", "amount": "numeric"}),
                             reference={"X1": {"min": 0.0, "max": 4.0}, "amount": {"min": 0.0, "max": 9.0}})
    notes = outside_training(pd.DataFrame({"X1": [5.0], "amount": [10.0]}), loaded)
    assert [n.split(" is above")[0] for n in notes] == ["X1: 5", "Amount of 10"]

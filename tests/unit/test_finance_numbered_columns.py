"""Numbered columns in the reasons: the Taiwan card book's BILL_AMT1 … 6 and PAY_AMT1 … 6 are amounts by month, and
a number at the end of a name (x1, feature_3, EXT_SOURCE_2) is part of the name. "Bill amount 1 of 20,000 raised the
risk" had read like "1 out of 20,000"."""
from __future__ import annotations

import pytest

from domain import finance_text as wording


@pytest.mark.parametrize("column,value,said", [
    ("BILL_AMT1", 20000.0, "Bill amount (month 1): 20,000 raised the risk"),
    ("PAY_AMT6", 0.0, "Payment amount (month 6): 0 raised the risk"),
    ("x1", 0.53, "X1: 0.53 raised the risk"),
    ("feature_3", 12.0, "Feature 3: 12 raised the risk"),
    ("EXT_SOURCE_2", 0.41, "External source 2: 0.41 raised the risk"),
    ("Attribute1", "A11", "Attribute 1: A11 raised the risk"),
    ("PAY_AMT2", None, "Payment amount (month 2) (not given) raised the risk"),
    ("loan_amnt", 1000.0, "Loan amount of 1,000 raised the risk"),  # no number in the name: as before
    ("inq_last_6mths", 2.0, "Inquiries in the last 6 months: 2 raised the risk"),  # a window: a colon
])
def test_a_numbered_column_reads_as_its_name_then_its_value(column, value, said):
    assert wording.reason_text(column, value, 0.2) == said


def test_month_words_only_for_the_books_amounts():
    assert wording.humanise("PAY_AMT1") == "Payment amount (month 1)"
    assert wording.humanise("loan_amount_2") == "Loan amount 2"  # an amount numbered otherwise: no month made up
    assert wording.humanise("BILL_AMT") == "Bill amount"


def test_a_dictionarys_name_ending_in_a_year_reads_the_same_way():
    from domain.data_dictionary import Glossary

    glossary = Glossary.from_dict({"columns": {"BILL_AMT1": "Bill statement, September 2005"}, "values": {}})
    assert wording.reason_text("BILL_AMT1", 3913.0, -0.1, glossary) == (
        "Bill statement, September 2005: 3,913 lowered the risk")

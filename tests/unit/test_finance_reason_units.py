"""Reasons on columns whose names carry a unit (German credit's duration_months, age_years) put the unit after
the value: "Duration of 60 months", not "Duration months of 60"."""
import numpy as np
import pytest

from domain import finance_text as wording


@pytest.mark.parametrize("column, value, text", [
    ("duration_months", 60.0, "Duration of 60 months raised the risk"),
    ("age_years", np.float64(35), "Age of 35 years raised the risk"),
    ("Duration in month", 1, "Duration of 1 month raised the risk"),            # one: singular
    ("Age (years)", 40, "Age of 40 years raised the risk"),
    ("employment_years", 0.5, "Employment of 0.5 years raised the risk"),
    ("EMPLOYED_DAYS", -3000.0, "Employed of -3,000 days (8.2 years before the application) raised the risk"),
    ("loan_term_months", None, "Loan term in months (not given) raised the risk"),
])
def test_a_unit_at_the_end_of_the_name_follows_the_value(column, value, text):
    assert wording.reason_text(column, value, 0.3) == text


@pytest.mark.parametrize("column, value, text", [
    ("inq_last_6mths", 2.0, "Inquiries in the last 6 months: 2 raised the risk"),  # a window, not a unit
    ("Number of years", 4, "Number of years of 4 raised the risk"),            # a count
    ("birth_year", 1980, "Birth year of 1980 raised the risk"),                # a date part
    ("ApprovalFY", 2006, "Approval FY of 2006 raised the risk"),
    ("days_past_due", 400, "Days past due of 400 raised the risk"),            # the unit first: as it was
    ("DAYS_BIRTH", -12339.0, "Days birth of -12,339 (33.8 years before the application) raised the risk"),
    ("Years", 3, "Years of 3 raised the risk"),
    ("term", "36 months", "Term of 36 months raised the risk"),                # text values stay as given
    ("duration_months", True, "Duration months: yes raised the risk"),
    ("installment_rate_pct", 4.0, "Installment rate percent of 4 raised the risk"),  # German credit's codes 1-4
])
def test_names_without_a_trailing_unit_read_as_before(column, value, text):
    assert wording.reason_text(column, value, 0.3) == text


def test_a_number_of_things_reads_number_of():
    assert wording.humanise("num_dependents") == "Number of dependents"
    assert wording.humanise("NumberOfDependents") == "Number of dependents"
    assert wording.humanise("num_tl_op_past_12m") == "Number of trade lines op in the past 12 months"
    assert wording.humanise("number_1_loans") == "Number 1 loans"
    assert wording.reason_text("num_dependents", 2.0, -0.1) == "Number of dependents of 2 lowered the risk"


@pytest.mark.parametrize("column, value, text", [
    ("FLAG_PHONE", 0, "Flag phone: no raised the risk"),                 # Home Credit's 0/1 flags read as yes/no
    ("FLAG_DOCUMENT_3", 1.0, "Flag document 3: yes raised the risk"),
    ("default_flag", np.int64(1), "Default flag: yes raised the risk"),
    ("FLAG_OWN_CAR", True, "Flag own car: yes raised the risk"),
    ("flag_count", 1, "Flag count of 1 raised the risk"),                # a count of flags stays a number
    ("FLAG_PHONE", 2.0, "Flag phone of 2 raised the risk"),
    ("CNT_FAM_MEMBERS", 2.0, "Count family members of 2 raised the risk"),  # it had read "Count fam members"
])
def test_flags_read_yes_or_no_and_family_is_spelled_out(column, value, text):
    assert wording.reason_text(column, value, 0.3) == text

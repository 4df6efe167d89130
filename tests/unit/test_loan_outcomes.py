"""A loan-status target with more than two values: defaults, repaid loans, and running loans left out."""
from __future__ import annotations

import numpy as np
import pytest

from domain import loan_outcomes as outcomes
from domain.finance import DecisionRuleError
from tests.support import classification_frame

LENDING_CLUB = {"Fully Paid": 4256, "Current": 1966, "Charged Off": 994,
                "Does not meet the credit policy. Status:Fully Paid": 158, "Late (31-120 days)": 133,
                "In Grace Period": 76, "Does not meet the credit policy. Status:Charged Off": 42, "Default": 37}


@pytest.mark.parametrize("value,kind", [
    ("Charged Off", "default"), ("Does not meet the credit policy. Status:Charged Off", "default"),
    ("Default", "default"), ("written off", "default"), ("Fully Paid", "repaid"),
    ("Does not meet the credit policy. Status:Fully Paid", "repaid"), ("non-default", "repaid"),
    ("Current", "running"), ("Late (16-30 days)", "running"), ("In Grace Period", "running"),
    ("Past Due (>120 days)", "default"), ("Late 90+", "default"), ("Past Due (1-15 days)", "running"),
    ("90+ days past due", "default"), ("Late (31-120 days)", "running"), ("FinalPaymentInProgress", "running"),
    ("Payment in progress", "running"),
    ("unknown", None), ("2", None), ("Non-performing", "default"), ("Not Paid", "default"),
    ("Charged-Off", "default"), ("write_off", "default"), ("No default", "repaid"), ("not fully paid", "default"),
])
def test_loan_status_words(value, kind):
    assert outcomes.outcome_kind(value) == kind


def test_lending_club_status_is_grouped_and_running_loans_are_left_out():
    groups = outcomes.group_outcomes(LENDING_CLUB, "loan_status")
    assert groups.defaults == ["Charged Off", "Does not meet the credit policy. Status:Charged Off", "Default"]
    assert groups.repaid == ["Fully Paid", "Does not meet the credit policy. Status:Fully Paid"]
    assert groups.running == ["Current", "Late (31-120 days)", "In Grace Period"]
    assert "2,175 loans still running" in groups.notes[0] and "read as default" in groups.rule


def test_positive_names_the_defaults_and_other_default_words_are_pointed_out():
    groups = outcomes.group_outcomes(LENDING_CLUB, "loan_status", " charged off ")
    assert groups.defaults == ["Charged Off"] and "Default" in groups.repaid and "Current" in groups.running
    assert any("read like a default but count as repaid" in w and "Default (37)" in w for w in groups.warnings)
    assert groups.rule.startswith("given by the user (Charged Off); running loans (Current, Late (31-120 days), In "
                                  "Grace Period) are left out; every other value counts as no default")
    other = outcomes.group_outcomes({"good": 50, "bad": 40, "unknown": 10}, "target", "bad")
    assert other.repaid == ["good", "unknown"] and any("unknown (10) in 'target' count as no default" in n
                                                       for n in other.notes)
    several = outcomes.group_outcomes(LENDING_CLUB, "loan_status", "Charged Off,Default")
    assert several.defaults == ["Charged Off", "Default"]
    with pytest.raises(DecisionRuleError, match="--positive 'Defualt' is not a value of 'loan_status'"):
        outcomes.group_outcomes(LENDING_CLUB, "loan_status", "Charged Off, Defualt")


@pytest.mark.parametrize("counts", [
    {"good": 50, "bad": 40, "unknown": 10},            # a value no rule reads
    {"Charged Off": 10, "Default": 5, "Current": 30},   # no ended loan was repaid
    {0: 50, 1: 40, 2: 10},                              # codes without names
])
def test_unreadable_statuses_stay_an_error(counts):
    with pytest.raises(DecisionRuleError, match="must have exactly two values|needs repaid loans"):
        outcomes.group_outcomes(counts, "status")


def test_prepare_trains_on_ended_loans_only():
    from services.finance_prepare import prepare

    frame = classification_frame(300)
    status = np.where(frame["default"] == "bad", "Charged Off", "Fully Paid").astype(object)
    status[:40] = "Current"
    frame["default"] = status
    data = prepare(frame, "default")
    assert len(data.X) == 260 and len(data.keys) == 260 and len(data.raw) == 260
    assert data.positive == "Charged Off" and set(data.labels) == {"Charged Off", "Fully Paid"}
    assert int(data.bad.sum()) == int((status[40:] == "Charged Off").sum())
    assert any("40 loans still running" in note for note in data.notes)
    assert data.keys[0] == "41"  # row numbers stay the file's


def test_a_book_without_a_single_default_says_so():
    with pytest.raises(DecisionRuleError, match=r"No ended loan in 'loan_status' is a default \(Fully Paid read as "
                                                 r"repaid; Current, In Grace Period are still running\)"):
        outcomes.group_outcomes({"Fully Paid": 32, "Current": 14, "In Grace Period": 6}, "loan_status")


def test_a_status_no_rule_reads_is_named_with_the_defaults_to_give():
    prosper = {"Completed": 5389, "Current": 3595, "Chargedoff": 1979, "Defaulted": 851, "Past Due (1-15 days)": 73,
               "FinalPaymentInProgress": 56, "Past Due (>120 days)": 21, "Cancelled": 3}
    with pytest.raises(DecisionRuleError) as error:
        outcomes.group_outcomes(prosper, "LoanStatus")
    assert "Cancelled (3) reads as neither a default, a repaid nor a running loan. The values that read as a " \
           "default: --positive \"Chargedoff,Defaulted,Past Due (>120 days)\"." in str(error.value)
    with pytest.raises(DecisionRuleError) as error:
        outcomes.group_outcomes({"no": 4965, "unknown": 1256, "yes": 279}, "default")
    assert "neither" not in str(error.value)  # nothing was read: the values listed say it all


def test_training_says_which_cells_of_a_number_column_are_not_numbers():
    from services.finance_prepare import prepare

    frame = classification_frame(300)
    years = np.where(np.arange(300) % 50 == 7, "1976A", (1990 + np.arange(300) % 20).astype(str)).astype(object)
    years[3] = ""  # empty: missing, not unread
    frame["ApprovalFY"] = years
    data = prepare(frame, "default")
    assert "Column 'ApprovalFY': 6 value(s) could not be read as numbers (e.g. '1976A'); the model treats them as " \
           "missing." in data.notes
    assert data.plan.kinds["ApprovalFY"] == "numeric" and int(data.X["ApprovalFY"].isna().sum()) == 7


def test_sba_statuses_are_read_by_name_not_by_share():
    from domain.loan_labels import infer_positive_label

    assert infer_positive_label({"P I F": 300, "CHGOFF": 700}, "MIS_Status") == (
        "CHGOFF", "label CHGOFF is named like a default")
    assert infer_positive_label({"P I F": 700, "CHGOFF": 300}, "MIS_Status")[0] == "CHGOFF"

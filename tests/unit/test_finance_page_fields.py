"""Messages the page shows name the page's field beside the CLI flag (--positive; 'Value(s) meaning default')."""
import pytest

from domain.finance import DecisionRuleError
from domain.loan_outcomes import group_outcomes


def test_a_three_valued_target_names_the_page_field_beside_the_flag():
    with pytest.raises(DecisionRuleError) as told:
        group_outcomes({"good": 50, "bad": 40, "maybe": 10}, "target")
    assert str(told.value).endswith("Map it to two values first, or give the value(s) meaning default with "
                                    "--positive ('Value(s) meaning default' on the page); every other value then "
                                    "counts as no default.")


def test_a_wrong_positive_names_the_page_field_and_keeps_the_cli_wording():
    with pytest.raises(DecisionRuleError) as told:
        group_outcomes({"Fully Paid": 50, "Charged Off": 40, "Current": 10}, "loan_status", "Defualt")
    assert str(told.value).startswith("--positive 'Defualt' is not a value of 'loan_status'")
    assert str(told.value).endswith("Give one or more of them with --positive ('Value(s) meaning default' on the "
                                    "page).")


def test_no_default_among_ended_loans_names_the_page_field():
    with pytest.raises(DecisionRuleError, match=r"name it with --positive \('Value\(s\) meaning default' on the page"):
        group_outcomes({"Fully Paid": 50, "Current": 10, "Closed": 5}, "loan_status")

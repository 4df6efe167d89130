"""The finance page's own wording: notes name the page's controls, not the CLI's flags; the run header and the
what-if say "Platt scaling" and "Raw model score … calibrated to a PD of …"; the fairness check never opens on an
amount ("Sensitive column" had defaulted to loan_amnt and reported adverse impact for small loans)."""
import pytest

from services.finance_fairness import first_sensitive, is_protected_pick
from services.finance_leakage import _action
from services.finance_left_out import REASONS
from services.finance_page_words import calibration_name, for_page, what_if_sentence


def test_a_leak_note_names_the_page_control_not_the_cli_flag():
    kept_out = _action("loan_status", kept=False)
    assert "--keep loan_status" in kept_out  # the CLI's and the report's wording is unchanged
    assert for_page(kept_out) == ("It is left out of the model; if it is known at application time, keep it with "
                                  "'Columns to keep' on this page.")
    assert for_page(_action("loan_status", kept=True)).startswith("It is kept, as asked ('Columns to keep' on this "
                                                                  "page); check")


@pytest.mark.parametrize("note,shown", [
    ("Leave them out (--exclude COLUMN; 'Columns to leave out' on the page).",
     "Leave them out ('Columns to leave out' on this page)."),
    ("give it as the id (--id loan id; 'Applicant id column' on the page).",
     "give it as the id ('Applicant id column' on this page)."),
    ("leave it out with --exclude Issue Date ('Columns to leave out' on the page).",
     "leave it out with 'Columns to leave out' on this page."),
    ("Give one of them with --positive ('Value(s) meaning default' on the page).",
     "Give one of them with 'Value(s) meaning default' on this page."),
    ("A note without a flag stays (as written).", "A note without a flag stays (as written)."),
])
def test_flags_beside_a_page_control_are_dropped(note, shown):
    assert for_page(note) == shown


def test_every_left_out_reason_shows_without_a_flag():
    assert not any("--" in for_page(reason) for reason in REASONS.values() if "on the page" in reason)


def test_the_header_and_the_what_if_in_an_analysts_words():
    assert calibration_name("platt") == "Platt scaling" and calibration_name("isotonic") == "isotonic regression"
    assert what_if_sentence(0.215, 0.077) == ("Raw model score 55.4% (log-odds 0.215, before calibration), "
                                              "calibrated to a PD of 7.7% by the calibration fitted on out-of-fold "
                                              "predictions.")


def test_the_fairness_check_never_opens_on_an_amount():
    kinds = {"loan_amnt": "numeric", "int_rate": "numeric", "purpose": "categorical", "home_ownership": "categorical"}
    parameters = {"features": list(kinds), "feature_kinds": kinds}
    assert first_sensitive(list(kinds), parameters) == "purpose"  # the first category, with a note on the page
    assert not is_protected_pick("purpose", parameters)
    numbers = {"features": ["loan_amnt", "int_rate"], "feature_kinds": {"loan_amnt": "numeric", "int_rate": "numeric"}}
    assert first_sensitive(["loan_amnt", "int_rate"], numbers) is None
    assert first_sensitive([*kinds, "Sex"], {**parameters, "features": [*kinds, "Sex"]}) == "Sex"
    assert is_protected_pick("Sex", parameters) and is_protected_pick("age", parameters)


def test_a_flag_described_in_brackets_keeps_its_words_on_the_page():
    """Maintenance's plan note read "Train with --id (the machine's id; 'Id column' on the page)" on the page."""
    from services.page_words import for_page as shared

    assert shared("Train with --id (the machine's id; 'Id column' on the page) to plan by machine.") == \
        "Train with the machine's id ('Id column' on this page) to plan by machine."
    assert shared("Train with a machine's id as --id ('Id column' on the page) to plan by machine") == \
        "Train with a machine's id as 'Id column' on this page to plan by machine"
    assert shared("or not (--cycles-per-day; 'RUL time units per day' on the page).") == \
        "or not ('RUL time units per day' on this page)."
    assert for_page is shared

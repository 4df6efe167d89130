"""Errors on a page open with what was typed, not with the CLI flag, when the page's control is named further on."""
import pandas as pd

from ml import failure
from ml.forecast_datenums import period_numbers
from services.page_words import for_page


def test_a_refused_value_opens_with_the_value_and_names_the_control():
    said = ("--positive '2' is not a value of 'credit_risk'; its values are good (700), bad (300). Give one of them "
            "with --positive ('Value(s) meaning default' on the page).")
    assert for_page(said) == ("'2' is not a value of 'credit_risk'; its values are good (700), bad (300). Give one "
                              "of them with 'Value(s) meaning default' on this page.")
    assert for_page("--positive 'x' is not a value of 'y'.") == "--positive 'x' is not a value of 'y'."  # CLI only


def test_the_failure_value_refusal_names_the_page_field():
    try:
        failure.binarise(pd.Series(["ok", "warn", "ok"]), "broken")
    except failure.TargetError as exc:
        told = str(exc)
    else:
        raise AssertionError("'broken' was accepted")
    assert told.startswith("--positive 'broken' is not a value of")  # the CLI keeps its flag
    assert for_page(told).startswith("'broken' is not a value of") and for_page(told).endswith(
        "Give one of them with 'Failure value' on this page.")


def test_day_numbers_are_told_in_words_on_the_page():
    told = for_page(period_numbers("DAY", pd.Series(range(1, 151))))
    assert "pd." not in told and "--date" not in told and told.endswith("('Date column' on this page).")

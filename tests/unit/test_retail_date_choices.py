"""The page's date list: dates, and text columns named like quarters or weeks (the forecast reads 'Wk 7 2023')."""
from services.retail_form import date_choices


def test_a_week_column_written_as_text_is_offered_beside_the_dates():
    schema = {"Week": "text", "Store": "text", "Units": "numeric", "Posted": "datetime"}
    assert date_choices(schema) == ["Week", "Posted"]


def test_quarters_and_fiscal_weeks_are_offered_but_not_weekdays_or_numbers():
    schema = {"Quarter": "text", "fiscal_wk": "text", "weekday": "text", "Week Day": "text", "wk_number": "numeric",
              "item": "text"}
    assert date_choices(schema) == ["Quarter", "fiscal_wk"]


def test_a_table_without_dates_is_told_so_before_any_choice():
    from services.retail_form import no_dates_message

    message = no_dates_message({"store": "categorical", "item": "categorical", "sales": "numeric"})
    assert message.startswith("No column of this table reads as dates") and "'store', 'item'" in message
    assert no_dates_message({"day": "datetime", "sales": "numeric"}) is None

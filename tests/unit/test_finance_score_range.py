"""The note on scoring values far outside the training range writes the range as the reasons write numbers."""
import numpy as np
import pandas as pd

from services.finance_score_notes import far_notes


def test_the_training_range_is_written_with_thousands_separators_not_in_exponent_form():
    X = pd.DataFrame({"AMT_INCOME_TOTAL": [117_000_000.0, 150_000.0, np.nan], "EXT_SOURCE_2": [0.5, 0.2, 0.7]})
    reference = {"AMT_INCOME_TOTAL": {"min": 19_850.7, "max": 1_314_285.75},
                 "EXT_SOURCE_2": {"min": 0.0001, "max": 0.99}}
    assert far_notes(X, reference) == [
        "Column 'AMT_INCOME_TOTAL': 1 value(s) lie far outside the training range (19,850.7 to 1,314,285.75); the "
        "model scores them like the nearest values it saw. Check them."]


def test_codes_and_values_inside_the_range_are_not_noted():
    X = pd.DataFrame({"DAYS_EMPLOYED": [365_243.0, -100.0], "DAYS_BIRTH": [-12_000.0, 5_000.0]})
    reference = {"DAYS_EMPLOYED": {"min": -22_174.0, "max": 0.0, "codes": [365_243.0]},
                 "DAYS_BIRTH": {"min": -25_201.0, "max": -7_671.0}}
    assert far_notes(X, reference) == [
        "Column 'DAYS_BIRTH': 1 value(s) lie far outside the training range (-25,201 to -7,671); the model scores "
        "them like the nearest values it saw. Check them."]


def test_a_headerless_file_with_a_column_missing_is_told_it_is_matched_by_position():
    """crx.data without its 14th column: column_15 then holds the outcome ('+' / '-'), and the error says why."""
    from types import SimpleNamespace

    import pytest

    from services.errors import UserFacingError
    from services.finance_score_notes import check_unusable

    loaded = SimpleNamespace(task=SimpleNamespace(fills_={"column_15": 0.0}), plan=SimpleNamespace(kinds={}))
    frame = pd.DataFrame({f"column_{i}": ["1"] * 12 for i in range(1, 15)} | {"column_15": ["+", "-"] * 6})
    X = pd.DataFrame({"column_15": [np.nan] * 12})
    with pytest.raises(UserFacingError) as raised:
        check_unusable(frame, X, loaded)
    assert str(raised.value).endswith("The file has no header row, so its columns are matched by position (column_15 "
                                      "is the 15th value on each row; this file has 15 columns): check that no column "
                                      "is missing or out of order.")
    named = frame.rename(columns={"column_1": "A1"})  # a header row: no word about positions
    with pytest.raises(UserFacingError) as raised:
        check_unusable(named, X, loaded)
    assert str(raised.value).endswith("Write it as numbers, as in the training file.")

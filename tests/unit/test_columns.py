"""Scoring files whose headers differ from the model's only in letter case or spacing."""
import pandas as pd

import numpy as np

from services import columns
from services.columns import ids_as_written, match_names


def test_case_and_spacing_differences_are_matched_and_said():
    frame = pd.DataFrame({"LOAN_ID": [1], "Age": [30], " income ": [10.0], "extra": [0]})
    renamed, notes = match_names(frame, ["loan_id", "age", "income"])
    assert list(renamed.columns) == ["loan_id", "age", "income", "extra"]
    assert len(notes) == 1 and "'LOAN_ID' as 'loan_id'" in notes[0]


def test_exact_names_win_and_ambiguous_or_different_names_are_left_alone():
    frame = pd.DataFrame({"age": [1], "AGE": [2], "Rate": [3], "RATE": [4], "amt": [5]})
    renamed, notes = match_names(frame, ["age", "rate", "amount"])
    assert list(renamed.columns) == ["age", "AGE", "Rate", "RATE", "amt"] and notes == []


def test_a_wide_file_lists_some_columns_not_all():
    from services.columns import listed

    assert listed([f"c{i}" for i in range(591)]) == ", ".join(f"c{i}" for i in range(20)) + " … and 571 more"
    assert listed(["a", "b"]) == "a, b"


def test_extra_scoring_columns_make_one_note():
    from services.columns import ignored_note

    assert ignored_note(["a", "extra", "Shift"], {"a"}) == ["Ignored 2 column(s) the model does not use: extra, Shift."]
    assert ignored_note(["a"], {"a"}) == []


def test_ids_that_a_blank_made_decimal_are_whole_again_and_others_stay_as_they_are():
    assert ids_as_written(pd.Series([7.0, np.nan, 12.0])).astype(str).tolist() == ["7", "<NA>", "12"]
    for kept in ([1.5, np.nan], ["007", None], [3, 4], [np.nan, np.nan]):
        assert ids_as_written(pd.Series(kept)).dtype == pd.Series(kept).dtype


def test_pandas_name_for_a_blank_header_is_pointed_to_the_name_it_has_here():
    text = columns.present(["column_1", "Type", "Machine failure"], ["Unnamed: 0", "serial"])
    assert text.startswith("Columns present: column_1, Type, Machine failure.")
    assert "'Unnamed: 0' is what pandas calls the blank header of column 1; here it is called 'column_1'." in text
    assert "serial" not in text
    assert "pandas" not in columns.present(["Type", "Machine failure"], ["Unnamed: 0"])

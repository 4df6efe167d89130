"""Scoring files whose headers differ from the model's only in letter case or spacing."""
import pandas as pd

from services.columns import match_names


def test_case_and_spacing_differences_are_matched_and_said():
    frame = pd.DataFrame({"LOAN_ID": [1], "Age": [30], " income ": [10.0], "extra": [0]})
    renamed, notes = match_names(frame, ["loan_id", "age", "income"])
    assert list(renamed.columns) == ["loan_id", "age", "income", "extra"]
    assert len(notes) == 1 and "'LOAN_ID' as 'loan_id'" in notes[0]


def test_exact_names_win_and_ambiguous_or_different_names_are_left_alone():
    frame = pd.DataFrame({"age": [1], "AGE": [2], "Rate": [3], "RATE": [4], "amt": [5]})
    renamed, notes = match_names(frame, ["age", "rate", "amount"])
    assert list(renamed.columns) == ["age", "AGE", "Rate", "RATE", "amt"] and notes == []

"""How the reader's notes on a file are cut for a run's notes."""
from services.datasets import reading_notes


def test_one_note_left_out_is_said_in_the_singular():
    problems = [{"problem": f"note {i}", "severity": "info"} for i in range(3)]
    assert reading_notes(problems, shown=2)[-1] == "… and 1 more note on reading the file."  # was "1 more notes"
    assert reading_notes(problems, shown=1)[-1] == "… and 2 more notes on reading the file."

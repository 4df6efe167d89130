"""One outcome label typed several ways is one label (domain rule)."""
from domain import labels


def test_spellings_that_differ_in_case_or_spaces_take_the_most_common_one():
    counts = {"bad": 30, "good": 60, "BAD": 3, "Good ": 2, " bad": 1}
    assert labels.label_spellings(counts) == {"BAD": "bad", " bad": "bad", "Good ": "good"}
    note = labels.spelling_note("status", labels.label_spellings(counts), counts)
    assert note == ("Target 'status': 'BAD' (3 rows), ' bad' (1 row) counted as 'bad'; 'Good ' (2 rows) counted as "
                    "'good' (the same label in another letter case or spacing).")


def test_labels_spelled_one_way_and_non_text_labels_are_left_alone():
    assert labels.label_spellings({"good": 5, "bad": 5}) == {}
    assert labels.label_spellings({1: 5, 0: 5}) == {} and labels.label_spellings({True: 3, False: 2, "x": 1}) == {}
    assert labels.label_spellings({"Bad": 2, "bad": 2}) == {"bad": "Bad"}  # a tie: the first in sorted order
    assert labels.label_spellings({"late payer": 4, "Late  Payer": 1}) == {"Late  Payer": "late payer"}

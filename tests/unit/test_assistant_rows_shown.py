"""The rows under "Show the data" are rounded as the answer writes its numbers: 19314.670000000006 stood beside
"19,314.67"."""
import math

from services import assistant


def test_rows_are_rounded_as_the_answer_writes_them():
    rows = [{"month": "2024-01", "total amount": 19314.670000000006, "rows": 12, "% of rows": 0.0788312,
             "share": 39.80582524271845, "blank": None, "missing": float("nan")}]
    shown = assistant.rows_shown(rows)
    assert shown[0] | {"missing": 0} == {"month": "2024-01", "total amount": 19314.67, "rows": 12,
                                          "% of rows": 0.07883, "share": 39.81, "blank": None, "missing": 0}
    assert math.isnan(shown[0]["missing"]) and rows[0]["total amount"] == 19314.670000000006  # stored rows kept

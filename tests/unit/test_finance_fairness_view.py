"""The fairness tables' approval ratio, when a group has none: too small to read, or no group approved at all."""
import pandas as pd

from pages.finance_fairness import _fairness_view


def test_a_large_group_without_a_ratio_says_no_group_was_approved():
    frame = pd.DataFrame({"group": ["under 25", "25-34", "35+"], "applicants": [12, 72, 70],
                          "approval_rate": [0.0, 0.0, 0.0], "default_rate": [0.3, 0.3, 0.2],
                          "default_rate_approved": [None, None, None], "approval_ratio": [None, None, None]})
    shown = _fairness_view(frame)  # a batch with every applicant declined: groups of 72 had read "under 30"
    assert shown["approval_ratio"].tolist() == ["– (under 30 applicants)", "– (no group approved)",
                                                "– (no group approved)"]
    frame["approval_ratio"] = [None, 1.0, 0.798]
    assert _fairness_view(frame)["approval_ratio"].tolist() == ["– (under 30 applicants)", "1.00", "0.79"]

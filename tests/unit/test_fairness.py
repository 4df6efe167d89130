"""The fairness check's rules: groups of a sensitive column (numbers in bands) and the four-fifths flag."""
from __future__ import annotations

import math

from domain import fairness
from domain.loan_columns import is_age


def test_rates_per_group_in_order_with_the_adverse_impact_ratio():
    rows = fairness.group_rates(["f", "m", "m", "missing"], ["f", "m", "missing"],
                                ["approve", "decline", "approve", "approve"], [False, True, True, False])
    assert rows == [
        {"group": "f", "applicants": 1, "approval_rate": 1.0, "default_rate": 0.0, "default_rate_approved": 0.0,
         "approval_ratio": 1.0},
        {"group": "m", "applicants": 2, "approval_rate": 0.5, "default_rate": 1.0, "default_rate_approved": 1.0,
         "approval_ratio": 0.5},
        {"group": "missing", "applicants": 1, "approval_rate": 1.0, "default_rate": 0.0,
         "default_rate_approved": 0.0, "approval_ratio": 1.0},
    ]


def test_the_reference_group_is_one_large_enough_to_read():
    groups = ["a"] * 40 + ["b"] * 40 + ["c"]
    decisions = ["approve"] * 36 + ["decline"] * 4 + ["approve"] * 20 + ["decline"] * 20 + ["approve"]
    rows = fairness.group_rates(groups, ["a", "b", "c"], decisions, [False] * len(groups))
    ratios = {r["group"]: r["approval_ratio"] for r in rows}
    assert ratios["a"] == 1.0 and math.isclose(ratios["b"], 0.5 / 0.9) and ratios["c"] is None  # one applicant
    assert [r["group"] for r in fairness.flagged_groups(rows)] == ["b"]  # c is too small to flag or to lead


def test_age_is_read_in_age_bands_and_a_missing_age_is_its_own_group():
    ages = [19, 23, 25, 34, 35, 47, 52, 61, 66, 70, 71, 40, 44, None]
    groups, order, note = fairness.sensitive_groups(ages, "age_years")
    assert order == ["under 25", "25–34", "35–44", "45–54", "55–64", "65 and over", "missing"]
    assert groups[:4] == ["under 25", "under 25", "25–34", "25–34"] and groups[-1] == "missing"
    assert note == "age_years holds 13 different numbers: read in age bands."


def test_other_numbers_are_read_in_bands_of_about_equal_size():
    incomes = [1000.0 + 37.5 * i for i in range(200)]
    groups, order, note = fairness.sensitive_groups(incomes, "income")
    assert len(order) == 5 and order[0] == "under 2,500" and order[-1].endswith("and over")
    sizes = [groups.count(g) for g in order]
    assert min(sizes) >= 30 and sum(sizes) == 200
    assert "5 bands of about equal size" in note


def test_few_values_stay_as_they_are_and_many_categories_keep_the_largest():
    groups, order, note = fairness.sensitive_groups([1, 2, 2, 10], "people_liable")
    assert order == ["1", "2", "10"] and note is None  # numbers in numeric order, not as text
    values = [f"zip{i:03d}" for i in range(30) for _ in range(30 - i)]
    groups, order, note = fairness.sensitive_groups(values, "zip")
    assert len(order) == 21 and order[-1] == "other" and groups.count("other") == sum(range(1, 11))
    assert "the 20 largest groups" in note


def test_age_names():
    assert all(is_age(c) for c in ("age", "Age", "person_age", "AGE_YEARS", "alter", "age in years", "applicantAge"))
    assert not any(is_age(c) for c in ("page_views", "mileage", "agent", "storage", "stage", "OWN_CAR_AGE",
                                       "oldest_account_age", "credit_line_age", "vehicle age"))
    assert is_age("borrower_age") and is_age("AGE_AT_APPLICATION")



def test_a_column_the_dictionary_names_like_age_is_read_in_age_bands_and_a_batch_in_the_training_bands():
    ages = [20 + (i * 7) % 50 for i in range(200)]
    groups, order, note = fairness.sensitive_groups(ages, "attr13", name="Age in years")
    assert order[0] == "under 25" and note.endswith("read in age bands.")
    plain = fairness.sensitive_groups([float(i) for i in range(100)], "score")[1]
    batch = fairness.sensitive_groups([float(i) for i in range(30, 70)], "score",
                                      reference=[float(i) for i in range(100)])
    assert batch[1] == ["20–39", "40–59", "60–79"] and set(batch[1]) <= set(plain)  # the training's bands
    assert batch[2].endswith("cut on the training data as on the Fairness tab.")


def test_a_ratio_is_shown_rounded_down_so_it_never_reads_as_the_four_fifths_it_misses():
    assert fairness.ratio_text(0.798) == "0.79" and fairness.ratio_text(0.8) == "0.80" and fairness.ratio_text(1.0) == "1.00"


def test_days_before_the_application_of_birth_are_read_as_age_bands():
    """Home Credit's DAYS_BIRTH (-12,339 is a 33-year-old): the fairness check had no age table for it."""
    import pandas as pd

    from domain.loan_columns import is_birth_days
    from services.finance_fairness import _rates, suggested_columns

    assert is_birth_days("DAYS_BIRTH") and is_birth_days("birth_days") and not is_birth_days("DAYS_EMPLOYED")
    assert suggested_columns(["DAYS_EMPLOYED", "DAYS_BIRTH", "AMT_CREDIT"]) == ["DAYS_BIRTH"]
    ages = list(range(20, 80))  # one applicant of each age from 20 to 79
    known = pd.DataFrame({"DAYS_BIRTH": [-int(a * 365.25 + 100) for a in ages]})
    oof = pd.DataFrame({"decision": ["approve", "decline"] * 30, "default": [False, True, False] * 20})
    table = _rates(known, oof, "DAYS_BIRTH").frame
    assert table["group"].tolist() == ["under 25", "25–34", "35–44", "45–54", "55–64", "65 and over"]
    assert table["applicants"].tolist() == [5, 10, 10, 10, 10, 15]


def test_age_bands_written_as_text_are_shown_in_age_order():
    """Loan_Default.csv writes its ages as '<25', '25-34' … '>74': sorted as text, '<25' and '>74' came last."""
    from domain.fairness import sensitive_groups

    values = ["25-34", "35-44", "<25", ">74", "65-74", "55-64", "45-54", None]
    assert sensitive_groups(values, "age")[1] == ["<25", "25-34", "35-44", "45-54", "55-64", "65-74", ">74",
                                                  "missing"]
    assert sensitive_groups(["75+", "18-24", "50-74", "25-49"], "age_band")[1] == ["18-24", "25-49", "50-74", "75+"]
    assert sensitive_groups(["b", "a", "10", "2"], "x")[1] == ["2", "10", "a", "b"]


def test_a_few_impossible_ages_still_read_in_age_bands():
    """The Kaggle credit_risk_dataset's person_age holds 144 and 123 on 5 of 32,581 rows: age bands, not quartiles."""
    from domain.fairness import sensitive_groups

    ages = [20 + (i * 7) % 51 for i in range(2000)] + [144, 144, 123]
    groups, order, note = sensitive_groups(ages, "person_age")
    assert order == ["under 25", "25–34", "35–44", "45–54", "55–64", "65 and over"]
    assert note == "person_age holds 53 different numbers: read in age bands." and groups[-3:] == ["65 and over"] * 3

"""Finance decision rules: cut-off search, grades, expected loss, PSI, reason texts, default label."""
import itertools
import math
import random

import pytest

from domain import finance as rules
from domain import finance_text as wording
from domain import loan_columns
from domain import loan_labels


def _brute_force(pds, bad, costs):
    candidates = sorted({0.0, 1.0, *pds, *((a + b) / 2 for a, b in itertools.pairwise(sorted(set(pds))))})
    return min(rules.cost_per_case(pds, bad, c, costs) for c in candidates)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_best_cutoff_matches_brute_force_and_its_reported_cost(seed):
    rng = random.Random(seed)
    pds = [round(rng.random(), 2) for _ in range(120)]  # rounded: many ties
    bad = [rng.random() < p for p in pds]
    costs = rules.CostMatrix(5, 1)
    choice = rules.best_cutoff(pds, bad, costs)
    assert choice.cost_per_case == pytest.approx(_brute_force(pds, bad, costs))
    assert rules.cost_per_case(pds, bad, choice.cutoff, costs) == pytest.approx(choice.cost_per_case)
    approved = sum(p <= choice.cutoff for p in pds) / len(pds)
    assert choice.approval_rate == pytest.approx(approved)


def test_cutoff_extremes_and_decisions():
    costs = rules.CostMatrix(5, 1)
    assert rules.best_cutoff([0.1, 0.2], [False, False], costs).cutoff == 1.0  # nobody defaults: approve all
    everyone_bad = rules.best_cutoff([0.3, 0.6], [True, True], costs)
    assert everyone_bad.approval_rate == 0.0 and everyone_bad.cost_per_case == 0.0
    assert rules.decide(0.5, 0.5) == "approve" and rules.decide(0.51, 0.5) == "decline"
    assert costs.bayes_cutoff == pytest.approx(1 / 6)
    with pytest.raises(rules.DecisionRuleError):
        rules.CostMatrix(-1, 1)


def test_cost_curve_has_a_point_per_grid_step():
    curve = rules.cost_curve([0.1, 0.9], [False, True], rules.CostMatrix(), points=11)
    assert len(curve) == 11 and curve[0]["approval_rate"] == 0.0 and curve[-1]["approval_rate"] == 1.0
    assert curve[5]["cost_per_case"] == 0.0  # cut-off 0.5 separates them


def test_cost_curve_matches_the_cost_of_each_cut_off_with_ties_on_the_grid():
    import random

    rng = random.Random(3)
    pds = [round(rng.random(), 2) for _ in range(500)]  # many PDs sit exactly on grid cut-offs
    bad = [rng.random() < p for p in pds]
    costs = rules.CostMatrix(5, 1)
    for point in rules.cost_curve(pds, bad, costs, points=21):
        assert point["cost_per_case"] == pytest.approx(rules.cost_per_case(pds, bad, point["cutoff"], costs))
        assert point["approval_rate"] == pytest.approx(sum(p <= point["cutoff"] for p in pds) / len(pds))


def test_grades_follow_the_bands():
    assert [rules.grade(p) for p in (0.0, 0.019, 0.02, 0.07, 0.15, 0.3, 0.4, 0.5, 0.99)] == \
        ["A", "A", "B", "C", "D", "E", "F", "G", "G"]
    assert rules.grade(0.3, (0.1, 0.2, 0.3, 0.4, 0.5, 0.6)) == "D"
    assert [b["grade"] for b in rules.grade_bands()] == list("ABCDEFG")
    with pytest.raises(rules.DecisionRuleError, match="strictly increasing"):
        rules.check_grade_bounds((0.1, 0.05, 0.2, 0.3, 0.4, 0.5))
    with pytest.raises(rules.DecisionRuleError, match="Give 6"):
        rules.check_grade_bounds((0.1, 0.2))


def test_expected_loss_uses_default_lgd_when_missing():
    assert rules.expected_loss(0.1, 10_000, 0.6) == pytest.approx(600)
    assert rules.expected_loss(0.1, 10_000, None) == pytest.approx(450)
    assert rules.expected_loss(0.1, 10_000, math.nan, default_lgd=0.2) == pytest.approx(200)
    assert rules.expected_loss(0.1, None) is None


def test_psi_and_bands():
    assert rules.population_stability([10, 20, 30], [10, 20, 30]) == pytest.approx(0.0)
    shifted = rules.population_stability([50, 50], [90, 10])
    assert shifted > 0.25 and rules.psi_band(shifted) == "shifted"
    assert [rules.psi_band(v) for v in (0.05, 0.1, 0.2, 0.25, 0.3)] == ["stable", "watch", "watch", "shifted", "shifted"]
    assert rules.psi_band(8.3, rows=1) == rules.psi_band(0.01, rows=49) == "too few rows"  # one applicant is no drift
    assert rules.psi_band(8.3, rows=50) == "shifted"


def test_reason_texts_use_the_original_column_and_value():
    assert wording.reason_text("credit_amount", 15000.0, 0.4) == "Credit amount of 15,000 raised the risk"
    assert wording.reason_text("purpose", "car (new)", -0.2) == "Purpose of car (new) lowered the risk"
    assert wording.reason_text("income", None, 0.1) == "Income (not given) raised the risk"
    assert wording.reason_text("IsBorrowerHomeowner", False, 0.3) == "Is borrower homeowner: no raised the risk"
    reasons = wording.top_reasons([("a", 0.5, 1), ("b", -0.9, 2), ("c", 0.1, 3), ("d", -0.05, 4)])
    assert reasons == ["A of 1 raised the risk", "C of 3 raised the risk", "B of 2 lowered the risk"]
    assert wording.top_reasons([("a", 0.5, 1)]) == ["A of 1 raised the risk", "", ""]
    declined = wording.top_reasons([("a", 0.5, 1), ("b", -0.9, 2), ("c", 0.1, 3)], raising_only=True)
    assert declined == ["A of 1 raised the risk", "C of 3 raised the risk", ""]
    average = wording.top_reasons([("a", -0.5, 1), ("b", -0.1, 2)], raising_only=True)  # declined at the mean
    assert average == [rules.BASELINE_REASON, "", ""]


def test_negative_day_counts_are_also_said_in_years():
    assert (wording.reason_text("DAYS_BIRTH", -12339.0, 0.3)
            == "Days birth of -12,339 (33.8 years before the application) raised the risk")
    assert (wording.reason_text("DAYS_EMPLOYED", -356.0, -0.1)
            == "Days employed of -356 (11.7 months before the application) lowered the risk")
    assert wording.reason_text("DAYS_LAST_PHONE_CHANGE", -12.0, 0.1) == "Days last phone change of -12 raised the risk"
    assert wording.reason_text("days_past_due", 400, 0.2) == "Days past due of 400 raised the risk"


@pytest.mark.parametrize("column,shown", [
    ("credit_amount", "Credit amount"), ("dti", "DTI"), ("FICO_score", "FICO score"), ("loanAmount", "Loan amount"),
    ("LoanID", "Loan ID"), ("DAYS_BIRTH", "Days birth"), ("int.rate", "Interest rate"), ("s12", "S12"),
    ("loan_amnt", "Loan amount"), ("annual_inc", "Annual income"), ("revol_util", "Revolving utilisation"),
    ("inq_last_6mths", "Inquiries in the last 6 months"), ("LIMIT_BAL", "Credit limit"), ("pub_rec", "Public records"),
    ("CLAGE", "Oldest credit line age"), ("rec_id", "Rec ID"),
    ("NumberOfTime30-59DaysPastDueNotWorse", "Number of time 30-59 days past due not worse"),
    ("cb_person_cred_hist_length", "Credit bureau person credit history length"),
    ("EXT_SOURCE_2", "External source 2"), ("tot_cur_bal", "Total current balance"),
    ("bc_util", "Bankcard utilisation"),
    ("mo_sin_rcnt_tl", "Months since recent trade lines"), ("mort_acc", "Mortgage accounts"),
    ("pct_tl_nvr_dlq", "Percent trade lines never delinquent"), ("tot_hi_cred_lim", "Total hi credit limit"),
    ("PAY_0", "Repayment status 0"), ("PAY_AMT3", "Payment amount (month 3)"),
    ("BILL_AMT1", "Bill amount (month 1)"),
    ("pay_delay", "Pay delay"), ("APARTMENTS_MEDI", "Apartments median"), ("FLOORSMAX_AVG", "Floorsmax average"),
    ("CCAvg", "CC average"), ("EMIAmount", "EMI amount"),  # Thera Bank's CCAvg had read "Ccavg"
])
def test_reason_column_names_read_as_words(column, shown):
    assert wording.humanise(column) == shown
    # a numbered column: "S12: 1", "Bill amount (month 1): 1", not "S12 of 1"; a window: "... last 6 months: 1"
    numbered = shown[-1] in "0123456789)" or shown.endswith("6 months")
    assert wording.reason_text(column, 1.0, 0.2) == f"{shown}{':' if numbered else ' of'} 1 raised the risk"
    assert wording.reason_text(column, None, 0.2) == f"{shown} (not given) raised the risk"  # a blank cell


def test_yes_no_labels_read_as_yes_and_no():
    assert [loan_labels.label_text(v) for v in (True, False, "bad", 2)] == ["yes", "no", "bad", "2"]


@pytest.mark.parametrize("counts,expected,rule", [
    ({"good": 70, "bad": 30}, "bad", "named like a default"),
    ({"Fully Paid": 80, "Charged Off": 20}, "Charged Off", "named like a default"),
    ({1: 700, 2: 300}, 2, "Statlog"),
    ({0: 90, 1: 10}, 1, "1 is the minority (10 %), so it is taken as the default"),
    ({0: 9980, 1: 20}, 1, "1 is the minority (0.2 %)"),  # a rare-fraud book: not "0 %"
    ({False: 90, True: 10}, True, "yes is the minority (10 %)"),
    ({"N": 60, "Y": 40}, "Y", "Y is the minority (40 %)"),
    ({"ok": 60, "late payer": 40}, "late payer", "minority"),
    ({"performing": 50, "x": 50}, "x", "repaid"),
])
def test_default_label_inference_is_explained(counts, expected, rule):
    label, why = loan_labels.infer_positive_label(counts)
    assert label == expected and rule in why


@pytest.mark.parametrize("column,counts,expected,rule", [
    ("Creditability", {1: 700, 0: 300}, 0, "names the good outcome"),  # UCI German credit, Kaggle copy
    ("kredit", {1: 700, 0: 300}, 0, "minority 0 is taken as default"),  # South German credit: 1 = good
    ("SeriousDlqin2yrs", {0: 930, 1: 70}, 1, "names the default"),
    ("not.fully.paid", {0: 840, 1: 160}, 1, "names the default"),
    ("default_flag", {1: 600, 0: 400}, 1, "names the default"),  # a majority of defaults, named so
    ("loan_status", {0: 780, 1: 220}, 1, "column 'loan_status' does not say which way round it is; 1 is the minority"),
    ("paid_back", {True: 80, False: 20}, False, "names the good outcome"),
    ("no_default", {1: 890, 0: 110}, 0, "names the good outcome"),  # "no default" is the good loan
    ("written_off", {0: 950, 1: 50}, 1, "names the default"),
    ("Risk", {"good": 700, "bad": 300}, "bad", "named like a default"),  # word labels decide, not the name
])
def test_flag_outcome_is_read_with_the_column_name(column, counts, expected, rule):
    label, why = loan_labels.infer_positive_label(counts, column)
    assert label == expected and rule in why, why


def test_match_label_is_trimmed_case_insensitive_and_numeric():
    assert loan_labels.match_label(" BAD ", ["good", "bad"]) == "bad"
    assert loan_labels.match_label("2", [1, 2]) == 2 and loan_labels.match_label("2", [1.0, 2.0]) == 2.0
    assert loan_labels.match_label("maybe", ["good", "bad"]) is None


def test_values_in_reasons_read_naturally():
    import datetime

    assert wording.format_value(datetime.datetime(2019, 1, 1)) == "2019-01-01"
    assert wording.format_value(datetime.datetime(2019, 1, 1, 13, 5)) == "2019-01-01 13:05"
    assert wording.format_value(1e23) == "1e+23" and wording.format_value(15000.0) == "15,000"
    assert wording.format_value(-0.00451) == "-0.00451" and wording.format_value(0.5) == "0.5"  # ratios keep digits
    assert wording.format_value(1234.5678) == "1,234.57"
    assert wording.reason_text("open_date", datetime.datetime(2019, 1, 1), 0.2) == "Open date of 2019-01-01 raised the risk"


@pytest.mark.parametrize("name,expected", [
    ("application_date", True), ("issue_d", True), ("issueDate", True), ("Date", True), ("snapshot_dt", True),
    ("created_at", True), ("earliest_cr_line", False), ("date_of_birth", False), ("open_date", False), ("dob", False),
])
def test_the_application_date_is_told_from_dates_about_the_applicant(name, expected):
    assert loan_columns.is_application_date(name) is expected


@pytest.mark.parametrize("column", ["total_pymnt", "total_rec_prncp", "recoveries", "collection_recovery_fee",
                                    "last_pymnt_d", "out_prncp", "debt_settlement_flag", "repaid_principal",
                                    "amountRepaid", "last_fico_range_high"])
def test_records_made_after_the_outcome_are_named_so(column):
    assert loan_columns.is_post_outcome(column)


@pytest.mark.parametrize("column", ["loan_amnt", "installment", "int_rate", "total_acc", "pub_rec", "revol_bal",
                                    "PAY_AMT1", "earliest_cr_line", "chargeoff_within_12_mths", "prior_chargeoffs",
                                    "previous_loans_repaid", "num_prior_recoveries", "prevTotalPymnt",
                                    "count_loans_repaid", "fico_range_high"])
def test_application_columns_are_not_post_outcome(column):
    assert not loan_columns.is_post_outcome(column)


def test_protected_grounds_are_recognised_by_name():
    assert all(loan_columns.is_protected(c) for c in ("SEX", "CODE_GENDER", "personal_status_sex", "race", "MARRIAGE",
                                               "applicant_ethnicity", "religion", "NAME_FAMILY_STATUS",
                                               "foreign_worker", "Foreign Worker", "famges", "gastarb", "Married",
                                               "is_married", "MaritalStatus"))
    assert not any(loan_columns.is_protected(c) for c in ("age", "essex_branch", "subgrade", "reserve", "purpose",
                                                          "CNT_FAM_MEMBERS", "family_size", "zip_code"))
    assert all(loan_columns.is_area_proxy(c) for c in ("zip_code", "ZipCode", "postcode", "Postal Code", "addr_state",
                                                        "BorrowerState", "BankState", "City", "county_name"))
    assert not any(loan_columns.is_area_proxy(c) for c in ("loan_state", "account_state", "EstateValue"))
    assert not any(loan_columns.is_area_proxy(c) for c in ("zipper_count", "Property_Area", "postage"))


def test_a_state_region_province_or_county_named_as_a_word_is_where_the_applicant_is():
    """SBA's State (the borrower's, beside BankState, City and Zip); not 'statement' or 'estate', whose letters
    only hold the word, nor a loan's or an account's state."""
    assert all(loan_columns.is_area_proxy(c) for c in ("State", "state", "borrower_state", "addr_state", "region",
                                                        "province", "county", "State Province", "region_code"))
    assert not any(loan_columns.is_area_proxy(c) for c in ("statement", "statement_balance", "real_estate",
                                                           "EstateValue", "loan_state", "account_state",
                                                           "states_count", "REGION_RATING_CLIENT"))


def test_numbers_used_as_codes_stand_apart_from_the_rest():
    late = {0.0: 900, 1.0: 50, 2.0: 20, **{float(v): 1 for v in range(3, 14)}, 96.0: 3, 98.0: 5}
    assert loan_columns.sentinel_codes(late, 1000) == [96.0, 98.0]
    employed = {**{float(v): 1 for v in range(-17912, 0, 37)}, 365243.0: 180}
    assert loan_columns.sentinel_codes(employed, 664) == [365243.0]
    assert loan_columns.sentinel_codes({-999.0: 5, **{float(v): 1 for v in range(1, 7)}}, 11) == [-999.0]
    assert loan_columns.sentinel_codes({10.0: 1, 20.0: 1, 30.0: 1, 40.0: 1, 50.0: 1, 1e6: 1}, 6) == []  # one outlier
    assert loan_columns.sentinel_codes({float(v): 3 for v in range(1, 50)}, 147) == []
    plans = {3.0: 40, 6.0: 90, 9.0: 20, 12.0: 300, 24.0: 178}  # instalments: 24 is a plan, not a code
    assert loan_columns.sentinel_codes(plans, 628) == []
    mostly_zero = {0.0: 4573, 12.0: 600, 25.0: 300, 30.0: 200, 35.0: 100}  # mortgage-insurance cover, %
    assert loan_columns.sentinel_codes(mostly_zero, 5773) == []


def test_an_application_is_too_empty_beyond_what_training_rows_had():
    assert rules.too_empty(1.0, 0.9) and rules.too_empty(0.6) and not rules.too_empty(0.5)
    assert not rules.too_empty(0.53, usual_share=0.53)      # a book whose building details are often empty
    assert rules.too_empty(0.8, usual_share=0.53) and not rules.too_empty(0.9, usual_share=0.95)


def test_odd_outcomes_are_warned_about():
    assert loan_labels.outcome_warnings(700, 1000, 1, "Creditability", given=True)[0].startswith(
        "--positive 1 counts 'Creditability' = 1 as a default, but the column's name says 1 is the good outcome")
    majority = loan_labels.outcome_warnings(890, 1000, 1, "flag", given=False)
    assert majority == ["890 of 1,000 loans (89 %) are read as defaults ('flag' = 1); defaults are usually the "
                        "minority of a loan book. Check which value means default (--positive; 'Value(s) meaning "
                        "default' on the page)."]
    assert loan_labels.outcome_warnings(20, 61, "Charged Off", "loan_status", given=False)[0].startswith(
        "Only 61 loans with a known outcome")
    assert loan_labels.outcome_warnings(300, 1000, "bad", "credit_risk", given=False) == []


def test_bytes_labels_from_an_arff_file_read_as_the_values_they_hold():
    """The Polish bankruptcy ARFF files, read with scipy and written to CSV, hold class b'0' / b'1'."""
    from domain import loan_labels

    counts = {"b'0'": 5769, "b'1'": 231}
    label, rule = loan_labels.infer_positive_label(counts, "class")
    assert label == "b'1'" and rule.startswith("column 'class' does not say which way round it is; b'1' is the "
                                                "minority (4 %)")
    assert loan_labels.match_label("1", counts) == "b'1'" and loan_labels.match_label("0", counts) == "b'0'"
    assert loan_labels.infer_positive_label({"b'0'": 30, "b'1'": 70}, "bankrupt")[0] == "b'1'"


def test_a_column_named_region_is_read_as_where_the_applicant_is_and_region_ratings_are_not():
    """Loan_Default.csv's Region (North, south, central, North-East) can stand in for origin like a state;
    Home Credit's REGION_RATING_CLIENT and REGION_POPULATION_RELATIVE describe the region, not say it."""
    assert loan_columns.is_area_proxy("Region") and loan_columns.is_area_proxy("region")
    assert not any(loan_columns.is_area_proxy(c) for c in ("REGION_RATING_CLIENT", "REGION_POPULATION_RELATIVE",
                                                           "Region_code_rating"))

"""The fairness check opens on a protected ground before age: Bondora's export has Age before Gender, and the
check (and the report's first table) had opened on age bands, a ground many lending rules restrict rather than
forbid."""
from services.finance_fairness import first_sensitive, suggested_columns

BONDORA = ["LoanId", "Age", "Gender", "Country", "Amount", "MaritalStatus", "Status"]


def test_a_protected_ground_comes_before_age_whatever_the_column_order():
    assert suggested_columns(BONDORA) == ["Gender", "MaritalStatus", "Age"]
    assert first_sensitive(BONDORA, {"features": BONDORA[1:-1]}) == "Gender"
    assert suggested_columns(["AGE", "EDUCATION", "SEX"]) == ["SEX", "AGE"]


def test_age_alone_or_named_by_the_dictionary_is_still_offered():
    assert first_sensitive(["person_age", "loan_amnt"], {}) == "person_age"
    glossary = {"columns": {"attr13": "Age in years", "attr9": "Personal status and sex"}}
    assert suggested_columns(["attr13", "attr9", "attr5"], glossary) == ["attr9", "attr13"]


def test_home_credit_flags_comparing_two_regions_are_no_place():
    """Every Home Credit run had warned that REG_REGION_NOT_LIVE_REGION, REG_REGION_NOT_WORK_REGION and
    LIVE_REGION_NOT_WORK_REGION (0/1: the registered region differs from where the applicant lives or works) 'say
    where the applicant is' (redlining), and the report ran the area-proxy check on them."""
    from domain.loan_columns import is_area_proxy

    flags = ["REG_REGION_NOT_LIVE_REGION", "REG_REGION_NOT_WORK_REGION", "LIVE_REGION_NOT_WORK_REGION",
             "REG_CITY_NOT_LIVE_CITY", "same_state_as_registered"]
    assert not any(is_area_proxy(c) for c in flags)
    assert all(is_area_proxy(c) for c in ["REGION", "region_code", "borrower_state", "State", "addr_state"])
    assert first_sensitive([*flags, "NAME_CONTRACT_TYPE"], {"features": flags, "feature_kinds": {
        "NAME_CONTRACT_TYPE": "categorical"}}) == "NAME_CONTRACT_TYPE"

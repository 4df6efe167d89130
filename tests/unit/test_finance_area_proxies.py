"""A book whose only sensitive columns are places (SBA's State, City, Zip, BankState) still gets a fairness
section in the report, and its Fairness tab opens on the coarsest place (State, not City)."""
import re
from datetime import datetime

import numpy as np
import pandas as pd
import pytest

from domain.loan_columns import area_level, post_code_area
from services import finance_fairness, finance_report
from services.finance_fairness import first_sensitive
from services.results import RunInfo

SBA = ["LoanNr_ChkDgt", "City", "State", "Zip", "Bank", "BankState", "Term", "NoEmp", "MIS_Status"]
FEATURES = ["City", "State", "Zip", "Bank", "BankState", "Term", "NoEmp"]


def _book(rows: int = 400) -> tuple[pd.DataFrame, pd.DataFrame]:
    """An SBA-shaped book (zips nearly all different) and its out-of-fold decisions, row for row."""
    rng = np.random.default_rng(11)
    frame = pd.DataFrame({
        "LoanNr_ChkDgt": np.arange(rows) + 10**9, "City": rng.choice(["BRISTOL", "FRANKLIN", "SALEM"], rows),
        "State": np.repeat(["CA", "NY", "TX", "WA"], rows // 4), "Zip": rng.integers(10_000, 99_999, rows),
        "Bank": rng.choice(["WELLS FARGO", "CHASE"], rows), "BankState": rng.choice(["NY", "SD"], rows),
        "Term": rng.integers(12, 300, rows), "NoEmp": rng.integers(0, 50, rows),
        "MIS_Status": rng.choice(["P I F", "CHGOFF"], rows, p=[0.8, 0.2])})
    frame.loc[:4, "Zip"] = 19159  # the largest zip: five loans
    declined = frame["State"].eq("TX").to_numpy() & (np.arange(rows) % 2 == 0)  # TX approved at half the rate
    oof = pd.DataFrame({"decision": np.where(declined, "decline", "approve"),
                        "default": frame["MIS_Status"].eq("CHGOFF").to_numpy()})
    return frame, oof


def _run() -> RunInfo:
    parameters = {"target": "MIS_Status", "features": FEATURES, "id_column": None}
    return RunInfo(1, "finance", "credit", 1, parameters, {}, "done", None, False, datetime(2026, 1, 1))


@pytest.fixture
def sections(monkeypatch):
    frame, oof = _book()
    monkeypatch.setattr(finance_fairness, "_decisions", lambda runtime, run: (frame, oof))
    return finance_report._fairness_section(None, _run())


def test_area_proxies_get_their_own_report_section_titled_as_proxies(sections):
    assert [s.heading for s in sections] == ["Fairness check on area proxies"]  # no protected ground, no age
    section = sections[0]
    assert section.text.startswith("Not protected grounds: model inputs saying where the applicant")
    assert [name for name, _ in section.tables] == ["State (area proxy)", "City (area proxy)", "Zip (area proxy)",
                                                     "BankState (area proxy)"]
    state = section.tables[0][1]
    assert state["group"].tolist() == ["CA", "NY", "TX", "WA"] and state["applicants"].tolist() == [100] * 4
    assert state["approval_rate"].tolist() == [1.0, 1.0, 0.5, 1.0]
    assert state["approval_ratio"].tolist() == [1.0, 1.0, 0.5, 1.0]
    assert "default_rate" in state and state["default_rate"].between(0, 1).all()
    assert "State: Approved at under four fifths of the most approved group's rate: TX (50.0% approved" in section.text


def test_a_zip_is_read_as_codes_its_largest_groups_and_other_small_ones_marked(sections):
    zips = dict(sections[0].tables)["Zip (area proxy)"]
    assert len(zips) == 21 and zips["group"].iloc[-1] == "other"
    assert "191xx (n<30)" in zips["group"].tolist()  # a code's area, not '19,159' nor a band of zip numbers
    assert zips.set_index("group").loc["191xx (n<30)", "applicants"] >= 5
    assert zips["applicants"].sum() == 400 and zips["approval_ratio"].iloc[:-1].isna().all()
    assert "Zip holds" in sections[0].text and "grouped by their first three digits" in sections[0].text
    assert "the 20 largest groups are shown" in sections[0].text


def _zip_book(rows: int = 3000) -> tuple[pd.DataFrame, pd.DataFrame]:
    """One zip per loan, nearly: 40 three-digit areas (five large), the last two digits at random; New England zips
    read as numbers lost their leading zero (02134 -> 2134)."""
    rng = np.random.default_rng(5)
    areas = rng.choice([21, 191, 606, 750, 941, *range(300, 335)], rows, p=[0.1] * 5 + [0.5 / 35] * 35)
    zips = areas * 100 + rng.integers(0, 100, rows)
    frame = pd.DataFrame({"zip_code": zips, "loan_status": rng.choice(["Fully Paid", "Charged Off"], rows)})
    oof = pd.DataFrame({"decision": np.where(areas == 191, "decline", "approve"),
                        "default": frame["loan_status"].eq("Charged Off").to_numpy()})
    return frame, oof


def test_five_digit_zips_are_grouped_by_their_first_three_digits_and_the_table_says_so():
    frame, oof = _zip_book()
    before = frame["zip_code"].nunique()
    result = finance_fairness._rates(frame, oof, "zip_code")
    table = result.frame.set_index("group")
    assert before > 1500 and "other" in table.index  # 40 areas: the 20 largest shown
    assert table.loc["other", "applicants"] < 0.6 * len(frame)  # had been ~98 % of the loans
    assert table.loc["021xx", "applicants"] > 30 and "2134" not in table.index  # the leading zero restored
    assert table.loc["191xx", "approval_rate"] == 0.0 and table.loc["750xx", "approval_rate"] == 1.0
    assert re.fullmatch(rf"zip_code holds {before:,} different codes, grouped by their first three digits into 40 "
                        r"areas \((\d{3})\d\d is in \1xx\)\.", result.notes[0])
    assert "191xx" in result.warnings[0]


@pytest.mark.parametrize("code,area", [("19159", "191xx"), ("19159-1234", "191xx"), ("2134", "021xx"),
                                       ("190xx", "190xx"), ("19xxx", None), ("SW1A 1AA", None), ("123", None)])
def test_post_code_areas(code, area):
    assert post_code_area(code) == area


def test_masked_zips_stay_as_they_are_without_a_grouping_note():
    rng = np.random.default_rng(6)
    masks = [f"{z}xx" for z in rng.integers(100, 999, 300)]
    oof = pd.DataFrame({"decision": ["approve"] * 300, "default": [False] * 300})
    result = finance_fairness._rates(pd.DataFrame({"zip_code": masks}), oof, "zip_code")
    assert not any("grouped" in n for n in result.notes) and result.frame["applicants"].sum() == 300


def test_a_protected_ground_keeps_its_own_section_and_is_not_repeated_as_a_proxy(monkeypatch):
    frame, oof = _book()
    frame["sex"] = np.where(np.arange(len(frame)) % 2, "F", "M")
    monkeypatch.setattr(finance_fairness, "_decisions", lambda runtime, run: (frame, oof))
    sections = finance_report._fairness_section(None, _run())
    assert [s.heading for s in sections] == ["Fairness check", "Fairness check on area proxies"]
    assert [name for name, _ in sections[0].tables] == ["sex"]
    assert sections[0].tables[0][1]["group"].tolist() == ["F", "M"]  # not marked: 200 each


@pytest.mark.parametrize("name,level", [("State", 0), ("addr_state", 0), ("borrower_state", 0), ("region", 0),
                                        ("County", 1), ("City", 2), ("Zip", 3), ("zip_code", 3), ("BankState", 4)])
def test_places_from_the_coarsest_to_the_bank(name, level):
    assert area_level(name) == level


def test_the_fairness_tab_opens_on_the_state_not_the_first_place_in_column_order():
    parameters = {"features": FEATURES}
    assert first_sensitive(SBA, parameters) == "State"
    assert first_sensitive(["Zip", "BankState", "City", "Term"], {"features": ["Zip", "BankState", "City"]}) == "City"
    assert first_sensitive(["zip_code", "addr_state"], {"features": ["zip_code", "addr_state"]}) == "addr_state"
    assert first_sensitive([*SBA, "gender"], {"features": [*FEATURES, "gender"]}) == "gender"

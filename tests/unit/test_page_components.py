"""Small display helpers shared by the pages: import problems, dataset profiles and run labels."""
from datetime import datetime
from types import SimpleNamespace

import pandas as pd

from pages.components import EMPTY, problem_rows, profile_table, run_label
from pages.job_widgets import job_kind


def test_problems_without_a_row_or_column_show_a_dash_not_none():
    frame = pd.DataFrame([{"severity": "warning", "row": None, "column": None, "problem": "Read as Latin-1."},
                          {"severity": "error", "row": 1204.0, "column": "price", "problem": "Not a number."}])
    shown = problem_rows(frame)
    assert shown.to_dict("records") == [
        {"severity": "warning", "row": "–", "column": "–", "problem": "Read as Latin-1."},
        {"severity": "error", "row": "1,204", "column": "price", "problem": "Not a number."}]


def test_a_run_label_names_the_desk_once():
    when = datetime(2026, 11, 30, 19, 52)
    triage = SimpleNamespace(id=4, created_at=when, desk="triage", task="cnn_image_classifier", parameters={})
    finance = SimpleNamespace(id=5, created_at=when, desk="finance", task="credit_lightgbm",
                              parameters={"target": "risk"})
    assert run_label(triage, desk=True) == "Run 4 · 30 Nov 19:52 · image triage"
    assert run_label(finance, desk=True) == "Run 5 · 30 Nov 19:52 · finance credit-default scoring · risk"


def test_job_kinds_read_in_words():
    assert job_kind("maintenance.train_rul") == "Maintenance: remaining-useful-life training"  # 'maintenance train rul'
    assert job_kind("finance.train") == "Finance: credit-default training"
    assert job_kind("retail.new_kind") == "retail new kind"  # a kind not listed still reads without dots


def test_a_text_columns_profile_has_no_min_or_max_which_the_table_draws_as_a_dash():
    profile = [{"name": "amount", "kind": "numeric", "missing_pct": 1.234, "distinct": 40, "min": 250, "max": 18424},
               {"name": "purpose", "kind": "categorical", "missing_pct": 0.0, "distinct": 3, "min": None,
                "max": None, "top_values": [["car", 12], ["tv", 9], ["other", 4], ["boat", 1]]}]
    table = profile_table(profile).set_index("column")
    assert table.loc["amount", ["min", "max", "missing %"]].tolist() == ["250", "18424", 1.23]
    assert table.loc["purpose", ["min", "max"]].isna().all()  # was '': now drawn as the shared placeholder
    assert table.loc["purpose", "top values"] == "car (12), tv (9), other (4)" and EMPTY == "–"

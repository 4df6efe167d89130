"""Every column a training leaves out is stored with why, and the report lists them: a Lending-Club run that left out
total_pymnt, recoveries, last_pymnt_d and issue_d reported "Columns dropped: none" and "left out as leaks: none"."""
from datetime import datetime, timezone

import numpy as np
import pandas as pd

from services import finance, finance_report, reports
from services.results import RunInfo


def _book(rows: int = 120) -> pd.DataFrame:
    rng = np.random.default_rng(4)
    bad = rng.random(rows) < 0.3
    return pd.DataFrame({
        "loan_id": [f"L{i:04d}" for i in range(rows)],
        "loan_amnt": rng.integers(1000, 30000, rows),
        "purpose": rng.choice(["car", "debt", "home"], rows),
        "addr_state": rng.choice(["CA", "NY", "TX"], rows),
        "issue_d": pd.date_range("2015-01-01", periods=rows, freq="7D").strftime("%b-%Y"),
        "earliest_cr_line": pd.date_range("1990-01-01", periods=rows, freq="30D").strftime("%b-%Y"),
        "policy_code": 1,
        "total_pymnt": np.where(bad, 0.4, 1.1) * 1000,
        "recoveries": np.where(bad, 300.0, 0.0),
        "charged_flag": np.where(bad, "Y", "N"),  # gives the outcome away by its values
        "lgd": rng.uniform(0.2, 0.6, rows).round(2),
        "loan_status": np.where(bad, "Charged Off", "Fully Paid"),
    })


def test_every_column_left_out_is_stored_with_its_kind_in_the_files_order():
    params = finance.credit_params(0, "loan_status", id_column="loan_id", exclude=("addr_state",),
                                   lgd_column="lgd", folds=3)
    data = finance._prepare_params(_book(), params)
    kinds = {row["column"]: row["kind"] for row in data.left_out}
    assert kinds == {"loan_id": "id", "addr_state": "excluded", "issue_d": "anchor", "policy_code": "constant",
                     "total_pymnt": "post_outcome", "recoveries": "post_outcome", "charged_flag": "leak",
                     "lgd": "lgd"}
    assert [row["column"] for row in data.left_out] == [
        "loan_id", "addr_state", "issue_d", "policy_code", "total_pymnt", "recoveries", "charged_flag", "lgd"]
    assert set(data.plan.features) == {"loan_amnt", "purpose", "earliest_cr_line"}
    stored = finance._run_parameters(params, data, {})
    assert set(stored["dropped"]) == set(kinds) and stored["left_out"] == data.left_out
    assert stored["leak_columns"] == ["total_pymnt", "recoveries", "charged_flag"]
    assert stored["dropped"]["issue_d"].startswith("the application's date")


def test_the_report_shows_the_columns_left_out_as_a_table_not_as_none():
    params = finance.credit_params(0, "loan_status", folds=3)
    data = finance._prepare_params(_book().drop(columns=["loan_id", "charged_flag", "lgd"]), params)
    run = RunInfo(1, "finance", "credit_lightgbm", 1, finance._run_parameters(params, data, {}), {}, "succeeded",
                  None, False, datetime(2026, 1, 1, tzinfo=timezone.utc))
    section = finance_report.left_out_section(run)
    table = dict(section.tables)["Columns left out and why"]
    assert table["column"].tolist() == ["issue_d", "policy_code", "total_pymnt", "recoveries"]
    assert section.text.startswith("4 column(s) of the file are not risk factors")
    listed = reports._listed_parameters({k: v for k, v in run.parameters.items()
                                         if k not in reports.HIDDEN_PARAMETERS["finance"]})
    assert listed["Leak columns (left out unless kept)"] == "total_pymnt, recoveries"
    assert "Columns dropped" not in listed  # the table says it, with why


def test_a_run_stored_before_the_list_shows_its_plan_drops_and_leaks():
    table = finance_report.left_out_table({"dropped": {"flat": "constant"}, "leak_columns": ["paid", "kept"],
                                           "features": ["kept", "x"]})
    assert table.values.tolist() == [["flat", "constant"], ["paid", "a leak (see the warnings)"]]

"""Maintenance page in a real browser: upload telemetry, train, see the result, score and download."""
from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
from playwright.sync_api import Page, expect

from tests.e2e.harness import REPO_ROOT, click_button, expect_alert, expect_text, open_app, upload_file, wait_for_app

UPLOAD = "Upload telemetry or histories (CSV, TSV or Excel)"
SAMPLE = REPO_ROOT / "data" / "samples" / "machine_telemetry.csv"


def test_upload_train_score_download(page: Page, app_url: str, tmp_path: Path) -> None:
    csv = tmp_path / "telemetry.csv"
    pd.read_csv(SAMPLE).head(300).to_csv(csv, index=False)
    open_app(page, f"{app_url}/maintenance")
    expect_text(page, "Maintenance")
    upload_file(page, UPLOAD, csv)
    click_button(page, "Import file")
    expect_alert(page, "Stored dataset")
    expect_text(page, "Leakage guard")
    expect_text(page, "TWF")
    click_button(page, "Train failure model")
    expect_alert(page, "finished: run", timeout=240_000)
    wait_for_app(page)
    expect_text(page, "cv_auc")
    upload_file(page, "Readings to score", csv)
    click_button(page, "Score readings")
    expect_alert(page, "Scored 300 readings")
    with page.expect_download() as download:
        page.get_by_role("button", name="Download CSV").first.click()
    assert download.value.suggested_filename.endswith(".csv")


def test_bad_file_is_refused(page: Page, app_url: str, tmp_path: Path) -> None:
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    open_app(page, f"{app_url}/maintenance")
    upload_file(page, UPLOAD, empty)
    click_button(page, "Import file")
    expect_text(page, "The file is empty")


def test_the_failure_column_shown_is_the_one_used_after_switching_tables(page: Page, app_url: str,
                                                                         tmp_path: Path) -> None:
    """Histories first (no failure label: the form asks for one), then telemetry: the browser showed the
    empty choice while the server had already taken 'Machine failure'."""
    from ml.degradation_sim import simulate_fleet

    fleet = tmp_path / "fleet_histories.csv"
    simulate_fleet(n_train=4, n_test=1, seed=2, min_life=30, max_life=40).train.to_csv(fleet, index=False)
    telemetry = tmp_path / "telemetry_switch.csv"
    pd.read_csv(SAMPLE).head(120).to_csv(telemetry, index=False)
    open_app(page, f"{app_url}/maintenance")
    upload_file(page, UPLOAD, telemetry)
    click_button(page, "Import file")
    expect_alert(page, "Stored dataset 'telemetry_switch'")
    upload_file(page, UPLOAD, fleet)
    click_button(page, "Import file")
    expect_text(page, "No column of this file is named like a failure label")
    open_app(page, f"{app_url}/maintenance")  # a new session, opening on the histories (the newest table)
    expect_text(page, "No column of this file is named like a failure label")
    for name, shown in (("telemetry_switch", "Leakage guard"), ("fleet_histories", "No column of this file"),
                        ("telemetry_switch", "Leakage guard")):  # picked in the browser, back and forth
        page.get_by_role("combobox", name="Dataset").first.click()
        page.get_by_role("option", name=re.compile(rf"^{name} ")).first.click()
        wait_for_app(page)
        expect_text(page, shown)
    expect(page.get_by_role("combobox", name="Failure column (target)").first).to_have_value("Machine failure")

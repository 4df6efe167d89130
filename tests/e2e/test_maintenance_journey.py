"""Maintenance page in a real browser: upload telemetry, train, see the result, score and download."""
from __future__ import annotations

from pathlib import Path

import pandas as pd
from playwright.sync_api import Page

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

"""Maintenance page in a real browser: upload telemetry, train, see the result, score and download."""
from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
from playwright.sync_api import Browser, Page, expect

from tests.e2e.harness import (REPO_ROOT, click_button, expect_alert, expect_text, open_app, streamlit_server,
                               upload_file, wait_for_app)

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
    expect_text(page, "Cross-validated AUC")
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



def test_the_failure_column_shown_is_the_one_used_after_switching_tables(browser: Browser, tmp_path: Path,
                                                                         monkeypatch) -> None:
    """A session opening on histories (no failure label: the form asks for one), then telemetry picked in the
    browser: the browser showed the empty choice while the server had already taken the failure column. Its
    own server without the samples, and a target named 'label', so that the page opens on the histories."""
    from ml.degradation_sim import simulate_fleet

    telemetry = tmp_path / "telemetry_switch.csv"
    pd.read_csv(SAMPLE).head(120).rename(columns={"Machine failure": "label"}).to_csv(telemetry, index=False)
    fleet = tmp_path / "fleet_histories.csv"
    simulate_fleet(n_train=4, n_test=1, seed=2, min_life=30, max_life=40).train.to_csv(fleet, index=False)
    monkeypatch.setenv("DD_LOAD_SAMPLES", "false")
    with streamlit_server(REPO_ROOT / "app.py", state_dir=tmp_path / "var", log_path=tmp_path / "log") as url:
        context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US")
        try:
            page = context.new_page()
            open_app(page, f"{url}/maintenance")
            for data in (telemetry, fleet):
                upload_file(page, UPLOAD, data)
                click_button(page, "Import file")
                expect_alert(page, f"Stored dataset '{data.stem}'")
            open_app(page, f"{url}/maintenance")  # a new session, opening on the histories (the newest table)
            expect_text(page, "No column of this file is named like a failure label")
            page.get_by_role("combobox", name="Dataset").first.click()
            page.get_by_role("option", name=re.compile(r"^telemetry_switch ")).first.click()
            wait_for_app(page)
            expect_text(page, "Leakage guard")
            expect(page.get_by_role("combobox", name="Failure column (target)").first).to_have_value("label")
        finally:
            context.close()

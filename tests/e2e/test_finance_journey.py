"""Finance page in a real browser: upload loans → train (background job) → results → score → download."""
from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page

from tests.e2e.harness import click_button, expect_alert, expect_text, open_app, upload_file, wait_for_app
from tests.support import classification_frame

TRAIN_LABEL = "Past loans with an outcome column"
SCORE_LABEL = "Applicants to score"


def test_upload_train_score_and_download(page: Page, app_url: str, tmp_path: Path) -> None:
    loans = tmp_path / "finance_loans.csv"
    classification_frame(150).to_csv(loans, index=False)
    new = tmp_path / "finance_new.csv"
    classification_frame(30, seed=3).drop(columns=["default"]).to_csv(new, index=False)

    open_app(page, f"{app_url}/finance")
    expect_text(page, "Finance risk")
    upload_file(page, TRAIN_LABEL, loans)
    click_button(page, "Import file")
    expect_alert(page, "Stored dataset 'finance_loans'")
    click_button(page, "Train model")
    expect_alert(page, "finished: run", timeout=180_000)
    wait_for_app(page)

    page.get_by_role("tab", name="Results").click()
    expect_text(page, "OOF AUC")
    expect_text(page, "logistic baseline")
    page.get_by_role("tab", name="Score").click()
    upload_file(page, SCORE_LABEL, new)
    click_button(page, "Score applicants")
    expect_alert(page, "Scored 30 applicants")
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Download CSV").click()
    saved = tmp_path / "scored.csv"
    download_info.value.save_as(saved)
    assert saved.read_bytes().startswith(b"\xef\xbb\xbf")  # the byte-order mark Excel needs for accents
    lines = saved.read_text(encoding="utf-8-sig").splitlines()
    assert lines[0] == "applicant_id,pd,grade,decision,reason_1,reason_2,reason_3" and len(lines) == 31


def test_a_one_class_target_is_refused(page: Page, app_url: str, tmp_path: Path) -> None:
    loans = tmp_path / "finance_oneclass.csv"
    frame = classification_frame(80)
    frame["default"] = "good"
    frame.to_csv(loans, index=False)

    open_app(page, f"{app_url}/finance")
    upload_file(page, TRAIN_LABEL, loans)
    click_button(page, "Import file")
    expect_alert(page, "Stored dataset 'finance_oneclass'")
    click_button(page, "Train model")
    expect_alert(page, "has only one class")

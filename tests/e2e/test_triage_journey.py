"""Triage desk in a real browser: upload → train (job) → worklist → review → download; a hostile ZIP is refused."""
from __future__ import annotations

import io
import zipfile
from pathlib import Path

from playwright.sync_api import Page, expect

from tests.e2e.harness import app_root, click_button, expect_alert, open_app, upload_file, wait_for_app
from tests.triage_support import traversal_zip, write_class_folders, zip_tree

TRAIN_LABEL = "Training images: a ZIP of class folders"
STUDIES_LABEL = "Studies to rank: a ZIP or images"


def _open_triage(page: Page, url: str) -> None:
    open_app(page, url)
    page.get_by_role("link", name="Medical triage").click()
    wait_for_app(page)
    expect(page.get_by_text("Decision support only").first).to_be_visible()


def _number(page: Page, label: str, value: int) -> None:
    field = page.get_by_label(label)
    field.fill(str(value))
    field.press("Enter")
    wait_for_app(page)


def test_upload_train_rank_review_download(page: Page, app_url: str, tmp_path: Path) -> None:
    training = tmp_path / "training.zip"
    training.write_bytes(zip_tree(write_class_folders(tmp_path / "set", per_class=4)))
    studies = tmp_path / "studies.zip"
    studies.write_bytes(zip_tree(write_class_folders(tmp_path / "new", per_class=2)))

    _open_triage(page, app_url)
    upload_file(page, TRAIN_LABEL, training)
    _number(page, "Input size (px)", 28)
    _number(page, "Epochs (most)", 1)
    click_button(page, "Train model")
    expect_alert(page, "finished: run", timeout=240_000)

    page.get_by_role("tab", name="Worklist & review").click()
    upload_file(page, STUDIES_LABEL, studies)
    click_button(page, "Rank studies")
    expect_alert(page, "Ranked 4 studies")
    click_button(page, "Save review")  # no verdict picked yet: nothing is recorded
    expect_alert(page, "Pick a verdict")
    app_root(page).get_by_text("agree", exact=True).click()
    click_button(page, "Save review")
    expect_alert(page, "Review saved (agree")
    click_button(page, "Prepare reviewed set (ZIP)")
    with page.expect_download() as download:
        page.get_by_role("button", name="Download reviewed set").click()
    archive = zipfile.ZipFile(io.BytesIO(Path(download.value.path()).read_bytes()))
    assert "manifest.csv" in archive.namelist() and "README.txt" in archive.namelist()
    assert b"Decision support only" in archive.read("README.txt")
    assert len(archive.read("manifest.csv").decode().strip().splitlines()) == 2  # header + the one review


def test_a_zip_with_parent_paths_is_refused(page: Page, app_url: str, tmp_path: Path) -> None:
    training = tmp_path / "evil.zip"
    training.write_bytes(traversal_zip())
    _open_triage(page, app_url)
    upload_file(page, TRAIN_LABEL, training)
    _number(page, "Input size (px)", 28)
    click_button(page, "Train model")
    expect_alert(page, "unsafe path names", timeout=120_000)

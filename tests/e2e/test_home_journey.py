"""Home page in a real browser: import a dataset, and refuse an empty file.

The server (and its state folder) is shared by the session, so "Stored dataset" is looked for
in message boxes only: a list of stored datasets elsewhere on the page does not count.
"""
from __future__ import annotations

import os
from pathlib import Path

from playwright.sync_api import Page

from tests.e2e.harness import (
    REPO_ROOT,
    click_button,
    expect_alert,
    expect_no_alert,
    expect_text,
    full_page_screenshot,
    open_app,
    upload_file,
)

UPLOAD_LABEL = "Upload a dataset (CSV, TSV or Excel)"
IMPORT_BUTTON = "Import file"
SCREENSHOT = REPO_ROOT / "docs" / "screenshot.png"   # refreshed only with DD_UPDATE_SCREENSHOT=1


def test_an_empty_file_is_refused_with_a_clear_message(page: Page, app_url: str, tmp_path: Path) -> None:
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")

    open_app(page, app_url)
    upload_file(page, UPLOAD_LABEL, empty)
    click_button(page, IMPORT_BUTTON)

    expect_text(page, "The file is empty")
    expect_no_alert(page, "Stored dataset")


def test_a_csv_is_imported_and_profiled(page: Page, app_url: str, tmp_path: Path) -> None:
    csv = tmp_path / "orders.csv"
    rows = [f"{i},{'north' if i % 2 else 'south'},{i % 7 + 1},{9.5 + i}" for i in range(1, 21)]
    csv.write_text("order_id,region,units_sold,unit_price\n" + "\n".join(rows) + "\n")

    open_app(page, app_url)
    expect_text(page, "Decision Desk")
    upload_file(page, UPLOAD_LABEL, csv)
    click_button(page, IMPORT_BUTTON)

    expect_alert(page, "Stored dataset")
    expect_text(page, "units_sold")
    shot = SCREENSHOT if os.environ.get("DD_UPDATE_SCREENSHOT") == "1" else tmp_path / "screenshot.png"
    full_page_screenshot(page, shot)   # a test run leaves the repository as it found it
    assert shot.stat().st_size > 10_000

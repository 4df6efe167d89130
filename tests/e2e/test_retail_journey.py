"""Retail in a real browser: upload a daily sales file, run the forecast job, see the backtest, download."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
from playwright.sync_api import Page, expect

from tests.e2e.harness import click_button, expect_alert, expect_text, open_app, upload_file

UPLOAD_LABEL = "Upload sales history (CSV, TSV or Excel)"


def _daily_file(path: Path) -> Path:
    rng = np.random.default_rng(0)
    dates = pd.date_range("2024-01-01", periods=120, freq="D")
    frames = [pd.DataFrame({"date": dates.strftime("%Y-%m-%d"), "store": store, "item": item,
                            "sales": rng.poisson(20 + 5 * store + item + 4 * (dates.dayofweek >= 5))})
              for store in (1, 2) for item in (7, 8)]
    pd.concat(frames).to_csv(path, index=False)
    return path


def test_upload_forecast_and_download(page: Page, app_url: str, tmp_path: Path) -> None:
    open_app(page, f"{app_url}/retail")
    expect_text(page, "Retail — demand forecast")
    upload_file(page, UPLOAD_LABEL, _daily_file(tmp_path / "daily_sales.csv"))
    click_button(page, "Import file")
    expect_alert(page, "Stored dataset")
    click_button(page, "Run forecast")
    expect_alert(page, "finished: run", timeout=240_000)
    page.get_by_role("tab", name="Results").click()
    expect_text(page, "Backtest — champion")
    with page.expect_download() as download:
        page.get_by_role("button", name="Download forecast (CSV)").click()
    saved = tmp_path / "forecast.csv"
    download.value.save_as(saved)
    frame = pd.read_csv(saved)
    assert list(frame.columns) == ["store", "item", "date", "p10", "p50", "p90"] and len(frame) == 4 * 14
    expect(page.get_by_role("tab", name="Inventory")).to_be_visible()


def test_a_file_with_two_date_formats_is_refused(page: Page, app_url: str, tmp_path: Path) -> None:
    bad = tmp_path / "mixed_dates.csv"
    bad.write_text("date,store,sales\n2024-01-01,1,3\n02/01/2024,1,4\n2024-01-03,1,5\n")
    open_app(page, f"{app_url}/retail")
    upload_file(page, UPLOAD_LABEL, bad)
    click_button(page, "Import file")
    expect_alert(page, "Nothing was stored")

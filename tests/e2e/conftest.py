"""Fixtures for browser journeys: one Streamlit server and one Chromium for the whole session."""
from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from tests.conftest import running_in_ci
from tests.e2e.harness import CHROMIUM_ARGS, REPO_ROOT, chromium_path, streamlit_server


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def app_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Base URL of ``streamlit run app.py`` with a fresh state folder and one worker."""
    root = tmp_path_factory.mktemp("e2e-server")
    with streamlit_server(REPO_ROOT / "app.py", state_dir=root / "var", log_path=root / "streamlit.log") as url:
        yield url


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Headless Chromium from the system package (never `playwright install`)."""
    executable = chromium_path()
    if not os.access(executable, os.X_OK):
        message = f"Chromium not found at {executable} (scripts/test.sh installs the chromium package)"
        if running_in_ci():
            pytest.fail(message)
        pytest.skip(message)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A fresh browser context (no shared cookies or session) per test."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US")
    context.set_default_timeout(30_000)
    page = context.new_page()
    try:
        yield page
    finally:
        context.close()

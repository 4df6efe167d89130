"""A desk opened by its address on a server nobody has opened yet (a bookmark after a restart).

Streamlit runs such a page alone in its old pages-folder mode, because a ``pages/`` folder sits next to
app.py: the sidebar listed every module of the folder (components, finance views …) and app.py's
sidebar was missing, for every session until someone opened the root. This test needs its own server.
"""
from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Browser, expect

from tests.e2e.harness import REPO_ROOT, streamlit_server, wait_for_app


def test_a_desk_opened_by_its_address_first_gets_the_apps_navigation(browser: Browser, tmp_path: Path) -> None:
    """Three desks opened at the same moment on a fresh server (all three sessions start in the old mode), then
    one more session."""
    with streamlit_server(REPO_ROOT / "app.py", state_dir=tmp_path / "var", log_path=tmp_path / "log") as url:
        for desks in (("maintenance", "finance", "retail"), ("finance",)):
            contexts = [browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US") for _ in desks]
            try:
                pages = [context.new_page() for context in contexts]
                for page, desk in zip(pages, desks):
                    page.goto(f"{url}/{desk}", wait_until="commit")  # do not wait: the sessions start together
                for page in pages:
                    wait_for_app(page)
                    sidebar = page.get_by_test_id("stSidebar")
                    expect(sidebar).to_contain_text("Decision Desk", timeout=60_000)  # app.py's sidebar block
                    navigation = page.get_by_test_id("stSidebarNav")
                    expect(navigation).to_contain_text("Finance risk")
                    expect(navigation).not_to_contain_text("components")
                    expect(navigation).not_to_contain_text("maintenance views")
                expect(pages[0].get_by_role("heading", name="Maintenance" if len(desks) > 1 else "Finance risk")
                       ).to_be_visible(timeout=60_000)
            finally:
                for context in contexts:
                    context.close()


def test_a_helper_module_opened_by_its_address_first_is_not_a_page(browser: Browser, tmp_path: Path) -> None:
    """pages/maintenance_views.py is a module, not a page: its address used to show a blank page under the
    module list; now app.py's navigation answers (page not found, then Home)."""
    with streamlit_server(REPO_ROOT / "app.py", state_dir=tmp_path / "var", log_path=tmp_path / "log") as url:
        context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US")
        try:
            page = context.new_page()
            page.goto(f"{url}/maintenance_views")
            wait_for_app(page)
            navigation = page.get_by_test_id("stSidebarNav")
            expect(navigation).to_contain_text("Finance risk", timeout=60_000)
            expect(navigation).not_to_contain_text("maintenance views")
            expect(page.get_by_role("heading", name="Decision Desk").first).to_be_visible(timeout=30_000)
        finally:
            context.close()

"""The sidebar on a cold start: Streamlit's pages-folder mode must not list pages/'s modules; app.py's menu shows.

Browser QA: for ~30 s after a start the sidebar listed components, finance_views, maintenance_plan_views … (every
module of pages/, which Streamlit's first run treats as pages) until app.py's own navigation replaced it.
"""
from __future__ import annotations

import tomllib
from pathlib import Path

from streamlit import config
from streamlit.proto.Navigation_pb2 import Navigation
from streamlit.runtime.scriptrunner_utils.script_run_context import ScriptRunContext
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[2]


def test_pages_folder_listing_is_hidden_and_the_apps_own_menu_shows(app_env, monkeypatch):
    settings = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert settings.get("client", {}).get("showSidebarNavigation") is False  # what a real start reads
    shown: list[tuple[bool, list[str]]] = []
    enqueue = ScriptRunContext.enqueue

    def spy(self, msg):
        if msg.WhichOneof("type") == "navigation":
            pages = [p.page_name for p in msg.navigation.app_pages]
            shown.append((msg.navigation.position == Navigation.Position.SIDEBAR, pages))
        return enqueue(self, msg)

    monkeypatch.setattr(ScriptRunContext, "enqueue", spy)
    config.set_option("client.showSidebarNavigation", False)  # AppTest does not read config.toml
    try:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
        at.run()  # AppTest starts each run in the pages-folder mode, as a cold start does
    finally:
        config.set_option("client.showSidebarNavigation", True)
    assert not at.exception, at.exception
    in_sidebar = [pages for visible, pages in shown if visible]
    assert in_sidebar and all("components" not in pages for pages in in_sidebar), shown
    assert in_sidebar[-1][:2] == ["Home", "Finance risk"], shown

"""Decision Desk entry point: page config, shared sidebar, navigation. Routing only."""
from __future__ import annotations

from pathlib import Path

import streamlit as st

from pages import components
from services import display_labels, system

st.set_page_config(page_title="Decision Desk", page_icon="📊", layout="wide")

ROOT = Path(__file__).resolve().parent
# Desks appear here as they land; each is one script in pages/.
DESKS = [
    ("pages/finance.py", "Finance risk", ":material/credit_score:"),
    ("pages/retail.py", "Retail demand", ":material/storefront:"),
    ("pages/triage.py", "Medical triage", ":material/radiology:"),
    ("pages/maintenance.py", "Maintenance", ":material/build:"),
    ("pages/assistant.py", "Assistant", ":material/chat:"),
]
PAGES = [st.Page("pages/home.py", title="Home", icon=":material/home:", default=True)] + [
    st.Page(path, title=title, icon=icon) for path, title, icon in DESKS if (ROOT / path).is_file()
]

# A cold start's first run is Streamlit's pages-folder mode: its sidebar listed every module of pages/ (components,
# finance_views …) for the ~30 s before this navigation. config.toml hides that listing (showSidebarNavigation =
# false); this menu is turned back on here and drawn before the slow start-up (get_runtime), not after it.
st.set_option("client.showSidebarNavigation", True)
page = st.navigation(PAGES)
runtime = components.get_runtime()

with st.sidebar:
    st.markdown("### Decision Desk")
    device = system.device_info(runtime)
    shown = device.name if device.kind == "cpu" else f"{device.name} (CUDA)"  # the CPU's name already says so
    st.caption(f"Models run on: **{shown}**")
    st.caption(f"Signed in as **{components.current_user()}**")
    st.caption(display_labels.storage_note(runtime.engine.url.get_backend_name()))

components.routed()  # the pages' app_frame() checks that this run came through here
page.run()

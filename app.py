"""Decision Desk entry point: page config, shared sidebar, navigation. Routing only."""
from __future__ import annotations

from pathlib import Path

import streamlit as st

from pages import components
from services import display_labels, system

st.set_page_config(page_title="Decision Desk", page_icon="📊", layout="wide")

runtime = components.get_runtime()

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

with st.sidebar:
    st.markdown("### Decision Desk")
    device = system.device_info(runtime)
    shown = device.name if device.kind == "cpu" else f"{device.name} (CUDA)"  # the CPU's name already says so
    st.caption(f"Models run on: **{shown}**")
    st.caption(f"Signed in as **{components.current_user()}**")
    st.caption(display_labels.storage_note(runtime.engine.url.get_backend_name()))

components.routed()  # the pages' app_frame() checks that this run came through here
st.navigation(PAGES).run()

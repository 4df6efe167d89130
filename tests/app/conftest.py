"""AppTest fixtures: each test gets its own state folder, fresh caches, no sample auto-load."""
from __future__ import annotations

import pytest
import streamlit as st


@pytest.fixture
def app_env(settings_env, monkeypatch):
    monkeypatch.setenv("DD_LOAD_SAMPLES", "false")
    monkeypatch.setenv("DD_WORKERS", "1")
    monkeypatch.setenv("DD_DEVICE", "cpu")
    st.cache_resource.clear()
    st.cache_data.clear()
    yield settings_env
    st.cache_resource.clear()

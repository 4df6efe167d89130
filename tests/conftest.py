"""Fixtures shared by every test folder: a private state folder, clean settings, PostgreSQL."""
from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest


def running_in_ci() -> bool:
    """CI must not silently skip what it was set up to run (PostgreSQL, the browser)."""
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}


@pytest.fixture
def state_dir(tmp_path: Path) -> Path:
    """The app's state folder (database, datasets, artifacts, reports) for one test."""
    path = tmp_path / "var"
    path.mkdir()
    return path


@pytest.fixture
def settings_env(monkeypatch: pytest.MonkeyPatch, state_dir: Path) -> Iterator[Path]:
    """Point the settings at ``state_dir`` with the default SQLite database.

    A developer's own DD_DATABASE_URL / DATABASE_URL must never reach a test: both are cleared,
    and DD_DATABASE_URL is set empty (meaning "default"), which also outranks a URL in a `.env`
    file. The cached settings object is dropped before and after, so each test reads its own
    environment.
    """
    monkeypatch.setenv("DD_STATE_DIR", str(state_dir))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("DD_DATABASE_URL", "")
    _clear_settings_cache()
    yield state_dir
    _clear_settings_cache()


def _clear_settings_cache() -> None:
    from settings import get_settings

    get_settings.cache_clear()


@pytest.fixture
def postgres_url() -> str:
    """URL of the throwaway database that scripts/test.sh starts (DD_TEST_POSTGRES_URL).

    Without it the test is skipped locally, and fails under CI=true. The database is shared by
    the whole run: tests clean up what they create.
    """
    url = os.environ.get("DD_TEST_POSTGRES_URL", "").strip()
    if not url:
        if running_in_ci():
            pytest.fail("PostgreSQL not started: DD_TEST_POSTGRES_URL is unset (run scripts/test.sh)")
        pytest.skip("DD_TEST_POSTGRES_URL is unset; scripts/test.sh starts PostgreSQL and sets it")
    return url


@pytest.fixture
def one_torch_thread() -> Iterator[None]:
    """Torch on one thread for the test (the image tests train small networks side by side), then as before."""
    import torch

    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)

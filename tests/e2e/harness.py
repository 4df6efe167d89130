"""Browser test harness: a real Streamlit server and the few DOM selectors tests rely on.

Modelled on Streamlit's own e2e harness: start the server, wait for ``/_stcore/health``, and
wait until the script is no longer running before asserting. Every ``data-testid`` the tests
use lives in this module, so a Streamlit upgrade that renames one is fixed in one place.
"""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from playwright.sync_api import Locator, Page, expect

REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SERVER_START_TIMEOUT_S = 60.0
SCRIPT_RUN_TIMEOUT_MS = 60_000

APP = '[data-testid="stApp"]'
RUNNING_ICON = '[data-testid="stStatusWidgetRunningIcon"]'
FILE_UPLOADER = '[data-testid="stFileUploader"]'
ELEMENT_CONTAINER = '[data-testid="stElementContainer"]'
# The chip naming a chosen file (called stFileUploaderFile before Streamlit 1.5x).
EXCEPTION = '[data-testid="stException"]'  # an uncaught error shown in the app
ALERT = '[data-testid="stAlert"]'  # st.success / st.info / st.warning / st.error
UPLOADED_FILE = '[data-testid="stFileChip"], [data-testid="stFileUploaderFile"]'


def chromium_path() -> str:
    return os.environ.get("DD_CHROMIUM", DEFAULT_CHROMIUM)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class ServerStartError(RuntimeError):
    """The Streamlit server exited or did not answer its health check in time."""


@contextmanager
def streamlit_server(app: Path, state_dir: Path, log_path: Path) -> Iterator[str]:
    """Run ``streamlit run APP`` on a free loopback port; yield its base URL.

    The server gets its own state folder and one worker, and never sees the developer's
    database URL (an empty DD_DATABASE_URL means the default SQLite file and outranks `.env`).
    It runs in its own process group so that everything it starts is stopped.
    """
    if not app.exists():
        raise ServerStartError(f"{app} does not exist")
    port = free_port()
    env = {key: value for key, value in os.environ.items() if key not in {"DD_DATABASE_URL", "DATABASE_URL"}}
    env.update(DD_STATE_DIR=str(state_dir), DD_DATABASE_URL="", DD_WORKERS="1", PYTHONUNBUFFERED="1")
    command = [
        sys.executable, "-m", "streamlit", "run", str(app),
        "--server.address", "127.0.0.1",
        "--server.port", str(port),
        "--server.headless", "true",
        "--server.fileWatcherType", "none",
        "--browser.gatherUsageStats", "false",
        "--client.toolbarMode", "minimal",
    ]  # fmt: skip
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            command,
            cwd=app.parent,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        base_url = f"http://127.0.0.1:{port}"
        _wait_for_health(process, f"{base_url}/_stcore/health", log_path)
        yield base_url
    finally:
        _stop_process_group(process)


def _wait_for_health(process: subprocess.Popen[bytes], url: str, log_path: Path) -> None:
    deadline = time.monotonic() + SERVER_START_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise ServerStartError(f"streamlit exited with {process.returncode}:\n{_tail(log_path)}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.read().decode().strip() == "ok":
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.25)
    raise ServerStartError(f"{url} did not answer 'ok' in {SERVER_START_TIMEOUT_S:.0f} s:\n{_tail(log_path)}")


def _stop_process_group(process: subprocess.Popen[bytes]) -> None:
    for sig, wait_s in ((signal.SIGTERM, 10), (signal.SIGKILL, 5)):
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            break
        try:
            process.wait(timeout=wait_s)
            break
        except subprocess.TimeoutExpired:
            continue
    # Children left in the group (job workers) get the same ending.
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def _tail(path: Path, lines: int = 40) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no server log)"


# -- page helpers ----------------------------------------------------------------------------


def wait_for_app(page: Page, timeout_ms: int = SCRIPT_RUN_TIMEOUT_MS) -> None:
    """Wait until the app is connected and its script has finished running.

    Streamlit marks ``stApp`` with the script state and shows a running icon in the status
    widget while the script runs; a short pause first lets a just-triggered rerun begin.
    An uncaught exception in the app fails the test here, with its message.
    """
    page.wait_for_selector(APP, timeout=timeout_ms)
    page.wait_for_timeout(200)
    page.wait_for_function(
        """([app, running]) => {
            const root = document.querySelector(app);
            if (!root) return false;
            const state = root.getAttribute("data-test-script-state");
            const idle = state === null || state === "notRunning" || state === "compilationError";
            return idle && document.querySelector(running) === null;
        }""",
        arg=[APP, RUNNING_ICON],
        timeout=timeout_ms,
    )
    exceptions = page.locator(EXCEPTION)
    if exceptions.count():
        raise AssertionError(f"the app raised an exception:\n{exceptions.first.inner_text()}")


def open_app(page: Page, url: str) -> None:
    page.goto(url)
    wait_for_app(page)


def file_uploader(page: Page, label_text: str) -> Locator:
    """The uploader labelled ``label_text``, whether the label renders inside it or next to it. Resolved
    lazily, so a page still streaming its elements on a busy machine is waited for, not misread."""
    inside = page.locator(FILE_UPLOADER).filter(has_text=label_text)
    beside = page.locator(ELEMENT_CONTAINER).filter(has_text=label_text).filter(has=page.locator(FILE_UPLOADER))
    return inside.or_(beside).first


def upload_file(page: Page, label_text: str, path: Path | str) -> None:
    """Choose ``path`` in the uploader labelled ``label_text`` and wait for the rerun."""
    uploader = file_uploader(page, label_text)
    expect(uploader).to_be_visible(timeout=SCRIPT_RUN_TIMEOUT_MS)
    uploader.locator('input[type="file"]').set_input_files(str(path))
    expect(uploader.locator(UPLOADED_FILE).filter(has_text=Path(path).name)).to_be_visible(timeout=SCRIPT_RUN_TIMEOUT_MS)
    wait_for_app(page)


def click_button(page: Page, text: str) -> None:
    """Click the button whose label is ``text`` and wait for the rerun."""
    button = page.get_by_role("button", name=text, exact=True)
    expect(button).to_be_enabled(timeout=SCRIPT_RUN_TIMEOUT_MS)  # a busy machine reruns slowly
    button.click()
    wait_for_app(page)


def app_root(page: Page) -> Locator:
    return page.locator(APP)


def expect_text(page: Page, text: str, timeout: int = SCRIPT_RUN_TIMEOUT_MS) -> None:
    """The app shows ``text`` (a substring of its text, tables and data grids included)."""
    expect(app_root(page)).to_contain_text(text, timeout=timeout)


def expect_no_text(page: Page, text: str, timeout: int = 2_000) -> None:
    expect(app_root(page)).not_to_contain_text(text, timeout=timeout)


def expect_alert(page: Page, text: str, timeout: int = SCRIPT_RUN_TIMEOUT_MS) -> None:
    """A message box (success, info, warning or error) contains ``text``."""
    expect(page.locator(ALERT).filter(has_text=text).first).to_be_visible(timeout=timeout)


def expect_no_alert(page: Page, text: str, timeout: int = 2_000) -> None:
    """No message box contains ``text`` (headings and tables may)."""
    expect(page.locator(ALERT).filter(has_text=text)).to_have_count(0, timeout=timeout)


def full_page_screenshot(page: Page, path: Path) -> None:
    """Screenshot the whole app: Streamlit scrolls inside its main block, not the page."""
    height = page.evaluate(
        """() => Math.max(...[...document.querySelectorAll('[data-testid="stMain"], [data-testid="stAppViewContainer"], body')]
            .map((el) => el.scrollHeight))"""
    )
    viewport = page.viewport_size or {"width": 1280, "height": 900}
    page.set_viewport_size({"width": viewport["width"], "height": max(viewport["height"], min(int(height), 6000))})
    wait_for_app(page)
    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(path), full_page=True, animations="disabled")
    page.set_viewport_size(viewport)

"""The import contracts in .importlinter hold on the real tree and catch an arrow pointing up."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
CONFIG = REPO_ROOT / ".importlinter"
ROOT_PACKAGES = ("pages", "commands", "services", "domain", "ml", "data", "reports")
LAYERS_CONTRACT = "Layers: pages | commands > services > domain | ml | data | reports"
STREAMLIT_CONTRACT = "Only pages (and app.py) import Streamlit"
DOMAIN_CONTRACT = "Domain uses the standard library only"


def lint_imports(cwd: Path, config: Path) -> subprocess.CompletedProcess[str]:
    script = Path(sys.executable).with_name("lint-imports")
    command = str(script) if script.exists() else shutil.which("lint-imports")
    if command is None:
        pytest.fail("lint-imports is not installed (import-linter, requirements-dev.txt)")
    env = {**os.environ, "COLUMNS": "200", "PYTHONDONTWRITEBYTECODE": "1"}
    return subprocess.run(
        [command, "--no-logo", "--no-cache", str(config)],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def make_tree(root: Path, modules: dict[str, str]) -> None:
    for package in ROOT_PACKAGES:
        (root / package).mkdir()
        (root / package / "__init__.py").write_text("")
    for dotted, source in modules.items():
        (root / (dotted.replace(".", "/") + ".py")).write_text(source)


def test_contracts_hold_on_the_real_tree() -> None:
    result = lint_imports(REPO_ROOT, CONFIG)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "3 kept, 0 broken" in result.stdout


@pytest.mark.parametrize(
    ("module", "source", "contract", "message"),
    [
        ("data.bad", "import services\n", LAYERS_CONTRACT, "data is not allowed to import services"),
        ("domain.bad", "from ml import task\n", LAYERS_CONTRACT, "domain is not allowed to import ml"),
        ("services.bad", "import streamlit as st\n", STREAMLIT_CONTRACT, "not allowed to import streamlit"),
        ("commands.bad", "import pages\n", LAYERS_CONTRACT, "commands is not allowed to import pages"),
        ("domain.bad", "import sqlalchemy\n", DOMAIN_CONTRACT, "domain is not allowed to import sqlalchemy"),
    ],
)
def test_a_broken_arrow_fails_the_check(
    tmp_path: Path, module: str, source: str, contract: str, message: str
) -> None:
    config = tmp_path / ".importlinter"
    shutil.copy(CONFIG, config)
    make_tree(tmp_path, {"ml.task": "", module: source})

    result = lint_imports(tmp_path, config)

    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    assert f"{contract} BROKEN" in output
    assert message in output
    assert "1 broken" in output

"""Streamlit's magic writes every bare expression a page evaluates: `st.warning(a) if c else st.info(a)` on its
own line printed the returned DeltaGenerator's help (pages of "Creator of Delta protobuf messages") under every
retail note. Pages and app.py may hold bare calls (their values are not written) and docstrings only."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
SOURCES = sorted([REPO_ROOT / "app.py", *(REPO_ROOT / "pages").glob("*.py")])


def magic_lines(source: str) -> list[int]:
    """Lines of bare expressions Streamlit's magic would write: anything but a call, a docstring or an await."""
    return [node.lineno for node in ast.walk(ast.parse(source)) if isinstance(node, ast.Expr)
            and not isinstance(node.value, (ast.Call, ast.Await, ast.Yield, ast.YieldFrom))
            and not (isinstance(node.value, ast.Constant) and isinstance(node.value.value, str))]


def test_the_check_finds_a_conditional_call_and_passes_plain_calls():
    assert magic_lines('"""doc"""\nimport streamlit as st\nst.info("a")\nst.warning("a") if x else st.info("a")\n') \
        == [4]


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.name)
def test_no_page_writes_a_bare_expression_by_accident(path):
    assert magic_lines(path.read_text(encoding="utf-8")) == []

"""AppTest: the home page says how a stored file was read in an analyst's words ("Read as text in UTF-8, columns
separated by commas"), not the reader's terms ("encoding utf-8 · delimiter ','")."""
from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

APP = Path(__file__).resolve().parents[2] / "app.py"
FRAME = pd.DataFrame({"city": ["Köln", "Zürich", "Malmö", "Genève", "Århus", "Łódź"],
                      "sales": [1, 2, 3, 4, 5, 6]})


@pytest.fixture
def app(settings_env, monkeypatch) -> Iterator[AppTest]:
    monkeypatch.setenv("DD_LOAD_SAMPLES", "false")
    monkeypatch.setenv("DD_WORKERS", "1")
    monkeypatch.setenv("DD_DEVICE", "cpu")
    st.cache_resource.clear()
    st.cache_data.clear()
    yield AppTest.from_file(str(APP), default_timeout=60).run()
    st.cache_resource.clear()


def _workbook() -> bytes:
    out = io.BytesIO()
    with pd.ExcelWriter(out) as writer:
        FRAME.to_excel(writer, sheet_name="Sales", index=False)
    return out.getvalue()


CASES = [
    ("c.csv", FRAME.to_csv(index=False).encode(), "Read as text in UTF-8, columns separated by commas"),
    ("s.csv", FRAME.to_csv(index=False, sep=";").encode("latin-1", errors="replace"),
     "Read as text in Latin-1 (ISO-8859-1), columns separated by semicolons (;)"),
    ("t.tsv", FRAME.to_csv(index=False, sep="\t").encode(), "Read as text in UTF-8, columns separated by tabs"),
    ("p.csv", FRAME.to_csv(index=False, sep="|").encode(), "Read as text in UTF-8, columns separated by pipes (|)"),
    ("w.xlsx", _workbook(), "Read from the sheet 'Sales'"),
]


def test_the_dataset_caption_says_how_the_file_was_read_in_words(app):
    for name, content, said in CASES:  # each import opens its own profile
        app.file_uploader(key="home.upload").upload(name, content, "text/csv")
        app.run()
        app.button(key="home.import").click()
        app.run()
        assert not app.exception, app.exception
        captions = [str(c.value) for c in app.caption if str(c.value).startswith("File ")]
        assert captions == [f"File {name} · {said}"], captions

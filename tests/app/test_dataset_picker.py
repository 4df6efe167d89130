"""AppTest: the shared upload → import → pick widget on every desk page that trains on a table."""
from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

APP = Path(__file__).resolve().parents[2] / "app.py"
GOOD = b"machine,temp,failed\n" + b"".join(f"m{i},{20 + i % 7},{i % 2}\n".encode() for i in range(30))
BINARY = b"\x00\x01\x02PK\x03\x04" * 50


def _page(name: str) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.run()
    at.switch_page(f"pages/{name}.py")
    at.run()
    assert not at.exception, at.exception
    return at


@pytest.mark.parametrize(("page", "key"), [("finance", "finance"), ("retail", "retail"),
                                           ("maintenance", "maintenance.risk")])
def test_rejected_file_stores_nothing_then_a_good_file_is_selected(app_env, page, key):
    from pages import components
    from services import datasets

    at = _page(page)
    assert any("Upload" in str(i.value) for i in at.info), "an empty desk says what to upload"
    assert at.button(key=f"{key}.import").disabled  # nothing chosen yet
    at.file_uploader(key=f"{key}.upload").upload("broken.csv", BINARY, "text/csv")
    at.run()
    at.button(key=f"{key}.import").click()
    at.run()
    assert any("Nothing was stored" in str(e.value) for e in at.error), [e.value for e in at.error]
    assert datasets.list_datasets(components.get_runtime()) == []
    at.file_uploader(key=f"{key}.upload").upload("machines.csv", GOOD, "text/csv")
    at.run()
    at.button(key=f"{key}.import").click()
    at.run()
    assert not at.exception, at.exception
    stored = datasets.list_datasets(components.get_runtime())
    assert [d.rows for d in stored] == [30]
    assert at.selectbox(key=f"{key}.dataset").value == stored[0].id
    assert any("Stored dataset 'machines'" in str(s.value) for s in at.success), [s.value for s in at.success]
    assert not any("not imported" in str(w.value) for w in at.warning)
    at.file_uploader(key=f"{key}.upload").upload("newer.csv", GOOD, "text/csv")
    at.run()  # uploaded, not imported: the box still shows 'machines', and the page says so
    assert at.selectbox(key=f"{key}.dataset").value == stored[0].id
    assert any(str(w.value).startswith("'newer.csv' is uploaded but not imported") for w in at.warning), \
        [w.value for w in at.warning]
    at.file_uploader(key=f"{key}.upload").upload("broken.csv", BINARY, "text/csv")
    at.run()
    at.button(key=f"{key}.import").click().run()
    at.run()  # browser QA: 'Nothing was stored' then 'click Import file to use it', inviting a retry of the same file
    said = [str(w.value) for w in at.warning]
    assert any(w.startswith("'broken.csv' could not be imported: upload a corrected file") for w in said), said
    assert not any("click" in w for w in said), said

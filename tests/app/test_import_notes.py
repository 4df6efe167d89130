"""AppTest: the desks' shared import flow says what reading changed in the file, not only 'Stored dataset …'.

Browser QA: Torque = 'n/a' in row 6 and 'high' in row 18 of a telemetry file; the page said only "Stored dataset
'telemetry_textsensor': 200 rows." and the column had become text.
"""
from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

APP = Path(__file__).resolve().parents[2] / "app.py"


def _telemetry() -> bytes:
    torque = {6: "n/a", 18: "high"}
    rows = [f"M{i},{298 + i % 5},{torque.get(i, 40 + i % 9)},{i % 2}\n" for i in range(1, 41)]
    return ("machine,temp,Torque [Nm],failed\n" + "".join(rows)).encode()


@pytest.mark.parametrize(("page", "key"), [("finance", "finance"), ("retail", "retail"),
                                           ("maintenance", "maintenance.risk")])
def test_import_lists_every_emptied_cell_in_plain_words(app_env, page, key):
    from pages import components
    from services import datasets

    at = AppTest.from_file(str(APP), default_timeout=60)
    at.run()
    at.switch_page(f"pages/{page}.py")
    at.run()
    at.file_uploader(key=f"{key}.upload").upload("telemetry.csv", _telemetry(), "text/csv")
    at.run()
    at.button(key=f"{key}.import").click()
    at.run()
    assert not at.exception, at.exception
    assert any("Stored dataset 'telemetry'" in str(s.value) for s in at.success)
    said = " ".join(str(w.value) for w in at.warning)
    assert "'n/a'" in said and "rows 6" in said and "'high'" in said and "rows 18" in said, said
    assert datasets.list_datasets(components.get_runtime())[0].schema["Torque [Nm]"] == "numeric"

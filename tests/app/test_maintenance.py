"""AppTest: the maintenance page through the real app (upload → train job → result → score → download)."""
from __future__ import annotations

import time
from pathlib import Path

import pandas as pd
from streamlit.testing.v1 import AppTest

APP = Path(__file__).resolve().parents[2] / "app.py"
SAMPLE = Path(__file__).resolve().parents[2] / "data" / "samples" / "machine_telemetry.csv"


def _page() -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=90)
    at.run()
    at.switch_page("pages/maintenance.py")
    at.run()
    assert not at.exception, at.exception
    return at


def _texts(elements) -> str:
    return "\n".join(str(e.value) for e in elements)


def test_bad_file_shows_error_and_stores_nothing(app_env):
    at = _page()
    assert at.title[0].value == "Maintenance"
    at.file_uploader(key="maintenance.risk.upload").upload("empty.csv", b"", "text/csv")
    at.run()
    at.button(key="maintenance.risk.import").click()
    at.run()
    assert "Nothing was stored" in _texts(at.error)
    from pages import components
    from services import datasets

    assert datasets.list_datasets(components.get_runtime()) == []


def test_upload_train_score_and_download(app_env):
    csv = pd.read_csv(SAMPLE).head(300).to_csv(index=False).encode()
    at = _page()
    at.file_uploader(key="maintenance.risk.upload").upload("telemetry.csv", csv, "text/csv")
    at.run()
    at.button(key="maintenance.risk.import").click()
    at.run()
    assert "Stored dataset 'telemetry'" in _texts(at.success)
    at.selectbox(key="maintenance.target").set_value("Machine failure")
    at.run()
    assert not at.error, _texts(at.error)
    flags = next(d.value for d in at.dataframe if list(d.value.columns) == ["column", "reason"])
    assert {"TWF", "HDF", "Product ID"} <= set(flags["column"])
    at.number_input(key="maintenance.trees").set_value(30)
    at.button(key="maintenance.train").click()
    at.run()
    deadline = time.time() + 180
    while time.time() < deadline and not any("finished: run" in str(s.value) for s in at.success) and not at.error:
        time.sleep(1)
        at.run()
    assert not at.error, _texts(at.error)
    metrics = {m.label: float(m.value) for m in at.metric}
    assert 0.5 <= metrics["cv_auc"] <= 1.0 and 0 < metrics["threshold"] < 1
    at.file_uploader(key="maintenance.scorefile").upload("new.csv", csv, "text/csv")
    at.run()
    at.button(key="maintenance.score").click()
    at.run()
    assert not at.exception, at.exception
    assert "Scored 300 readings" in _texts(at.success)
    scored = next(d.value for d in at.dataframe if "p_failure" in d.value.columns)
    assert list(scored.columns) == ["p_failure", "alert"] and len(scored) == 200
    assert any(b.proto.label == "Download CSV" for b in at.get("download_button"))
    from pages import components

    components.get_job_manager().shutdown()

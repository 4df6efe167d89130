"""AppTest: the home page through the real app entry (navigation, sidebar, services)."""
from __future__ import annotations

import time
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from tests.support import classification_frame

TIMEOUT = 60
APP = Path(__file__).resolve().parents[2] / "app.py"


def _app() -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
    at.run()
    assert not at.exception, at.exception
    return at


def _upload(at: AppTest, name: str, content: bytes) -> AppTest:
    at.file_uploader(key="home.upload").upload(name, content, "text/csv")
    at.run()
    at.button(key="home.import").click()
    at.run()
    assert not at.exception, at.exception
    return at


def _texts(elements) -> str:
    return "\n".join(str(e.value) for e in elements)


def test_home_renders_with_device_and_empty_state(app_env):
    at = _app()
    assert at.title[0].value == "Decision Desk"
    sidebar = _texts(at.sidebar.caption)
    assert "Models run on: **CPU (" in sidebar and "(cpu)" not in sidebar  # the kind is not said twice
    assert at.button(key="home.import").disabled


def test_upload_stores_dataset_and_shows_profile(app_env):
    csv = classification_frame(60).to_csv(index=False).encode()
    at = _upload(_app(), "loans.csv", csv)
    assert "Stored dataset 'loans': 60 rows × 5 columns." in _texts(at.success)
    profile = at.dataframe[0].value
    assert at.dataframe[0].proto.placeholder == "–"  # a text column's min and max: '–', not a grey 'None'
    assert list(profile["column"]) == ["applicant_id", "amount", "purpose", "age", "default"]
    assert profile.set_index("column").loc["amount", "type"] == "numeric"
    assert at.selectbox(key="home.target").value == "default"  # role inference picked the target

    renamed = classification_frame(60).rename(columns={"default": "repaid"}).to_csv(index=False).encode()
    at = _upload(at, "book.csv", renamed)  # no column named like a target: the last one, never the id
    assert at.selectbox(key="home.target").value == "repaid"


@pytest.mark.parametrize("name,content,message", [
    ("empty.csv", b"", "The file is empty"),
    ("header.csv", b"a,b,c\n", "no data rows"),
    ("dup.csv", b"a,b,a\n1,2,3\n", "appears 2 times"),
    ("image.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00" + bytes(range(256)) * 4, "text table"),
])
def test_bad_files_show_a_clear_error_and_store_nothing(app_env, name, content, message):
    at = _upload(_app(), name, content)
    errors = _texts(at.error)
    assert "Nothing was stored" in errors and message.lower() in errors.lower()
    assert not at.success
    from services import datasets
    from pages import components

    assert datasets.list_datasets(components.get_runtime()) == []


def test_baseline_job_runs_in_a_worker_and_reports_back(app_env):
    at = _upload(_app(), "loans.csv", classification_frame(120).to_csv(index=False).encode())
    at.button(key="home.train").click()
    at.run()
    deadline = time.time() + 120
    while time.time() < deadline:
        at.run()
        if any("finished: run" in str(s.value) for s in at.success) or at.error:
            break
        time.sleep(0.5)
    assert not at.error, _texts(at.error)
    assert any("finished: run" in str(s.value) for s in at.success)
    from pages import components
    from services import runs

    stored = runs.list_runs(components.get_runtime())
    assert len(stored) == 1 and 0.5 <= stored[0].metrics["roc_auc"] <= 1.0
    components.get_job_manager().shutdown()


def test_report_export_from_the_runs_tab(app_env):
    from pages import components
    from services import datasets, jobs, modeling

    runtime = components.get_runtime()
    info = datasets.import_dataset(runtime, classification_frame(80).to_csv(index=False).encode(),
                                   filename="l.csv", user="analyst")
    job = jobs.run_inline(runtime, kind="baseline.train", desk=modeling.DESK, handler=modeling.HANDLER,
                          params=modeling.baseline_params(info.id, "default", folds=3, n_estimators=10),
                          user="analyst")
    at = _app()
    runs_table = next(d.value for d in at.dataframe if "run" in d.value.columns and "task" in d.value.columns)
    assert list(runs_table["run"]) == [job.run_id] and list(runs_table["metric"]) == ["AUC"]  # labelled, not roc_auc
    assert 0.0 <= runs_table["value"].iloc[0] <= 1.0 and runs_table["task"].iloc[0] == "baseline classifier"
    assert runs_table["dataset"].iloc[0] == info.name  # which file the run read: three 'demand forecast' runs alike
    label = at.selectbox(key="home.run").format_func(job.run_id)  # the picker says which run, not a bare id
    assert label.startswith(f"Run {job.run_id} · ") and label.endswith(" · baseline classifier · default"), label
    assert "baseline baseline" not in label
    at.selectbox(key="home.fmt").set_value("xlsx")
    at.button(key="home.report.create").click()
    at.run()
    assert not at.exception, at.exception
    assert at.get("download_button")[0].proto.label == "Download XLSX"
    at.run()  # a later rerun (another widget) keeps the report's button; it used to vanish
    assert [b.proto.label for b in at.get("download_button")][:1] == ["Download XLSX"]
    at.selectbox(key="home.fmt").set_value("html").run()  # another format must be created first
    assert "Download HTML" not in [b.proto.label for b in at.get("download_button")]
    assert "Download XLSX" not in [b.proto.label for b in at.get("download_button")]
    from services import reports

    stored = reports.list_reports(runtime)
    assert [(r.run_id, r.format) for r in stored] == [(job.run_id, "xlsx")]
    assert at.selectbox(key="home.stored").value == stored[0].id
    at.button(key="home.report.create").click().run()  # an HTML report now: the picker moves to it
    newest = max(r.id for r in reports.list_reports(runtime))
    assert newest > stored[0].id and at.selectbox(key="home.stored").value == newest  # it had kept the XLSX
    at.button(key="home.champion").click().run()  # the box ticked without a word before
    assert not at.exception, at.exception
    assert f"Run {job.run_id} is now its desk's champion." in _texts(at.success)
    runs_table = next(d.value for d in at.dataframe if "run" in d.value.columns and "task" in d.value.columns)
    assert bool(runs_table["champion"].iloc[0])
    at.run()  # said once
    assert "champion" not in _texts(at.success)


def test_a_run_without_a_headline_figure_reads_a_dash_in_the_runs_table_and_stays_numeric(app_env):
    from data.records import RunRecord
    from pages import components

    with components.get_runtime().uow() as uow:
        owner = uow.users.get_or_create("analyst")
        uow.runs.add(RunRecord(desk="finance", task="credit_lightgbm", owner_id=owner.id, metrics={"oof_auc": 0.71}))
        uow.runs.add(RunRecord(desk="triage", task="image_triage", owner_id=owner.id, metrics={"epochs": 1}))
        uow.commit()
    at = _app()
    table = next(d for d in at.dataframe if "run" in d.value.columns and "task" in d.value.columns)
    assert table.proto.placeholder == "–"  # was unset: the triage run's metric and value read a grey 'None'
    shown = table.value.set_index("run")
    assert shown["value"].dtype == float and shown.loc[1, "value"] == 0.71 and pd.isna(shown.loc[2, "value"])
    assert shown.loc[1, "metric"] == "Out-of-fold AUC" and pd.isna(shown.loc[2, "metric"])  # was '' beside a 'None'

"""AppTest: pages say things in an analyst's words (browser QA: 'Database: sqlite', 'sha256 7e23…', a histogram of
the row counter UDI, four names for the one import button, backquoted formulas and 'cosine schedule')."""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

APP = Path(__file__).resolve().parents[2] / "app.py"
SAMPLE = Path(__file__).resolve().parents[2] / "data" / "samples" / "machine_telemetry.csv"


def _app(page: str | None = None) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=90)
    at.run()
    if page:
        at.switch_page(page).run()
    assert not at.exception, at.exception
    return at


def _stored_telemetry() -> int:
    from pages import components
    from services import datasets

    csv = pd.read_csv(SAMPLE).head(100).to_csv(index=False).encode()
    return datasets.import_dataset(components.get_runtime(), csv, filename="telemetry.csv", user="analyst").id


def _texts(elements) -> str:
    return "\n".join(str(e.value) for e in elements)


def test_the_sidebar_says_where_results_are_saved(app_env):
    sidebar = _texts(_app().sidebar.caption)
    assert "Results are saved in a local database file." in sidebar and "sqlite" not in sidebar


def test_home_keeps_the_fingerprint_out_of_the_headline_and_opens_on_a_measurement(app_env):
    _stored_telemetry()
    at = _app()
    assert "sha256" not in _texts(at.caption).lower()
    assert "File fingerprint (SHA-256)" in [e.label for e in at.expander]
    assert len(at.code[0].value) == 64  # the whole fingerprint, inside the expander
    assert at.selectbox(key="home.hist").value == "Air temperature [K]"  # was UDI, the row counter


def test_stored_reports_table_has_no_file_or_fingerprint_columns(app_env):
    from data.records import ReportRecord, RunRecord
    from pages import components

    with components.get_runtime().uow() as uow:
        owner = uow.users.get_or_create("analyst")
        run = RunRecord(desk="finance", task="credit_lightgbm", owner_id=owner.id, metrics={"oof_auc": 0.7})
        uow.runs.add(run)
        uow.reports.add(ReportRecord(run_id=run.id, format="html", file_path="report-1.html", sha256="ab" * 32,
                                     created_by_id=owner.id))
        uow.commit()
    at = _app()
    tables = [d.value for d in at.dataframe if "report" in d.value.columns]
    assert list(tables[0].columns) == ["report", "run", "format", "created"]  # had 'file' and 'SHA-256'
    assert list(tables[1].columns) == ["report", "file", "SHA-256"]  # in 'File fingerprints (SHA-256)'
    assert "File fingerprints (SHA-256)" in [e.label for e in at.expander]


@pytest.mark.parametrize("page,key", [(None, "home.import"), ("pages/finance.py", "finance.import"),
                                      ("pages/retail.py", "retail.import"),
                                      ("pages/maintenance.py", "maintenance.risk.import")])
def test_every_page_names_the_import_button_alike(app_env, page, key):
    assert _app(page).button(key=key).label == "Import file"


def test_maintenance_formulas_and_epochs_read_in_words(app_env):
    _stored_telemetry()
    at = _app("pages/maintenance.py")
    box = at.text_area(key="maintenance.formulas")
    assert box.label == "Extra columns worked out from others (optional, one per line)" and "`" in box.value
    said = next(str(c.value) for c in at.caption if str(c.value).startswith("Extra columns: "))
    assert "`" not in said and "×" in said and "*" not in said.replace("\\*", ""), said
    epochs = at.number_input(key="maintenance.epochs").label
    assert "cosine" not in epochs and "epochs" not in epochs

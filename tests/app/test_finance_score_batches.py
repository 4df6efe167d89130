"""AppTest: the Score tab after a reload shows the run's latest scored batch (it had shown nothing, though the report
listed the batch), and a second click on the same file shows its stored batch instead of storing a copy (the
report had listed one file four times)."""
from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from tests.support import classification_frame

APP = Path(__file__).resolve().parents[2] / "app.py"


def _trained() -> int:
    from pages import components
    from services import datasets, finance, jobs

    runtime = components.get_runtime()
    info = datasets.import_dataset(runtime, classification_frame(120).to_csv(index=False).encode(),
                                   filename="loans.csv", user="analyst")
    params = finance.credit_params(info.id, "default", id_column="applicant_id", folds=3, model={"n_estimators": 10})
    job = jobs.run_inline(runtime, kind=finance.KIND, desk=finance.DESK, handler=finance.HANDLER, params=params,
                          user="analyst")
    assert job.status == "succeeded", job.message
    return job.run_id


def _page() -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.run()
    at.switch_page("pages/finance.py").run()
    assert not at.exception, at.exception
    return at


def _score(at: AppTest, name: str, payload: bytes) -> None:
    at.file_uploader(key="finance.scoreupload").upload(name, payload, "text/csv")
    at.run()
    at.button(key="finance.score").click().run()
    assert not at.exception and not at.error, (at.exception, [e.value for e in at.error])


def _texts(elements) -> str:
    return "\n".join(str(e.value) for e in elements).replace("\\", "")


def _batches(run_id: int):
    from pages import components
    from services import finance_report, runs

    runtime = components.get_runtime()
    return finance_report.scored_batches(runtime, runs.get_run(runtime, run_id))


def test_a_reload_shows_the_runs_latest_scored_batch_with_its_file_and_time(app_env):
    run_id = _trained()
    at = _page()
    assert not any("Scored " in str(s.value) for s in at.success)  # nothing scored yet: nothing shown
    new = classification_frame(30, seed=9).drop(columns=["default"])
    _score(at, "new.csv", new.to_csv(index=False).encode())
    scored = next(d.value for d in at.dataframe if "reason_1" in d.value.columns)
    notes = [str(i.value) for i in at.info]
    at = _page()  # a reload: a new session
    assert f"Scored 30 applicants with run {run_id}" in _texts(at.success)
    when = _batches(run_id).iloc[-1]["scored at"]
    assert f"new.csv, scored {when} UTC by analyst." in _texts(at.caption)
    shown = next(d.value for d in at.dataframe if "reason_1" in d.value.columns)
    assert list(shown.columns) == list(scored.columns) and len(shown) == 30
    assert shown["applicant_id"].astype(str).tolist() == scored["applicant_id"].astype(str).tolist()
    assert shown[["pd", "grade", "decision"]].equals(scored[["pd", "grade", "decision"]])
    assert [str(i.value) for i in at.info] == notes  # how the file was read, as shown when it was scored
    psi = next(d.value for d in at.dataframe if "psi" in d.value.columns)
    assert len(psi) > 1  # every feature's PSI, not the score's alone
    labels = [b.proto.label for b in at.get("download_button")]
    assert "Download CSV" in labels and "Download XLSX" in labels


def test_the_same_file_scored_again_shows_its_stored_batch_instead_of_a_copy(app_env):
    run_id = _trained()
    at = _page()
    first = classification_frame(30, seed=9).drop(columns=["default"]).to_csv(index=False).encode()
    _score(at, "heldout.csv", first)
    _score(at, "heldout.csv", first)  # a second click on the same file
    assert len(_batches(run_id)) == 1
    assert f"This file (heldout.csv) was scored with run {run_id} at" in _texts(at.info)
    assert "Scored 30 applicants" in _texts(at.success)
    second = classification_frame(20, seed=10).drop(columns=["default"]).to_csv(index=False).encode()
    _score(at, "other.csv", second)
    _score(at, "heldout.csv", first)  # after another file: scored anew, as its applicants are now the latest
    assert _batches(run_id)["file"].tolist() == ["heldout.csv", "other.csv", "heldout.csv"]
    assert "was scored with run" not in _texts(at.info)


def test_a_batch_stored_before_its_notes_were_kept_is_shown_with_the_scores_psi(app_env):
    from pages import components
    from data.records import AuditEventRecord

    run_id = _trained()
    at = _page()
    _score(at, "old.csv", classification_frame(30, seed=9).drop(columns=["default"]).to_csv(index=False).encode())
    scored = next(d.value for d in at.dataframe if "reason_1" in d.value.columns)
    with components.get_runtime().uow() as uow:  # the details a batch was stored with before this change
        event = uow.session.get(AuditEventRecord, at.session_state["finance.scored"].batch)
        event.details = {k: event.details[k] for k in ("rows", "source", "score_psi")}
        uow.commit()
    at = _page()
    assert f"Scored 30 applicants with run {run_id}" in _texts(at.success) and "old.csv, scored" in _texts(at.caption)
    shown = next(d.value for d in at.dataframe if "reason_1" in d.value.columns)
    assert list(shown.columns) == list(scored.columns)
    assert shown["applicant_id"].astype(str).tolist() == scored["applicant_id"].astype(str).tolist()
    psi = next(d.value for d in at.dataframe if "psi" in d.value.columns)
    assert len(psi) == 1 and psi["band"].tolist() == ["too few rows"]

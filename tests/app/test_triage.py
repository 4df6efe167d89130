"""AppTest: the triage page through the real app entry (train job, worklist, review, exports, audit)."""
from __future__ import annotations

import re
import time
from pathlib import Path

from streamlit.testing.v1 import AppTest

from tests.triage_support import traversal_zip, write_class_folders, zip_tree

TIMEOUT = 90
APP = Path(__file__).resolve().parents[2] / "app.py"


def _page() -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
    at.run()
    at.switch_page("pages/triage.py")
    at.run()
    assert not at.exception, at.exception
    return at


def _texts(elements) -> str:
    return "\n".join(str(e.value) for e in elements)


def _model(tmp_path: Path) -> int:
    from pages import components
    from services import jobs, triage

    folder = write_class_folders(tmp_path / "set", per_class=4)
    job = jobs.run_inline(components.get_runtime(), kind="triage.train", desk=triage.DESK, handler=triage.HANDLER,
                          params=triage.train_params(str(folder), size=28, epochs=1), user="analyst")
    assert job.status == "succeeded", job.message
    return job.run_id


def test_page_says_decision_support_and_waits_for_a_model(app_env):
    at = _page()
    assert at.title[0].value == "Medical triage"
    assert "Decision support only" in _texts(at.warning)
    assert at.button(key="triage.train").disabled
    assert "No triage model yet" in _texts(at.info)


def test_training_runs_as_a_background_job(app_env, tmp_path):
    """The page then shows and ranks with the model just trained (it had stayed on the one picked before), and
    lists the files left out of training (a NIfTI volume had been dropped without a word on the page)."""
    earlier = _model(tmp_path / "earlier")
    at = _page()
    folder = write_class_folders(tmp_path / "s", 4)
    (folder / "pneumonia" / "scan.nii.gz").write_bytes(b"\x1f\x8b not read")
    at.file_uploader(key="triage.train_upload").upload("set.zip", zip_tree(folder), "application/zip")
    at.run()
    at.number_input(key="triage.size").set_value(28)
    at.number_input(key="triage.epochs").set_value(1)
    at.button(key="triage.train").click()
    at.run()
    deadline = time.time() + 150
    while time.time() < deadline and not any("finished: run" in str(s.value) for s in at.success) and not at.error:
        time.sleep(1.0)
        at.run()
    assert not at.error, _texts(at.error)
    assert any("finished: run" in str(s.value) for s in at.success)
    from pages import components
    from services import triage_review

    stored = triage_review.list_triage_runs(components.get_runtime())
    new = max(r.id for r in stored)
    assert len(stored) == 2 and new != earlier and stored[0].parameters["classes"] == ["normal", "pneumonia"]
    assert at.selectbox(key="triage.model_eval").value == new and at.selectbox(key="triage.model").value == new
    assert [m.label for m in at.metric][:2] == ["AUC", "Sensitivity"]
    assert at.expander[0].label == "1 file(s) left out of training", [e.label for e in at.expander]
    assert "scan.nii.gz: a NIfTI volume, which the desk does not read" in at.expander[0].markdown[0].value
    components.get_job_manager().shutdown()


def batch_of(at: AppTest) -> str:
    return at.selectbox(key="triage.batch").value


def test_worklist_review_export_and_audit(app_env, tmp_path):
    run_id = _model(tmp_path)
    at = _page()
    studies = zip_tree(write_class_folders(tmp_path / "new", per_class=2))
    at.file_uploader(key="triage.studies").upload("new.zip", studies, "application/zip")
    at.run()
    at.button(key="triage.rank").click()
    at.run()
    assert not at.exception, at.exception
    assert "Ranked 4 studies" in _texts(at.success)
    # named by when and what was scored, not by a bare id (browser QA: 'worklist e134cf496e0b')
    assert re.search(r"worklist \d{4}-\d\d-\d\d \d\d:\d\d UTC · new\.zip · 4 studies · [0-9a-f]{12}\.",
                     _texts(at.success))
    picker = at.selectbox(key="triage.batch")
    assert picker.format_func(picker.value).endswith(f"· new.zip · 4 studies · {picker.value}")
    table = next(d.value for d in at.dataframe if "priority" in d.value.columns)
    # the class at the operating point, as the priority reads the score: never 'normal' beside urgent/review
    assert all((c == "normal") == (p == "routine") for c, p in zip(table["predicted_class"], table["priority"])
               if p != "needs manual read")
    assert len(table) == 4 and list(table["rank"]) == [1, 2, 3, 4]
    assert table["p_abnormal"].is_monotonic_decreasing and table["thumbnail"].str.startswith("data:image/png").all()
    first = at.selectbox(key="triage.study").value
    captions = [c for image in at.get("image") for c in image.captions]
    assert any(c.startswith("Grad-CAM · p(abnormal) = ") and c.endswith(
        "· red = regions that raised the score most, blue = least") for c in captions), captions
    at.radio(key=f"triage.verdict.{batch_of(at)}.{first}").set_value("disagree")
    at.text_area(key=f"triage.note.{batch_of(at)}.{first}").input("check the left base")
    at.button[[b.label for b in at.button].index("Save review")].click()
    at.run()
    assert "Review saved (disagree" in _texts(at.success)
    from pages import components
    from services import triage_review

    rt = components.get_runtime()
    batch = triage_review.list_batches(rt, run_id)[0]
    second = triage_review.worklist(rt, run_id, batch, user="analyst", record_view=False)["record_key"].iloc[1]
    at.selectbox(key="triage.study").set_value(second)
    at.run()  # the next study's form starts empty: a second click must not save the last verdict against it
    study = f"{batch}.{second}"
    assert at.radio(key=f"triage.verdict.{study}").value is None
    assert at.text_area(key=f"triage.note.{study}").value == ""
    at.button[[b.label for b in at.button].index("Save review")].click()
    at.run()  # saving without a verdict records nothing
    with rt.uow() as uow:
        assert "Pick a verdict" in _texts(at.error) and len(uow.reviews.list(run_id)) == 1
    at.button(key="triage.export_zip").click()
    at.run()
    labels = [b.proto.label for b in at.get("download_button")]
    assert "Download reviewed set" in labels
    trail = triage_review.audit_trail(components.get_runtime())
    assert {"view", "review", "export", "score"} <= set(trail["action"]) and run_id >= 1
    assert {("view", "worklist"), ("view", "study"), ("review", "study")} <= set(zip(trail["action"], trail["object"]))
    assert set(trail["user"]) == {"analyst"}
    # browser QA: after a second batch was ranked, the first batch's prepared files were offered under its name
    at.file_uploader(key="triage.studies").upload("later.zip", zip_tree(write_class_folders(tmp_path / "later", 1)),
                                                  "application/zip")
    at.run()
    at.button(key="triage.rank").click()
    at.run()
    assert at.selectbox(key="triage.batch").value != batch
    assert not {"Download reviewed set", "Download worklist CSV"} & {b.proto.label for b in at.get("download_button")}
    at.button(key="triage.export_csv").click()
    at.run()
    assert [b.proto.label for b in at.get("download_button")] == ["Download worklist CSV"]


def test_a_hostile_zip_is_refused_and_nothing_is_stored(app_env, tmp_path):
    _model(tmp_path)
    at = _page()
    at.file_uploader(key="triage.studies").upload("evil.zip", traversal_zip(), "application/zip")
    at.run()
    at.button(key="triage.rank").click()
    at.run()
    assert "unsafe path names" in _texts(at.error) and "Nothing was stored" in _texts(at.error)
    from pages import components
    from services import runs

    assert runs.predictions_frame(components.get_runtime(), 1, kind="worklist").empty


def test_an_unreadable_study_reads_not_scored_with_a_placeholder_picture(app_env, tmp_path):
    from reports.triage_figures import NO_IMAGE_URI

    _model(tmp_path)
    at = _page()
    folder = write_class_folders(tmp_path / "new", per_class=1)
    (folder / "normal" / "broken.png").write_bytes(b"\x89PNG\r\n\x1a\n not really a picture")
    at.file_uploader(key="triage.studies").upload("new.zip", zip_tree(folder), "application/zip")
    at.run()
    at.button(key="triage.rank").click()
    at.run()
    assert not at.exception, at.exception
    worklist = next(d for d in at.dataframe if "priority" in d.value.columns)
    assert worklist.proto.placeholder == "–"  # was unset: an empty cell read a grey 'None'
    table = worklist.value.set_index("file")
    broken = next(name for name in table.index if "broken" in name)
    assert table.loc[broken, ["priority", "p_abnormal", "thumbnail"]].tolist() == [
        "needs manual read", "not scored", NO_IMAGE_URI]
    assert table.loc[broken, "predicted_class"] is None  # no class for a manual read: drawn as '–', was blank
    scored = table.drop(index=broken)
    assert scored["p_abnormal"].str.fullmatch(r"[01]\.\d{3,6}").all()  # more decimals where 3 hide a cut-off
    assert scored["thumbnail"].str.startswith("data:image/png").all()

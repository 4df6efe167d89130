"""AppTest: a saved review is shown again when its study is opened again, and a review made of the same study in
another worklist is marked as such, never shown as this worklist's. A stored run and worklists: no training."""
from __future__ import annotations

import pandas as pd

from tests.app.test_triage import _page, _texts

PARAMETERS = {"classes": ["normal", "pneumonia"], "abnormal_class": "pneumonia", "normal_class": "normal",
              "review_threshold": 0.5, "urgent_threshold": 0.9}


def stored_triage_run() -> int:
    """A succeeded two-class triage run owned by 'ana', stored without training."""
    from data.records import RunRecord
    from pages import components

    with components.get_runtime().uow() as uow:
        owner = uow.users.get_or_create("ana")
        run = uow.runs.add(RunRecord(desk="triage", task="cnn_image_classifier", owner_id=owner.id, metrics={
            "val_auc": 0.9, "threshold": 0.5, "urgent_threshold": 0.9}, parameters=PARAMETERS, status="succeeded"))
        uow.commit()
        return run.id


def _stored_run() -> tuple[int, str]:
    from pages import components
    from services import triage

    runtime = components.get_runtime()
    run_id = stored_triage_run()
    for batch in ("aaaaaaaaaaaa", "bbbbbbbbbbbb"):  # the same two files ranked twice: the keys are alike
        frame = pd.DataFrame({"record_key": ["st-1", "st-2"], "file": ["one.png", "two.png"], "p_abnormal": [0.7, 0.2],
                              "priority": ["review", "routine"], "predicted_class": ["pneumonia", "normal"],
                              "rank": [1, 2], "reason": ["", ""]})
        triage._store_worklist(runtime, run_id, batch, frame, {}, {}, ("normal", "pneumonia"), user="ana")
    return run_id, "bbbbbbbbbbbb"


def test_a_saved_review_is_shown_again_and_one_from_another_worklist_is_marked(app_env):
    _, newest = _stored_run()
    at = _page()
    assert at.selectbox(key="triage.batch").value == newest
    at.selectbox(key="triage.batch").set_value("aaaaaaaaaaaa").run()
    study = "aaaaaaaaaaaa.st-1"
    at.radio(key=f"triage.verdict.{study}").set_value("disagree")
    at.text_area(key=f"triage.note.{study}").input("check the left base")
    at.button[[b.label for b in at.button].index("Save review")].click().run()
    assert "Review saved (disagree; label normal)." in _texts(at.success)
    at.selectbox(key="triage.study").set_value("st-2").run()
    at.selectbox(key="triage.study").set_value("st-1").run()  # back: the form had shown empty radios and note
    assert at.radio(key=f"triage.verdict.{study}").value == "disagree"
    assert at.text_area(key=f"triage.note.{study}").value == "check the left base"
    assert at.selectbox(key=f"triage.label.{study}").value == "(from verdict)"
    assert "Saved review: disagree, label normal, by " in _texts(at.caption)
    at.selectbox(key="triage.batch").set_value(newest).run()  # the same file ranked again: not reviewed there
    table = next(d.value for d in at.dataframe if "priority" in d.value.columns).set_index("file")
    assert table.loc["one.png", "verdict"] == "" and "disagree" in table.loc["one.png", "earlier_review"]
    assert at.radio(key=f"{newest}.st-1".join(("triage.verdict.", ""))).value is None
    assert "Not reviewed in this worklist. Previously reviewed in worklist aaaaaaaaaaaa on " in _texts(at.info)


def test_the_target_sensitivity_says_it_applies_to_the_model_trained_there(app_env):
    """It sat beside a trained model's validation and moved nothing there: nothing said it applies at training."""
    _stored_run()
    at = _page()
    slider = at.slider(key="triage.target")
    assert slider.label == "Target sensitivity (for the model trained here)"
    assert "A model already trained keeps its own cut-off" in slider.help

"""AppTest: "Apply to this run" moves a stored run's cut-off to the slider's target sensitivity and says that only
worklists scored afterwards use it; a run stored without its validation scores is told to be retrained. The slider
only applied at training before. A stored run: no training."""
from __future__ import annotations

import numpy as np

from tests.app.test_triage import _page

PARAMETERS = {"classes": ["normal", "pneumonia"], "abnormal_class": "pneumonia", "normal_class": "normal",
              "review_threshold": 0.6, "urgent_threshold": 0.9}


def _stored_run(monkeypatch, validation: dict | None, notes: tuple[str, ...] = ()) -> int:
    from data.records import RunRecord
    from pages import components
    from services import triage_report

    runtime = components.get_runtime()
    with runtime.uow() as uow:
        owner = uow.users.get_or_create("ana")
        run = uow.runs.add(RunRecord(desk="triage", task="cnn_image_classifier", owner_id=owner.id, metrics={
            "val_auc": 0.9, "threshold": 0.6, "urgent_threshold": 0.9, "target_sensitivity": 0.8},
            parameters={**PARAMETERS, "notes": list(notes)}, status="succeeded"))
        uow.commit()
        run_id = run.id
    stored = {"validation": validation} if validation else {}
    monkeypatch.setattr(triage_report, "evaluation", lambda runtime, run: stored)
    monkeypatch.setattr(triage_report, "evaluation_figures", lambda runtime, run: [])
    monkeypatch.setattr(triage_report, "calibration_note", lambda run, evaluation: None)
    return run_id


def _scores() -> dict:
    rng = np.random.default_rng(1)
    abnormal = [True] * 50 + [False] * 50
    p = np.clip(np.where(abnormal, rng.normal(0.7, 0.15, 100), rng.normal(0.35, 0.15, 100)), 0.001, 0.999)
    return {"p_abnormal": p.tolist(), "abnormal": abnormal}


def test_apply_to_this_run_moves_the_cut_off_and_says_which_worklists_use_it(app_env, monkeypatch):
    from pages import components
    from services import runs, triage_format

    run_id = _stored_run(monkeypatch, _scores())
    at = _page()
    at.slider(key="triage.target").set_value(0.98).run()
    at.button(key="triage.move_cutoff").click().run()
    assert not at.exception and not at.error, (at.exception, [e.value for e in at.error])
    said = next(str(s.value) for s in at.success)
    assert said.startswith("Cut-off moved for a target sensitivity of 0.98: urgent from p ≥ ") and \
        "Worklists scored from now on use it; worklists scored before keep their priorities." in said, said
    moved = runs.get_run(components.get_runtime(), run_id).parameters["moved_cutoff"]
    assert moved["target_sensitivity"] == 0.98 and moved["sensitivity"] >= 0.98 and moved["moved_by"]
    # at once, not one rerun later: the figures and caption above the button had kept the cut-off before the move
    assert {m.label: m.value for m in at.metric}["Sensitivity"] == triage_format.probability(moved["sensitivity"])
    assert any("target sensitivity of 0.98" in str(c.value) for c in at.caption)
    at.run()
    assert any("Cut-off moved" in str(i.value) for i in at.info)  # said again under the run's validation
    shown = {m.label: m.value for m in at.metric}  # the figures at the moved cut-off (they had stayed as trained)
    assert shown["Sensitivity"] == triage_format.probability(moved["sensitivity"])
    assert shown["Threshold"] == triage_format.cutoffs(moved["review_threshold"], moved["urgent_threshold"])[0]


def test_a_run_without_stored_scores_is_told_to_be_retrained(app_env, monkeypatch):
    _stored_run(monkeypatch, None)
    at = _page()
    at.button(key="triage.move_cutoff").click().run()
    assert not at.exception
    assert any("retrain it" in str(e.value) for e in at.error), [e.value for e in at.error]

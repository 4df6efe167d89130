"""AppTest: "agree" on a study that needs a manual read (scored, but unlike the training images) had filed the
model's class as the label, though the study was to be read as if unscored. Refused in words, nothing saved, the
audit unchanged; with the correct label given it saves. A stored run and worklist: no training."""
from __future__ import annotations

import pandas as pd

from tests.app.test_triage import _page, _texts
from tests.app.test_triage_reviews import stored_triage_run

BATCH = "cccccccccccc"
STUDY = f"{BATCH}.st-mr"
REFUSED = "This study needs a manual read, so the model's class 'pneumonia' is no reading to agree with: give the " \
          "correct label"


def _stored_run() -> int:
    from pages import components
    from services import triage

    runtime = components.get_runtime()
    run_id = stored_triage_run()
    frame = pd.DataFrame({"record_key": ["st-mr"], "file": ["mr.dcm"], "p_abnormal": [0.8],
                          "priority": ["needs manual read"], "predicted_class": ["pneumonia"], "rank": [1],
                          "reason": ["unlike the images the model was trained on (MR): read it as if unscored"]})
    triage._store_worklist(runtime, run_id, BATCH, frame, {}, {}, ("normal", "pneumonia"), user="ana")
    return run_id


def _reviews(run_id: int) -> tuple[list, int]:
    from pages import components

    with components.get_runtime().uow() as uow:
        return ([(r.verdict, r.label) for r in uow.reviews.list(run_id)],
                len(uow.audit.find(desk="triage", run_id=run_id, action="review", limit=None)))


def test_agree_on_a_study_needing_a_manual_read_asks_for_the_label(app_env):
    run_id = _stored_run()
    at = _page()
    at.radio(key=f"triage.verdict.{STUDY}").set_value("agree")
    at.button[[b.label for b in at.button].index("Save review")].click().run()
    assert any(str(e.value).startswith(REFUSED) for e in at.error), [e.value for e in at.error]
    assert not at.success and _reviews(run_id) == ([], 0)  # nothing saved, nothing audited
    at.selectbox(key=f"triage.label.{STUDY}").set_value("pneumonia")
    at.button[[b.label for b in at.button].index("Save review")].click().run()
    assert "Review saved (agree; label pneumonia)." in _texts(at.success)
    assert _reviews(run_id) == ([("agree", "pneumonia")], 1)

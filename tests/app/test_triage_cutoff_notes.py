"""AppTest: the notes under a run's validation are those of the cut-off in force, each said once. After "Apply to
this run" moved the cut-off, the trained one's margin note ("Operating cut-off 0.600: midway …") still showed and
"Cut-off moved …" showed twice; and a review band no validation score falls in read "review from p ≥ 0.600" beside
the caution that the 'review' priority is empty. A stored run: no training."""
from __future__ import annotations

import numpy as np

from tests.app.test_triage_cutoff import _stored_run as stored_run
from tests.app.test_triage import _page, _texts

TRAINED_MARGIN = ("Operating cut-off 0.600: midway (in log-odds) between the lowest validation score it must flag "
                  "(0.910) and the highest normal score below that (0.396), so new abnormal studies scoring a little "
                  "under the validation ones are still flagged.")
NOTES = ("Validation: 15% of each class held out image by image.", TRAINED_MARGIN)


def _scores() -> dict:
    """No validation score between the trained cut-offs (0.6 and 0.9); a few abnormal ones low among the normal."""
    abnormal = [*np.linspace(0.91, 0.99, 45), *np.linspace(0.2, 0.4, 5)]
    normal = np.linspace(0.01, 0.396, 50).tolist()
    return {"p_abnormal": [float(p) for p in abnormal + normal], "abnormal": [True] * 50 + [False] * 50}


def test_an_empty_review_band_is_said_to_be_one(app_env, monkeypatch):
    stored_run(monkeypatch, _scores(), notes=NOTES)
    at = _page()
    caption = next(str(c.value) for c in at.caption if str(c.value).startswith("Operating point chosen"))
    assert "Urgent from p ≥ 0.900; review from p ≥ 0.600 to under 0.900, a margin no validation image scored in; " \
           "routine below." in caption, caption


def test_after_a_move_the_notes_are_those_of_the_cut_off_in_force_said_once(app_env, monkeypatch):
    from pages import components
    from services import runs, triage_format

    run_id = stored_run(monkeypatch, _scores(), notes=NOTES)
    at = _page()
    at.slider(key="triage.target").set_value(0.98).run()
    at.button(key="triage.move_cutoff").click().run()
    moved = runs.get_run(components.get_runtime(), run_id).parameters["moved_cutoff"]
    review = triage_format.probability(moved["review_threshold"])
    for rerun in (False, True):
        if rerun:
            at.run()
        said = _texts(at.info) + _texts(at.success)
        assert said.count("Cut-off moved for a target sensitivity of 0.98") == 1, said
        assert TRAINED_MARGIN not in said and NOTES[0] in said
        assert f"Operating cut-off {review}: midway (in log-odds)" in said, said
        assert not any("a margin no validation image scored in" in str(c.value) for c in at.caption)

"""Moving a stored triage run's cut-off to another target sensitivity: training keeps the validation scores in the
run's evaluation, the cut-off is chosen again on them by the training rule (margin included), stored on the run,
audited, used by later scoring only; a run stored without scores is refused in words. The slider only applied at
training: evaluation.json kept the ROC curve but no scores, so a run's cut-off could not move."""
from __future__ import annotations

import json
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from data.records import RunRecord
from services import triage, triage_cutoff, triage_review, triage_training
from services.errors import UserFacingError
from tests.support import make_runtime

PARAMETERS = {"classes": ["normal", "pneumonia"], "abnormal_class": "pneumonia", "normal_class": "normal"}


def _validation(n: int = 300) -> pd.DataFrame:
    rng = np.random.default_rng(0)
    label = np.array(["pneumonia"] * (n // 2) + ["normal"] * (n - n // 2))
    p = np.clip(np.where(label == "pneumonia", rng.normal(0.7, 0.15, n), rng.normal(0.35, 0.15, n)), 0.001, 0.999)
    return pd.DataFrame({"p_normal": 1 - p, "p_pneumonia": p, "label": label})


def _evaluation(target: float):
    task = SimpleNamespace(classes_=["normal", "pneumonia"], validation_=_validation(), history_=[])
    return triage_training.evaluate(task, "pneumonia", "normal", target, None)


def _stored_run(runtime, folder: str, details: dict, rule) -> int:
    (runtime.artifacts_dir / folder).mkdir(parents=True)
    (runtime.artifacts_dir / folder / triage_training.EVALUATION_FILE).write_text(json.dumps(details))
    with runtime.uow() as uow:
        owner = uow.users.get_or_create("ana")
        run = uow.runs.add(RunRecord(desk="triage", task="cnn_image_classifier", owner_id=owner.id, metrics={},
                                     artifact_dir=folder, status="succeeded", parameters={
                                         **PARAMETERS, "review_threshold": rule.review_threshold,
                                         "urgent_threshold": rule.urgent_threshold}))
        uow.commit()
        return run.id


@pytest.fixture
def runtime(tmp_path):
    return make_runtime(tmp_path / "var")


def test_the_cut_off_is_chosen_again_on_the_stored_scores_stored_and_audited(runtime):
    trained = _evaluation(0.8)
    scores = trained.details[triage_training.VALIDATION]
    assert len(scores["p_abnormal"]) == len(scores["abnormal"]) == 300
    run_id = _stored_run(runtime, "triage_a", trained.details, trained.rule)
    moved = triage_cutoff.move_cutoff(runtime, run_id, 0.98, user="ana")
    p, positive = np.array(scores["p_abnormal"]), np.array(scores["abnormal"])
    reached = float((p[positive] >= moved.review_threshold).mean())
    assert reached >= 0.98 and reached == pytest.approx(moved.sensitivity)
    assert moved.review_threshold < trained.rule.review_threshold == moved.trained_review_threshold
    again = _evaluation(0.98)  # the same rule as training for that target, margin included
    assert (moved.review_threshold, moved.urgent_threshold) == (again.rule.review_threshold,
                                                                again.rule.urgent_threshold)
    parameters = triage_review.triage_run(runtime, run_id).parameters
    assert parameters["review_threshold"] == trained.rule.review_threshold  # the trained one is kept
    scoring = triage_training.scoring_parameters(parameters)
    assert (scoring["review_threshold"], scoring["urgent_threshold"]) == (moved.review_threshold,
                                                                          moved.urgent_threshold)
    trail = triage_review.run_audit_trail(runtime, run_id)
    assert list(trail["action"]) == ["move_cutoff run"]
    detail = trail["detail"].iloc[0]
    assert "target_sensitivity=0.98" in detail and "review_threshold_before=" in detail
    assert "worklists scored before keep their priorities" in triage_cutoff.moved_text(parameters["moved_cutoff"])


def test_a_run_stored_without_its_scores_must_be_retrained(runtime):
    trained = _evaluation(0.9)
    old = {k: v for k, v in trained.details.items() if k != triage_training.VALIDATION}
    run_id = _stored_run(runtime, "triage_old", old, trained.rule)
    with pytest.raises(UserFacingError, match=f"Run {run_id} was trained before its validation scores were kept .* "
                                              "retrain it"):
        triage_cutoff.move_cutoff(runtime, run_id, 0.95, user="ana")
    assert "moved_cutoff" not in triage_review.triage_run(runtime, run_id).parameters
    assert triage_review.run_audit_trail(runtime, run_id).empty


def test_a_worklist_keeps_the_cut_off_it_was_scored_at(runtime):
    """The class at the operating point of a stored worklist is read at its own cut-off, not the run's current one."""
    trained = _evaluation(0.8)
    run_id = _stored_run(runtime, "triage_b", trained.details, trained.rule)
    frame = pd.DataFrame({"record_key": ["k1"], "file": ["a.png"], "p_abnormal": [0.3], "priority": ["review"],
                          "predicted_class": ["pneumonia"], "rank": [1], "reason": [""]})
    triage._store_worklist(runtime, run_id, "b1", frame, {}, {}, ("normal", "pneumonia"), user="ana", cutoff=0.25)
    shown = triage_review.worklist(runtime, run_id, "b1", user="ana", record_view=False)
    assert list(shown["predicted_class"]) == ["pneumonia"]  # 0.3 ≥ 0.25; the run's trained cut-off is higher
    assert trained.rule.review_threshold > 0.3

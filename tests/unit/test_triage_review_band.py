"""A cut-off whose operating point already reaches the urgent rule's specificity leaves the 'review' priority empty.
That is worth a word only when the target, not the model, left abnormal studies routine that urgent-grade
specificity could flag (a move to 0.80: 30 urgent, 10 routine, 0 review of 40): the page, report and worklist say
so, and up to which target sensitivity. A model meeting its target at urgent specificity is not told (the caution
had fired on 7 of 20 stored runs at the default 0.95, PneumoniaMNIST's included)."""
from __future__ import annotations

import dataclasses

import numpy as np

from domain import triage_quality as quality
from services.results import RunInfo
from services.triage_report_cutoff import warnings_in_force
from services.triage_training import pick_cutoff
from services.triage_warnings import review_band_warnings


def _validation() -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(1)
    abnormal = np.array([True] * 150 + [False] * 150)
    return np.clip(np.where(abnormal, rng.normal(0.7, 0.15, 300), rng.normal(0.3, 0.12, 300)), 0.001, 0.999), abnormal


def _moved_run(target: float) -> tuple[RunInfo, dict]:
    p, abnormal = _validation()
    cut = pick_cutoff(p, abnormal, target)
    moved = {"target_sensitivity": target, "sensitivity": cut.operating.sensitivity,
             "specificity": cut.operating.specificity, "review_threshold": cut.rule.review_threshold,
             "urgent_threshold": cut.rule.urgent_threshold}
    run = RunInfo(id=1, desk="triage", task="cnn_image_classifier", dataset_id=None,
                  parameters={"warnings": [], "moved_cutoff": moved}, metrics={}, status="succeeded",
                  artifact_dir=None, champion=False, created_at=None)
    return run, {"validation": {"p_abnormal": p.tolist(), "abnormal": abnormal.tolist()}}


def _said(run: RunInfo, details: dict) -> list[str]:
    """The band caution among the run's warnings (the one on few abnormal validation images aside)."""
    return [w for w in warnings_in_force(run, details) if w.startswith("The 'review' priority")]


def _band(run: RunInfo, details: dict) -> int:
    moved, p = run.parameters["moved_cutoff"], np.array(details["validation"]["p_abnormal"])
    return int(((p >= moved["review_threshold"]) & (p < moved["urgent_threshold"])).sum())


def test_an_empty_band_is_said_when_the_target_leaves_sensitivity_unused():
    run, details = _moved_run(0.80)
    assert _band(run, details) == 0  # the collapsed band; at 0.95 specificity 0.92 would be caught, not 0.80
    warnings = _said(run, details)
    assert warnings == [
        "The 'review' priority holds no validation image at this cut-off: the operating point already reaches the "
        "urgent rule's specificity (0.99 ≥ 0.95), so the studies it flags are urgent and the rest routine. The "
        "target leaves abnormal studies routine that the model could flag: at 0.95 specificity the validation "
        "sensitivity is 0.92, against 0.80 at this cut-off. A target sensitivity up to 0.92 flags more of them, "
        "still as urgent; one above it brings back a 'review' tier to read after the urgent ones."]
    moved = run.parameters["moved_cutoff"]
    trained = dataclasses.replace(run, parameters={"warnings": []}, metrics={
        "threshold": moved["review_threshold"], "urgent_threshold": moved["urgent_threshold"],
        "specificity": moved["specificity"]})
    assert _said(trained, details) == warnings  # a run trained at 0.80 is told too


def test_an_empty_band_at_a_target_the_model_meets_at_urgent_specificity_says_nothing():
    run, details = _moved_run(0.90)  # sensitivity 0.90 at specificity 0.97: 0.92 is all 0.95 would allow
    assert _band(run, details) == 0
    assert _said(run, details) == []
    assert _said(*_moved_run(0.95)) == []  # review holds 9 of the flagged images


def test_a_thin_band_below_the_urgent_specificity_says_nothing():
    scores, abnormal = [0.9] * 40 + [0.6] + [0.1] * 20, [True] * 41 + [False] * 20
    assert quality.review_band_caution(scores, abnormal, 0.5, 0.8, 0.9) is None  # a middle tier, if a thin one


def test_a_target_short_of_catching_every_image_at_urgent_specificity_says_so_without_an_impossible_one():
    scores, abnormal = [0.9] * 16 + [0.4] * 4 + [0.1] * 20, [True] * 20 + [False] * 20
    said = quality.review_band_caution(scores, abnormal, 0.5, 0.5, 1.0)  # 0.80 caught; 1.00 at urgent specificity
    assert said.endswith("validation sensitivity is 1.00, against 0.80 at this cut-off. A target sensitivity up to "
                         "1.00 flags more of them, still as urgent.")


def test_training_keeps_the_caution_so_triage_train_prints_it_and_a_moved_cut_off_works_it_out_again():
    p, abnormal = _validation()
    cut = pick_cutoff(p, abnormal, 0.80)
    metrics = {"threshold": cut.rule.review_threshold, "urgent_threshold": cut.rule.urgent_threshold,
               "specificity": cut.operating.specificity}
    validation = {"p_abnormal": p.tolist(), "abnormal": abnormal.tolist()}
    stored = review_band_warnings(metrics, validation)  # what training stores among the run's warnings
    assert len(stored) == 1 and stored[0].startswith("The 'review' priority holds no validation image")
    trained = RunInfo(id=1, desk="triage", task="cnn_image_classifier", dataset_id=None,
                      parameters={"warnings": stored}, metrics=metrics, status="succeeded", artifact_dir=None,
                      champion=False, created_at=None)
    assert _said(trained, {"validation": validation}) == stored  # said once, not twice
    run, details = _moved_run(0.90)  # moved to a target the model meets at urgent specificity
    moved = dataclasses.replace(run, parameters={**run.parameters, "warnings": stored})
    assert _said(moved, details) == []

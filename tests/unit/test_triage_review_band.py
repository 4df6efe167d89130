"""A cut-off whose operating point already reaches the urgent rule's specificity leaves the 'review' priority empty
(a move to 0.80: review from p ≥ 0.4911, urgent from 0.4912; 30 urgent, 10 routine, 0 review of 40): the page and
report say so, and at which target sensitivity a review tier comes back."""
from __future__ import annotations

import dataclasses

import numpy as np

from domain import triage_quality as quality
from services.results import RunInfo
from services.triage_report_cutoff import warnings_in_force
from services.triage_training import pick_cutoff


def _validation() -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(0)
    abnormal = np.array([True] * 150 + [False] * 150)
    return np.clip(np.where(abnormal, rng.normal(0.7, 0.15, 300), rng.normal(0.3, 0.1, 300)), 0.001, 0.999), abnormal


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


def test_an_empty_review_band_is_said_with_the_target_that_brings_one_back():
    run, details = _moved_run(0.80)
    moved = run.parameters["moved_cutoff"]
    p = np.array(details["validation"]["p_abnormal"])
    assert not ((p >= moved["review_threshold"]) & (p < moved["urgent_threshold"])).any()  # the collapsed band
    warnings = warnings_in_force(run, details)
    assert warnings == [
        "The 'review' priority is empty at this cut-off: the operating point already reaches the urgent rule's "
        "specificity (1.00 ≥ 0.95), so the studies it flags are urgent and the rest routine, with no middle tier to "
        "read after the urgent ones. A 'review' tier comes back with a target sensitivity above 0.97, the validation "
        "sensitivity at 0.95 specificity."]
    assert warnings_in_force(*_moved_run(0.99)) == []  # above 0.97: review holds 41 of the 188 flagged images
    trained = dataclasses.replace(run, parameters={"warnings": []}, metrics={
        "threshold": moved["review_threshold"], "urgent_threshold": moved["urgent_threshold"], "specificity": 1.0})
    assert warnings_in_force(trained, details) == warnings  # a run trained at 0.80 is told too


def test_a_nearly_empty_band_counts_its_images_and_a_full_one_says_nothing():
    scores, abnormal = [0.9] * 40 + [0.6] + [0.1] * 20, [True] * 41 + [False] * 20
    said = quality.review_band_caution(scores, abnormal, 0.5, 0.8, 0.9)
    assert said == ("The 'review' priority holds only 1 of the 41 flagged validation images at this cut-off: few "
                    "validation scores lie between the review and urgent cut-offs, so the worklist has almost no "
                    "middle tier between urgent and routine.")
    assert quality.review_band_caution(scores, abnormal, 0.5, 0.95, 0.9) is None

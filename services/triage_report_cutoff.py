"""The triage run report at the cut-off now in force. A cut-off moved on the stored run ("Apply to this run",
services/triage_cutoff.py) is what every worklist scored since uses, yet the report had kept the trained cut-off's
sensitivity, specificity, ROC point and confusion matrix, and listed the move as a raw key/value
(`moved_cutoff: target_sensitivity: 0.98, review_threshold: 0.36905250826838815, …`)."""
from __future__ import annotations

import json
from dataclasses import replace
from datetime import datetime
from typing import Any

import numpy as np

from domain import triage_quality as quality
from services import triage_format
from services.results import RunInfo
from services.runtime import Runtime
from services.triage_metrics import confusion
from services.triage_training import EVALUATION_FILE, MOVED_CUTOFF, VALIDATION, pick_cutoff
from services.triage_warnings import BAND_CAUTION, review_band_warnings

# measured at the review cut-off; only the validation scores are kept, so these cannot follow a moved one
TEST_AT_CUTOFF = ("test_sensitivity", "test_specificity")


def evaluation(runtime: Runtime, run: RunInfo) -> dict[str, Any]:
    """The run's stored evaluation (ROC, calibration, validation scores); empty for a run stored without one."""
    path = runtime.artifacts_dir / (run.artifact_dir or "") / EVALUATION_FILE
    return json.loads(path.read_text()) if path.is_file() else {}


def in_force(run: RunInfo, details: dict[str, Any]) -> RunInfo:
    """The run with its figures at the cut-off in force: a moved one replaces the trained cut-offs, target,
    sensitivity, specificity, accuracy at the operating point and cut-off before the margin (the last two from
    the stored validation scores, left out without them). The run as trained when nothing was moved."""
    moved = run.parameters.get(MOVED_CUTOFF)
    if not moved:
        return run
    metrics = {k: v for k, v in run.metrics.items() if k not in ("val_accuracy_at_threshold",
                                                                 "threshold_before_margin")}
    metrics.update(threshold=moved["review_threshold"], urgent_threshold=moved["urgent_threshold"],
                   sensitivity=moved["sensitivity"], specificity=moved["specificity"],
                   target_sensitivity=moved["target_sensitivity"])
    if validation := details.get(VALIDATION):
        p, positive = _scores(validation)
        metrics.update(val_accuracy_at_threshold=float(((p >= moved["review_threshold"]) == positive).mean()),
                       threshold_before_margin=pick_cutoff(p, positive, moved["target_sensitivity"]).chosen)
    return replace(run, metrics=metrics)


def in_force_details(run: RunInfo, details: dict[str, Any]) -> dict[str, Any]:
    """The stored evaluation with its ROC point and (two-class) confusion matrix at the cut-off in force."""
    moved = run.parameters.get(MOVED_CUTOFF)
    if not moved or not details:
        return details
    shown = {**details, "operating": [1 - moved["specificity"], moved["sensitivity"]]}
    validation, matrix = details.get(VALIDATION), details.get("confusion") or {}
    if validation and matrix.get("basis") == "operating point":  # more classes: by the likeliest class, no cut-off
        p, positive = _scores(validation)
        normal, abnormal = matrix["labels"]  # two classes: the matrix reads only who is flagged and who is abnormal
        shown["confusion"] = confusion(None, None, p >= moved["review_threshold"], positive, matrix["labels"],
                                       abnormal, normal)
    return shown


def moved_sentence(run: RunInfo) -> str:
    """When, by whom and from what the cut-off was moved, in words; '' for a run that keeps its trained one."""
    moved = run.parameters.get(MOVED_CUTOFF)
    if not moved:
        return ""
    metrics, parameters = run.metrics, run.parameters
    trained = (metrics.get("threshold", parameters.get("review_threshold")),
               metrics.get("urgent_threshold", parameters.get("urgent_threshold")))
    before = (moved.get("review_threshold_before", trained[0]), moved.get("urgent_threshold_before", trained[1]))
    now = (moved["review_threshold"], moved["urgent_threshold"])
    cut = triage_format.decimals_for([c for c in (*trained, *before, *now) if isinstance(c, (int, float))])
    target = metrics.get("target_sensitivity", parameters.get("target_sensitivity", 0.95))
    trained_said = f"target sensitivity {target:.2f}: {_cutoffs(trained, cut)}"
    source = f"the trained one ({trained_said})" if before == trained else \
        f"an earlier move ({_cutoffs(before, cut)}; trained for a {trained_said})"
    test = " Test figures were measured at the trained cut-off: test scores are not kept to measure them again." \
        if any(name in metrics for name in TEST_AT_CUTOFF) else ""
    return (f"Cut-off moved {_when(moved.get('moved_at'))} by {moved.get('moved_by') or 'unknown'} from {source} to "
            f"a target sensitivity of {moved['target_sensitivity']:.2f} ({_cutoffs(now, cut)}). Worklists scored since "
            f"use it; those scored before keep their priorities. The validation figures here are at the cut-off in "
            f"force.{test}")


def moved_setting(run: RunInfo) -> tuple[str, str] | None:
    """The settings table's row for a moved cut-off (it had read `moved_cutoff` and a JSON-like dump)."""
    moved = run.parameters.get(MOVED_CUTOFF)
    if not moved:
        return None
    review, urgent = triage_format.cutoffs(moved["review_threshold"], moved["urgent_threshold"])
    return ("Cut-off moved after training", f"{_when(moved.get('moved_at'))} by {moved.get('moved_by') or 'unknown'}"
            f": review from p ≥ {review}, urgent from p ≥ {urgent}, for a target sensitivity of "
            f"{moved['target_sensitivity']:.2f}")


def _cutoffs(pair: tuple, decimals: int) -> str:
    return (f"review from p ≥ {triage_format.probability(pair[0], decimals)}, urgent from p ≥ "
            f"{triage_format.probability(pair[1], decimals)}")


def operating_caption(run: RunInfo, details: dict[str, Any] | None) -> str:
    """The operating point and its bands at the cut-off in force. Where no validation score lies between the two
    cut-offs, the review band is said to be a margin none scored in: "review from p ≥ 0.629" had stood beside the
    caution that the 'review' priority holds no validation image, as if they disagreed."""
    metrics = in_force(run, {}).metrics
    low, high = float(metrics.get("threshold", 0)), float(metrics.get("urgent_threshold", 1))
    review, urgent = triage_format.cutoffs(low, high)
    validation = (details or {}).get(VALIDATION)
    scores = _scores(validation)[0] if validation else None
    band = f"review from p ≥ {review} to under {urgent}, a margin no validation image scored in" \
        if scores is not None and low < high and not ((scores >= low) & (scores < high)).any() else \
        f"review from p ≥ {review}"
    return (f"Operating point chosen on {metrics.get('val_images', 0)} validation images for a target sensitivity of "
            f"{metrics.get('target_sensitivity', 0.95):.2f}. Urgent from p ≥ {urgent}; {band}; routine below.")


MARGIN_NOTE = "Operating cut-off "  # services.triage_training.with_margin's note opens so


def notes_in_force(run: RunInfo, details: dict[str, Any] | None) -> list[str]:
    """The run's notes with the margin note of the cut-off in force: after a move from 0.629 to 0.053 the page
    still said "Operating cut-off 0.629: midway (in log-odds) …". Worked out again on the validation scores, in
    its place; left out without them."""
    notes = list(run.parameters.get("notes", []))
    moved = run.parameters.get(MOVED_CUTOFF)
    if not moved:
        return notes
    validation = (details or {}).get(VALIDATION)
    now = list(pick_cutoff(*_scores(validation), moved["target_sensitivity"]).notes) if validation else []
    at = next((i for i, note in enumerate(notes) if note.startswith(MARGIN_NOTE)), len(notes))
    kept = [note for note in notes if not note.startswith(MARGIN_NOTE)]
    return kept[:at] + now + kept[at:]


OPERATING_CAUTION = "The operating point was set on "  # domain.triage_quality.operating_point_caution's opening


def warnings_in_force(run: RunInfo, details: dict[str, Any]) -> list[str]:
    """The run's warnings with the caution about few abnormal validation images worked out again at a moved
    cut-off (its target and sensitivity): after a move to 0.70 the page and report still warned "could be as low as
    0.80 (95 % lower bound) against the 0.95 target", beside text saying 0.70 was in force. Then, at the cut-off in
    force, the caution when the 'review' priority is empty or nearly so (``quality.review_band_caution``)."""
    # the stored band caution (at the trained cut-off) is worked out again below, at the cut-off in force
    warnings = [w for w in run.parameters.get("warnings", []) if not w.startswith(BAND_CAUTION)]
    moved = run.parameters.get(MOVED_CUTOFF)
    validation = (details or {}).get(VALIDATION)
    if moved:
        warnings = [w for w in warnings if not w.startswith(OPERATING_CAUTION)]
    if moved and validation:
        abnormal = int(_scores(validation)[1].sum())
        warnings += filter(None, [quality.operating_point_caution(moved["sensitivity"], moved["target_sensitivity"],
                                                                  abnormal)])
    return warnings + list(filter(None, [band_caution(run, details)]))


def band_caution(run: RunInfo, details: dict[str, Any] | None) -> str | None:
    """The empty-review-band caution at the cut-offs in force; None without validation scores or cut-offs. Said
    under the run's validation and, since the worklist shows the empty tier, by every worklist scored with it."""
    said = review_band_warnings(in_force(run, {}).metrics, (details or {}).get(VALIDATION))
    return said[0] if said else None


def _scores(validation: dict[str, list]) -> tuple[np.ndarray, np.ndarray]:
    return np.asarray(validation["p_abnormal"], dtype=float), np.asarray(validation["abnormal"], dtype=bool)


def _when(stamp: str | None) -> str:
    """'on 2026-12-01 21:11 UTC' from the stored ISO time; 'at an unknown time' without one."""
    try:
        return f"on {datetime.fromisoformat(str(stamp)):%Y-%m-%d %H:%M} UTC"
    except ValueError:
        return "at an unknown time"

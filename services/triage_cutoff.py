"""Move a stored triage run's cut-off to another target sensitivity, chosen again on its validation scores by the
rule training uses (ROC point with the fewest false positives, the margin, the urgent cut-off). The "Target
sensitivity" slider only applied at training: a run kept the ROC curve but not the scores, so its cut-off could
not move. Worklists scored afterwards use the moved cut-off; those scored before keep the priorities they got."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone

import numpy as np

from services import triage_format, triage_report, triage_review
from services.errors import UserFacingError
from services.triage import DESK
from services.triage_training import MOVED_CUTOFF, VALIDATION, pick_cutoff


@dataclass(frozen=True)
class MovedCutoff:
    run_id: int
    target_sensitivity: float
    review_threshold: float
    urgent_threshold: float
    sensitivity: float          # on the run's validation images, at the moved cut-off
    specificity: float
    validation_images: int
    trained_review_threshold: float


def move_cutoff(runtime, run_id: int, target_sensitivity: float, *, user: str) -> MovedCutoff:
    """Choose the run's cut-offs again for ``target_sensitivity``, store them on the run and audit the change."""
    if not 0.5 <= float(target_sensitivity) <= 1.0:
        raise UserFacingError("Target sensitivity must be between 0.5 and 1.")
    run = triage_review.triage_run(runtime, run_id)
    validation = triage_report.evaluation(runtime, run).get(VALIDATION)
    if not validation:
        raise UserFacingError(f"Run {run_id} was trained before its validation scores were kept with it, so its "
                              "cut-off cannot be moved: retrain it with the target sensitivity wanted.")
    p = np.asarray(validation["p_abnormal"], dtype=float)
    positive = np.asarray(validation["abnormal"], dtype=bool)
    cutoff = pick_cutoff(p, positive, float(target_sensitivity))
    moved = MovedCutoff(int(run_id), float(target_sensitivity), cutoff.rule.review_threshold,
                        cutoff.rule.urgent_threshold, cutoff.operating.sensitivity, cutoff.operating.specificity,
                        len(p), float(run.parameters["review_threshold"]))
    stored = {"target_sensitivity": moved.target_sensitivity, "review_threshold": moved.review_threshold,
              "urgent_threshold": moved.urgent_threshold, "sensitivity": moved.sensitivity,
              "specificity": moved.specificity, "moved_by": user, "moved_at": datetime.now(timezone.utc).isoformat()}
    with runtime.uow() as uow:
        owner = uow.users.get_or_create(user)
        record = uow.runs.get(int(run_id))
        before = (record.parameters or {}).get(MOVED_CUTOFF) or {
            k: run.parameters.get(k) for k in ("review_threshold", "urgent_threshold")}
        stored.update({f"{k}_before": before.get(k) for k in ("review_threshold", "urgent_threshold")})  # reported
        record.parameters = {**(record.parameters or {}), MOVED_CUTOFF: stored}  # a new dict: the JSON is saved
        uow.audit.add(user_id=owner.id, action="move_cutoff", object_type="run", object_id=str(run_id),
                      details={"desk": DESK, "run_id": int(run_id), "target_sensitivity": moved.target_sensitivity,
                               "review_threshold": moved.review_threshold, "urgent_threshold": moved.urgent_threshold,
                               "sensitivity": moved.sensitivity, "specificity": moved.specificity,
                               "review_threshold_before": before.get("review_threshold"),
                               "urgent_threshold_before": before.get("urgent_threshold")})
        uow.commit()
    return moved


def moved_text(moved: dict | MovedCutoff) -> str:
    """The moved cut-off in words, as the triage page says it under the run's validation."""
    get = moved.get if isinstance(moved, dict) else lambda k: getattr(moved, k)
    review, urgent = triage_format.cutoffs(get("review_threshold"), get("urgent_threshold"))
    return (f"Cut-off moved for a target sensitivity of {get('target_sensitivity'):.2f}: urgent from p ≥ {urgent}; "
            f"review from p ≥ {review} (validation sensitivity {get('sensitivity'):.2f}, specificity "
            f"{get('specificity'):.2f}). Worklists scored from now on use it; worklists scored before keep their "
            "priorities.")

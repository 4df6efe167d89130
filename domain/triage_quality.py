"""How far a trained triage model's validation figures can be trusted: whether the network beats a logistic
regression on its pixels, and whether the sensitivity at the operating point could well be under its target on so
few abnormal validation images. Each rule returns the caution a run carries, or None."""
from __future__ import annotations

import math
from collections.abc import Sequence

from domain.triage import URGENT_SPECIFICITY

BASELINE_MARGIN = 0.05  # validation AUC the CNN may trail a logistic regression on its pixels by
FEW_FOR_COMPARISON = 100  # validation images under which a gap between two AUCs may be chance


def weak_model_caution(model_auc: float, baseline_auc: float | None, epochs_run: int, epochs: int,
                       size: int, val_images: int | None = None) -> str | None:
    """The caution for a model whose validation AUC trails, by more than ``BASELINE_MARGIN``, a logistic
    regression on downsampled pixels fitted on the same split: the network learnt less than a straight line
    through its pixels, yet its worklist looks as finished as any. None when it keeps up. On few validation
    images the gap may be chance (0.059 on 48 images; 0.004 on 200 new ones), and the caution says so."""
    if baseline_auc is None or model_auc >= baseline_auc - BASELINE_MARGIN:
        return None
    stopped = (f"early stopping ended it after {epochs_run} of {epochs} epochs; " if epochs_run < epochs else "")
    few = (f" On {val_images} validation images a gap this size can be chance: check on more images."
           if val_images and val_images < FEW_FOR_COMPARISON else "")
    return (f"The model is weak: its validation AUC is {model_auc:.3f}, well below the {baseline_auc:.3f} of a "
            "simple baseline (a logistic regression on downsampled pixels, same training and validation images)."
            f"{few} It may be underfitting ({stopped}trained {epochs_run} epoch(s) at {size} px). Retrain with more "
            f"epochs (e.g. {max(2 * epochs, epochs + 10)}), a larger image size when the finding is small (e.g. "
            f"{min(224, 2 * size)} px), or more images. Until it beats the baseline, read its worklist order with "
            "extra care.")


def baseline_caution(model_auc: float, baseline_auc: float | None, val_images: int | None = None) -> str | None:
    """The caution for a model that does not beat the pixel baseline (validation AUC at or under the baseline's)
    yet trails it by no more than ``BASELINE_MARGIN``; further behind, ``weak_model_caution`` speaks. A report
    showed the model at 0.994, the baseline at 1.000 and 'auc_vs_baseline -0.006' raw, and nothing pointed it out."""
    if baseline_auc is None or model_auc > baseline_auc or model_auc < baseline_auc - BASELINE_MARGIN:
        return None
    gap = f"{model_auc - baseline_auc:+.3f}".replace("-", "−")
    few = (f" On {val_images} validation images the two cannot be told apart reliably."
           if val_images and val_images < FEW_FOR_COMPARISON else "")
    return (f"The model does not beat a simple baseline: its validation AUC is {model_auc:.3f}, against "
            f"{baseline_auc:.3f} for a logistic regression on downsampled pixels fitted on the same training and "
            f"validation images (model − baseline = {gap}).{few} On these images the network adds nothing "
            "measurable over that baseline: check it on more or harder labelled images (a test/ folder) before "
            "relying on its worklist order.")


def sensitivity_lower_bound(caught: int, abnormal: int, z: float = 1.96) -> float:
    """Wilson score lower bound (95 %) of a sensitivity of ``caught`` of ``abnormal`` images: all 24 of 24
    caught is still consistent with a true sensitivity of 0.86."""
    if abnormal <= 0:
        return 0.0
    p = caught / abnormal
    centre = p + z * z / (2 * abnormal)
    spread = z * math.sqrt(p * (1 - p) / abnormal + z * z / (4 * abnormal * abnormal))
    return max(0.0, (centre - spread) / (1 + z * z / abnormal))


def operating_point_caution(sensitivity: float, target: float, abnormal: int) -> str | None:
    """The caution when the sensitivity measured on validation could well be below the target: its 95 % lower
    bound falls more than 0.05 under it (a model at 1.0 on 24 abnormal images met 0.87 on 390 new ones)."""
    lower = sensitivity_lower_bound(round(sensitivity * abnormal), abnormal)
    if abnormal <= 0 or lower >= target - 0.05:
        return None
    return (f"The operating point was set on {abnormal} abnormal validation image(s), where it caught "
            f"{sensitivity:.0%}; with so few, the true sensitivity could be as low as {lower:.2f} (95 % lower "
            f"bound) against the {target:.2f} target. Check it on more abnormal images (a larger val/ split, or "
            "a test/ folder of class folders) before relying on it.")


NEARLY_EMPTY_BAND = 0.05  # of the flagged validation images in the review band, under which the band says little
UNUSED_SENSITIVITY = 0.05  # sensitivity the urgent rule's specificity still allows beyond the cut-off's, worth a word


def review_band_caution(scores: Sequence[float], abnormal: Sequence[bool], review: float, urgent: float,
                        specificity: float, urgent_specificity: float = URGENT_SPECIFICITY) -> str | None:
    """The caution when the 'review' priority holds none, or under NEARLY_EMPTY_BAND, of the validation images the
    cut-off flags because the operating point already reaches the urgent rule's specificity, and that rule's
    specificity would still flag UNUSED_SENSITIVITY more of the abnormal images: the target, not the model, left
    them routine (a target of 0.80: review from 0.4911, urgent from 0.4912; 30 urgent, 10 routine, 0 review of 40).
    Urgent means flagged at the specificity an urgent read needs, review flagged only for the sensitivity target;
    a model that meets the target at urgent specificity rightly has no review tier, and a word on every such run
    (7 of 20 stored runs at the default 0.95) told nothing. None then, and while the band holds more."""
    flagged = [s for s in scores if s >= review]
    band = sum(s < urgent for s in flagged)
    if not flagged or band > NEARLY_EMPTY_BAND * len(flagged) or specificity < urgent_specificity - 1e-9:
        return None
    positive = [s for s, a in zip(scores, abnormal) if a]
    caught = sum(s >= review for s in positive) / max(len(positive), 1)
    reach = _sensitivity_at(scores, abnormal, urgent_specificity)
    if reach < caught + UNUSED_SENSITIVITY - 1e-9:
        return None
    held = "no validation image" if not band else f"only {band} of the {len(flagged)} flagged validation images"
    back = "" if reach >= 1 - 1e-9 else "; one above it brings back a 'review' tier to read after the urgent ones"
    return (f"The 'review' priority holds {held} at this cut-off: the operating point already reaches the urgent "
            f"rule's specificity ({specificity:.2f} ≥ {urgent_specificity:.2f}), so the studies it flags are urgent "
            f"and the rest routine. The target leaves abnormal studies routine that the model could flag: at "
            f"{urgent_specificity:.2f} specificity the validation sensitivity is {reach:.2f}, against {caught:.2f} at "
            f"this cut-off. A target sensitivity up to {reach:.2f} flags more of them, still as urgent{back}.")


def _sensitivity_at(scores: Sequence[float], abnormal: Sequence[bool], specificity: float) -> float:
    """The validation sensitivity at the lowest cut-off keeping ``specificity``: flagged above the normal score that
    only the allowed share of normal images reaches."""
    normal = sorted((s for s, a in zip(scores, abnormal) if not a), reverse=True)
    positive = [s for s, a in zip(scores, abnormal) if a]
    if not normal or not positive:
        return 1.0
    cut = normal[min(int((1 - specificity) * len(normal) + 1e-9), len(normal) - 1)]
    return sum(s > cut for s in positive) / len(positive)

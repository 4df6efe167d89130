"""How far a trained triage model's validation figures can be trusted: whether the network beats a logistic
regression on its pixels, and whether the sensitivity at the operating point could well be under its target on so
few abnormal validation images. Each rule returns the caution a run carries, or None."""
from __future__ import annotations

import math

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

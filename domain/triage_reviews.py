"""What a reviewer's verdict on a worklist study files for retraining: agree keeps the model's class, disagree
gives another, and a label that contradicts the verdict is refused. Plain Python, kept apart from the ranking rules
of ``domain.triage``."""
from __future__ import annotations

from collections.abc import Sequence

VERDICTS = ("agree", "disagree")


def reviewed_label(verdict: str, predicted: str | None, label: str | None, classes: Sequence[str], *,
                   manual_read: bool = False) -> str | None:
    """The label a review gives a study, for the retraining set.

    agree: the predicted class. disagree: the reviewer's label, or for two classes the other class.
    Unreadable studies (no prediction) need the reviewer's label. A label that contradicts the verdict (disagree
    with the predicted class, agree with another) is refused: it had been saved and filed for retraining. So is
    either verdict without a label on a ``manual_read`` study (scored, but unlike the training images, so to be read
    as if unscored): agree filed the model's class, and disagree, with two classes, the other one, though a reviewer
    disagreeing with the priority (a manual read) says nothing of the class."""
    if verdict not in VERDICTS:
        raise ValueError(f"verdict must be one of {', '.join(VERDICTS)}, got {verdict!r}")
    if label:
        if label not in classes:
            raise ValueError(f"label {label!r} is not one of the classes: {', '.join(classes)}")
        if predicted is not None and (verdict == "agree") != (label == predicted):
            raise ValueError(f"{verdict} with the label {label!r} contradicts itself (the model predicted "
                             f"{predicted!r}): agree keeps the predicted class, disagree gives another; "
                             "nothing was saved")
        return label
    if predicted is None:
        return None
    if manual_read:
        raise ValueError(f"this study needs a manual read, so the model's class {predicted!r} is no reading to "
                         f"{verdict} with: give the correct label (agree if it is {predicted!r}, disagree if not); "
                         "nothing was saved")
    if verdict == "agree":
        return predicted
    others = [c for c in classes if c != predicted]
    return others[0] if len(others) == 1 else None

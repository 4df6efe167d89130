"""Which reviews a worklist shows: those made in it, and apart from them a review of the same study made in another.

Reviews are stored per run and study key, and the key is a hash of the file's bytes (or of its DICOM instance UID):
a file ranked again in a later worklist shares it, and that worklist showed the older verdict as its own, while
its review form was empty. Each review stores the worklist it was made in (``reviews.batch``, migration 0003);
a review stored before that column takes it from the audit event written with it, paired by study, reviewer,
verdict and label, in the order both were written.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from domain import triage as rules
from domain import triage_reviews
from services.triage import DESK

# A review that implies no label: agree on an unreadable study (no predicted class), or disagree among three or more
# classes. `triage review` had printed 'label: None' and the audit 'label=None'.
NO_LABEL = ("none: no class follows from the verdict (the study has no predicted class, or disagree leaves more than "
            "one); --label names the correct class")
NO_LABEL_AUDIT = "none (no class follows from the verdict)"


@dataclass(frozen=True)
class StudyReview:
    verdict: str
    label: str | None
    note: str
    reviewer: str | None
    reviewed_at: datetime
    batch: str | None  # the worklist it was made in; None where no audit event names it


def study_reviews(uow, run_id: int) -> dict[str, list[StudyReview]]:
    """Every review of the run by study key, oldest first, each with the worklist it was made in."""
    events: dict[str, list] = {}
    for event, name in reversed(uow.audit.find(desk=DESK, run_id=int(run_id), action="review", object_type="study",
                                               limit=None)):
        events.setdefault(event.object_id, []).append((name, dict(event.details or {})))
    names = {}
    found: dict[str, list[StudyReview]] = {}
    for record in uow.reviews.list(int(run_id)):  # oldest first
        if record.reviewer_id not in names:
            names[record.reviewer_id] = getattr(uow.users.get(record.reviewer_id), "name", None)
        reviewer = names[record.reviewer_id]
        paired = _take_batch(events.get(record.record_key, []), reviewer, record.verdict, record.label)
        batch = record.batch or paired  # reviews stored before the column: the audit event written with them
        found.setdefault(record.record_key, []).append(StudyReview(
            record.verdict, record.label, record.note or "", reviewer, record.created_at, batch))
    return found


def _take_batch(events: list, reviewer: str | None, verdict: str, label: str | None) -> str | None:
    """The worklist of the first unpaired audit event of this reviewer, verdict and label (removed from the list)."""
    for i, (name, details) in enumerate(events):
        if name == reviewer and details.get("verdict") == verdict and details.get("label") == label:
            return events.pop(i)[1].get("batch")
    return None


def split_reviews(reviews: dict[str, list[StudyReview]], batch: str
                  ) -> tuple[dict[str, StudyReview], dict[str, StudyReview]]:
    """(the latest review of each study made in this worklist, the latest made elsewhere of each study without one)."""
    current = {k: [r for r in found if r.batch == batch][-1] for k, found in reviews.items()
               if any(r.batch == batch for r in found)}
    other = {k: found[-1] for k, found in reviews.items() if k not in current}
    return current, other


def review_columns(keys: list[str], current: dict[str, StudyReview], other: dict[str, StudyReview]
                   ) -> dict[str, list]:
    """The worklist's review columns: verdict, reviewed_label, note, reviewer and reviewed_at of the review made in
    it, and earlier_review, the marker of one made elsewhere."""
    found = [current.get(k) for k in keys]
    return {"verdict": [r and r.verdict for r in found], "reviewed_label": [r and r.label for r in found],
            "note": [r.note if r else "" for r in found], "reviewer": [r and r.reviewer for r in found],
            "reviewed_at": [when(r and r.reviewed_at) for r in found],
            "earlier_review": [earlier_review_text(other[k]) if k in other else "" for k in keys]}


def when(moment: datetime | None) -> str:
    """'2026-12-01 19:05 UTC'; '' for none."""
    return f"{moment:%Y-%m-%d %H:%M} UTC" if moment else ""


def earlier_review_text(review: StudyReview) -> str:
    """The marker of a study reviewed in another worklist: said so, never shown as this worklist's verdict."""
    where = f"worklist {review.batch}" if review.batch else "another worklist"
    label = f", label {review.label}" if review.label else ""
    by = f" by {review.reviewer}" if review.reviewer else ""
    return f"reviewed in {where} on {when(review.reviewed_at)}{by}: {review.verdict}{label}"


def picked_label(verdict: str | None, predicted: str | None, label: str | None, classes: list[str],
                 priority: str | None = None) -> str | None:
    """The 'Correct label' a saved review was given beyond what its verdict implies (None: from the verdict), so the
    form shows it again without turning an agree's implied label into a choice of the reviewer's. On a study needing
    a manual read the verdict implies none: its label is always the reviewer's (it read "(from verdict)", and saving
    the form again was refused for want of a label)."""
    if not verdict or not label:
        return None
    if priority == rules.NEEDS_MANUAL_READ:
        return label
    try:
        implied = triage_reviews.reviewed_label(verdict, predicted, None, classes)
    except ValueError:
        return label
    return None if implied == label else label


def export_refusal(reviewed_files: list[str], pictured: list[bool], labelled: list[bool]) -> str:
    """Why a worklist's reviewed set holds no study, naming the reviewed ones that cannot go in: a study that could
    not be read (no picture is kept of it, whatever its label), or one whose verdict implies no label."""
    if not reviewed_files:
        return "No study of this worklist is reviewed yet: review studies (agree/disagree) first."
    unread = [f for f, p in zip(reviewed_files, pictured) if not p]
    unlabelled = [f for f, p, lab in zip(reviewed_files, pictured, labelled) if p and not lab]
    parts = []
    if unread:
        parts.append(f"{_named(unread)} could not be read, so no picture of {_it(unread)} is kept to export; read "
                     f"{_it(unread)} in a viewer of your own")
    if unlabelled:
        parts.append(f"{_named(unlabelled)} {'has' if len(unlabelled) == 1 else 'have'} no label: a disagree that "
                     "does not imply the class needs a 'Correct label' (save the review again with one)")
    return "No reviewed study can go into the reviewed set: " + "; ".join(parts) + "."


def _named(files: list[str]) -> str:
    shown = ", ".join(files[:3])
    return shown + (f" and {len(files) - 3} more" if len(files) > 3 else "")


def _it(files: list[str]) -> str:
    return "it" if len(files) == 1 else "them"

"""Triage rules: which class is abnormal, the operating point, priority buckets and worklist order.

Plain Python so the rules can be read, tested and audited without the model. The model only gives
a probability of the abnormal class; everything a reviewer sees as a decision is decided here.

Bucket rule (documented for users in docs/triage.md):
- urgent  — p_abnormal ≥ the urgent threshold: the cut-off whose validation specificity is at least
  ``URGENT_SPECIFICITY`` (0.95) with the highest sensitivity, never below the operating point;
- review  — operating point ≤ p_abnormal < urgent threshold;
- routine — p_abnormal below the operating point;
- needs manual read — the study could not be read; always at the top of the worklist. A study scored with a
  caution (unlike the training images: another DICOM modality, colour, very low resolution, several frames) is
  read as if unscored: it gets this priority too, with its score kept, and comes right after the unreadable ones.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from domain.triage_grades import grades_hint

URGENT = "urgent"
REVIEW = "review"
ROUTINE = "routine"
NEEDS_MANUAL_READ = "needs manual read"
PRIORITIES = (NEEDS_MANUAL_READ, URGENT, REVIEW, ROUTINE)
DEFAULT_TARGET_SENSITIVITY = 0.95
URGENT_SPECIFICITY = 0.95
NORMAL_TOKENS = frozenset({"normal", "benign", "negative", "neg", "healthy", "control", "nofinding", "nofindings",
                           "notumor", "notumour", "nodisease", "nolesion", "noabnormality", "nonpneumonia"})
NOT_NORMAL = ("abnormal", "not normal", "non normal", "nonnormal", "unhealthy")
# Two classes named as an answer to "is it there?": the negative one is normal (brain MRI "no"/"yes").
NEGATIVE_PAIRS = ({"no", "yes"}, {"0", "1"}, {"false", "true"}, {"n", "y"}, {"absent", "present"})
NEGATIVE_ANSWERS = frozenset({"no", "0", "false", "n", "absent"})


# The CLI flag and the page's field side by side: the page shows only the field (services.page_words.for_page)
FLAG = " (--positive CLASS; 'Abnormal class' on the page)"


class ClassChoiceError(ValueError):
    """The abnormal class cannot be told from the class names; the user must name it."""


@dataclass(frozen=True)
class OperatingPoint:
    threshold: float
    sensitivity: float
    specificity: float
    target_sensitivity: float


@dataclass(frozen=True)
class BucketRule:
    review_threshold: float   # the operating point
    urgent_threshold: float   # a high-specificity cut-off, never below the operating point


@dataclass(frozen=True)
class WorkItem:
    key: str
    p_abnormal: float | None  # None: unreadable
    priority: str


def looks_normal(name: str) -> bool:
    """'NORMAL', '0_normal', 'no_finding', 'Benign' look normal; 'abnormal' does not."""
    lowered = name.strip().lower()
    tokens = [t for t in re.split(r"[^a-z0-9]+", lowered) if t]
    if any(phrase in " ".join(tokens) or phrase in lowered for phrase in NOT_NORMAL):
        return False  # RSNA's "No Lung Opacity / Not Normal" is not the normal class
    if len(tokens) >= 2 and tokens[0] in ("no", "not", "without"):
        return True   # "no_tumor", "No Finding", "No_DR", "not fractured": the absence of the finding ("non-…"
                      # is a disease: non-small-cell carcinoma, non-Hodgkin; COVID-QU-Ex's "Non-COVID" is other
                      # pneumonias)
    return any(t in NORMAL_TOKENS for t in tokens) or "".join(tokens) in NORMAL_TOKENS


def choose_abnormal(classes: Sequence[str], positive: str | None = None, *, manifest: bool = False
                    ) -> tuple[str | None, str | None]:
    """(abnormal class, normal class). Binary: one of each; more classes: the normal one only.

    p_abnormal is then p(abnormal) for two classes and 1 − p(normal) for more. ``manifest``: the labels come
    from a manifest's label column, not from class folders (said so when they cannot tell which is normal).
    """
    classes = [str(c) for c in classes]
    if positive is not None:
        folded = [c for c in classes if c.strip().casefold() == str(positive).strip().casefold()]
        positive = folded[0] if len(folded) == 1 else positive  # --positive pneumonia for PNEUMONIA
        if positive not in classes:
            raise ClassChoiceError(f"The abnormal class given{FLAG}, {positive!r}, is not one of the classes: "
                                   f"{', '.join(classes)}.")
        if len(classes) > 2:
            raise ClassChoiceError(_positive_of_many(classes, positive))
        return positive, next(c for c in classes if c != positive)
    pair = {c.strip().lower() for c in classes}
    if len(classes) == 2 and pair in NEGATIVE_PAIRS:
        normal = next(c for c in classes if c.strip().lower() in NEGATIVE_ANSWERS)
        return next(c for c in classes if c != normal), normal
    normal = _single_normal(classes, manifest)
    if len(classes) == 2:
        return next(c for c in classes if c != normal), normal
    return None, normal


def _positive_of_many(classes: Sequence[str], positive: str) -> str:
    """Why --positive cannot pick one class of three or more, and what leaving it out would take as positive."""
    normals = normal_candidates(classes)
    start = (f"An abnormal class is named{FLAG} for a two-class set only; with {len(classes)} classes "
             f"({', '.join(classes)}) every class but the normal one is positive (p_abnormal = 1 − p(normal)). ")
    if len(normals) != 1:
        return start + "Leave it empty and name exactly one class normal/benign/negative/healthy/no_finding."
    others = [c for c in classes if c != normals[0]]
    alone = "" if positive == normals[0] else (f" To train {positive!r} against {normals[0]!r} alone, leave the other "
                                               "classes' images out (or relabel them) and retrain.")
    return start + f"Left empty, {_quoted(others)} would be taken as positive and {normals[0]!r} as normal." + alone


def label_roles(classes: Sequence[str], abnormal: str | None, normal: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(positive classes, normal classes) as ``choose_abnormal`` decided them: with three or more classes
    every class but the normal one is positive, which a run's abnormal_class of None did not say."""
    if abnormal is not None:
        return (abnormal,), tuple(c for c in classes if c != abnormal)
    return tuple(c for c in classes if c != normal), (normal,)


def label_roles_note(positive: Sequence[str], normal: Sequence[str]) -> str:
    """The sentence a run keeps (and train prints) naming which labels were taken as positive and as normal, and
    why a class named benign is positive where it is (``benign_positive_note``)."""
    benign = benign_positive_note(positive, normal)
    if len(positive) == 1:
        said = (f"Positive (abnormal): {positive[0]!r}; normal: {_quoted(normal)}. The abnormal score (p_abnormal) is "
                f"the model's probability that an image shows {positive[0]!r}.")
    else:
        said = (f"Positive (abnormal): {_quoted(positive)} (every class but the normal one); normal: {normal[0]!r}. "
                f"The abnormal score (p_abnormal) is 1 minus the model's probability that an image is {normal[0]!r}: "
                "an image of any positive class is flagged.")
    return f"{said} {benign}" if benign else said


UNCERTAIN_TOKENS = frozenset({"unknown", "uncertain", "indeterminate", "other", "others", "unclear", "equivocal",
                              "ungradable", "unlabeled", "unlabelled", "unspecified", "na", "misc"})


def uncertain_positive_caution(positive: Sequence[str]) -> str | None:
    """The caution when a class named like 'unknown' or 'other' is counted positive beside real findings (ISIC's
    benign / malignant / unknown): its images raise p_abnormal like a finding. None otherwise; 'other pneumonia'
    names a finding and is not vague."""
    vague = [c for c in positive if set(re.split(r"[^a-z0-9]+", c.lower())) - {""} <= UNCERTAIN_TOKENS]
    if not vague or len(vague) == len(positive):
        return None
    return (f"{_quoted(vague)} {'was' if len(vague) == 1 else 'were'} taken as positive (abnormal) beside "
            f"{_quoted([c for c in positive if c not in vague])}: {'its' if len(vague) == 1 else 'their'} images "
            "raise p_abnormal like a finding. If they are not findings, leave them out of the training set (or "
            "relabel them) and retrain.")


def _quoted(names: Sequence[str]) -> str:
    quoted = [repr(n) for n in names]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " and " + quoted[-1]


def normal_candidates(classes: Sequence[str]) -> list[str]:
    """The classes named like normal; of several, those named like normal other than by 'benign' where there is
    one: BUSI's benign / malignant / normal had been refused for two normal-like names, and its refusal asked for
    one class named normal/benign, which it has. Beside 'normal', 'benign' names a finding (a benign lesion)."""
    normals = [c for c in classes if looks_normal(c)]
    plain = [c for c in normals if not _benign_only(c)]
    return plain if len(normals) > 1 and len(plain) == 1 else normals


def _benign_only(name: str) -> bool:
    """'benign', 'Benign lesion': named like normal only by the word benign."""
    tokens = {t for t in re.split(r"[^a-z0-9]+", name.strip().lower()) if t}
    return "benign" in tokens and not tokens & (NORMAL_TOKENS - {"benign"}) and tokens.isdisjoint({"no", "not"})


def benign_positive_note(positive: Sequence[str], normal: Sequence[str]) -> str | None:
    """What to do when a class named benign is taken as positive beside the normal one (BUSI), None otherwise."""
    benign = [c for c in positive if looks_normal(c)]
    if not benign or len(normal) != 1:
        return None
    others = [c for c in positive if c not in benign]
    flag = "" if not others else (f" To flag {_quoted(others)} only, move the {normal[0]!r} images into "
                                  f"{benign[0]!r} (one class not to flag) and retrain.")
    return (f"{_quoted(benign)} {'is' if len(benign) == 1 else 'are'} positive: beside {normal[0]!r} a benign class "
            f"names a finding (a benign lesion), so its images are flagged.{flag}")


def _single_normal(classes: Sequence[str], manifest: bool) -> str:
    normals = normal_candidates(classes)
    if len(normals) > 1 and len(classes) > 2:  # two classes may name the abnormal one instead
        into = next((c for c in normals if not _benign_only(c)), normals[0])
        raise ClassChoiceError(
            f"Cannot tell which class is normal among {', '.join(classes)}: {_quoted(normals)} are named like normal. "
            f"Put their images in one {'label' if manifest else 'class folder'} (e.g. {into!r}) so that one class is "
            "normal, or leave out those that are not." + grades_hint(classes))
    if len(normals) != 1:
        found = "none" if not normals else ", ".join(normals)
        name = ("give exactly one class a label named like normal/benign/negative/healthy/no_finding in the "
                "manifest's label column") if manifest else \
            "name exactly one class folder normal/benign/negative/healthy/no_finding"
        raise ClassChoiceError(
            f"Cannot tell which class is normal among {', '.join(classes)} (named like normal: {found}). "
            + (f"Name the abnormal class{FLAG}, or {name}." if len(classes) == 2 else f"{name[0].upper()}{name[1:]}"
               f"{_one_or_all(classes, manifest)}") + grades_hint(classes))
    return normals[0]


def _one_or_all(classes: Sequence[str], manifest: bool) -> str:
    """What either choice flags (HAM10000's akiec … vasc had not been told that, nor how to flag one class alone)."""
    regroup = "give every other class's images one label" if manifest else \
        "move every other class's images into one class folder"
    return "." if grades_hint(classes) else (f": every other class is then flagged. To flag one class alone (such "
                                             f"as {classes[0]!r}), {regroup} named like normal instead.")


def choose_operating_point(points: Iterable[tuple[float, float, float]],
                           target_sensitivity: float = DEFAULT_TARGET_SENSITIVITY) -> OperatingPoint:
    """The ROC point (fpr, tpr, threshold) reaching the target sensitivity with the fewest false positives.

    Ties go to the higher threshold (fewer studies flagged). When no point reaches the target (it always
    does on a full ROC, whose last point has tpr 1), the most sensitive point is used.
    """
    if not 0.0 < target_sensitivity <= 1.0:
        raise ValueError(f"target sensitivity must be in (0, 1], got {target_sensitivity}")
    candidates = [(float(f), float(t), float(th)) for f, t, th in points]
    if not candidates:
        raise ValueError("no ROC points")
    reaching = [p for p in candidates if p[1] >= target_sensitivity - 1e-12]
    if reaching:
        fpr, tpr, threshold = min(reaching, key=lambda p: (p[0], -p[2]))
    else:
        fpr, tpr, threshold = max(candidates, key=lambda p: (p[1], -p[0]))
    return OperatingPoint(threshold=min(threshold, 1.0), sensitivity=tpr, specificity=1.0 - fpr,
                          target_sensitivity=target_sensitivity)


def bucket_rule(points: Iterable[tuple[float, float, float]], operating: OperatingPoint,
                urgent_specificity: float = URGENT_SPECIFICITY) -> BucketRule:
    """Urgent cut-off: highest sensitivity among points with specificity ≥ urgent_specificity."""
    specific = [(float(f), float(t), float(th)) for f, t, th in points if 1.0 - float(f) >= urgent_specificity]
    urgent = max(specific, key=lambda p: (p[1], p[2]))[2] if specific else 1.0
    return BucketRule(review_threshold=operating.threshold,
                      urgent_threshold=max(min(urgent, 1.0), operating.threshold))


def priority(p_abnormal: float | None, rule: BucketRule, cautioned: bool = False) -> str:
    """The study's bucket; 'needs manual read' when it could not be read, or when its score carries a caution
    (an MR scored by a chest radiograph model sat at 'routine', p 0.376, and a CSV without its reason column
    gave no hint that the score meant little)."""
    if p_abnormal is None or cautioned:
        return NEEDS_MANUAL_READ
    if p_abnormal >= rule.urgent_threshold:
        return URGENT
    if p_abnormal >= rule.review_threshold:
        return REVIEW
    return ROUTINE


def class_at_operating_point(p_abnormal: float, threshold: float, normal: str, likeliest_abnormal: str) -> str:
    """The class a study is called at the run's operating point, as its priority is: the normal class below the
    cut-off, else the (likeliest) abnormal class. The class of highest probability had read 'pneumonia' at p 0.875
    beside a 'routine' priority from a cut-off of 0.919, and an 'agree' on it labelled the study pneumonia."""
    return likeliest_abnormal if p_abnormal >= threshold else normal


def rank(items: Sequence[WorkItem]) -> list[WorkItem]:
    """Unreadable first, then the cautioned studies (scored, 'needs manual read'), then by p_abnormal, highest
    first (each group). Only reorders: every study stays."""
    ordered = sorted(items, key=lambda i: (i.p_abnormal is not None, i.priority != NEEDS_MANUAL_READ,
                                           -(i.p_abnormal or 0.0), i.key))
    assert len(ordered) == len(items)
    return ordered

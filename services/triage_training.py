"""Helpers of the triage use cases: labelled sets from folders or a manifest, validation metrics, scoring.

Kept apart from services/triage.py so each module stays readable; only services import this.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import pandas as pd

from data import dicom, image_decode, images
from data.input_files import ArchiveError
from domain import triage as rules
from ml.cnn import image_frame
from ml.images import shrink
from services import triage_split
from services.triage_calibration import calibration_bins, calibration_metrics
from services.triage_format import apart
from services.triage_cautions import LOW_RESOLUTION_PX, dicom_kind, unlike_features
from services.triage_inputs import consumed, scrub_wording, training_reason
from services.triage_metrics import confusion, held_out_metrics, p_abnormal
from services.triage_names import findable
from services.triage_labels import TrainingSetError, manifest_patients, table_hint
from services.triage_layout import MAX_UNREADABLE_SHARE, abnormal_class, read_layout
from services.triage_split_checks import check_combinations
from services.triage_split_names import SPLIT_SALT, header_groups, header_key, with_headers

EVALUATION_FILE = "evaluation.json"
VALIDATION = "validation"      # evaluation.json: validation scores and labels (older runs were stored without)
MOVED_CUTOFF = "moved_cutoff"  # run parameter: the cut-offs chosen again on the stored run for another sensitivity
SCORE_BATCH = 64
WORKING_SCALE, WORKING_MIN_PX = 4, 256  # decoded training images are kept this size at most


@dataclass(frozen=True)
class Labelled:
    train: pd.DataFrame            # columns image, label
    valid: pd.DataFrame | None     # the user's own validation split, when given
    test: pd.DataFrame | None
    classes: list[str]
    counts: dict[str, int]
    skipped: list[str]             # unreadable files (names scrubbed by the caller's rules: paths only)
    total: int
    merged: tuple[str, ...] = ()   # class spellings folded into one ("'normal ' into 'Normal'")
    held_folders: tuple[int, int] = (0, 0)  # (folders held out for validation, folders): per-patient sub-folders
    notes: tuple[str, ...] = ()    # how validation was held out, rows left out, duplicates dropped
    warnings: tuple[str, ...] = ()  # copies filed under different labels


@dataclass(frozen=True)
class Evaluation:
    metrics: dict[str, float]
    rule: rules.BucketRule
    details: dict[str, Any]
    notes: tuple[str, ...] = ()


def load_labelled(files: list[images.InputFile], manifest: str | None, progress, seed: int = 0,
                  left_out: list[str] | None = None, size: int | None = None, consume: bool = False,
                  positive: str | None = None, choose: bool = False) -> Labelled:
    """Decode every labelled image; a few unreadable files are skipped and reported, many stop the job.
    ``left_out`` (files that are not images, or hidden) joins the skipped list without counting as unreadable.
    With ``size`` (the training size) images are kept at most WORKING_SCALE × it on a side, not at full size.
    With ``consume``, ``files`` is emptied so that each file's bytes are let go once it is decoded. With
    ``choose``, classes whose abnormal one cannot be told (``abnormal_class``, with ``positive``) are refused
    before any image is decoded: ISIC's 7 classes had been refused only after every image was decoded."""
    given, names = files, tuple(f.name for f in files)  # the files a note quotes are scrubbed whole
    read = read_layout(files, manifest, left_out)  # refused here when fewer than two classes have a label
    files, layout, stray, notes, merged = read.files, read.labels, read.stray, read.notes, read.merged
    wanted, copies, warnings = triage_split.drop_duplicates([f for f in files if f.name in layout], layout)
    kept = sorted({layout[f.name][0] for f in wanted})
    if len(kept) < 2:  # a folder copied into another class's: was a KeyError traceback
        raise TrainingSetError(f"Once byte-identical copies filed under different labels are left out, "
                               f"{'only ' + repr(kept[0]) + ' has' if kept else 'no class has'} images left: a "
                               f"classifier needs two or more classes. {' '.join(warnings)}")
    if choose:
        abnormal_class(kept, positive, bool(manifest), "" if manifest else table_hint(left_out, found_only=True))
    check_combinations(pd.Series([layout[f.name][0] for f in wanted]).value_counts())  # before any is decoded
    patients, column = manifest_patients(wanted, manifest) if manifest else ({}, None)
    groups, grouped_by = triage_split.patient_groups({f.name: layout[f.name] for f in wanted}, bool(manifest),
                                                     patients, column)
    if consume:  # with ``files`` (and the layout's list of them) dropped too, ``wanted`` alone holds the payloads
        given.clear()
    del files, read
    total = len(wanted)
    rows, unreadable, identifiers = _decode_all(wanted, layout, groups, progress, size)
    skipped = stray + unreadable
    if len(skipped) > MAX_UNREADABLE_SHARE * total:
        raise TrainingSetError(f"{len(skipped)} of {total} images cannot be read, e.g. "
                               f"{'; '.join(findable(skipped[:3], names, identifiers))}")
    frame = pd.DataFrame(rows)
    frame["group"] = header_groups(list(frame["group"]), list(frame.pop("patient")))  # one patient, one group
    grouped_by = with_headers(grouped_by, frame["group"])
    small = int((frame["side"] < LOW_RESOLUTION_PX).sum())
    if small:
        notes.append(f"{small} training image(s) are smaller than {LOW_RESOLUTION_PX} pixels on a side: too coarse "
                     "to show most findings; their labels teach the model little.")
    if copies:
        notes.append(f"{len(copies)} byte-identical {'copy' if len(copies) == 1 else 'copies'} left out (see "
                     "skipped): each image counts once.")
    train, valid, test, classes, counts, held = triage_split.split(frame, seed)
    notes += filter(None, [triage_split.own_validation_note(*(frame.loc[frame["split"] == side, "label"]
                                                              for side in ("train", "val")))])
    warnings += triage_split.crossing_splits(frame, grouped_by, named=column is not None)
    folders = frame["group"][frame["group"].str.startswith(triage_split.GROUPED)]  # RSNA: patients of one film
    notes.append(triage_split.split_note(len(valid) > 0 and bool((valid["split"] == "val").all()), held, grouped_by,
                                         len(folders) if folders.is_unique else 0))
    scrub = lambda lines: [dicom.scrub(s, identifiers) for s in lines]  # noqa: E731
    wording = lambda lines: tuple(scrub_wording(s, identifiers, names) for s in lines)  # noqa: E731
    return Labelled(train, valid if len(valid) else None, test if len(test) else None, classes, counts,
                    findable(skipped, names, identifiers) + scrub(copies + list(left_out or [])), total, merged=merged,
                    held_folders=held, notes=wording(notes), warnings=wording(warnings))


def _decode_all(wanted: list[images.InputFile], layout: dict, groups: dict[str, str], progress,
                size: int | None) -> tuple[list[dict], list[str], tuple[str, ...]]:
    """(rows, unreadable files, every patient name/ID of the set, to scrub from every message about it)."""
    rows, skipped, identifiers, total = [], [], set(), len(wanted)
    for i, item in enumerate(consumed(wanted)):  # ``wanted`` is emptied: each payload let go once decoded
        if i % 200 == 0:
            progress(0.02 + 0.06 * i / max(total, 1), f"Decoding image {i + 1} of {total}")
        payload = b""
        try:
            payload = item.payload  # read once: a ZIP member or a file on disk is read each time it is asked for
            decoded = image_decode.decode(payload, item.name)
        except ArchiveError:
            raise
        except images.ImageInputError as exc:
            identifiers.update(dicom.header_identifiers(payload))
            skipped.append(training_reason(str(exc)))  # not '… cannot be scored — open it in a DICOM viewer'
            continue
        identifiers.update(decoded.identifiers)
        label, split = layout[item.name]
        modality, part = dicom_kind(decoded)
        rows.append({"image": working_pixels(decoded.pixels, size), "label": label, "split": split or "train",
                     "group": groups[item.name], "patient": header_key(decoded.patient_id, SPLIT_SALT),
                     "side": min(decoded.pixels.shape[:2]), "modality": modality, "body_part": part})
    return rows, skipped, tuple(sorted(identifiers, key=len, reverse=True))


def working_pixels(pixels: np.ndarray, size: int | None, least: int = WORKING_MIN_PX) -> np.ndarray:
    """Pixels at most WORKING_SCALE × the model's size (and ``least``) on a side: a set is held decoded until the
    network resizes it, and 300 films of 2000 × 1700 px held at full size took 2 GB. Without a size, as they are."""
    return shrink(pixels, max(WORKING_SCALE * int(size), least)) if size else pixels


def evaluate(task, abnormal: str | None, normal: str, target: float, test: pd.DataFrame | None) -> Evaluation:
    """Metrics on validation data, the operating point for the target sensitivity, and test metrics if given."""
    from sklearn.metrics import roc_auc_score

    classes = list(task.classes_)
    valid = task.validation_
    probs = valid[[f"p_{c}" for c in classes]].to_numpy()
    p = p_abnormal(probs, classes, abnormal, normal)
    positive = (valid["label"] != normal).to_numpy()
    if positive.all() or not positive.any():
        raise TrainingSetError("The validation images hold only one of normal/abnormal; the operating point "
                               "needs both. Add images or drop your own val/ split.")
    cutoff = pick_cutoff(p, positive, target)
    operating, rule, notes, chosen = cutoff.operating, cutoff.rule, cutoff.notes, cutoff.chosen
    flagged = p >= operating.threshold
    predicted = np.array(classes)[probs.argmax(axis=1)]
    metrics = {"val_auc": float(roc_auc_score(positive, p)),
               "val_accuracy": float((predicted == valid["label"]).mean()),
               "val_accuracy_at_threshold": float((flagged == positive).mean()), "sensitivity": operating.sensitivity,
               "specificity": operating.specificity, "threshold": operating.threshold, "target_sensitivity": target,
               "threshold_before_margin": chosen,
               "urgent_threshold": rule.urgent_threshold, "val_images": int(len(valid)),
               "epochs_run": int(len(task.history_)), **calibration_metrics(p, positive)}
    if len(classes) > 2:
        metrics["val_auc_ovr"] = float(roc_auc_score(valid["label"], probs, multi_class="ovr", labels=classes))
    if test is not None:
        metrics.update(held_out_metrics(task, test, abnormal, normal, operating.threshold))
    details = {"roc": {"fpr": cutoff.fpr, "tpr": cutoff.tpr}, "operating": [1 - operating.specificity,
               operating.sensitivity], "calibration": calibration_bins(p, positive),
               "confusion": confusion(valid["label"], predicted, flagged, positive, classes, abnormal, normal),
               "history": task.history_,  # the scores, so the cut-off can be moved on the stored run
               VALIDATION: {"p_abnormal": [float(x) for x in p], "abnormal": [bool(x) for x in positive]}}
    return Evaluation(metrics, rule, details, tuple(notes))


@dataclass(frozen=True)
class Cutoff:
    operating: rules.OperatingPoint
    rule: rules.BucketRule
    notes: tuple[str, ...]
    chosen: float               # the ROC threshold reaching the target, before the margin
    fpr: list[float]
    tpr: list[float]


def pick_cutoff(p: np.ndarray, positive: np.ndarray, target: float) -> Cutoff:
    """The operating point reaching ``target`` sensitivity on validation scores, margin included, and the urgent
    cut-off: at training and when a stored run's cut-off is moved (services/triage_cutoff.py)."""
    from sklearn.metrics import roc_curve

    fpr, tpr, cut = roc_curve(positive, p)
    points = list(zip(fpr, tpr, np.minimum(cut, 1.0)))
    operating = rules.choose_operating_point(points, target)
    chosen = operating.threshold
    operating, rule, notes = with_margin(operating, rules.bucket_rule(points, operating), p, positive)
    return Cutoff(operating, rule, tuple(notes), chosen, fpr.tolist(), tpr.tolist())


def scoring_parameters(parameters: dict[str, Any]) -> dict[str, Any]:
    """The run's parameters as scoring reads them: the cut-offs moved on the stored run, when they were."""
    moved = parameters.get(MOVED_CUTOFF)
    if not moved:
        return parameters
    return {**parameters, "review_threshold": moved["review_threshold"], "urgent_threshold": moved["urgent_threshold"]}


def with_margin(operating: rules.OperatingPoint, rule: rules.BucketRule, p: np.ndarray,
                positive: np.ndarray) -> tuple[rules.OperatingPoint, rules.BucketRule, list[str]]:
    """The operating cut-off moved down, midway in log-odds, from the lowest validation score it must flag to
    the highest normal score below it. Set on the score itself, a fresh abnormal study scoring a hair lower
    went to routine (classes that separated on validation: 12 of 60 new abnormal studies at 0.9905-0.999 under
    a 0.9991 cut-off). Validation specificity is unchanged; the urgent cut-off stays at or above the old one,
    so the margin is a review band, not an empty one."""
    chosen = operating.threshold
    below = p[~positive & (p < chosen)]
    if not below.size:
        return operating, rule, []
    cut = float(_expit((_logit(float(below.max())) + _logit(chosen)) / 2))
    flagged = p >= cut
    moved = replace(operating, threshold=cut, sensitivity=float(flagged[positive].mean()),
                    specificity=float((~flagged[~positive]).mean()))
    said = apart(cut, chosen, float(below.max()))
    note = (f"Operating cut-off {said[0]}: midway (in log-odds) between the lowest validation score it must flag "
            f"({said[1]}) and the highest normal score below that ({said[2]}), so new abnormal studies scoring a "
            "little under the validation ones are still flagged.")
    return moved, rules.BucketRule(cut, max(rule.urgent_threshold, chosen)), [note]


def _logit(x: float) -> float:
    x = min(max(x, 1e-7), 1 - 1e-7)
    return float(np.log(x / (1 - x)))


def _expit(z: float) -> float:
    return float(1 / (1 + np.exp(-z)))


def _map_targets(task, X: pd.DataFrame, classes: list[str], abnormal: str | None, normal: str) -> list[int]:
    """The class each heat map shows: the abnormal one, or with several abnormal classes the likeliest of them
    (never 'normal': the map shows what raised p_abnormal, even where normal is the likeliest class)."""
    if abnormal is not None:
        return [classes.index(abnormal)] * len(X)
    probs = np.array(task.predict(X), dtype=float)
    probs[:, classes.index(normal)] = -np.inf
    return [int(i) for i in probs.argmax(axis=1)]


def predict_with_maps(task, parameters: dict[str, Any], readable: list[tuple[str, np.ndarray]],
                      frame: pd.DataFrame) -> dict[str, np.ndarray]:
    """Fill p_abnormal and predicted_class (the class at the run's operating point) in ``frame`` (indexed by
    key), and a caution as the reason of a study that carries none yet but whose features are unlike the training
    images'; return Grad-CAM maps by key."""
    classes = list(task.classes_)
    abnormal, normal = parameters.get("abnormal_class"), parameters["normal_class"]
    maps: dict[str, np.ndarray] = {}
    for start in range(0, len(readable), SCORE_BATCH):
        chunk = readable[start:start + SCORE_BATCH]
        X = image_frame([pixels for _, pixels in chunk])
        targets = _map_targets(task, X, classes, abnormal, normal)
        explanation = task.explain(X, targets=targets)
        probs = explanation.extra["probabilities"]
        keys = [key for key, _ in chunk]
        scores = p_abnormal(probs, classes, abnormal, normal)
        frame.loc[keys, "p_abnormal"] = scores
        # the class at the operating point, as the priority reads it (not the class of highest probability)
        threshold = parameters.get("review_threshold")
        frame.loc[keys, "predicted_class"] = np.array(classes, dtype=object)[probs.argmax(axis=1)] \
            if threshold is None else [rules.class_at_operating_point(float(p), float(threshold), normal, classes[t])
                                       for p, t in zip(scores, targets)]
        maps.update(zip(keys, explanation.extra["heatmaps"]))
        for key, unlike in zip(keys, task.unlike_training(X)):
            if unlike and not frame.at[key, "reason"]:
                frame.at[key, "reason"] = unlike_features(frame.at[key, "file"])
    return maps

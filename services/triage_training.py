"""Helpers of the triage use cases: labelled sets from folders or a manifest, validation metrics, scoring.

Kept apart from services/triage.py so each module stays readable; only services import this.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import PurePosixPath
from typing import Any

import numpy as np
import pandas as pd

from data import dicom, image_decode, images
from domain import triage as rules
from ml.cnn import VAL_FRACTION, image_frame, stratified_split
from services.triage_labels import (TrainingSetError, fold_label_case, label_key, manifest_labels,
                                    merged_spellings)

EVALUATION_FILE = "evaluation.json"
MAX_UNREADABLE_SHARE = 0.10
MAX_STRAY = 5                      # loose files beside the class folders (a preview, a logo) are skipped
SCORE_BATCH = 64
MIN_FOLDERS = 3                    # per class, for validation to hold out whole sub-folders
MIN_CLASS_IMAGES = 3               # fewer images in a class: nothing to learn or validate (often a misspelt label)
FEW_VALIDATION = 10                # fewer validation images of a class make its figures rough


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


@dataclass(frozen=True)
class Evaluation:
    metrics: dict[str, float]
    rule: rules.BucketRule
    details: dict[str, Any]


def load_labelled(files: list[images.InputFile], manifest: str | None, progress, seed: int = 0,
                  left_out: list[str] | None = None) -> Labelled:
    """Decode every labelled image; a few unreadable files are skipped and reported, many stop the job.
    ``left_out`` (files that are not images, or hidden) joins the skipped list without counting as unreadable."""
    if not manifest:
        files = images.drop_nested_copies(files)
    layout = manifest_labels(files, manifest) if manifest else images.class_folders([f.name for f in files])
    unlabelled = [name for name, (label, _) in layout.items() if not label]
    skipped = [f"{name}: not inside a class folder" for name in unlabelled]
    if len(unlabelled) == len(layout) or len(unlabelled) > max(MAX_STRAY, MAX_UNREADABLE_SHARE * len(layout)):
        raise TrainingSetError(f"{len(unlabelled)} images are not inside a class folder (e.g. {unlabelled[0]}). "
                               "Put the images in one folder per class, e.g. normal/ and pneumonia/.")
    layout = {n: v for n, v in layout.items() if v[0]}
    merged = merged_spellings(layout)
    layout = fold_label_case(layout)
    classes = sorted({label for label, _ in layout.values()})
    if len(classes) < 2:
        raise TrainingSetError(f"The training set has a single class ({classes[0] if classes else 'none'}); "
                               "a classifier needs two or more class folders.")
    rows, identifiers = [], set()  # every patient name/ID in the set, scrubbed from every message about it
    wanted = [f for f in files if f.name in layout]
    for i, item in enumerate(wanted):
        if i % 200 == 0:
            progress(0.02 + 0.06 * i / max(len(wanted), 1), f"Decoding image {i + 1} of {len(wanted)}")
        try:
            decoded = image_decode.decode(item.payload, item.name)
        except images.ImageInputError as exc:
            identifiers.update(dicom.header_identifiers(item.payload))
            skipped.append(str(exc))
            continue
        identifiers.update(decoded.identifiers)
        pixels = decoded.pixels
        label, split = layout[item.name]
        rows.append({"image": pixels, "label": label, "split": split or "train",
                     "group": _patient_folder(item.name, label)})
    skipped = [dicom.scrub(s, tuple(identifiers)) for s in skipped]
    if len(skipped) > MAX_UNREADABLE_SHARE * len(wanted):
        raise TrainingSetError(f"{len(skipped)} of {len(wanted)} images cannot be read, e.g. "
                               f"{'; '.join(skipped[:3])}")
    skipped += [dicom.scrub(s, tuple(identifiers)) for s in left_out or []]
    return replace(_split(pd.DataFrame(rows), skipped, len(wanted), seed), merged=merged)


def _split(frame: pd.DataFrame, skipped: list[str], total: int, seed: int = 0) -> Labelled:
    train = frame[frame["split"] == "train"].reset_index(drop=True)
    valid = frame[frame["split"] == "val"].reset_index(drop=True)
    test = frame[frame["split"] == "test"].reset_index(drop=True)
    unknown = sorted(set(valid["label"]) - set(train["label"])) if len(train) else []
    if unknown:  # checked before a one-class val/ joins training, where a misspelt class would become a class
        raise TrainingSetError(
            f"Class {unknown[0]!r} is in the validation images but not in the training ones "
            f"({', '.join(map(repr, sorted(set(train['label']))))}): the model cannot learn it, and every figure on "
            "it would be wrong. A misspelt folder? Rename it, or give the class training images too.")
    if len(valid) and valid["label"].nunique() < 2:
        # A val/ folder with one class cannot set the operating point: its images train instead, and
        # validation is held out from all of them (found before training, not after it).
        train, valid = pd.concat([train, valid], ignore_index=True), valid.iloc[0:0]
    everywhere = frame["label"].value_counts()
    tiny = everywhere[everywhere < MIN_CLASS_IMAGES]
    if len(tiny) and len(everywhere) > len(tiny):
        raise TrainingSetError(
            f"Class {tiny.index[0]!r} has only {int(tiny.iloc[0])} image(s), against {int(everywhere.max())} for "
            f"{everywhere.idxmax()!r}: too few to learn or to validate (at least {MIN_CLASS_IMAGES} per class). A "
            "misspelt label or a stray folder? Fix or remove it.")
    counts = train["label"].value_counts().sort_index()
    classes = sorted(counts.index)
    for name, part in (("validation", valid), ("test", test)):
        unknown = sorted(set(part["label"]) - set(classes))
        if unknown and len(classes):
            raise TrainingSetError(
                f"Class {unknown[0]!r} is in the {name} images but not in the training ones "
                f"({', '.join(map(repr, classes))}): the model cannot learn it, and every figure on it would be "
                "wrong. A misspelt folder? Rename it, or give the class training images too.")
    if len(classes) < 2:
        raise TrainingSetError(f"The training split has a single class ({classes[0] if classes else 'none'}); "
                               "a classifier needs two or more.")
    needed = 1 if len(valid) else 2
    small = counts[counts < needed]
    if len(small):
        raise TrainingSetError(f"Class {small.index[0]!r} has only {int(small.iloc[0])} readable image(s); at least "
                               "2 per class are needed (one is held out for validation).")
    held = (0, 0)
    if not len(valid) and _in_folders(train):
        train_idx, valid_idx = stratified_split(train["label"], VAL_FRACTION, seed, groups=train["group"])
        folders = train["group"].where(train["group"].str.startswith("dir:"))  # loose images: NaN, not counted
        held = (int(folders.iloc[valid_idx].nunique()), int(folders.nunique()))
        train, valid = train.iloc[train_idx].reset_index(drop=True), train.iloc[valid_idx].reset_index(drop=True)
    return Labelled(train, valid if len(valid) else None, test if len(test) else None, classes,
                    {str(k): int(v) for k, v in counts.items()}, skipped, total, held_folders=held)


def _patient_folder(name: str, label: str) -> str:
    """The folder just inside the image's class folder (a patient's, whatever studies lie below it), as
    'dir:…'; an image straight in its class folder is its own group, 'file:…'. Without a class folder in
    the path (a manifest), the first folder of the path."""
    parts = PurePosixPath(name).parts
    folded = label_key(label)
    below = next((i + 1 for i, part in enumerate(parts[:-1]) if label_key(part) == folded), 0)
    if below == 0 and len(parts) > 1 and not any(label_key(p) == folded for p in parts):
        return "dir:" + parts[0]
    return "dir:" + "/".join(parts[:below + 1]) if below < len(parts) - 1 else "file:" + name


def _in_folders(train: pd.DataFrame) -> bool:
    """Images kept in sub-folders inside each class (one per patient or study, several images each): the
    validation images must come from folders the model did not train on, or near-identical views of one
    patient on both sides flatter every figure. Images straight in the class folders are held out singly."""
    folders = train[train["group"].str.startswith("dir:")].groupby("label")["group"].nunique()
    return bool((folders.reindex(train["label"].unique(), fill_value=0) >= MIN_FOLDERS).any()) \
        and train["group"].nunique() < len(train)


def validation_warnings(labels: pd.Series, rule: rules.BucketRule | None = None) -> list[str]:
    """Classes with few validation images: their sensitivity, specificity and thresholds are rough; and an
    urgent bucket no score can reach."""
    counts = labels.value_counts()
    warnings = [f"Validation holds only {int(n)} {label!r} image(s): the sensitivity, specificity and thresholds "
                f"rest on them and are rough; more {label!r} images give firmer ones."
                for label, n in counts.sort_index().items() if n < FEW_VALIDATION]
    if rule is not None and rule.urgent_threshold >= 1.0:
        warnings.append(f"On the validation images no cut-off keeps {rules.URGENT_SPECIFICITY:.0%} specificity and "
                        "still catches an abnormal image, so no study will be marked urgent (abnormal-looking ones "
                        "go to review). More validation images, or longer training, may give an urgent cut-off.")
    return warnings


def abnormal_class(classes: list[str], positive: str | None) -> tuple[str | None, str]:
    try:
        return rules.choose_abnormal(classes, positive)
    except rules.ClassChoiceError as exc:
        raise TrainingSetError(str(exc)) from None


def p_abnormal(probs: np.ndarray, classes: list[str], abnormal: str | None, normal: str) -> np.ndarray:
    """p(abnormal) for two classes; 1 − p(normal) for more."""
    if abnormal is not None:
        return probs[:, classes.index(abnormal)]
    return 1.0 - probs[:, classes.index(normal)]


def evaluate(task, abnormal: str | None, normal: str, target: float, test: pd.DataFrame | None) -> Evaluation:
    """Metrics on validation data, the operating point for the target sensitivity, and test metrics if given."""
    from sklearn.metrics import roc_auc_score, roc_curve

    classes = list(task.classes_)
    valid = task.validation_
    probs = valid[[f"p_{c}" for c in classes]].to_numpy()
    p = p_abnormal(probs, classes, abnormal, normal)
    positive = (valid["label"] != normal).to_numpy()
    if positive.all() or not positive.any():
        raise TrainingSetError("The validation images hold only one of normal/abnormal; the operating point "
                               "needs both. Add images or drop your own val/ split.")
    fpr, tpr, cut = roc_curve(positive, p)
    points = list(zip(fpr, tpr, np.minimum(cut, 1.0)))
    operating = rules.choose_operating_point(points, target)
    rule = rules.bucket_rule(points, operating)
    flagged = p >= operating.threshold
    predicted = np.array(classes)[probs.argmax(axis=1)]
    metrics = {"val_auc": float(roc_auc_score(positive, p)), "val_accuracy": float((predicted == valid["label"]).mean()),
               "val_accuracy_at_threshold": float((flagged == positive).mean()), "sensitivity": operating.sensitivity,
               "specificity": operating.specificity, "threshold": operating.threshold, "target_sensitivity": target,
               "urgent_threshold": rule.urgent_threshold, "val_images": int(len(valid)),
               "epochs_run": int(len(task.history_)), **_calibration_metrics(p, positive)}
    if len(classes) > 2:
        metrics["val_auc_ovr"] = float(roc_auc_score(valid["label"], probs, multi_class="ovr", labels=classes))
    if test is not None:
        metrics.update(_test_metrics(task, test, abnormal, normal, operating.threshold))
    details = {"roc": {"fpr": fpr.tolist(), "tpr": tpr.tolist()}, "operating": [1 - operating.specificity,
               operating.sensitivity], "calibration": _calibration_bins(p, positive),
               "confusion": _confusion(valid["label"], predicted, flagged, positive, classes, abnormal, normal),
               "history": task.history_}
    return Evaluation(metrics, rule, details)


def _calibration_metrics(p: np.ndarray, positive: np.ndarray) -> dict[str, float]:
    bins = np.minimum((p * 10).astype(int), 9)
    ece = sum(abs(p[bins == b].mean() - positive[bins == b].mean()) * (bins == b).mean()
              for b in range(10) if (bins == b).any())
    return {"val_brier": float(np.mean((p - positive) ** 2)), "val_ece": float(ece)}


def _calibration_bins(p: np.ndarray, positive: np.ndarray) -> dict[str, list[float]]:
    from sklearn.calibration import calibration_curve

    prob_true, prob_pred = calibration_curve(positive, p, n_bins=10, strategy="quantile")
    return {"prob_pred": prob_pred.tolist(), "prob_true": prob_true.tolist()}


def _confusion(labels: pd.Series, predicted: np.ndarray, flagged: np.ndarray, positive: np.ndarray,
               classes: list[str], abnormal: str | None, normal: str) -> dict[str, Any]:
    """Binary: at the operating point; more classes: by the most probable class."""
    if abnormal is not None:
        names = [normal, abnormal]
        matrix = [[int((~positive & ~flagged).sum()), int((~positive & flagged).sum())],
                  [int((positive & ~flagged).sum()), int((positive & flagged).sum())]]
        return {"labels": names, "matrix": matrix, "basis": "operating point"}
    matrix = [[int(((labels == a) & (predicted == b)).sum()) for b in classes] for a in classes]
    return {"labels": classes, "matrix": matrix, "basis": "most probable class"}


def _test_metrics(task, test: pd.DataFrame, abnormal: str | None, normal: str, threshold: float) -> dict[str, float]:
    from sklearn.metrics import roc_auc_score

    classes = list(task.classes_)
    probs = task.predict(test[["image"]]).to_numpy()
    p, positive = p_abnormal(probs, classes, abnormal, normal), (test["label"] != normal).to_numpy()
    flagged = p >= threshold
    out = {"test_accuracy": float((np.array(classes)[probs.argmax(1)] == test["label"]).mean()),
           "test_images": int(len(test))}
    if positive.any() and not positive.all():
        out.update(test_auc=float(roc_auc_score(positive, p)), test_sensitivity=float(flagged[positive].mean()),
                   test_specificity=float((~flagged[~positive]).mean()))
    return out


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
    """Fill p_abnormal and predicted_class in ``frame`` (indexed by key); return Grad-CAM maps by key."""
    classes = list(task.classes_)
    abnormal, normal = parameters.get("abnormal_class"), parameters["normal_class"]
    maps: dict[str, np.ndarray] = {}
    for start in range(0, len(readable), SCORE_BATCH):
        chunk = readable[start:start + SCORE_BATCH]
        X = image_frame([pixels for _, pixels in chunk])
        explanation = task.explain(X, targets=_map_targets(task, X, classes, abnormal, normal))
        probs = explanation.extra["probabilities"]
        keys = [key for key, _ in chunk]
        frame.loc[keys, "p_abnormal"] = p_abnormal(probs, classes, abnormal, normal)
        frame.loc[keys, "predicted_class"] = np.array(classes, dtype=object)[probs.argmax(axis=1)]
        maps.update(zip(keys, explanation.extra["heatmaps"]))
    return maps


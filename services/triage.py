"""Triage desk use cases: train an image classifier (a job) and rank new studies into a worklist.

Decision support, not diagnosis: the worklist only reorders studies, it never drops one. Nothing that
identifies a patient is stored: study keys are salted hashes, file names are scrubbed of DICOM patient
names/IDs, and only 8-bit pixels (no DICOM header) are kept for thumbnails and relabelled sets.
"""
from __future__ import annotations

import json
import re
import shutil
import uuid
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from data import dicom, image_decode, images
from data.input_files import ArchiveError
from data.records import RunRecord
from domain import triage as rules
from ml import artifacts, image_baseline
from ml.cnn import CNNImageClassifierTask
from ml.device import select_device
from services import runs, triage_cautions, triage_labels, triage_layout, triage_masks, triage_training, triage_warnings
from services import triage_report_cutoff
from services.triage_inputs import (TriageInputError, consumed, installation_salt, left_out_reason, read_files,
                                    scrub_name, study_key)
from services.triage_names import scrubbed, source_name
from services.errors import NotFoundError, UserFacingError
from services.jobs import Progress
from services.runtime import Runtime

DESK = "triage"
TASK = CNNImageClassifierTask.name
HANDLER = "services.triage:train_triage_job"
PRIVATE_PARAMS = ("images", "manifest", "init_weights")  # paths can name a patient: kept out of the jobs table
DISCLAIMER = ("Decision support only — not a diagnosis. The worklist reorders studies for reading; "
              "it never removes or hides one. Every study must still be read by a clinician.")
MAX_THUMB_PX = 512


@dataclass(frozen=True)
class Worklist:
    run_id: int
    batch: str
    classes: tuple[str, ...]
    rows: pd.DataFrame  # ranked: record_key, file, p_abnormal, priority, predicted_class, rank, reason
    ignored: tuple[str, ...] = ()  # files in the input that are not images (README.txt), named
    # (file, why it was left out): judged on the name as read, not as scrubbed, which may have lost what told
    ignored_reasons: tuple[tuple[str, str], ...] = ()
    cautions: tuple[str, ...] = ()  # scored, but to be read with care (very low resolution), named


def train_params(images_path: str | list[str], *, manifest: str | None = None, size: int = 64, epochs: int = 10,
                 positive: str | None = None, target_sensitivity: float = rules.DEFAULT_TARGET_SENSITIVITY,
                 init_weights: str | None = None, seed: int = 0, max_minutes: float | None = None,
                 cleanup: bool = False) -> dict[str, Any]:
    if not 28 <= int(size) <= 224:
        raise TriageInputError(f"Image size must be between 28 and 224 pixels, got {size}.")
    if int(epochs) < 1:
        raise TriageInputError("Epochs must be 1 or more.")
    if not 0.5 <= float(target_sensitivity) <= 1.0:
        raise TriageInputError("Target sensitivity must be between 0.5 and 1.")
    if int(seed) < 0:
        raise TriageInputError(f"The seed must be 0 or more, got {seed}.")
    if max_minutes is not None and not float(max_minutes) > 0:
        raise TriageInputError(f"--max-minutes must be more than 0, got {max_minutes}.")
    return {"images": images_path, "manifest": manifest, "size": int(size), "epochs": int(epochs),
            "positive": positive or None, "target_sensitivity": float(target_sensitivity),
            "init_weights": init_weights, "seed": int(seed), "max_minutes": max_minutes, "cleanup": bool(cleanup)}


def train_triage_job(runtime: Runtime, params: dict[str, Any], progress: Progress) -> int:
    """Read → decode → train → choose the operating point → save → one transaction."""
    try:
        return _train(runtime, params, progress)
    finally:
        if params.get("cleanup"):
            for key in ("images", "manifest"):
                for path in ([params[key]] if isinstance(params.get(key), str) else params.get(key) or []):
                    Path(path).unlink(missing_ok=True)


def _train(runtime: Runtime, params: dict[str, Any], progress: Progress) -> int:
    progress(0.02, "Reading images")
    files, left_out = triage_layout.training_files(params["images"], params.get("manifest"))
    try:
        labelled = triage_training.load_labelled(files, params.get("manifest"), progress, seed=params.get("seed", 0),
                                                 left_out=left_out, size=params["size"], consume=True,
                                                 positive=params.get("positive"), choose=True)
    except (ArchiveError, UserFacingError) as exc:  # its file names may carry a patient's name: printed and kept
        raise triage_layout.refusal(exc, files, params["images"]) from None
    abnormal, normal = triage_layout.abnormal_class(labelled.classes, params.get("positive"),
                                                    manifest=bool(params.get("manifest")))
    device = select_device(runtime.device)
    task = CNNImageClassifierTask(size=params["size"], epochs=params["epochs"], seed=params.get("seed", 0),
                                  device=device, init_weights=params.get("init_weights"),
                                  max_minutes=params.get("max_minutes"))
    progress(0.1, f"Training on {len(labelled.train)} images ({device})")
    try:
        train, valid = image_baseline.validation_split(labelled.train, labelled.valid, params.get("seed", 0))
        task.fit(train[["image"]], train["label"], X_val=valid[["image"]], y_val=valid["label"],
                 progress=lambda f, m: progress(0.1 + 0.75 * f, m))
    except ValueError as exc:
        raise TriageInputError(f"Training could not start: {exc}") from None
    progress(0.86, "Fitting a pixel baseline to compare with")
    baseline_auc = image_baseline.pixel_auc(train, valid, normal, params.get("seed", 0))
    progress(0.87, "Choosing the operating point on validation data")
    evaluation = triage_training.evaluate(task, abnormal, normal, params["target_sensitivity"], labelled.test)
    evaluation = replace(evaluation, metrics=image_baseline.with_baseline(evaluation.metrics, baseline_auc))
    staging = artifacts.staging_dir(runtime.artifacts_dir)
    try:
        (staging / triage_training.EVALUATION_FILE).write_text(json.dumps(evaluation.details, default=float))
        task.save(staging)
        progress(0.95, "Saving results")
        check = getattr(progress, "check", None)
        if check is not None:
            check()
        run_id = _store_run(runtime, params, task, evaluation, labelled, abnormal, normal, staging)
    except BaseException:
        artifacts.discard(staging)
        raise
    progress(1.0, "Done")
    return run_id


def _store_run(runtime: Runtime, params: dict[str, Any], task: CNNImageClassifierTask, evaluation, labelled,
               abnormal: str | None, normal: str, staging: Path) -> int:
    final_dir = runtime.artifacts_dir / f"run-{staging.name.removeprefix('.tmp-')}"
    artifacts.promote(staging, final_dir)
    stored = _stored_parameters(params, task, evaluation, labelled, abnormal, normal)
    try:
        with runtime.uow() as uow:
            owner = uow.users.get_or_create(runtime.user)
            run = uow.runs.add(RunRecord(desk=DESK, task=TASK, dataset_id=None, parameters=stored,
                                         metrics=evaluation.metrics, status="succeeded", artifact_dir=final_dir.name,
                                         artifact_hashes=artifacts.file_hashes(final_dir), owner_id=owner.id))
            uow.audit.add(user_id=owner.id, action="train", object_type="run", object_id=run.id,
                          details={"desk": DESK, "metrics": evaluation.metrics, "images": labelled.total,
                                   "positive_classes": stored["positive_classes"],
                                   "normal_classes": stored["normal_classes"]})
            uow.commit()
            return run.id
    except BaseException:
        artifacts.discard(final_dir)
        raise


def _stored_parameters(params: dict[str, Any], task: CNNImageClassifierTask, evaluation, labelled,
                       abnormal: str | None, normal: str) -> dict[str, Any]:
    """What the run keeps besides its metrics: which labels are positive and which normal (said first, since an
    abnormal_class of None left three-class runs unexplained), thresholds, counts, notes, warnings, and what the
    training images were like (colour, DICOM modality and body part) to caution on unlike studies."""
    classes = list(task.classes_)
    positive, normals = rules.label_roles(classes, abnormal, normal)
    profile = triage_cautions.dicom_profile(labelled.train["modality"], labelled.train["body_part"])
    stored = {k: v for k, v in params.items() if k not in ("images", "manifest", "init_weights", "cleanup")}
    stored.update(classes=classes, abnormal_class=abnormal, normal_class=normal, positive_classes=list(positive),
                  normal_classes=list(normals),
                  review_threshold=evaluation.rule.review_threshold, urgent_threshold=evaluation.rule.urgent_threshold,
                  class_counts=labelled.counts, image_count=labelled.total, skipped_images=labelled.skipped,
                  merged_classes=list(labelled.merged),
                  notes=[rules.label_roles_note(positive, normals), *labelled.notes, *evaluation.notes,
                         *triage_cautions.profile_notes(profile)],
                  device=task.device, validation_folders=list(labelled.held_folders),
                  colour_share=triage_cautions.colour_share(labelled.train["image"]), dicom_profile=profile,
                  warnings=[*labelled.warnings, *filter(None, [rules.uncertain_positive_caution(positive)]),
                            *triage_warnings.validation_warnings(task.validation_["label"], evaluation.rule,
                                                                labelled.valid),
                            *triage_warnings.operating_point_warnings(task.validation_["label"], abnormal, normal,
                                                                      evaluation.metrics),
                            *triage_labels.run_warnings(classes, evaluation.metrics),
                            *triage_warnings.weak_model_warnings(evaluation.metrics, params["epochs"], params["size"]),
                            *triage_warnings.review_band_warnings(evaluation.metrics,
                                                                  evaluation.details.get(triage_training.VALIDATION))])
    return stored


def load_model(runtime: Runtime, run_id: int) -> tuple[Any, CNNImageClassifierTask]:
    run = runs.get_run(runtime, run_id)
    if run.desk != DESK or not run.artifact_dir:
        raise NotFoundError(f"Run {run_id} is not a triage model.")
    try:
        task = CNNImageClassifierTask.load(runtime.artifacts_dir / run.artifact_dir,
                                           device=select_device(runtime.device))
    except artifacts.ArtifactIntegrityError as exc:
        raise UserFacingError(str(exc)) from None
    return run, task


def score_studies(runtime: Runtime, run_id: int, source: Any, *, user: str) -> Worklist:
    """Rank new studies; unreadable ones are kept at the top as 'needs manual read', and scored studies that carry
    a caution (another modality, colour, very low resolution …) follow them with that priority, their score kept."""
    run, task = load_model(runtime, run_id)
    ignored: list[str] = []
    files = read_files(source, ignored)
    masks = triage_masks.paired_masks([f.name for f in files])  # COVID/masks/COVID-1.png beside images/COVID-1.png
    files, ignored = [f for f in files if f.name not in masks], ignored + sorted(masks)
    salt = installation_salt(runtime)
    seen: dict[str, int] = {}
    reasons = [left_out_reason(name) for name in ignored]
    entries, ignored, identifiers = scrubbed([_read_entry(salt, item, seen, run.parameters)
                                              for item in consumed(files)], ignored)
    frame = pd.DataFrame([{k: e[k] for k in ("record_key", "file", "reason")} for e in entries])
    frame = frame.set_index("record_key")
    frame["p_abnormal"], frame["predicted_class"] = np.nan, None
    readable = [(e["record_key"], e["pixels"]) for e in entries if e["pixels"] is not None]
    parameters = triage_training.scoring_parameters(run.parameters)  # a cut-off moved on the run, if it was
    maps = triage_training.predict_with_maps(task, parameters, readable, frame)
    rule = rules.BucketRule(parameters["review_threshold"], parameters["urgent_threshold"])
    probabilities = [None if pd.isna(p) else float(p) for p in frame["p_abnormal"]]
    # a scored study with a caution is read as if unscored: 'needs manual read', its score kept, after the unreadable
    frame["priority"] = [rules.priority(p, rule, cautioned=bool(r)) for p, r in zip(probabilities, frame["reason"])]
    order = rules.rank([rules.WorkItem(k, p, b) for k, p, b in zip(frame.index, probabilities, frame["priority"])])
    frame = frame.loc[[i.key for i in order]].reset_index()
    frame["rank"] = range(1, len(frame) + 1)
    batch = uuid.uuid4().hex[:12]
    pixels = dict(readable)
    stored = _store_worklist(runtime, run.id, batch, frame, pixels, maps, tuple(task.classes_), user=user,
                             source=scrub_name(source_name(source), identifiers), cutoff=rule.review_threshold)
    cautioned = frame[frame["p_abnormal"].notna() & (frame["reason"] != "")]  # each caution said once, counted
    cautions = triage_cautions.said_once(list(cautioned["file"]), list(cautioned["reason"]))
    # the worklist shows the empty 'review' tier: it says why, as the run's validation does (stderr from the CLI)
    band = triage_report_cutoff.band_caution(run, triage_report_cutoff.evaluation(runtime, run))
    return replace(stored, ignored=tuple(ignored), ignored_reasons=tuple(zip(ignored, reasons)),
                   cautions=(*filter(None, [band]), *cautions))


def _read_entry(salt: bytes, item: images.InputFile, seen: dict[str, int], parameters: dict[str, Any]
                ) -> dict[str, Any]:
    """The study's key, scrubbed-to-be name, pixels (kept small: 300 films at full size took 1.9 GB) and caution, if
    any. Runs stored before the colour share or the DICOM profile was kept skip that check."""
    payload = b""
    try:
        payload = item.payload  # read once here: a ZIP member or a file on disk is read each time it is asked for
        decoded = image_decode.decode(payload, item.name)
    except ArchiveError as exc:  # a ZIP member unpacked only now: a damaged one stops the batch, unstored
        raise TriageInputError(str(exc)) from None
    except images.ImageInputError as exc:
        decoded, reason = None, str(exc)
    else:
        header = triage_cautions.dicom_kind(decoded)
        reason = triage_cautions.low_resolution(decoded.pixels, item.name) or \
            triage_cautions.unlike_dicom(header, item.name, parameters.get("dicom_profile")) or \
            triage_cautions.unlike_training(decoded.pixels, item.name, parameters.get("colour_share")) or \
            triage_cautions.multi_frame(decoded.frames, decoded.kind, item.name)
    identifiers = decoded.identifiers if decoded is not None else dicom.header_identifiers(payload)
    key = study_key(salt, decoded, payload)
    seen[key] = seen.get(key, 0) + 1
    pixels = triage_training.working_pixels(decoded.pixels, parameters.get("size"), MAX_THUMB_PX) if decoded else None
    return {"record_key": key if seen[key] == 1 else f"{key}-{seen[key]}", "file": item.name, "reason": reason,
            "identifiers": identifiers, "pixels": pixels}


def worklist_dir(runtime: Runtime, batch: str) -> Path:
    return runtime.state_dir / "triage" / re.sub(r"[^a-f0-9]", "", batch)


def _store_worklist(runtime: Runtime, run_id: int, batch: str, frame: pd.DataFrame, pixels: dict[str, np.ndarray],
                    maps: dict[str, np.ndarray], classes: tuple[str, ...], *, user: str, source: str = "",
                    cutoff: float | None = None) -> Worklist:
    """Study images first (de-identified 8-bit pixels only), then predictions and audit in one transaction; each
    row keeps the review cut-off it was scored at (``cutoff``), which a cut-off moved later does not change."""
    from reports import triage_figures

    folder = worklist_dir(runtime, batch)
    folder.mkdir(parents=True, exist_ok=True)
    try:
        for key, image in pixels.items():
            triage_figures.write_study_images(folder, key, image, maps.get(key), MAX_THUMB_PX)
        with runtime.uow() as uow:
            owner = uow.users.get_or_create(user)
            outputs = ((r.record_key, {"file": r.file,
                                       "p_abnormal": None if pd.isna(r.p_abnormal) else float(r.p_abnormal),
                                       "priority": r.priority, "predicted_class": r.predicted_class, "batch": batch,
                                       "rank": int(r.rank), "reason": r.reason,
                                       **({"review_threshold": cutoff} if cutoff is not None else {})})
                       for r in frame.itertuples())
            uow.predictions.add_many(run_id, outputs, kind="worklist")
            uow.audit.add(user_id=owner.id, action="score", object_type="worklist", object_id=batch,
                          details={"desk": DESK, "run_id": run_id, "studies": len(frame),
                                   **({"source": source} if source else {}),
                                   "needs_manual_read": int((frame["priority"] == rules.NEEDS_MANUAL_READ).sum()),
                                   "cautioned": int((frame["p_abnormal"].notna() & (frame["reason"] != "")).sum())})
            uow.commit()
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return Worklist(run_id, batch, classes, frame)

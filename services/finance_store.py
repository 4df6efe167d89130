"""Writing a finance run: artifact files (text + JSON, hashed) and one database transaction."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from data.records import RunRecord
from domain import finance as rules
from ml import artifacts
from ml import credit_eval as evaluation
from ml.credit import CreditModelTask
from ml.task import Explanation
from services.runtime import Runtime

PD_RESOLUTION = 0.001  # score PSI bins: PDs closer than a tenth of a percentage point are one risk

EVALUATION_FILE = "evaluation.json"
EXPLANATION_FILE = "explanation.json"   # global importance, read by the generic report too
SHAP_FILE = "shap_sample.json"
REFERENCE_FILE = "reference.json"       # training distributions for PSI


def save_artifacts(staging: Path, final: CreditModelTask, data, explanation: Explanation,
                   evaluation_payload: dict[str, Any], oof_pd: np.ndarray, *, extra: dict[str, Any]) -> None:
    final.save(staging)
    data.plan.save(staging)
    importance = explanation.global_importance()
    _write(staging / EXPLANATION_FILE, {"global_importance": {k: float(v) for k, v in importance.items()}})
    _write(staging / SHAP_FILE, {"base_value": explanation.base_value, "features": list(explanation.feature_names),
                                 "values": np.round(explanation.values, 6).tolist(),
                                 "data": _json_frame(explanation.data)})
    reference = {column: evaluation.reference_bins(data.X[column], kind, codes=data.codes.get(column, ()))
                 for column, kind in data.plan.kinds.items()}
    reference["__score__"] = evaluation.reference_bins(pd.Series(oof_pd), "numeric", resolution=PD_RESOLUTION)
    reference["__rows__"] = evaluation.row_hashes(data.X, list(data.plan.kinds)).tolist()  # training rows scored again
    if data.id_column:  # ... or the same applicants, edited
        reference["__ids__"] = list(data.keys)
    _write(staging / REFERENCE_FILE, reference)
    _write(staging / EVALUATION_FILE, evaluation_payload)
    artifacts.write_metadata(staging, task=final.name, parameters=_jsonable(final.get_params()),
                             feature_names=list(final.feature_names_), extra=extra)


def store_run(runtime: Runtime, desk: str, task: str, info, parameters: dict[str, Any], metrics: dict[str, Any],
              data, oof_pd: np.ndarray, staging: Path) -> int:
    """Run, out-of-fold predictions and the audit event in one transaction; the folder is renamed in first."""
    final_dir = runtime.artifacts_dir / f"run-{staging.name.removeprefix('.tmp-')}"
    artifacts.promote(staging, final_dir)
    bounds = tuple(parameters["grade_bounds"])
    cutoff = float(metrics["cutoff"])
    try:
        with runtime.uow() as uow:
            owner = uow.users.get_or_create(runtime.user)
            run = uow.runs.add(RunRecord(
                desk=desk, task=task, dataset_id=info.id, parameters=_jsonable(parameters), metrics=_jsonable(metrics),
                status="succeeded", artifact_dir=final_dir.name, artifact_hashes=artifacts.file_hashes(final_dir),
                owner_id=owner.id,
            ))
            rows = ((key, {"actual": _plain(label), "default": int(is_bad), "pd": float(p),
                           "grade": grade, "decision": rules.decide(float(p), cutoff)})
                    for key, label, is_bad, p, grade in zip(data.keys, data.labels, data.bad, oof_pd,
                                                            grades(oof_pd, bounds)))
            uow.predictions.add_many(run.id, rows, kind="oof")
            uow.audit.add(user_id=owner.id, action="train", object_type="run", object_id=run.id,
                          details={"desk": desk, "dataset_id": info.id, "dataset_sha256": info.sha256,
                                   "oof_auc": metrics["oof_auc"], "cutoff": cutoff})
            uow.commit()
            return run.id
    except BaseException:
        artifacts.discard(final_dir)
        raise


def grades(pds: np.ndarray, bounds: tuple[float, ...]) -> list[str]:
    """rules.grade for a whole array at once: the number of bounds at or below each PD picks the letter (a
    missing PD, like rules.grade's, is G)."""
    return np.asarray(rules.GRADES)[np.searchsorted(np.asarray(bounds, float), np.asarray(pds, float),
                                                    side="right")].tolist()


def _write(path: Path, payload: Any) -> None:
    path.write_text(json.dumps(_jsonable(payload)), encoding="utf-8")


def _json_frame(frame: pd.DataFrame | None) -> dict[str, list]:
    if frame is None:
        return {}
    return {str(c): [_plain(v) for v in frame[c].tolist()] for c in frame.columns}


def _plain(value: Any) -> Any:
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not np.isfinite(value):
        return None
    if value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, (pd.Timestamp,)):
        return value.isoformat()
    return value


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, np.ndarray):
        return [_jsonable(v) for v in value.tolist()]
    return _plain(value)

"""Quick baseline: a cross-validated LightGBM classifier on any stored dataset.

It runs as a background job and exercises the whole spine (dataset → job → model → artifacts →
one final transaction → report) before the desks add their own use cases.
"""
from __future__ import annotations

import json
from typing import Any

import numpy as np
import pandas as pd

from data.records import RunRecord
from ml import artifacts
from ml.device import select_device
from ml.tabular import LightGBMClassifierTask
from services import datasets
from services.errors import UserFacingError
from services.jobs import Progress
from services.runtime import Runtime

DESK = "baseline"
TASK = LightGBMClassifierTask.name
HANDLER = "services.modeling:train_baseline_job"
EXPLANATION_FILE = "explanation.json"
MAX_CLASSES = 20
MAX_EXPLAIN_ROWS = 2000


def baseline_params(dataset_id: int, target: str, *, features: list[str] | None = None, folds: int = 5,
                    n_estimators: int = 200, seed: int = 0) -> dict[str, Any]:
    return {"dataset_id": int(dataset_id), "target": target, "features": features, "folds": int(folds),
            "n_estimators": int(n_estimators), "seed": int(seed)}


def _prepare(frame: pd.DataFrame, roles: dict[str, str], target: str, features: list[str] | None,
             folds: int) -> tuple[pd.DataFrame, pd.Series, str | None]:
    if target not in frame.columns:
        raise UserFacingError(f"Target column {target!r} is not in the dataset.")
    id_column = next((c for c, r in roles.items() if r == "id" and c in frame.columns), None)
    if features is None:
        features = [c for c, r in roles.items() if r in ("feature", "exogenous", "series") and c != target]
    missing = [c for c in features if c not in frame.columns]
    if missing:
        raise UserFacingError(f"Feature columns not in the dataset: {', '.join(missing)}")
    if not features:
        raise UserFacingError("No feature columns: set at least one column's role to 'feature'.")
    data = frame[frame[target].notna()]
    dropped = len(frame) - len(data)
    y = data[target]
    counts = y.value_counts()
    if len(counts) < 2:
        raise UserFacingError(f"Target {target!r} has a single value ({counts.index[0]!r}); a classifier needs two or more.")
    if len(counts) > MAX_CLASSES:
        raise UserFacingError(f"Target {target!r} has {len(counts)} distinct values; this looks like a number to "
                              f"predict, not classes (limit {MAX_CLASSES}).")
    if counts.min() < folds:
        raise UserFacingError(f"Class {counts.idxmin()!r} of {target!r} has only {counts.min()} rows; "
                              f"{folds}-fold cross-validation needs at least {folds} per class.")
    X = data[features].copy()
    for column in X.columns:  # datetimes become numbers (days since epoch) for the trees
        if pd.api.types.is_datetime64_any_dtype(X[column]):
            X[column] = (X[column] - pd.Timestamp("1970-01-01")).dt.days.astype(float)
    keys = data[id_column].astype(str) if id_column else pd.Series(data.index.astype(str), index=data.index)
    if dropped:
        keys.attrs["dropped"] = dropped
    return X.reset_index(drop=True), y.reset_index(drop=True), keys.reset_index(drop=True)


def _metrics(y: pd.Series, oof: pd.DataFrame, classes: list) -> dict[str, float]:
    from sklearn.metrics import accuracy_score, log_loss, roc_auc_score

    codes = y.map({c: i for i, c in enumerate(classes)}).to_numpy()
    probs = oof.to_numpy()
    metrics = {"accuracy": float(accuracy_score(codes, probs.argmax(axis=1))),
               "log_loss": float(log_loss(codes, probs, labels=list(range(len(classes)))))}
    if len(classes) == 2:
        metrics["roc_auc"] = float(roc_auc_score(codes, probs[:, 1]))
    else:
        metrics["roc_auc_ovr"] = float(roc_auc_score(codes, probs, multi_class="ovr"))
    return metrics


def train_baseline_job(runtime: Runtime, params: dict[str, Any], progress: Progress) -> int:
    from sklearn.model_selection import StratifiedKFold

    progress(0.02, "Loading the dataset")
    info = datasets.get_dataset(runtime, params["dataset_id"])
    frame = datasets.load_pandas(runtime, info.id)
    folds, seed = int(params.get("folds", 5)), int(params.get("seed", 0))
    X, y, keys = _prepare(frame, info.roles, params["target"], params.get("features"), folds)
    device = select_device(runtime.device)
    task_params = {"n_estimators": int(params.get("n_estimators", 200)), "seed": seed, "device": device}
    classes = sorted(y.unique().tolist(), key=str)
    oof = pd.DataFrame(0.0, index=X.index, columns=[f"p_{c}" for c in classes])
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
    for fold, (train_idx, test_idx) in enumerate(splitter.split(X, y), start=1):
        progress(0.05 + 0.7 * (fold - 1) / folds, f"Cross-validation fold {fold} of {folds}")
        model = LightGBMClassifierTask(**task_params).fit(X.iloc[train_idx], y.iloc[train_idx])
        oof.iloc[test_idx] = model.predict(X.iloc[test_idx]).to_numpy()
    metrics = _metrics(y, oof, classes)
    progress(0.8, "Fitting the final model on all rows")
    final = LightGBMClassifierTask(**task_params).fit(X, y)
    progress(0.88, "Explaining the model (SHAP)")
    sample = X.sample(min(len(X), MAX_EXPLAIN_ROWS), random_state=seed) if len(X) > MAX_EXPLAIN_ROWS else X
    importance = final.explain(sample).global_importance()
    staging = artifacts.staging_dir(runtime.artifacts_dir)
    try:
        final.save(staging)
        (staging / EXPLANATION_FILE).write_text(json.dumps({"global_importance": importance.to_dict()}))
        artifacts.write_metadata(staging, task=final.name, parameters=final.get_params(),
                                 feature_names=list(X.columns), extra={"dataset_sha256": info.sha256})
        progress(0.95, "Saving results")
        check = getattr(progress, "check", None)
        if check is not None:
            check()  # a cancel that arrived during the last step must still win
        run_id = _store(runtime, params, info, metrics, classes, oof, y, keys, staging)
    except BaseException:
        artifacts.discard(staging)
        raise
    progress(1.0, "Done")
    return run_id


def _store(runtime: Runtime, params: dict[str, Any], info, metrics: dict[str, float], classes: list,
           oof: pd.DataFrame, y: pd.Series, keys: pd.Series, staging) -> int:
    """One transaction: run, out-of-fold predictions, audit. The artifact folder is renamed in first."""
    final_dir = runtime.artifacts_dir / f"run-{staging.name.removeprefix('.tmp-')}"
    artifacts.promote(staging, final_dir)
    try:
        with runtime.uow() as uow:
            owner = uow.users.get_or_create(runtime.user)
            run = uow.runs.add(RunRecord(
                desk=DESK, task=TASK, dataset_id=info.id, parameters={**params, "classes": [str(c) for c in classes]},
                metrics=metrics, status="succeeded", artifact_dir=final_dir.name,
                artifact_hashes=artifacts.file_hashes(final_dir), owner_id=owner.id,
            ))
            rows = ((str(key), {"actual": _plain(actual), **{c: float(v) for c, v in probs.items()}})
                    for key, actual, (_, probs) in zip(keys, y, oof.iterrows()))
            uow.predictions.add_many(run.id, rows, kind="oof")
            uow.audit.add(user_id=owner.id, action="train", object_type="run", object_id=run.id,
                          details={"desk": DESK, "dataset_id": info.id, "metrics": metrics})
            uow.commit()
            return run.id
    except BaseException:
        artifacts.discard(final_dir)
        raise


def _plain(value: Any) -> Any:
    if isinstance(value, (np.integer,)):
        return int(value)
    if isinstance(value, (np.floating,)):
        return float(value)
    if isinstance(value, (np.bool_,)):
        return bool(value)
    return value if isinstance(value, (int, float, str, bool)) or value is None else str(value)


def load_explanation(runtime: Runtime, artifact_dir: str) -> dict[str, float]:
    path = runtime.artifacts_dir / artifact_dir / EXPLANATION_FILE
    if not path.is_file():
        return {}
    return json.loads(path.read_text())["global_importance"]

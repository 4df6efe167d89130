"""The page's check of a training table, kept on disk for the job that trains on it.

The page checks a table (``check_training``) and then submits a job that runs in another process, which prepared the
table again from the stored copy. The check's preparation is written here as Parquet and JSON (never pickle), named
by the file's bytes and every job parameter, and the job takes it (and removes it) instead of preparing again.
"""
from __future__ import annotations

import hashlib
import json
import shutil
import time
import uuid
from dataclasses import fields
from pathlib import Path

import numpy as np
import pandas as pd

from ml import artifacts
from ml.credit_features import FeaturePlan
from services.finance_prepare import Prepared

FOLDER = "finance-checked"
STALE_SECONDS = 24 * 3600  # a check whose job never came (a closed page) is removed by a later check
_FRAMES = ("X", "raw")
_HELD = ("labels", "bad", "plan")  # the rest of Prepared are plain values, kept as JSON
BAD = "__bad__"  # beside the outcome column (named as the target) in outcome.parquet


def _folder(state_dir: Path, key: str) -> Path:
    return Path(state_dir) / FOLDER / hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]


def keep(state_dir: Path, key: str, data: Prepared) -> None:
    """Write the check's preparation for the job of the same key (written aside, then renamed: a job never reads a
    half-written one). A table Parquet cannot hold (a column of numbers and texts mixed) is not kept: the job then
    prepares it again, as it did."""
    root = Path(state_dir) / FOLDER
    _remove_stale(root)
    staging = root / f".{uuid.uuid4().hex}"
    staging.mkdir(parents=True)
    try:
        for name in _FRAMES:
            getattr(data, name).to_parquet(staging / f"{name}.parquet")
        data.labels.to_frame().assign(**{BAD: data.bad}).to_parquet(staging / "outcome.parquet")
        plain = {f.name: getattr(data, f.name) for f in fields(Prepared) if f.name not in (*_FRAMES, *_HELD)}
        plain["plan"] = data.plan.to_json()
        (staging / "prepared.json").write_text(json.dumps(plain, default=artifacts.plain), encoding="utf-8")
    except (OSError, ValueError, TypeError, NotImplementedError):  # pyarrow's errors derive from these
        shutil.rmtree(staging, ignore_errors=True)
        return
    target = _folder(state_dir, key)
    shutil.rmtree(target, ignore_errors=True)
    staging.rename(target)


def take(state_dir: Path, key: str) -> Prepared | None:
    """The preparation kept for ``key``, removed from disk; None when there is none (the CLI, or another check)."""
    folder = _folder(state_dir, key)
    if not folder.is_dir():
        return None
    try:
        plain = json.loads((folder / "prepared.json").read_text(encoding="utf-8"))
        frames = {name: pd.read_parquet(folder / f"{name}.parquet") for name in _FRAMES}
        outcome = pd.read_parquet(folder / "outcome.parquet")
    except (OSError, ValueError):  # unreadable (a disk full when it was written): the job prepares the table again
        return None
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    plan = FeaturePlan.from_json(plain.pop("plan"))
    bad = outcome.pop(BAD).to_numpy(np.int64)
    return Prepared(labels=outcome.iloc[:, 0], bad=bad, plan=plan, **frames, **plain)


def _remove_stale(root: Path) -> None:
    if not root.is_dir():
        return
    now = time.time()
    for entry in root.iterdir():
        if now - entry.stat().st_mtime > STALE_SECONDS:
            shutil.rmtree(entry, ignore_errors=True)

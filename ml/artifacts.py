"""Model artifacts without pickle: files written by the task plus metadata.json with hashes checked before loading."""
from __future__ import annotations

import hashlib
import json
import os
import platform
import shutil
import uuid
from importlib import metadata as importlib_metadata
from pathlib import Path
from typing import Any

METADATA_FILE = "metadata.json"
TRACKED_LIBRARIES = ("lightgbm", "scikit-learn", "shap", "torch", "transformers", "pandas", "numpy", "polars")


def plain(value: Any) -> Any:
    """A numpy scalar as the Python value JSON can hold (labels, parameters); anything else unchanged."""
    return value.item() if hasattr(value, "item") and type(value).__module__ == "numpy" else value


class ArtifactIntegrityError(RuntimeError):
    """An artifact file is missing or its hash differs from metadata.json: refuse to load it."""


def library_versions(names: tuple[str, ...] = TRACKED_LIBRARIES) -> dict[str, str]:
    versions = {"python": platform.python_version()}
    for name in names:
        try:
            versions[name] = importlib_metadata.version(name)
        except importlib_metadata.PackageNotFoundError:
            continue
    return versions


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def file_hashes(directory: Path) -> dict[str, str]:
    return {
        str(path.relative_to(directory)): sha256_of(path)
        for path in sorted(directory.rglob("*"))
        if path.is_file() and path.name != METADATA_FILE
    }


def write_metadata(directory: Path, *, task: str, parameters: dict[str, Any], feature_names: list[str],
                   extra: dict[str, Any] | None = None) -> dict[str, Any]:
    """Call last, after the task wrote its files: hashes cover everything in the folder."""
    meta = {
        "task": task,
        "parameters": parameters,
        "feature_names": feature_names,
        "library_versions": library_versions(),
        "files": file_hashes(directory),
        "extra": extra or {},
    }
    (directory / METADATA_FILE).write_text(json.dumps(meta, indent=2, default=str), encoding="utf-8")
    return meta


def read_metadata(directory: Path, *, verify: bool = True) -> dict[str, Any]:
    path = directory / METADATA_FILE
    if not path.is_file():
        raise ArtifactIntegrityError(f"{directory} has no {METADATA_FILE}; not a Decision Desk model folder.")
    meta = json.loads(path.read_text(encoding="utf-8"))
    if verify:
        verify_files(directory, meta.get("files", {}))
    return meta


def verify_files(directory: Path, expected: dict[str, str]) -> None:
    if not expected:
        raise ArtifactIntegrityError(f"{directory}/{METADATA_FILE} lists no files.")
    for name, digest in expected.items():
        path = directory / name
        if not path.is_file():
            raise ArtifactIntegrityError(f"Model file {name} is missing from {directory}.")
        if sha256_of(path) != digest:
            raise ArtifactIntegrityError(f"Model file {name} was changed after training (hash mismatch); not loading it.")


def staging_dir(root: Path) -> Path:
    """A fresh temporary folder next to its final place, so the final rename is atomic."""
    root.mkdir(parents=True, exist_ok=True)
    path = root / f".tmp-{uuid.uuid4().hex}"
    path.mkdir()
    return path


def promote(staging: Path, final: Path) -> Path:
    """Rename a finished staging folder into place (same filesystem: atomic)."""
    if final.exists():
        raise FileExistsError(final)
    os.replace(staging, final)
    return final


def discard(path: Path) -> None:
    shutil.rmtree(path, ignore_errors=True)


def clean_orphans(root: Path, referenced: set[str]) -> list[Path]:
    """Remove staging folders and folders no run refers to (left by a crash between rename and commit).

    ``referenced`` holds folder names relative to ``root``. Call only when no job is running.
    """
    removed: list[Path] = []
    if not root.is_dir():
        return removed
    for child in root.iterdir():
        if child.is_dir() and (child.name.startswith(".tmp-") or child.name not in referenced):
            discard(child)
            removed.append(child)
    return removed

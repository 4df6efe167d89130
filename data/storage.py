"""Parquet files for ingested tables, written so a crash never leaves a half-written file behind."""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
from pathlib import Path

import polars as pl

# zstd level 1 writes about as fast as lz4/snappy here (and ~25% faster than polars' default
# zstd level) while the files are ~40% smaller than lz4's.
PARQUET_COMPRESSION = "zstd"
PARQUET_COMPRESSION_LEVEL = 1


def write_parquet_atomic(
    frame: pl.DataFrame,
    path: Path,
    *,
    compression: str = PARQUET_COMPRESSION,
    compression_level: int | None = PARQUET_COMPRESSION_LEVEL,
) -> Path:
    """Write to a temp file in the same folder, fsync, then rename over `path` in one step.

    The same folder keeps `os.replace` a rename on one filesystem (atomic); readers see either
    the old file or the complete new one. On any failure the temp file is removed.
    `compression="uncompressed"` writes ~40% faster for ~4x the bytes.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        frame.write_parquet(tmp, compression=compression, compression_level=compression_level)  # type: ignore[arg-type]
        _fsync(tmp)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    _fsync_dir(path.parent)
    return path


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_dir(folder: Path) -> None:
    """Make the rename itself durable; not possible on every OS, so best effort."""
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def read_parquet(path: Path, columns: list[str] | None = None) -> pl.DataFrame:
    return pl.read_parquet(path, columns=columns)


def sha256_file(path: Path) -> str:
    with Path(path).open("rb") as fh:
        return hashlib.file_digest(fh, "sha256").hexdigest()

"""The upload as the readers see it, and the errors they raise.

Shared by the text and Excel readers and by `data.ingest`, which composes them: the size limit is
checked before a byte is read, temp files made along the way are deleted at the end, and every
refusal is an IngestError listing all the problems found.
"""
from __future__ import annotations

import hashlib
import io
import os
from dataclasses import dataclass, field
from pathlib import Path
from collections.abc import Iterator
from typing import BinaryIO

import polars as pl

from data.profile import Problem

Source = str | os.PathLike | bytes | BinaryIO
SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}


class IngestError(ValueError):
    """The file cannot be used as it is; `problems` lists everything found, errors first."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems, key=lambda p: SEVERITY_ORDER[p.severity])
        errors = [p for p in self.problems if p.severity == "error"] or self.problems
        if len(errors) == 1:
            summary = errors[0].problem
        else:
            summary = f"The file has {len(errors)} problems to fix:\n" + "\n".join(f"- {p}" for p in errors)
        super().__init__(summary)


class FileTooLargeError(IngestError):
    """Raised from the byte size alone, before any of the file is read."""


def rejected(message: str, column: str | None = None) -> IngestError:
    return IngestError([Problem(None, column, message, "error")])


@dataclass
class Upload:
    """The upload as either a path on disk or bytes in memory, never both."""

    path: Path | None
    data: bytes | None
    size: int
    temp_files: list[Path] = field(default_factory=list)

    def head(self, n: int) -> bytes:
        if self.data is not None:
            return self.data[:n]
        assert self.path is not None
        with self.path.open("rb") as fh:
            return fh.read(n)

    def chunks(self, start: int, size: int = 4 << 20) -> Iterator[bytes]:
        """The bytes from ``start`` on, a chunk at a time (a whole-file check in bounded memory)."""
        if self.data is not None:
            yield from (self.data[i:i + size] for i in range(start, len(self.data), size))
            return
        assert self.path is not None
        with self.path.open("rb") as fh:
            fh.seek(start)
            while chunk := fh.read(size):
                yield chunk

    def handle(self) -> str | bytes | io.BytesIO:
        return str(self.path) if self.path is not None else self.data  # type: ignore[return-value]


def open_upload(source: Source, max_bytes: int) -> Upload:
    """Normalise the source and enforce the size limit before reading a single byte of it."""
    if isinstance(source, (str, os.PathLike)):
        path = Path(source)
        upload = Upload(path, None, path.stat().st_size)
    elif isinstance(source, (bytes, bytearray, memoryview)):
        upload = Upload(None, bytes(source), len(source))
    else:
        size = _stream_size(source)
        if size is not None:
            _check_size(size, max_bytes)
        data = source.getvalue() if hasattr(source, "getvalue") else source.read(max_bytes + 1)
        upload = Upload(None, bytes(data), len(data))
    _check_size(upload.size, max_bytes)
    return upload


def _stream_size(stream: BinaryIO) -> int | None:
    try:
        position = stream.tell()
        size = stream.seek(0, io.SEEK_END)
        stream.seek(0 if hasattr(stream, "getvalue") else position)
        return size - (0 if hasattr(stream, "getvalue") else position)
    except (OSError, AttributeError, ValueError):
        return None


def _check_size(size: int, max_bytes: int) -> None:
    if size > max_bytes:
        raise FileTooLargeError([Problem(
            None, None, f"The file is {human_size(size)}; the limit is {human_size(max_bytes)}. "
            "Split the file or raise DD_MAX_UPLOAD_MB.", "error",
        )])  # fmt: skip


def human_size(n: int) -> str:
    for unit, scale in (("GB", 1024**3), ("MB", 1024**2), ("KB", 1024)):
        if n >= scale:
            return f"{n / scale:.1f} {unit}"
    return f"{n} bytes"


def sha256_of(upload: Upload) -> str:
    if upload.data is not None:
        return hashlib.sha256(upload.data).hexdigest()
    assert upload.path is not None
    with upload.path.open("rb") as fh:
        return hashlib.file_digest(fh, "sha256").hexdigest()


@dataclass
class Parsed:
    """A raw frame straight from the reader, before kinds are decided."""

    frame: pl.DataFrame
    header: list[str]
    problems: list[Problem]
    encoding: str = "utf-8"
    delimiter: str | None = None
    decimal_comma: bool = False
    sheet: str | None = None
    sheets: list[str] = field(default_factory=list)
    sample_rows: list[list[str]] = field(default_factory=list)  # first records as written (text files)

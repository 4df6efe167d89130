"""A gzip-compressed table (`train.csv.gz`, as Kaggle and many data portals ship them): unpacked to a temp file, a
chunk at a time and never past the upload limit, then read as the file inside. Such files had been refused by name
("a .gz file"), or, named .csv, as "a gzip archive"."""
from __future__ import annotations

import gzip
import io
import tempfile
import zlib
from pathlib import Path

from data.profile import Problem
from data.upload import FileTooLargeError, Upload, human_size, rejected

GZIP_MAGIC = b"\x1f\x8b"
_CHUNK = 4 << 20


def gunzipped(upload: Upload, filename: str, max_bytes: int) -> tuple[Upload, str, Problem] | None:
    """The unpacked file (its temp file listed in ``upload.temp_files``, deleted with the others), the name it is
    read by ('loans.csv.gz' → 'loans.csv'; a gzip file named .csv keeps its name) and a note; None when the upload
    is not gzip-compressed. The unpacked size is held to ``max_bytes`` as the file's own is."""
    if upload.head(len(GZIP_MAGIC)) != GZIP_MAGIC:
        return None
    inner = filename[:-3] if filename.lower().endswith(".gz") else filename
    out = tempfile.NamedTemporaryFile(prefix="dd-gunzip-", suffix=Path(inner).suffix, delete=False)  # noqa: SIM115
    upload.temp_files.append(Path(out.name))
    size = 0
    try:
        with gzip.open(upload.path or io.BytesIO(upload.data or b"")) as packed, out:
            while chunk := packed.read(_CHUNK):
                size += len(chunk)
                if size > max_bytes:
                    raise FileTooLargeError([Problem(None, None, f"Unpacked, the file is over "
                                                     f"{human_size(max_bytes)}, the limit. Split the file or raise "
                                                     "DD_MAX_UPLOAD_MB.", "error")])
                out.write(chunk)
    except (OSError, EOFError, zlib.error) as exc:
        raise rejected(f"'{filename}' is a damaged or incomplete gzip file ({exc}); download or compress it "
                       "again.") from exc
    note = Problem(None, None, f"The file is gzip-compressed; it was unpacked ({human_size(size)}) and read as "
                   f"'{inner}'.", "info")
    return Upload(Path(out.name), None, size, upload.temp_files), inner, note

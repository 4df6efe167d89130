"""A gzip-compressed table (`train.csv.gz`, as Kaggle and many data portals ship them) or a ZIP holding one table
(`train.csv.zip`, `archive.zip` with train.csv beside `__MACOSX/` entries and a README): unpacked to a temp file, a
chunk at a time and never past the upload limit, then read as the file inside. Such files had been refused by name
("a .gz file", "a .zip file"), or, named .csv, as "a gzip archive" / "a ZIP archive or an Excel .xlsx workbook".
ZIPs of images are read by `data.images`, never here."""
from __future__ import annotations

import gzip
import io
import tempfile
import zipfile
import zlib
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from data.profile import Problem
from data.upload import FileTooLargeError, Upload, human_size, rejected

GZIP_MAGIC = b"\x1f\x8b"
ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06")  # a ZIP with files; an empty one
TABLE_MEMBERS = (".csv", ".tsv", ".tab", ".txt", ".dat", ".data", ".xlsx", ".xlsm", ".xls")
PACKAGES = ("[Content_Types].xml", "mimetype")  # a workbook or document that is itself a ZIP (.xlsx, .docx, .ods)
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
    try:
        with gzip.open(upload.path or io.BytesIO(upload.data or b"")) as packed, out:
            size = _copy_capped(packed, out, max_bytes)
    except (OSError, EOFError, zlib.error) as exc:
        raise rejected(f"'{filename}' is a damaged or incomplete gzip file ({exc}); download or compress it "
                       "again.") from exc
    note = Problem(None, None, f"The file is gzip-compressed; it was unpacked ({human_size(size)}) and read as "
                   f"'{inner}'.", "info")
    return Upload(Path(out.name), None, size, upload.temp_files), inner, note


def _copy_capped(packed: BinaryIO, out: BinaryIO, max_bytes: int) -> int:
    """Copy a chunk at a time, stopping past ``max_bytes`` (the size the archive declares is not trusted)."""
    size = 0
    while chunk := packed.read(_CHUNK):
        size += len(chunk)
        if size > max_bytes:
            raise _too_big(max_bytes)
        out.write(chunk)
    return size


def unzipped(upload: Upload, filename: str, max_bytes: int) -> tuple[Upload, str, Problem] | None:
    """As ``gunzipped``, for a ZIP holding one table (read by the member's own name, 'train.csv'); None when the
    upload is no ZIP, or a workbook or document (itself a ZIP) read or refused as what it is. Several tables or none
    are refused in words; nothing is written under a member's name. The size the archive declares is checked before
    unpacking and the bytes unpacked while unpacking (zipfile stops at the declared size, and a member longer than
    declared then fails its checksum: refused as damaged)."""
    named = filename.lower().endswith(".zip")
    if not named and upload.head(4) not in ZIP_MAGICS:
        return None
    try:
        archive = zipfile.ZipFile(upload.path or io.BytesIO(upload.data or b""))
    except (zipfile.BadZipFile, OSError) as exc:
        if not named:
            return None  # the readers name what it is
        raise _damaged(filename, exc) from exc
    with archive:
        if any(name in PACKAGES for name in archive.namelist()):
            return None
        info, member, left_out = _only_table(archive, filename)
        if info.file_size > max_bytes:
            raise _too_big(max_bytes)
        inner = PurePosixPath(member).name
        out = tempfile.NamedTemporaryFile(prefix="dd-unzip-", suffix=PurePosixPath(inner).suffix,  # noqa: SIM115
                                          delete=False)
        upload.temp_files.append(Path(out.name))
        try:
            with archive.open(info) as packed, out:
                size = _copy_capped(packed, out, max_bytes)
        except (zipfile.BadZipFile, OSError, EOFError, zlib.error, NotImplementedError) as exc:
            raise _damaged(filename, exc) from exc
    others = f"; also in it, left out: {_listed(left_out)}" if left_out else ""
    note = Problem(None, None, f"The file is a ZIP archive; its one table '{member}' was unpacked "
                   f"({human_size(size)}) and read{others}.", "info")
    return Upload(Path(out.name), None, size, upload.temp_files), inner, note


def _only_table(archive: zipfile.ZipFile, filename: str) -> tuple[zipfile.ZipInfo, str, list[str]]:
    """The one table member, its name as written, and the names of the other files (what an operating system
    leaves beside them, dot files and folders unnamed)."""
    from data.images import _member_name, _unsafe_name, _wanted, hidden  # the image ZIPs' own checks

    infos = [info for info in archive.infolist() if not info.is_dir()]
    unsafe = [_member_name(info) for info in infos if _unsafe_name(info.filename)]
    if unsafe:
        raise rejected(f"'{filename}' holds unsafe path names (absolute or '..'): {_listed(unsafe)}. Nothing was "
                       "unpacked.")
    kept = [info for info in infos if _wanted(info.filename) and not hidden(info.filename)]
    tables = [info for info in kept if _is_table(_member_name(info))]
    others = [_member_name(info) for info in kept if info not in tables]
    if len(tables) > 1:
        raise rejected(f"'{filename}' holds {len(tables)} tables: {_listed([_member_name(i) for i in tables])}. "
                       "Unzip it and give the one table to read.")
    if not tables:
        held = f"it holds {_listed(others)}" if others else "it is empty"
        raise rejected(f"'{filename}' holds no CSV, TSV, text or Excel table ({held}). Unzip it and give the table "
                       "itself.")
    if tables[0].flag_bits & 0x1:
        raise rejected(f"'{filename}' is password-protected: '{_member_name(tables[0])}' is encrypted and cannot "
                       "be opened here. Unzip it with its password and give the table itself.")
    return tables[0], _member_name(tables[0]), others


def _is_table(name: str) -> bool:
    path = PurePosixPath(name)
    return path.suffix.lower() in TABLE_MEMBERS and not path.stem.lower().startswith(("readme", "license", "licence"))


def _listed(names: list[str]) -> str:
    shown = ", ".join(f"'{name}'" for name in names[:8])
    return shown + (f" and {len(names) - 8} more" if len(names) > 8 else "")


def _damaged(filename: str, exc: BaseException) -> Exception:
    return rejected(f"'{filename}' is a damaged or incomplete ZIP file ({exc}); download or zip it again.")


def _too_big(max_bytes: int) -> FileTooLargeError:
    return FileTooLargeError([Problem(None, None, f"Unpacked, the file is over {human_size(max_bytes)}, the limit. "
                                      "Split the file or raise DD_MAX_UPLOAD_MB.", "error")])

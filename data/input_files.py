"""The files of an image input (a ZIP's members, a folder's files, uploads): each named, sized and read only when
its bytes are asked for; and the errors an input that cannot be used raises."""
from __future__ import annotations

import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path


class ImageInputError(ValueError):
    """An archive, folder or image that cannot be used; the message names the file and the reason."""


class ArchiveError(ImageInputError):
    """A ZIP member that cannot be unpacked when it is read (checksum, lying header): the whole input's fault, so
    callers stop the job rather than list the file as unreadable."""


DAMAGED = ("The ZIP archive is damaged: a file inside it fails its checksum or cannot be unpacked. Re-create the "
           "ZIP (nothing was stored from it).")


class InputFile:
    """A file of the input: its name ('/'-separated, inside the archive or folder), its size, and its bytes
    (``payload``), which a ZIP member or a file on disk reads each time they are asked for and does not keep:
    holding a whole ZIP unpacked before decoding began took its unpacked size in memory (200 DICOMs of 2 MB:
    0.93 GB when ranked)."""
    __slots__ = ("name", "size", "_payload", "_read")

    def __init__(self, name: str, payload: bytes | None = None, *, read: Callable[[int], bytes] | None = None,
                 size: int = 0):
        self.name, self._payload, self._read = name, b"" if payload is None and read is None else payload, read
        self.size = len(payload) if payload is not None else size

    @property
    def payload(self) -> bytes:
        return self._payload if self._payload is not None or self._read is None else self._read(-1)

    def head(self, count: int) -> bytes:
        """The first ``count`` bytes, without reading the rest (to tell a DICOM or PNG without a suffix)."""
        return self._payload[:count] if self._payload is not None or self._read is None else self._read(count)

    def renamed(self, name: str) -> InputFile:
        return InputFile(name, self._payload, read=self._read, size=self.size)

    def __repr__(self) -> str:
        return f"InputFile({self.name!r}, {self.size} bytes)"


def member_reader(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> Callable[[int], bytes]:
    """Reads a member (all of it, or its first bytes): the archive stays open while any member is held."""
    def read(count: int) -> bytes:
        try:
            with archive.open(info) as handle:  # read at most the declared size + 1 to catch lying headers
                data = handle.read(info.file_size + 1 if count < 0 else min(count, info.file_size))
        except (zipfile.BadZipFile, zlib.error, OSError, EOFError, NotImplementedError):
            # not named: the member's path may hold a patient's name, and nothing has been read to scrub it
            raise ArchiveError(DAMAGED) from None
        if len(data) > info.file_size:
            raise ArchiveError(f"{info.filename}: the ZIP entry is larger than its header says.")
        return data
    return read


def on_disk(path: Path, name: str, size: int) -> InputFile:
    """A file on disk, read when its payload is asked for."""
    def read(count: int) -> bytes:
        try:
            with open(path, "rb") as handle:
                return handle.read(count)
        except OSError as exc:  # removed or unreadable since it was listed: that study is named as unreadable
            raise ImageInputError(f"{name}: the file cannot be read ({exc.strerror or exc}).") from None
    return InputFile(name, read=read, size=size)

"""Image inputs read safely: ZIPs and folders without path tricks or bombs (pixels: data/image_decode).

Nothing is extracted to disk: every name, the count and the declared sizes are checked up front, and a member's
bytes are read into memory only when its payload is asked for, so a hostile ZIP can neither write outside a folder
nor fill the disk, and a set is never held whole in memory.
"""
from __future__ import annotations

import io
import os
import posixpath
import zipfile
from collections.abc import Iterable
from pathlib import Path, PurePosixPath

from data import dicom
from data.input_files import ImageInputError, InputFile, member_reader, on_disk

MAX_MEMBER_BYTES = 256 * 1024**2   # one file inside an archive
MAX_TOTAL_BYTES = 8 * 1024**3      # all files together
MAX_FILES = 200_000
MAX_RATIO = 200                    # compressed → uncompressed, for members above 1 MiB
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".dcm", ".dicom", ".tif", ".tiff", ".bmp", ".gif", ".webp")
SPLIT_NAMES = {"train": "train", "training": "train", "val": "val", "valid": "val", "validation": "val",
               "test": "test", "testing": "test"}


def _unsafe_name(name: str) -> bool:
    path = PurePosixPath(name.replace("\\", "/"))
    return name.startswith(("/", "\\")) or ".." in path.parts or (len(name) > 1 and name[1] == ":")


SYSTEM_FILES = frozenset({".ds_store", "thumbs.db", "ehthumbs.db", "desktop.ini", "icon\r"})


def _wanted(name: str) -> bool:
    """Everything but what an operating system leaves beside the user's files (Finder's .DS_Store and ._copies,
    __MACOSX/ in ZIPs, Windows' Thumbs.db): those are no one's studies and are left out unnamed."""
    parts = PurePosixPath(name).parts
    if not parts or name.endswith("/") or "__MACOSX" in parts:
        return False
    return not parts[-1].startswith("._") and parts[-1].lower() not in SYSTEM_FILES


def hidden(name: str) -> bool:
    """In a hidden file or folder ('.thumbnails/', '.old.png'): left out of a set, but named."""
    return any(part.startswith(".") and part not in (".", "..") for part in PurePosixPath(name).parts)


def left_out_reason(name: str) -> str:
    """Why a file of the input is not used as an image (for the messages that name it)."""
    return "hidden file or folder" if hidden(name) else "not an image"


def read_zip(payload: bytes | Path) -> list[InputFile]:
    """Members of a ZIP after checking names, count, sizes and compression ratios; each member's bytes are read
    when its payload is asked for (a damaged one raises ArchiveError then)."""
    source = io.BytesIO(payload) if isinstance(payload, bytes) else payload
    try:
        archive = zipfile.ZipFile(source)
    except (zipfile.BadZipFile, OSError):
        # the library's own words ('File is not a zip file') read as a Python error on the page
        raise ImageInputError("The archive is not a readable ZIP file: it may be damaged, cut short or not a ZIP "
                              "at all.") from None
    try:
        infos = [i for i in archive.infolist() if not i.is_dir()]
        unsafe = [i.filename for i in infos if _unsafe_name(i.filename)]
        if unsafe:
            raise ImageInputError(f"The ZIP contains unsafe path names (absolute or '..'): {', '.join(unsafe[:5])}. "
                                  "Nothing was extracted.")
        infos = [i for i in infos if _wanted(i.filename)]
        if any(i.flag_bits & 0x1 for i in infos):  # zipfile raised a RuntimeError naming the member when read
            raise ImageInputError("The ZIP is password-protected: its files are encrypted and cannot be opened here. "
                                  "Unzip it with its password and give the folder or a ZIP without a password "
                                  "(nothing was stored).")
        _check_sizes([(i.filename, i.file_size, i.compress_size) for i in infos])
        return [InputFile(posixpath.normpath(_member_name(info).replace("\\", "/")), read=member_reader(archive, info),
                          size=info.file_size) for info in infos]
    except BaseException:
        archive.close()
        raise


def _member_name(info: zipfile.ZipInfo) -> str:
    """The member's name as written: Info-ZIP's zip stores UTF-8 names without the UTF-8 flag, which Python
    reads as cp437 ('M├╝ller' for 'Müller', which then escapes scrubbing and every folder match)."""
    if info.flag_bits & 0x800:
        return info.filename
    try:
        return info.filename.encode("cp437").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return info.filename


def _check_sizes(entries: list[tuple[str, int, int]]) -> None:
    if len(entries) > MAX_FILES:
        raise ImageInputError(f"The archive holds {len(entries):,} files; the limit is {MAX_FILES:,}.")
    total = sum(size for _, size, _ in entries)
    if total > MAX_TOTAL_BYTES:
        raise ImageInputError(f"The archive unpacks to {total / 1024**3:.1f} GiB; the limit is "
                              f"{MAX_TOTAL_BYTES / 1024**3:.0f} GiB.")
    for name, size, packed in entries:
        if size > MAX_MEMBER_BYTES:
            raise ImageInputError(f"{name} unpacks to {size / 1024**2:.0f} MiB; the limit per file is "
                                  f"{MAX_MEMBER_BYTES / 1024**2:.0f} MiB.")
        if size > 1024**2 and size > MAX_RATIO * max(packed, 1):
            raise ImageInputError(f"{name} expands {size / max(packed, 1):,.0f}× when unpacked: refused as a "
                                  "possible ZIP bomb.")


def read_folder(root: Path) -> list[InputFile]:
    """Files under a folder the user named, links included (a set of links into an image store is common);
    a linked folder is read once, so a link to a folder above it does not loop. A broken link is kept as an
    empty file, so it is named as unreadable instead of vanishing. Each file is read when its payload is asked
    for (one that cannot be read then is named as unreadable)."""
    root = Path(root)
    files, total = [], 0
    for path in _walk(root):
        name = path.relative_to(root).as_posix()
        if not _wanted(name):
            continue
        if not path.exists():
            files.append(InputFile(name, b""))
            continue
        size = path.stat().st_size
        total += size
        if len(files) >= MAX_FILES or total > MAX_TOTAL_BYTES:
            raise ImageInputError(f"The folder holds more than the limit ({MAX_FILES:,} files or "
                                  f"{MAX_TOTAL_BYTES / 1024**3:.0f} GiB).")
        files.append(on_disk(path, name, size))
    return files


def _walk(root: Path) -> list[Path]:
    seen: set[str] = set()
    found: list[Path] = []
    for folder, subfolders, names in os.walk(root, followlinks=True):
        real = os.path.realpath(folder)
        if real in seen:
            subfolders[:] = []
            continue
        seen.add(real)
        subfolders.sort()
        found += [Path(folder) / n for n in names]
        if len(found) > MAX_FILES:  # a link to a disk's root: stop, and let the caller say the folder is too big
            break
    return sorted(found)


def empty_folders(source: Path | str | Iterable[Path | str]) -> list[str]:
    """Folders of the input with no file anywhere below them (a class folder left empty), '/'-terminated."""
    paths = [Path(source)] if isinstance(source, (str, Path)) else [Path(p) for p in source]
    empty = []
    for root in (p for p in paths if p.is_dir()):
        for folder, subfolders, names in os.walk(root):
            relative = Path(folder).relative_to(root).as_posix()
            files = [n for n in names if _wanted(f"{relative}/{n}")]  # a .DS_Store alone leaves it empty
            if relative != "." and not files and not subfolders and _wanted(relative + "/x"):
                empty.append(relative + "/")
    return sorted(empty)


def read_inputs(source: Path | str | Iterable[Path | str]) -> list[InputFile]:
    """A ZIP, a folder, one image or several image files (several ZIPs are combined)."""
    paths = [Path(source)] if isinstance(source, (str, Path)) else [Path(p) for p in source]
    files: list[InputFile] = []
    for path in paths:
        if path.is_dir():
            files.extend(read_folder(path))
        elif not path.is_file():
            raise ImageInputError(f"No such file or folder: {path.name}")
        elif path.suffix.lower() == ".zip" or zipfile.is_zipfile(path):
            files.extend(read_zip(path))
        else:
            files.append(on_disk(path, path.name, path.stat().st_size))
    return files


def read_uploads(uploads: Iterable[tuple[str, bytes]]) -> list[InputFile]:
    """Browser uploads: (name, bytes) pairs; ZIPs are opened, other files kept under their base name."""
    files: list[InputFile] = []
    for name, payload in uploads:
        if payload[:4] == b"PK\x03\x04" or name.lower().endswith(".zip"):
            files.extend(read_zip(payload))
        else:
            files.append(InputFile(PurePosixPath(name.replace("\\", "/")).name, payload))
    return files


def image_files(files: list[InputFile]) -> list[InputFile]:
    """Files that look like images by suffix or content (DICOM often has no suffix)."""
    return [f for f in files if not hidden(f.name) and _image_like(f)]


def _image_like(f: InputFile) -> bool:
    if f.name.lower().endswith(IMAGE_SUFFIXES):
        return True
    head = f.head(132)  # enough for DICOM's preamble and 'DICM'; the rest is not read here
    return dicom.is_dicom(head) or dicom.maybe_raw_dicom(head, f.name) or head[:8] == b"\x89PNG\r\n\x1a\n" \
        or head[:3] == b"\xff\xd8\xff"


def split_and_label(name: str) -> tuple[str | None, tuple[str, ...]]:
    """(split, directory parts) of a path: a 'train'/'val'/'test' folder anywhere marks the split."""
    parts = PurePosixPath(name).parts[:-1]
    split = next((SPLIT_NAMES[p.lower()] for p in parts if p.lower() in SPLIT_NAMES), None)
    return split, tuple(p for p in parts if p.lower() not in SPLIT_NAMES)


def class_folders(names: list[str]) -> dict[str, tuple[str | None, str | None]]:
    """{name: (class, split)} from folder layout: the first folder below any shared wrapper folder.

    'data/normal/a.png' and 'data/pneumonia/b.png' → normal / pneumonia; 'train/normal/…' and
    'val/normal/…' keep the user's own split; deeper folders (per patient) are ignored.
    """
    parsed = {n: split_and_label(n) for n in names}
    prefix: tuple[str, ...] = ()
    dirs = [d for _, d in parsed.values()]
    while True:
        # Files lying directly in the wrapper (a preview image) have no class: they are left unlabelled,
        # and the caller skips a few of them. Any folder beside the wrapper is a class candidate.
        inner = [d for d in dirs if len(d) > len(prefix)]
        heads = {d[len(prefix)] for d in inner}
        if len(heads) != 1 or not any(len(d) > len(prefix) + 1 for d in inner):
            break
        prefix += (heads.pop(),)
        dirs = inner
    result = {}
    for name, (split, parts) in parsed.items():
        label = parts[len(prefix)] if len(parts) > len(prefix) and parts[:len(prefix)] == prefix else None
        result[name] = (label, split)
    return result


def drop_nested_copies(files: list[InputFile]) -> list[InputFile]:
    """Kaggle's chest_xray.zip holds its tree twice, as chest_xray/train/… and chest_xray/chest_xray/train/…:
    a file whose path repeats a folder name (a/a/rest) is dropped when a/rest is there too, so the copy
    is neither a class of its own nor a duplicate that leaks between splits."""
    by_name = {f.name: f for f in files}
    kept = []
    for item in files:
        parts = PurePosixPath(item.name).parts
        shorter = [by_name.get(posixpath.join(*(parts[:i] + parts[i + 1:])))
                   for i in range(len(parts) - 2) if parts[i] == parts[i + 1]]
        if any(s is not None and s.size == item.size and s.payload == item.payload for s in shorter):
            continue  # the same bytes under the shorter path: a copy (pets/cat/cat/1.png with other bytes stays)
        kept.append(item)
    return kept

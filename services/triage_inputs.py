"""What the triage desk reads in: image files from a path, several paths or browser uploads, uploads kept for a
background job, and the salted study keys and scrubbed names that stand in for anything identifying a patient."""
from __future__ import annotations

import hashlib
import io
import os
import re
import secrets
import uuid
import zipfile
from collections.abc import Iterator
from pathlib import Path, PurePosixPath
from typing import Any

from data import dicom, image_decode, images
from services.errors import UserFacingError
from services.runtime import Runtime

SALT_FILE = "triage.salt"


class TriageInputError(UserFacingError):
    """Images, archives or manifests that cannot be used; the message names the problem."""


def installation_salt(runtime: Runtime) -> bytes:
    """A secret created once per state folder; keys and UIDs hashed with it cannot be reversed elsewhere."""
    path = runtime.state_dir / SALT_FILE
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_bytes()
    with os.fdopen(fd, "wb") as handle:
        handle.write(secrets.token_bytes(32))
    return path.read_bytes()


def study_key(salt: bytes, decoded: image_decode.DecodedImage | None, payload: bytes) -> str:
    """DICOM: hash of the SOP Instance UID; other files: hash of their bytes. Never a name or an ID."""
    material = decoded.uid_material if decoded is not None and decoded.uid_material else \
        hashlib.sha256(payload).hexdigest()
    return "st-" + hashlib.sha256(salt + material.encode()).hexdigest()[:20]


def scrub_name(name: str, identifiers: tuple[str, ...]) -> str:
    """The file name with any DICOM patient name/ID part replaced, so exports carry no identifier."""
    return dicom.scrub(name, identifiers)


def scrub_reason(reason: str, raw_name: str, scrubbed_name: str, identifiers: tuple[str, ...]) -> str:
    """A study's reason with its file name scrubbed as the worklist writes it. The rest is the desk's own wording
    and the decoder's, which quote no header value: only ID-like identifiers (with a digit) are scrubbed there,
    since a patient named First or Little made 'only the first was scored' read 'only the [removed] …'."""
    ids = wording_ids(tuple(i for i in identifiers if any(c.isdigit() for c in i)))
    pieces = reason.split(raw_name) if raw_name else [reason]
    return scrubbed_name.join(scrub_name(piece, ids) for piece in pieces)


def wording_ids(identifiers: tuple[str, ...]) -> tuple[str, ...]:
    """The identifiers to scrub from the desk's own wording: all but bare numbers under four digits, which come
    only from an ID part stripped of its zeros ('15' of LIDC-IDRI-0015) and which the wording uses as counts:
    a set of TCIA patients had its notes read '[removed] of each class held out', '[removed] training images'."""
    return tuple(i for i in identifiers if not (i.isdigit() and len(i) < 4))


def scrub_wording(text: str, identifiers: tuple[str, ...], names: tuple[str, ...] = ()) -> str:
    """A note or warning of the desk scrubbed of every patient name and ID: the file ``names`` it quotes with all
    of them (a folder '15/' of patient 0015 too), the desk's own words with ``wording_ids``."""
    quoted = sorted({n for n in names if n and n in text}, key=len, reverse=True)
    pieces = re.split("(" + "|".join(map(re.escape, quoted)) + ")", text) if quoted else [text]
    ids = wording_ids(identifiers)
    return "".join(scrub_name(piece, identifiers if i % 2 else ids) for i, piece in enumerate(pieces))


IMAGE_KINDS = "PNG, JPEG, DICOM, TIFF, BMP, GIF or WebP"
# What the page's studies box takes, named by IMAGE_KINDS in its label (it had said only PNG, JPEG, DICOM)
STUDY_TYPES = ("zip", "png", "jpg", "jpeg", "dcm", "tif", "tiff", "bmp", "gif", "webp")


def read_files(source: Any, ignored: list[str] | None = None) -> list[images.InputFile]:
    """A path, several paths, or browser uploads as (name, bytes) pairs; the names of files that are not
    images are added to ``ignored`` when given."""
    uploads = is_upload(source)
    try:
        raw = unpack_nested(images.read_uploads(source) if uploads else images.read_inputs(source))
        files = [f for f in images.image_files(raw) if not dicom_directory(f.name)]
    except images.ImageInputError as exc:
        raise TriageInputError(str(exc)) from None
    kept = {id(f) for f in files}
    left_out = [f.name for f in raw if id(f) not in kept]
    if not files:
        named = "; ".join(f"{n} ({left_out_reason(n)})" for n in left_out[:5])
        raise TriageInputError(f"No images found ({IMAGE_KINDS}); nothing was stored."
                               + (f" Left out: {named}{' …' if len(left_out) > 5 else ''}." if named else ""))
    if ignored is not None:
        ignored.extend(left_out)
    return files


def header_identifiers(item: images.InputFile) -> tuple[str, ...]:
    """The patient names and IDs of a file's DICOM header; none where a ZIP member cannot be unpacked."""
    try:
        return dicom.header_identifiers(item.payload)
    except images.ImageInputError:
        return ()


def consumed(files: list[images.InputFile]) -> Iterator[images.InputFile]:
    """The files in order, each dropped from ``files`` as it is handed out, so that its bytes are let go once the
    caller has decoded it: holding every payload until the last was decoded (and, in training, to the end of
    training) kept a ZIP's whole unpacked size in memory (200 DICOMs of 2 MB: ranking peaked at 1.12 GB, 0.93 GB
    once let go)."""
    files.reverse()
    while files:
        yield files.pop()


MAX_NESTING = 3  # ZIPs inside ZIPs opened this deep; deeper ones are refused (a ZIP quine never ends)


def unpack_nested(files: list[images.InputFile], depth: int = 1) -> list[images.InputFile]:
    """Files with every ZIP among them opened in place: a site's batch.zip holding site_b.zip (or a folder with a
    ZIP per class) lost those studies as 'not an image'. Members are named below the archive's path without
    '.zip' (batch/site_b.zip's a.png is batch/site_b/a.png, so normal.zip is a class folder), with the same
    name, size and ratio checks as any ZIP, and all together within the limit of one archive."""
    if not any(_is_zip(f) for f in files):
        return files
    if depth > MAX_NESTING:
        raise images.ImageInputError(f"ZIP archives are nested more than {MAX_NESTING} deep; unpack the inner "
                                     "ones first. Nothing was stored.")
    total = sum(f.size for f in files if not _is_zip(f))
    out: list[images.InputFile] = []
    for item in files:
        if not _is_zip(item):
            out.append(item)
            continue
        payload = item.payload  # read once: the inner ZIP's members read from these bytes when asked for
        total += _declared_size(payload)
        if total > images.MAX_TOTAL_BYTES:
            raise images.ImageInputError(f"{item.name}: with the ZIPs inside it, the input unpacks to more than "
                                         f"{images.MAX_TOTAL_BYTES / 1024**3:.0f} GiB, the limit.")
        prefix = str(PurePosixPath(item.name).with_suffix(""))
        try:
            members = images.read_zip(payload)
        except images.ImageInputError as exc:
            raise images.ImageInputError(f"{item.name} (a ZIP inside the input): {exc}") from None
        out += unpack_nested([m.renamed(f"{prefix}/{m.name}") for m in members], depth + 1)
    return out


def _is_zip(item: images.InputFile) -> bool:
    """A .zip by name and content; a Word or Excel file (ZIPs too) is not opened, so its pictures are no study."""
    return item.name.lower().endswith(".zip") and item.head(4) in (b"PK\x03\x04", b"PK\x05\x06")


def _declared_size(payload: bytes) -> int:
    """What a ZIP's members add up to by their headers (0 when unreadable: read_zip then names the fault)."""
    try:
        with zipfile.ZipFile(io.BytesIO(payload)) as archive:
            return sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return 0


VOLUMES = {".nii": "NIfTI", ".nii.gz": "NIfTI", ".nrrd": "NRRD", ".nhdr": "NRRD", ".mha": "MetaImage",
           ".mhd": "MetaImage", ".mgz": "FreeSurfer MGH"}


def left_out_reason(name: str) -> str:
    """Why a file of the input was not read as an image: 'not an image', 'hidden file or folder', a volume the
    desk does not read (a CT in NIfTI had been called 'not an image') or, for a folder, 'empty folder'."""
    if dicom_directory(name):
        return "a DICOM directory, the index of a CD/DVD export: its images are read from their own files"
    kind = next((VOLUMES[s] for s in VOLUMES if name.lower().endswith(s)), None)
    if kind and not images.hidden(name):
        return f"a {kind} volume, which the desk does not read: export its slices as PNG or DICOM files, one per slice"
    if name.lower().endswith(images.IMAGE_SUFFIXES) and not images.hidden(name):
        # read_files keeps every such file, so it was left out as a mask beside its image (COVID/masks/, x_mask.png);
        # not judged by is_mask again, since the name may be scrubbed: a CBIS-DDSM series number equal to a patient's
        # number reads '1.000000-ROI mask images-[removed]', and the mask had been called "not an image"
        return "a segmentation mask, beside the image it outlines, which is ranked"
    return "empty folder" if name.endswith("/") else images.left_out_reason(name)


# a reading error says what to do with a study that cannot be ranked; in a training set it says why the file teaches
# nothing ('… and cannot be scored — open it in a DICOM viewer' had been listed among the files left out of training)
FOR_TRAINING = {" and cannot be scored — open it in a DICOM viewer.": ", so it cannot be used for training.",
                "a DICOM viewer to rank it.": "a DICOM viewer to train on it."}


def training_reason(reason: str) -> str:
    """Why a file is left out of training, in words of training rather than of scoring."""
    for scoring, training in FOR_TRAINING.items():
        reason = reason.replace(scoring, training)
    return reason


def dicom_directory(name: str) -> bool:
    """A CD/DVD export's DICOMDIR lists the studies beside it and holds no pixels: it had topped the worklist as
    a study that 'needs manual read' ('… a report or other non-image DICOM … open it in a DICOM viewer')."""
    return PurePosixPath(name).name.upper() == "DICOMDIR"


def is_upload(source: Any) -> bool:
    """Browser uploads as (name, bytes) pairs, rather than paths."""
    return isinstance(source, list) and all(isinstance(s, tuple) for s in source)


def stage_upload(runtime: Runtime, payload: bytes, filename: str) -> str:
    """Keep an uploaded file for a background job (params must be JSON); the job deletes it."""
    folder = runtime.state_dir / "uploads"
    folder.mkdir(parents=True, exist_ok=True)
    suffix = Path(filename).suffix.lower() if re.fullmatch(r"\.[a-z0-9]{1,6}", Path(filename).suffix.lower()) else ""
    path = folder / f"triage-{uuid.uuid4().hex}{suffix}"
    path.write_bytes(payload)
    return str(path)

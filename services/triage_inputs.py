"""What the triage desk reads in: image files from a path, several paths or browser uploads, uploads kept for a
background job, and the salted study keys and scrubbed names that stand in for anything identifying a patient."""
from __future__ import annotations

import hashlib
import os
import re
import secrets
import uuid
from pathlib import Path
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


IMAGE_KINDS = "PNG, JPEG, DICOM, TIFF, BMP, GIF or WebP"


def read_files(source: Any, ignored: list[str] | None = None) -> list[images.InputFile]:
    """A path, several paths, or browser uploads as (name, bytes) pairs; the names of files that are not
    images are added to ``ignored`` when given."""
    uploads = is_upload(source)
    try:
        raw = images.read_uploads(source) if uploads else images.read_inputs(source)
        files = images.image_files(raw)
    except images.ImageInputError as exc:
        raise TriageInputError(str(exc)) from None
    kept = {id(f) for f in files}
    left_out = [f.name for f in raw if id(f) not in kept]
    if not files:
        named = "; ".join(f"{n} ({images.left_out_reason(n)})" for n in left_out[:5])
        raise TriageInputError(f"No images found ({IMAGE_KINDS}); nothing was stored."
                               + (f" Left out: {named}{' …' if len(left_out) > 5 else ''}." if named else ""))
    if ignored is not None:
        ignored.extend(left_out)
    return files


def left_out_reason(name: str) -> str:
    """Why a file of the input was not read as an image: 'not an image', 'hidden file or folder' or, for a
    folder, 'empty folder'."""
    return "empty folder" if name.endswith("/") else images.left_out_reason(name)


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

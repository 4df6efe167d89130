"""Image pixels decoded safely: PNG/JPEG/TIFF/… and DICOM to 8-bit, within size limits.

Image headers are read before pixels, so a forged 20000 × 20000 PNG is refused before anything is
allocated; blank images and icons are refused as needing a manual read.
"""
from __future__ import annotations

import io
import re
from dataclasses import dataclass
from pathlib import PurePosixPath

import numpy as np

from data import dicom
from data.images import ImageInputError

MAX_PIXELS = 40_000_000            # per image (≈ 6300 × 6300); larger headers are refused unread
MIN_SIDE_PX = 8                    # smaller images (icons, placeholders) are not scored


@dataclass(frozen=True)
class DecodedImage:
    pixels: np.ndarray            # uint8, (H, W) grayscale or (H, W, 3) RGB
    uid_material: str | None      # for DICOM: the SOP Instance UID (hashed by the caller); else None
    identifiers: tuple[str, ...]  # strings to scrub from names (DICOM patient name/ID parts)
    kind: str                     # "png", "jpeg", "dicom", …
    modality: str | None = None   # DICOM Modality ('unknown' when absent); None for other kinds
    body_part: str | None = None  # DICOM BodyPartExamined ('' when absent); None for other kinds
    frames: int = 1               # frames or pages the file holds; one is decoded (DICOM: the middle, else the first)
    patient_id: str | None = None  # DICOM PatientID ('' when absent), to group a patient's images; None for others


def decode(payload: bytes, name: str) -> DecodedImage:
    """Pixels of one PNG/JPEG/DICOM as 8-bit; ImageInputError (with the file name) when unusable."""
    named_dicom = name.lower().endswith((".dcm", ".dicom")) and not _raster(payload)  # a PNG saved as .dcm
    if dicom.is_dicom(payload) or named_dicom or dicom.maybe_raw_dicom(payload, name):
        try:
            image = dicom.read(payload)
        except dicom.DicomError as exc:
            raise ImageInputError(f"{name}: {exc}") from None
        return DecodedImage(_big_enough(image.pixels, name), image.sop_uid, image.identifiers, "dicom",
                            image.modality, image.body_part, image.frames, image.patient_id)
    pixels, frames = _decode_raster(payload, name)
    return DecodedImage(_big_enough(pixels, name), None, (), PurePosixPath(name).suffix.lower().lstrip("."),
                        frames=frames)


# Not TIFF's: a DICOM file's 128-byte preamble may hold a TIFF header (dual-format files; pydicom's CT_small).
RASTER_MAGIC = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"GIF8")


def _raster(payload: bytes) -> bool:
    """PNG, JPEG or GIF by its first bytes, whatever the file is named."""
    return payload.startswith(RASTER_MAGIC)


def _big_enough(pixels: np.ndarray, name: str) -> np.ndarray:
    """A 3 × 3 'image' (an icon, a placeholder) holds no study: scaled up it would still get a score."""
    height, width = pixels.shape[:2]
    if min(height, width) < MIN_SIDE_PX:
        raise ImageInputError(f"{name}: only {width} × {height} pixels, too small to be a study (at least "
                              f"{MIN_SIDE_PX} on each side); it needs a manual read.")
    return pixels


def _decode_raster(payload: bytes, name: str) -> tuple[np.ndarray, int]:
    """The first frame (page) as 8-bit pixels, and how many frames the file holds."""
    from PIL import Image, UnidentifiedImageError

    try:
        image = Image.open(io.BytesIO(payload))
        frames = max(int(getattr(image, "n_frames", 1) or 1), 1)
        width, height = image.size  # header only: no pixels decoded yet
        if width * height > MAX_PIXELS:
            raise ImageInputError(f"{name}: {width} × {height} pixels is larger than the limit of "
                                  f"{MAX_PIXELS:,} pixels (a possible decompression bomb); it was not decoded.")
        image.load()
        inverted = _min_is_white(image)
        image = _upright(image)
    except ImageInputError:
        raise
    except Image.DecompressionBombError:
        raise ImageInputError(f"{name}: the header claims more than {MAX_PIXELS:,} pixels (a possible decompression "
                              "bomb); it was not decoded.") from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        if not payload:
            raise ImageInputError(f"{name}: not a readable image (the file is empty).") from None
        reason = "not a known image format" if isinstance(exc, UnidentifiedImageError) else \
            re.sub(r"<[^>]*object at 0x[0-9a-f]+>", "the file", str(exc))
        raise ImageInputError(f"{name}: not a readable image (corrupt or unsupported: {reason}).") from None
    pixels = _to_uint8(image)
    if inverted:
        pixels = 255 - pixels
    if is_blank(pixels):
        raise ImageInputError(f"{name}: (nearly) every pixel has the same value (a blank image); it needs a "
                              "manual read.")
    return pixels, frames


def is_blank(pixels: np.ndarray) -> bool:
    """All pixels equal, or all but a few (≥ 99.5 % one value): nothing a model can rank, however it scores."""
    if not pixels.size:
        return True
    if int(pixels.max()) == int(pixels.min()):
        return True
    counts = np.bincount(pixels.reshape(-1).astype(np.int64))
    return counts.max() >= 0.995 * pixels.size


def _min_is_white(image) -> bool:
    """A 16-bit or float TIFF written MinIsWhite (photometric 0, as film digitisers write): Pillow inverts the
    8-bit ones but not these, and such a film decoded as its own negative. Read before ``_upright``, whose copy
    has no TIFF tags."""
    if image.format != "TIFF" or image.mode not in ("I", "I;16", "I;16B", "I;16L", "F"):
        return False
    return getattr(image, "tag_v2", {}).get(262) == 0


def _upright(image):
    """Photos of films and dermoscopy images carry an EXIF orientation: turn them as a viewer shows them."""
    from PIL import ImageOps

    try:
        return ImageOps.exif_transpose(image)
    except (OSError, ValueError, SyntaxError, KeyError, TypeError):
        return image


# A 16-bit picture whose values span at least half of 0-65535 uses the whole depth (an 8-bit film saved as 16 bits,
# a windowed export): it is scaled by the bit depth. Windowed to its percentiles instead, the same film scored apart
# from its 8-bit copy (p_abnormal 1.000 → 0.442 and 0.818 → 0.096, 4 of 12 priorities changed).
FULL_RANGE_16 = 32768


def _to_uint8(image) -> np.ndarray:
    """Any PIL mode → uint8 grayscale or RGB. Integer images whose values fit in 8 bits are used as they are,
    like an 8-bit PNG, 8-bit ones saved at 16 bits (every value a multiple of 257 or 256) divided back, and 16-bit
    ones spanning the depth (``FULL_RANGE_16``) scaled by it; narrower deep ones
    (12-bit data in a 16-bit PNG/TIFF) and floats are windowed to the range their values use (0.5-99.5
    percentiles), as a DICOM without a window is: a 12-bit detector's 2000-2600 scaled by the bit depth was a
    flat grey (132-160) the model scored near chance."""
    if image.mode in ("I", "I;16", "I;16B", "I;16L", "F"):
        array = np.asarray(image, dtype=np.float64)
        if not np.isfinite(array).all():
            array = np.where(np.isfinite(array), array, np.nan)
            array = np.nan_to_num(array, nan=float(np.nanmin(array)) if np.isfinite(array).any() else 0.0)
        if image.mode != "F" and array.size and array.min() >= 0 and array.max() <= 255:
            return array.astype(np.uint8)
        if image.mode != "F" and array.size and array.min() >= 0 and array.max() <= 65535:
            for step in (257, 256):  # an 8-bit film saved at 16 bits (×257, or shifted by 8): its own grey levels
                if not (array % step).any():  # a film spanning 101-204 had been stretched to 0-255
                    return (array // step).astype(np.uint8)
        if image.mode != "F" and array.size and array.min() >= 0 and array.max() - array.min() >= FULL_RANGE_16:
            return np.clip(np.round(array / 257), 0, 255).astype(np.uint8)  # 65535 → 255, as a viewer shows it
        low, high = np.percentile(array, [0.5, 99.5]) if array.size else (0.0, 1.0)
        scaled = (array - low) / max(high - low, 1e-9)
        return (np.clip(scaled, 0, 1) * 255).round().astype(np.uint8)
    if image.mode in ("1", "L", "LA"):
        return np.asarray(image.convert("L"), dtype=np.uint8)
    rgb = np.asarray(image.convert("RGB"), dtype=np.uint8)
    if (rgb[..., 0] == rgb[..., 1]).all() and (rgb[..., 1] == rgb[..., 2]).all():
        return np.ascontiguousarray(rgb[..., 0])  # gray stored as RGB/palette stays one channel
    return rgb

"""DICOM pixel data to 8-bit: decoding, rescale, VOI LUT or window, or the used range without one.

Split from ``data.dicom`` (headers, identifiers, de-identification) so each module stays readable.
"""
from __future__ import annotations

import warnings

import numpy as np


class DicomError(ValueError):
    """A DICOM file that cannot be turned into an image; the message says why."""


def _decode(ds) -> np.ndarray:
    transfer = getattr(getattr(ds, "file_meta", None), "TransferSyntaxUID", None)
    try:
        return ds.pixel_array
    except (NotImplementedError, RuntimeError):
        name = getattr(transfer, "name", str(transfer))  # pydicom's own message repeats the syntax and lists plugins
        raise DicomError(f"the transfer syntax {name} ({transfer}) cannot be decoded here: no decoder for it is "
                         f"installed. {_advice(str(transfer or ''))}") from None
    except (ValueError, EOFError, AttributeError) as exc:
        if "less than expected" in str(exc) or isinstance(exc, EOFError):
            raise DicomError("the pixel data is shorter than its header says: the file looks truncated.") from None
        raise DicomError(f"the pixel data cannot be decoded ({exc}).") from None


VIDEO = ("1.2.840.10008.1.2.4.10", )  # MPEG-2, MPEG-4, HEVC: .100 to .108
ADVICE = (  # (UID prefix, the tool that converts it; the plugin that decodes it): dcmdjpeg reads only plain JPEG
    ("1.2.840.10008.1.2.4.8", "`dcmdjpls` / `gdcmconv --raw`", "pylibjpeg-libjpeg"),  # JPEG-LS
    ("1.2.840.10008.1.2.4.9", "`gdcmconv --raw`", "pylibjpeg-openjpeg"),  # JPEG 2000
    ("1.2.840.10008.1.2.4.20", "`gdcmconv --raw`", "pylibjpeg-openjpeg"),  # High-Throughput JPEG 2000
    ("1.2.840.10008.1.2.5", "`dcmdrle` / `gdcmconv --raw`", "pylibjpeg-rle"),  # RLE
    ("1.2.840.10008.1.2.4.", "`dcmdjpeg` / `gdcmconv --raw`", "pylibjpeg-libjpeg"))  # JPEG baseline, lossless


def _advice(transfer: str) -> str:
    """How to read a file of this transfer syntax: the converting tool and decoder plugin for it (JPEG-LS files
    had been told to use dcmdjpeg, which reads only plain JPEG; an MPEG-2 video, to install a JPEG decoder)."""
    if transfer.startswith(VIDEO):
        return "It is a video: export a frame as an image in a DICOM viewer to rank it."
    tool, plugin = next(((t, p) for prefix, t, p in ADVICE if transfer.startswith(prefix)),
                        ("`gdcmconv --raw`", "pylibjpeg with its plugins"))
    return (f"Convert the file to an uncompressed syntax, e.g. {tool}, or install pylibjpeg with {plugin} into the "
            "app's environment.")


def pixels(ds) -> np.ndarray:
    """First/middle frame, modality LUT (rescale), VOI LUT/window, MONOCHROME1 inverted, 8-bit."""
    from pydicom.pixels import apply_modality_lut

    array = _decode(ds)
    samples = int(ds.get("SamplesPerPixel", 1) or 1)
    frames = int(ds.get("NumberOfFrames", 1) or 1)
    if frames > 1:
        array = array[frames // 2]
    if samples == 3:  # pydicom converts YCbCr to RGB by default
        return _stretch(array, array.min(), array.max()) if array.dtype != np.uint8 else np.ascontiguousarray(array)
    try:
        values = apply_modality_lut(array, ds).astype(np.float64)
    except (ValueError, TypeError, AttributeError, KeyError):
        values = np.asarray(array, dtype=np.float64)  # a broken rescale tag: the stored values still rank
    windowed, bounds = _voi(values, ds)
    if windowed is not None and np.isfinite(windowed).all() and windowed.max() > windowed.min():
        values = windowed
        low, high = (min(bounds), max(bounds)) if bounds is not None and np.isfinite(bounds).all() and \
            bounds.max() > bounds.min() else (values.min(), values.max())
    else:
        low, high = _used_range(values, ds)
    if not np.isfinite(values).all():
        raise DicomError("some pixel values are not finite numbers (NaN or infinite); it needs a manual read.")
    if float(values.max()) == float(values.min()):
        raise DicomError("every pixel has the same value after rescaling (a blank image, or a Rescale Slope "
                         "of 0); it needs a manual read.")
    image = _stretch(values, low, high)
    if str(ds.get("PhotometricInterpretation", "")).upper() == "MONOCHROME1":
        image = 255 - image  # MONOCHROME1: high values are dark
    return image


def _voi(values: np.ndarray, ds) -> tuple[np.ndarray | None, np.ndarray | None]:
    """(values through the VOI LUT or window, the window's own output range), or (None, None) without one.

    The output range (what the window maps the darkest and brightest values to) is the grey scale: the image
    is shown as the window says, not stretched again to its own extremes (a DICOM then scores like the same
    picture saved as a PNG; re-stretching moved p(abnormal) by 0.16 on average). Whole numbers go in as
    integers, as a LUT expects; pydicom's warnings on its input types are not the user's business."""
    from pydicom.pixels import apply_voi_lut

    if "WindowCenter" not in ds and "VOILUTSequence" not in ds:
        return None, None
    whole = bool(np.all(values == np.round(values))) and float(np.abs(values).max()) < 2 ** 52
    data = values.astype(np.int64) if whole else values
    extremes = np.array([data.min() - 10 ** 12, data.max() + 10 ** 12], dtype=data.dtype)
    try:  # a Window Width of 0 (seen in real exports) or a malformed LUT: fall back to the value range
        with warnings.catch_warnings(), np.errstate(invalid="ignore", over="ignore"):
            warnings.simplefilter("ignore")
            return (apply_voi_lut(data, ds, index=0).astype(np.float64),
                    apply_voi_lut(extremes, ds, index=0).astype(np.float64))
    except (ValueError, TypeError, AttributeError, KeyError, IndexError, OverflowError):
        return None, None


def _used_range(values: np.ndarray, ds) -> tuple[float, float]:
    """Without a window: 8-bit data is used as is, like the same picture as a PNG or JPEG; deeper data (12 or
    16 bits) is windowed to the range its values use (0.5-99.5 percentiles), like a 16-bit PNG."""
    bits = int(ds.get("BitsStored", 0) or ds.get("BitsAllocated", 16) or 16)
    if bits <= 8 and values.min() >= 0 and values.max() <= 255:
        return 0.0, 255.0
    low, high = np.percentile(values, [0.5, 99.5])
    return float(low), float(high)


def _stretch(values: np.ndarray, low: float, high: float) -> np.ndarray:
    scaled = (np.asarray(values, dtype=np.float64) - low) / max(float(high - low), 1e-9)
    return (np.clip(scaled, 0.0, 1.0) * 255).round().astype(np.uint8)

"""Tiny image sets for the triage tests: real PneumoniaMNIST crops written as PNG class folders."""
from __future__ import annotations

import io
import struct
import zipfile
import zlib
from pathlib import Path

import numpy as np

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"
NPZ = SHARED / "pneumoniamnist" / "pneumoniamnist.npz"
DICOM_SAMPLES = SHARED / "dicom_samples"
# Patient names / IDs inside the pydicom sample files: none of them may reach the database or an export.
SAMPLE_IDENTIFIERS = ("CompressedSamples", "1CT1", "4MR1", "8NM1", "Lestrade", "ID1", "id00001",
                      "Last^First^mid^pre")


def sample_images(per_class: int = 6, split: str = "train") -> dict[str, list[np.ndarray]]:
    data = np.load(NPZ)
    labels = data[f"{split}_labels"][:, 0]
    pictures = data[f"{split}_images"]
    return {name: [pictures[i] for i in np.flatnonzero(labels == code)[:per_class]]
            for code, name in ((0, "normal"), (1, "pneumonia"))}


def png_bytes(pixels: np.ndarray) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.fromarray(pixels).save(buffer, format="PNG")
    return buffer.getvalue()


def write_class_folders(root: Path, per_class: int = 6, classes: dict[str, str] | None = None,
                        source: str = "train") -> Path:
    """root/<class>/<n>.png; ``classes`` renames the folders, e.g. {'normal': 'healthy'}; ``source`` is the
    PneumoniaMNIST split the pictures come from (a val/ folder of other pictures than train/: copies are dropped)."""
    rename = classes or {}
    for name, pictures in sample_images(per_class, source).items():
        folder = root / rename.get(name, name)
        folder.mkdir(parents=True, exist_ok=True)
        for i, pixels in enumerate(pictures):
            (folder / f"{name[:1]}{i:02d}.png").write_bytes(png_bytes(pixels))
    return root


def zip_tree(root: Path) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path in sorted(root.rglob("*")):
            if path.is_file():
                archive.write(path, path.relative_to(root).as_posix())
    return buffer.getvalue()


def zip_bytes(members: dict[str, bytes]) -> bytes:
    """A ZIP archive holding ``members`` (name: payload) as written."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, payload in members.items():
            archive.writestr(name, payload)
    return buffer.getvalue()


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def bomb_png(width: int = 20000, height: int = 20000) -> bytes:
    """A few hundred bytes claiming width × height pixels (valid header, one compressed row)."""
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", zlib.compress(b"\x00" * (width + 1)))
            + _chunk(b"IEND", b""))


def traversal_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("normal/a.png", png_bytes(np.zeros((28, 28), np.uint8)))
        archive.writestr("../../evil.png", png_bytes(np.zeros((28, 28), np.uint8)))
    return buffer.getvalue()


def dicom_bytes(pixels: np.ndarray, modality: str = "DX", body_part: str | None = "CHEST",
                patient: str = "ROE^ANN", patient_id: str = "MRN0042") -> bytes:
    """A 12-bit single-frame DICOM of ``pixels`` with the given Modality and BodyPartExamined (None: no tag)."""
    import pydicom
    from pydicom.dataset import Dataset, FileMetaDataset
    from pydicom.uid import ExplicitVRLittleEndian, generate_uid

    meta = FileMetaDataset()
    meta.MediaStorageSOPClassUID = "1.2.840.10008.5.1.4.1.1.1.1"
    meta.MediaStorageSOPInstanceUID = generate_uid()
    meta.TransferSyntaxUID = ExplicitVRLittleEndian
    ds = Dataset()
    ds.file_meta = meta
    ds.SOPClassUID, ds.SOPInstanceUID = meta.MediaStorageSOPClassUID, meta.MediaStorageSOPInstanceUID
    ds.Modality, ds.PatientName, ds.PatientID = modality, patient, patient_id
    if body_part is not None:
        ds.BodyPartExamined = body_part
    ds.Rows, ds.Columns = pixels.shape
    ds.SamplesPerPixel, ds.PhotometricInterpretation = 1, "MONOCHROME2"
    ds.BitsAllocated, ds.BitsStored, ds.HighBit, ds.PixelRepresentation = 16, 12, 11, 0
    ds.PixelData = (pixels.astype(np.uint16) * 16).tobytes()
    buffer = io.BytesIO()
    pydicom.dcmwrite(buffer, ds, enforce_file_format=True)
    return buffer.getvalue()

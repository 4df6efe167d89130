"""DICOM pixels to 8-bit, and de-identification (DICOM PS3.15 basic confidentiality profile, core tags).

Only pixels and a few non-identifying attributes leave this module. Patient name and ID parts are
returned as ``identifiers`` solely so callers can scrub them from file names before storing anything.
"""
from __future__ import annotations

import hashlib
import io
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from data import dicom_pixels
from data.dicom_pixels import DicomError

# Attributes removed by the basic profile that identify a person or an institution.
REMOVED_KEYWORDS = (
    "PatientName", "PatientID", "IssuerOfPatientID", "OtherPatientIDs", "OtherPatientIDsSequence",
    "OtherPatientNames", "PatientBirthDate", "PatientBirthTime", "PatientAddress", "PatientTelephoneNumbers",
    "PatientMotherBirthName", "MilitaryRank", "MedicalRecordLocator", "InstitutionName", "InstitutionAddress",
    "InstitutionalDepartmentName", "ReferringPhysicianName", "ReferringPhysicianAddress",
    "ReferringPhysicianTelephoneNumbers", "PerformingPhysicianName", "NameOfPhysiciansReadingStudy",
    "PhysiciansOfRecord", "RequestingPhysician", "OperatorsName", "AccessionNumber", "StudyID",
    "StationName", "DeviceSerialNumber", "PatientComments", "AdditionalPatientHistory",
)
# UIDs that name a class or syntax, not an instance: kept.
KEPT_UIDS = ("SOPClassUID", "TransferSyntaxUID", "MediaStorageSOPClassUID", "ImplementationClassUID",
             "ReferencedSOPClassUID")


MAX_NAME_PARTS = 5  # parts of one name or ID joined in every order (5 parts: 320 spellings)
IDENTIFYING_KEYWORDS = ("PatientName", "PatientID", "OtherPatientIDs", "AccessionNumber", "OtherPatientNames",
                        "PatientBirthName", "PatientMotherBirthName")
UID_KEYWORDS = ("SOPInstanceUID", "StudyInstanceUID", "SeriesInstanceUID")  # whole values only: parts are '1', '2'
UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "AE", "Ö": "OE", "Ü": "UE", "ß": "ss"})


@dataclass(frozen=True)
class DicomImage:
    pixels: np.ndarray            # uint8 (H, W) or (H, W, 3)
    sop_uid: str | None
    identifiers: tuple[str, ...]
    modality: str
    body_part: str = ""         # BodyPartExamined, upper case, spaces collapsed ('' when absent)
    frames: int = 1             # NumberOfFrames: the middle one is decoded
    patient_id: str = ""        # PatientID ('' when absent): to group a patient's images, never to show


def is_dicom(payload: bytes) -> bool:
    return len(payload) >= 132 and payload[128:132] == b"DICM"


IMAGE_MODALITIES = frozenset({"CR", "CT", "DX", "MG", "MR", "NM", "PT", "RF", "US", "XA", "IO", "PX", "OT", "SC"})


def maybe_raw_dicom(payload: bytes, name: str) -> bool:
    """A file without the 128-byte preamble and 'DICM' (old archives): no suffix, a UID for a name
    (1.2.840.113619.2.5) or a DICOM suffix (Siemens' .IMA), and it starts with a tag of group 0008 in little
    endian, as such files do, or of group 0002 (the file meta kept, only the preamble stripped)."""
    base = name.rsplit("/", 1)[-1]
    suffix = base.rsplit(".", 1)[1] if "." in base else ""
    uid_like = not suffix or suffix.isdigit() or suffix.lower() in ("ima", "dcm", "dic", "dicom")
    return uid_like and payload[:2] in (b"\x08\x00", b"\x02\x00") and payload[3:4] == b"\x00"


def read(payload: bytes) -> DicomImage:
    import pydicom
    from pydicom.errors import InvalidDicomError

    try:
        ds = pydicom.dcmread(io.BytesIO(payload), force=not is_dicom(payload))
    except (InvalidDicomError, EOFError, OSError, ValueError, KeyError, TypeError) as exc:
        raise DicomError(f"not a readable DICOM file ({exc}).") from None
    _add_transfer_syntax(ds)
    modality = str(ds.get("Modality", "") or "unknown")
    if not any(k in ds for k in ("PixelData", "FloatPixelData", "DoubleFloatPixelData")):
        _refuse_without_pixels(ds, modality, len(payload))
    pixels = dicom_pixels.pixels(ds)
    identifiers = _identifiers(ds)
    part = " ".join(str(ds.get("BodyPartExamined", "") or "").upper().split())
    return DicomImage(pixels, str(ds.get("SOPInstanceUID", "") or "") or None, identifiers, modality, part,
                      max(_whole(ds.get("NumberOfFrames", 1)), 1), str(ds.get("PatientID", "") or "").strip())


REPORT_CLASS_PREFIX = "1.2.840.10008.5.1.4.1.1.88."   # structured reports (SR) of every kind


def _refuse_without_pixels(ds, modality: str, size: int) -> None:
    """Truncated (an image header, or a fragment) or no image at all (a report, a plan): said apart, since a
    small structured report is whole and only a missing image would be found by reading the file again."""
    report = str(ds.get("SOPClassUID", "")).startswith(REPORT_CLASS_PREFIX) or modality in ("SR", "KO", "DOC")
    if "Rows" in ds:
        raise DicomError("the DICOM header describes an image but there is no pixel data: the file looks "
                         "truncated.")
    if modality in IMAGE_MODALITIES and not report:
        raise DicomError(f"the file is {_article(modality)} {modality} image by its header but holds no pixel data: "
                         "it looks truncated.")
    if size == 0:
        raise DicomError("not a readable image (the file is empty).")
    if size < 1024 and modality == "unknown":
        raise DicomError(f"the file holds only {size} bytes and no pixel data: it looks truncated.")
    kind = "a structured report" if report else \
        "an object of unknown kind" if modality == "unknown" else f"{_article(modality)} {modality} object"
    raise DicomError(f"the DICOM file has no pixel data: it holds no image ({kind}; a report or other non-image "
                     "DICOM) and cannot be scored — open it in a DICOM viewer.")


def _add_transfer_syntax(ds) -> None:
    """Files without file meta (no preamble) are read with the encoding pydicom detected; decoding the
    pixels still needs a Transfer Syntax UID, so it is named from that encoding."""
    from pydicom.dataset import FileMetaDataset
    from pydicom.uid import ExplicitVRBigEndian, ExplicitVRLittleEndian, ImplicitVRLittleEndian

    meta = getattr(ds, "file_meta", None)
    if meta is not None and "TransferSyntaxUID" in meta:
        return
    implicit, little = getattr(ds, "original_encoding", (True, True))
    if implicit is None:
        implicit, little = True, True
    if meta is None:
        ds.file_meta = meta = FileMetaDataset()
    meta.TransferSyntaxUID = ImplicitVRLittleEndian if implicit else (
        ExplicitVRLittleEndian if little else ExplicitVRBigEndian)


def _identifiers(ds) -> tuple[str, ...]:
    """Patient name components and IDs, so they can be scrubbed from file names: each part of two characters
    or more (split at any punctuation: 'ROE, ANN' and 'ROE^ANN' alike), the whole value, the parts written
    together in any order ('AnnaViolet' for VIOLET^ANNA), German umlauts spelt out (MÜLLER as Mueller; without
    accents, Muller, matches anyway: ``scrub`` compares words without accents), and IDs without their leading
    zeros ('123456' for 00123456, 'MRN42' for MRN0042; a run of digits alone only from four digits on), the
    birth date as folders write it, and the instance UIDs, which the basic profile replaces by salted hashes."""
    from itertools import permutations

    values: list[str] = []
    for keyword in IDENTIFYING_KEYWORDS:
        raw = ds.get(keyword)
        if raw is None:
            continue
        text = unicodedata.normalize("NFC", str(raw).strip())
        parts = [p for p in re.split(r"[\W_]+", text) if p][:MAX_NAME_PARTS]
        spelt = [p.translate(UMLAUTS) for p in parts]
        for words in ([parts, spelt] if spelt != parts else [parts]):
            values += [*words, *("".join(order) for k in range(2, len(words) + 1) for order in permutations(words, k))]
        values.append(text)
        for part in dict.fromkeys(parts + spelt):
            values.append(re.sub(r"(?<=\D)0+(?=\d)", "", part))  # MRN0042 is also written MRN42
            values += [run for digits in re.findall(r"\d+", part) for run in (digits, digits.lstrip("0"))
                       if len(run) >= 4 or run == part.lstrip("0")]  # ID 00123456 is also written 123456
    values += _birth_date_spellings(str(ds.get("PatientBirthDate", "") or "").strip())
    values += [str(ds.get(k, "") or "").strip() for k in UID_KEYWORDS]  # SIIM names files by the SOP Instance UID
    return tuple(sorted({v for v in values if len(v) >= 2}, key=len, reverse=True))


def _article(code: str) -> str:
    """'an' before a code read letter by letter from a vowel sound (an MR, an RTPLAN, an SR), else 'a' (a CT, a US)."""
    return "an" if code[:1].upper() in set("AEFHILMNORSX") else "a"


def header_identifiers(payload: bytes) -> tuple[str, ...]:
    """Identifiers from a DICOM header even when its pixels are unusable (empty for non-DICOM or broken files);
    a file without the preamble counts when it starts like a DICOM data set (group 0008 or 0002 tags)."""
    raw_start = payload[:2] in (b"\x08\x00", b"\x02\x00") and payload[3:4] == b"\x00"
    if not (is_dicom(payload) or raw_start):
        return ()
    import pydicom

    try:
        ds = pydicom.dcmread(io.BytesIO(payload), stop_before_pixels=True, force=not is_dicom(payload))
        return _identifiers(ds)
    except Exception:  # a header pydicom cannot parse has nothing we could scrub
        return ()


def _whole(value: object) -> int:
    """A count from a header value ('5', 5, '' or junk: 0)."""
    try:
        return int(str(value or 0).strip())
    except ValueError:
        return 0


def _birth_date_spellings(birth: str) -> list[str]:
    """A birth date (DICOM's 19650203) as folders name it: 19650203, 1965-02-03, 03.02.1965, 02/03/1965,
    03021965, 02031965 (punctuated forms match any punctuation: see ``scrub``)."""
    if not re.fullmatch(r"\d{8}", birth):
        return []
    y, m, d = birth[:4], birth[4:6], birth[6:]
    return [birth, f"{y}-{m}-{d}", f"{d}.{m}.{y}", f"{m}/{d}/{y}", f"{d}{m}{y}", f"{m}{d}{y}"]


def scrub(text: str, identifiers: tuple[str, ...]) -> str:
    """``text`` (a file name, a message) with any patient name/ID part replaced by '[removed]'.

    Words are runs of letters and digits; an identifier matches whole words only ('1CT1_scan.dcm'), so short
    name parts such as 'pre' do not garble unrelated words ('preview'). One written with punctuation
    ('ROE^ANN') matches its words with any punctuation between them ('ROE, ANN', 'ROE-ANN').
    """
    if not identifiers:
        return text
    single, multi, longest = _scrub_words(identifiers)
    pieces = WORD.split(unicodedata.normalize("NFC", text))  # separators at even positions, words at odd ones
    out: list[str] = [pieces[0]]
    i = 1
    while i < len(pieces):
        for k in range(min(longest, (len(pieces) - i + 1) // 2), 1, -1):
            if tuple(_folded(w) for w in pieces[i:i + 2 * k - 1:2]) in multi:
                out += ["[removed]", pieces[i + 2 * k - 1]]
                i += 2 * k
                break
        else:
            out += ["[removed]" if _folded(pieces[i]) in single else pieces[i], pieces[i + 1]]
            i += 2
    return "".join(out)


WORD = re.compile(r"([^\W_]+)")


def _folded(word: str) -> str:
    """A word compared without case or accents: Müller, MULLER and a Mac's decomposed Müller are one."""
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


@lru_cache(maxsize=8)
def _scrub_words(identifiers: tuple[str, ...]) -> tuple[frozenset[str], frozenset[tuple[str, ...]], int]:
    """One-word identifiers, several-word ones as word tuples, and the most words in one (per batch)."""
    split = [tuple(_folded(w) for w in WORD.findall(unicodedata.normalize("NFC", value))) for value in identifiers]
    single = frozenset(words[0] for words in split if len(words) == 1)
    multi = frozenset(words for words in split if len(words) > 1)
    return single, multi, max((len(words) for words in multi), default=1)


def salted_uid(uid: str, salt: bytes) -> str:
    """A replacement UID ('2.25.' + decimal) that is stable for one installation and not reversible."""
    digest = hashlib.sha256(salt + uid.encode("utf-8")).digest()[:16]
    return f"2.25.{int.from_bytes(digest, 'big')}"


def deidentify(payload: bytes, salt: bytes):
    """A pydicom Dataset with the basic-profile identifying attributes removed and instance UIDs hashed."""
    import pydicom

    ds = pydicom.dcmread(io.BytesIO(payload), force=not is_dicom(payload))
    ds.remove_private_tags()

    def scrub(dataset, element) -> None:
        if element.keyword in REMOVED_KEYWORDS:
            del dataset[element.tag]
        elif element.VR == "UI" and element.keyword not in KEPT_UIDS and element.value:
            element.value = salted_uid(str(element.value), salt)

    ds.walk(scrub)
    if getattr(ds, "file_meta", None) is not None and "MediaStorageSOPInstanceUID" in ds.file_meta:
        ds.file_meta.MediaStorageSOPInstanceUID = salted_uid(str(ds.file_meta.MediaStorageSOPInstanceUID), salt)
    ds.PatientIdentityRemoved = "YES"
    ds.DeidentificationMethod = "DICOM PS3.15 basic profile (core attributes), salted UID hashing"
    return ds

"""Cautions a scored study carries beside its score: too few pixels to show a finding, or unlike every image
the model was trained on (colour against grey, a DICOM modality or body part it never saw, or features, as the
network sees them, far from all its training images'). Such a study stays in the worklist, scored, and its
caution reaches the CLI and the page."""
from __future__ import annotations

import numpy as np
import pandas as pd

from data.image_decode import DecodedImage
from ml.images import is_colourful

LOW_RESOLUTION_PX = 28            # under the smallest training size: scored, with a caution


def colour_share(images_: pd.Series) -> float:
    """Share of training images in colour (by content), kept with the run to tell unlike studies at scoring."""
    return float(np.mean([is_colourful(a) for a in images_])) if len(images_) else 0.0


def unlike_training(pixels: np.ndarray, name: str, share: float | None) -> str:
    """The caution a study unlike every training image carries: colour scored by a model of grey images (a skin
    photograph scored 0.80, urgent, by a chest X-ray model), or grey by a model of colour photographs."""
    if share is None:
        return ""
    colourful = is_colourful(pixels)
    if colourful and share < 0.05:
        return (f"{name}: a colour image, while the model was trained on greyscale images: it is unlike anything "
                "the model learnt, so its score means little; read it as if unscored.")
    if not colourful and share > 0.95:
        return (f"{name}: a greyscale image, while the model was trained on colour images: it is unlike anything "
                "the model learnt, so its score means little; read it as if unscored.")
    return ""


def unlike_features(name: str) -> str:
    """The caution a study carries whose features, as the network sees them, lie beyond nearly all validation
    images' (ml.image_profile): a chest X-ray model scored a nuclear medicine image 0.83, urgent, without a word,
    as it is grey and its DICOM header could not be compared with PNG training images."""
    return (f"{name}: unlike the images the model was trained on (as the network sees it, further from them than "
            "nearly every validation image), so its score means little; read it as if unscored.")


def low_resolution(pixels: np.ndarray, name: str) -> str:
    """The caution a very small study carries (a 16 × 16 normal scored 1.000 urgent); '' otherwise."""
    height, width = pixels.shape[:2]
    if min(height, width) >= LOW_RESOLUTION_PX:
        return ""
    return (f"{name}: only {width} × {height} pixels (very low resolution, under {LOW_RESOLUTION_PX}): too coarse "
            "to show most findings, so its score is unreliable; read it as if unscored.")


def multi_frame(frames: int, kind: str, name: str) -> str:
    """The caution a file of several frames or pages carries: only one of them is decoded and scored (a DICOM's
    middle frame, a TIFF's or GIF's first), so a finding on another one cannot raise its score: an abnormal
    film on page 2 of a TIFF went to routine behind a blank cover page, without a word."""
    if frames <= 1:
        return ""
    which = f"only frame {frames // 2 + 1} (the middle one)" if kind == "dicom" else "only the first"
    unit = "frames" if kind in ("dicom", "gif", "webp", "png", "apng") else "pages"
    return (f"{name}: holds {frames} {unit}; {which} was scored, so a finding on another cannot raise its score: "
            "read every one.")


# Plain projection radiographs, computed (CR) or digital (DX; DR and RG, conventional film, in older headers): one
# kind of image. Other X-ray modalities are not this kind: mammography (MG), dental intra-oral (IO) and panoramic
# (PX) films, fluoroscopy (RF) and angiography (XA) show other anatomy or a moving, contrast-filled picture.
RADIOGRAPHS = frozenset({"CR", "DX", "DR", "RG"})
UNTOLD_MODALITIES = frozenset({"", "OT", "SC", "UNKNOWN"})
BODY_PART_SYNONYMS = {"THORAX": "CHEST", "LUNG": "CHEST", "LUNGS": "CHEST", "BRAIN": "HEAD", "SKULL": "HEAD"}
MIN_DICOM_SHARE = 0.05            # a modality or body part under this share of the training DICOMs counts as unseen


def dicom_kind(decoded: DecodedImage) -> tuple[str, str] | tuple[None, None]:
    """(Modality, BodyPartExamined) of a decoded DICOM study, upper case, '' where absent; (None, None) for a PNG or
    JPEG, which tells neither."""
    if decoded.modality is None:
        return None, None
    return decoded.modality.strip().upper(), " ".join((decoded.body_part or "").upper().split())


def body_part(value: str) -> str:
    """One spelling of a body part: 'Chest', 'CHEST ' and 'THORAX' are CHEST."""
    part = " ".join(value.upper().replace("_", " ").split())
    return BODY_PART_SYNONYMS.get(part, part)


def dicom_profile(modalities: pd.Series, body_parts: pd.Series) -> dict:
    """Modalities and body parts of the DICOM training images (counts), kept with the run so that a study of
    another kind (an MR scored by a chest radiograph model) carries a caution. Empty without DICOM images."""
    told = modalities.notna()  # None: not a DICOM image
    if not told.any():
        return {}
    parts = body_parts[told].map(lambda v: body_part(v or ""))  # stored normalised

    def counts(values: pd.Series) -> dict[str, int]:
        return {str(k): int(n) for k, n in values[values != ""].value_counts().items()}

    return {"images": int(told.sum()), "modalities": counts(modalities[told]), "body_parts": counts(parts)}


def profile_notes(profile: dict) -> list[str]:
    """The run's note on its DICOM training images, so a reader knows which studies will carry a caution."""
    if not profile:
        return []
    kinds = ", ".join(f"{m} {n}" for m, n in sorted(profile.get("modalities", {}).items())) or "no modality"
    parts = ", ".join(f"{b} {n}" for b, n in sorted(profile.get("body_parts", {}).items())) or "none given"
    return [f"DICOM training images: {profile['images']} (modality {kinds}; body part {parts}). Studies of another "
            "modality or body part are scored with a caution."]


def _family(modality: str) -> str:
    return "CR/DX" if modality in RADIOGRAPHS else modality


def _seen(counts: dict[str, int], total: int) -> list[str]:
    return sorted(k for k, n in counts.items() if n >= MIN_DICOM_SHARE * total)


def unlike_dicom(header: tuple[str, str] | tuple[None, None], name: str, profile: dict | None) -> str:
    """The caution a DICOM study of a modality or body part the model was not trained on carries ('' when alike, or
    for a PNG or JPEG study, which tells neither). A chest radiograph model scored an MR 0.90, 'review', without a
    word. When the training images named no modality (PNG/JPEG, or a run that kept no profile), a study whose
    modality is not a plain radiograph is cautioned all the same: a PNG chest X-ray model put MR_small at
    'routine', p 0.376, and CT_small at 'routine', p 0.024, without a word on their rows."""
    if header[0] is None:
        return ""
    modality, part = header[0] or "", header[1] or ""
    total = int((profile or {}).get("images") or 0)
    trained = [m for m in _seen(profile.get("modalities", {}), total) if m not in UNTOLD_MODALITIES] \
        if profile and total else []
    if not trained:
        return _untold_training(modality, name, profile, total)
    if modality not in UNTOLD_MODALITIES and _family(modality) not in {_family(m) for m in trained}:
        return (f"{name}: modality {modality} (DICOM Modality), while the model was trained on {'/'.join(trained)} "
                "images: it is unlike anything the model learnt, so its score means little; read it as if unscored.")
    parts = _seen(profile.get("body_parts", {}), total)
    if part and parts and body_part(part) not in parts:
        return (f"{name}: body part {part} (DICOM BodyPartExamined), while the model was trained on "
                f"{'/'.join(parts)} studies: its score means little; read it as if unscored.")
    return ""


def _untold_training(modality: str, name: str, profile: dict | None, total: int) -> str:
    """The caution of a study whose modality is not a plain radiograph, scored by a model whose training images named
    no modality: image sets without DICOM headers (PNG chest X-rays) are mostly radiographs."""
    if modality in UNTOLD_MODALITIES or modality in RADIOGRAPHS:
        return ""
    trained = ("images whose kind the run did not record" if profile is None else
               "DICOM images that name no modality" if total else "PNG/JPEG images, which name no modality")
    return (f"{name}: modality {modality} (DICOM Modality), not a plain radiograph, while the model was trained on "
            f"{trained}: unless those were {modality} images too, it is unlike what the model learnt, so its score "
            "means little; read it as if unscored.")


def said_once(files: list[str], reasons: list[str], shown: int = 3) -> list[str]:
    """The cautions of a worklist, each said once: the same caution on many studies (a batch of 40 MRs scored by a
    chest radiograph model) had been printed 40 times, a long sentence each, burying any other. Studies whose
    caution reads alike but for their name are counted and the first ``shown`` named, in worklist order; each
    row keeps its own caution as its reason."""
    named: dict[str, list[str]] = {}
    for name, reason in zip(files, reasons):
        text = reason[len(name) + 2:] if reason.startswith(f"{name}: ") else ""
        named.setdefault(text or reason, []).append(name if text else "")
    lines = []
    for text, names in named.items():
        if len(names) == 1 or not all(names):
            lines += [f"{n}: {text}" if n else text for n in names]
            continue
        listed = ", ".join(names[:shown]) + (f" and {len(names) - shown} more" if len(names) > shown else "")
        lines.append(f"{len(names)} studies ({listed}), each: {text}")
    return lines

"""Patient keys read from file names, for images lying straight in a flat folder. Kaggle's chest X-ray set names
its files by patient inside flat class folders (``PNEUMONIA/person1_bacteria_1.jpeg``, ``person1_virus_7.jpeg``;
``NORMAL/IM-0115-0001.jpeg`` and its view ``IM-0115-0002.jpeg``): held out image by image, one child's films lay
on both sides of the validation split and the operating point was set on views of patients the model trained on.
CBIS-DDSM's case folders (one per patient, breast and view) are grouped by the patient number they carry.

Only the triage split imports this; keys are used to group, never stored or printed beyond the names themselves.
"""
from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Sequence
from pathlib import PurePosixPath

from services.triage_spelling import label_key

LEADING = re.compile(r"(person|patient|subject|case|pt)[-_ ]?0*(\d+)(?![0-9a-z])", re.IGNORECASE)
VIEWED = re.compile(r"([a-z][a-z0-9]*(?:-[a-z][a-z0-9]*)*-\d+)-\d+", re.IGNORECASE)  # IM-0115-0001 → IM-0115
# BreakHis's SOB_B_A-14-22549AB-40-001 (biopsy method, class, tumour type, then the patient's slide 14-22549AB, the
# magnification and the image): flat copies (BreaKHis 400X/train/benign/…) had been held out image by image
BREAKHIS = re.compile(r"(sob_[bm]_[a-z]+-\d+-[0-9a-z]+)-\d+-\d+", re.IGNORECASE)
# NIH ChestX-ray14's 00000001_000 (patient 1, follow-up 0); EyePACS's 10_left and 10_right (patient 10's eyes)
NUMBERED = re.compile(r"(\d+)_(?:\d+|left|right)", re.IGNORECASE)
MIN_KEYED_SHARE = 0.9     # of a class's loose images whose names carry a key, for the class to be keyed
MIN_SHARED_SHARE = 0.25   # of them lying in keys of 2 or more images: the names clearly carry patients
MIN_KEYS = 10             # keys in the class: enough patients to hold some out whole
GROUPED = ("dir:", "name:", "dcm:")  # patient groups: a sub-folder, a patient key in loose images' names, a header
HOW = ("a patient key in the file names: person<N>_…, <prefix>-<number> before a view number, or <number>_<view> "
       "(00000001_000, 10_left)")


def name_key(name: str) -> str | None:
    """The patient key a file name carries (``person1`` of person1_virus_7.jpeg, ``IM-0115`` of IM-0115-0001.jpeg,
    ``NORMAL2-IM-1427`` of NORMAL2-IM-1427-0001.jpeg, ``#1`` of NIH's 00000001_000.png and 00000001_001.png, whose
    follow-ups had been held out one by one), None when it carries none."""
    stem = PurePosixPath(name).name.split(".")[0]
    leading = LEADING.match(stem)
    if leading:
        return f"{leading.group(1).lower()}{int(leading.group(2))}"
    viewed = VIEWED.fullmatch(stem) or BREAKHIS.fullmatch(stem)
    if viewed:
        return viewed.group(1).upper()
    numbered = NUMBERED.fullmatch(stem)
    return f"#{int(numbered.group(1))}" if numbered else None


PATIENT_FOLDERS = "the folders named like a patient in the manifest's paths: patient<N>, subject<N>, case<N> …"


def patient_depth(parts: tuple[str, ...], start: int) -> int | None:
    """How many of a path's folders lead down to the first one from ``start`` on named like a patient: MURA's
    manifest paths share no folder above the body part (XR_WRIST/patient06359/study1_positive/), so grouping by
    the first folder below their shared prefix held out whole body parts, two groups, and fell back to image by
    image with a patient's views on both sides. None when no folder is so named."""
    return next((i + 1 for i in range(start, len(parts)) if LEADING.fullmatch(parts[i])), None)


def keyed_groups(groups: dict[str, str], labels: dict[str, str]) -> dict[str, str]:
    """``groups`` with each loose image ('file:…') of a class whose names clearly carry patient keys grouped by
    its folder and key ('name:…'); a class whose names do not (under MIN_KEYED_SHARE carry one, under
    MIN_SHARED_SHARE of them share one, or under MIN_KEYS keys) keeps its images one by one."""
    loose = [n for n, g in groups.items() if g.startswith("file:")]
    keys = {n: _key_path(n, k, labels[n]) for n in loose if (k := name_key(n)) is not None}
    sizes = Counter(keys.values())
    out, classes = dict(groups), {}
    for name in loose:
        classes.setdefault(labels[name], []).append(name)
    for members in classes.values():
        keyed = [n for n in members if n in keys]
        shared = sum(sizes[keys[n]] > 1 for n in keyed)
        if len(keyed) >= MIN_KEYED_SHARE * len(members) and shared >= MIN_SHARED_SHARE * max(len(keyed), 1) \
                and len({keys[n] for n in keyed}) >= MIN_KEYS:
            out.update({n: "name:" + keys[n] for n in keyed})
    return out


def _key_path(name: str, key: str, label: str) -> str:
    """Where a key groups: in the image's folder, or, for a key that starts with its class's name (OCT2017's
    CNV-1016042-1.jpeg and NORMAL-1016042-1.jpeg, one patient's two eyes), in the folder above the class folders,
    by the number alone: held out per class folder, a patient's CNV eye trained while the other validated."""
    folder = PurePosixPath(name).parent
    if key.casefold().startswith(f"{label}-") and folder.name.casefold() == label:
        return f"{folder.parent}/#{key[len(label) + 1:]}"
    return f"{folder}/{key}"


# CBIS-DDSM's case folders: one per patient, breast and view (and _1 for a lesion's ROI series)
CASE_FOLDER = re.compile(r"(?:mass|calc)-(?:training|test)_p_0*(\d+)_(?:left|right)_(?:cc|mlo)(?:_\d+)?", re.IGNORECASE)
CASES = "the patient number in CBIS-DDSM's case folder names: Mass-Training_P_00001_LEFT_CC, …_LEFT_MLO …"


def case_groups(groups: dict[str, str], layout: dict[str, tuple[str, str | None]]) -> dict[str, str]:
    """``groups`` with each folder group whose path holds a CBIS-DDSM case folder grouped by its patient number, in
    the folder above the class folders: a folder per view had put one breast's CC view in training and its MLO view
    in validation (19-20 of 20 validation patients on a 60-patient copy), under a note saying none was."""
    out = dict(groups)
    for name, group in groups.items():
        parts = group[4:].split("/") if group.startswith("dir:") else []
        case = next((m for m in map(CASE_FOLDER.fullmatch, parts) if m), None)
        if case:
            above = parts[:parts.index(case.group(0))]
            out[name] = "dir:" + "/".join([p for p in above if label_key(p) != label_key(layout[name][0])] +
                                          [f"P_{int(case.group(1))}"])
    return out


def by_name(groups: dict[str, str], layout: dict[str, tuple[str, str | None]],
            how: str) -> tuple[dict[str, str], str]:
    """(groups, how they were found) once CBIS-DDSM's case folders are grouped by patient and loose images by the
    keys their names carry, if any."""
    cased = case_groups(groups, layout)
    if cased != groups:
        groups, how = cased, CASES
    keyed = keyed_groups(groups, {n: label_key(label) for n, (label, _) in layout.items()})
    if keyed == groups:
        return groups, how
    folders = any(g.startswith("dir:") for g in groups.values())
    return keyed, f"{how}; images lying loose by {HOW}" if folders else HOW


HEADERS = "the PatientID in the DICOM headers, compared as a salted hash"
# One fixed salt: the hashes live in memory for the split alone (never stored or printed), and the split orders
# groups by name before its seeded shuffle, so a salt drawn afresh each run gave another split for the same seed.
SPLIT_SALT = b"decision-desk/triage-split-groups"


PLACEHOLDER_SHARE = 0.5  # of the images with a PatientID sharing one, above which it is an anonymiser's placeholder
PLACEHOLDER_MIN = 10  # images with a PatientID, from which one shared by most of them is read as a placeholder


def header_key(patient_id: str | None, salt: bytes) -> str | None:
    """A DICOM header's PatientID as a salted hash, held in memory for the split alone; None without one."""
    return hashlib.sha256(salt + patient_id.encode("utf-8")).hexdigest()[:16] if patient_id else None


def header_groups(groups: Sequence[str], keys: Sequence[str | None]) -> list[str]:
    """``groups`` with every group that holds an image of one patient (its header's ``header_key``) joined into one
    'dcm:' group, whatever found it: a flat folder or ZIP of DICOMs had been held out image by image, and an export's
    study folders (normal/<study>/IM1.dcm, two studies a patient) folder by folder, each with 10-12 of its 11-12
    validation patients in training. A PatientID on most of the set's images (an anonymiser's 'ANONYMOUS') names
    no one. Groups without a header keep their name."""
    counts = Counter(k for k in keys if k)
    named = sum(counts.values())
    kept = {k for k, n in counts.items() if not (named >= PLACEHOLDER_MIN and n > PLACEHOLDER_SHARE * named)}
    parent: dict[str, str] = {}

    def root(node: str) -> str:
        path = []
        while parent.get(node, node) != node:
            path.append(node)
            node = parent[node]
        parent.update(dict.fromkeys(path, node))
        return node

    for group, key in zip(groups, keys):
        if key in kept:
            a, b = sorted((root(group), root("dcm:" + key)))
            parent[b] = a  # 'dcm:…' sorts first: a joined group is named by a header
    return [root(g) if root(g).startswith("dcm:") else g for g in groups]


def with_headers(grouped_by: str, groups) -> str:
    """How the groups were found once DICOMs are grouped by their headers' PatientID (``header_groups``)."""
    if not any(g.startswith("dcm:") for g in groups):
        return grouped_by
    if any(g.startswith(("dir:", "name:")) for g in groups):
        return f"{grouped_by}; DICOM images by {HEADERS}"
    return HEADERS

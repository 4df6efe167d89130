"""Patient keys read from file names, for images lying straight in a flat folder. Kaggle's chest X-ray set names
its files by patient inside flat class folders (``PNEUMONIA/person1_bacteria_1.jpeg``, ``person1_virus_7.jpeg``;
``NORMAL/IM-0115-0001.jpeg`` and its view ``IM-0115-0002.jpeg``): held out image by image, one child's films lay
on both sides of the validation split and the operating point was set on views of patients the model trained on.

Only the triage split imports this; keys are used to group, never stored or printed beyond the names themselves.
"""
from __future__ import annotations

import re
from collections import Counter
from pathlib import PurePosixPath

from services.triage_labels import label_key

LEADING = re.compile(r"(person|patient|subject|case|pt)[-_ ]?0*(\d+)(?![0-9a-z])", re.IGNORECASE)
VIEWED = re.compile(r"([a-z][a-z0-9]*(?:-[a-z][a-z0-9]*)*-\d+)-\d+", re.IGNORECASE)  # IM-0115-0001 → IM-0115
MIN_KEYED_SHARE = 0.9     # of a class's loose images whose names carry a key, for the class to be keyed
MIN_SHARED_SHARE = 0.25   # of them lying in keys of 2 or more images: the names clearly carry patients
MIN_KEYS = 10             # keys in the class: enough patients to hold some out whole
GROUPED = ("dir:", "name:")  # patient groups: a sub-folder, or a patient key in loose images' names
HOW = "a patient key in the file names: person<N>_…, or <prefix>-<number> before a view number"


def name_key(name: str) -> str | None:
    """The patient key a file name carries (``person1`` of person1_virus_7.jpeg, ``IM-0115`` of IM-0115-0001.jpeg,
    ``NORMAL2-IM-1427`` of NORMAL2-IM-1427-0001.jpeg), None when it carries none."""
    stem = PurePosixPath(name).name.split(".")[0]
    leading = LEADING.match(stem)
    if leading:
        return f"{leading.group(1).lower()}{int(leading.group(2))}"
    viewed = VIEWED.fullmatch(stem)
    return viewed.group(1).upper() if viewed else None


def keyed_groups(groups: dict[str, str], labels: dict[str, str]) -> dict[str, str]:
    """``groups`` with each loose image ('file:…') of a class whose names clearly carry patient keys grouped by
    its folder and key ('name:…'); a class whose names do not (under MIN_KEYED_SHARE carry one, under
    MIN_SHARED_SHARE of them share one, or under MIN_KEYS keys) keeps its images one by one."""
    loose = [n for n, g in groups.items() if g.startswith("file:")]
    keys = {n: f"{PurePosixPath(n).parent}/{k}" for n in loose if (k := name_key(n)) is not None}
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


def by_name(groups: dict[str, str], layout: dict[str, tuple[str, str | None]],
            how: str) -> tuple[dict[str, str], str]:
    """(groups, how they were found) once loose images are grouped by the keys their names carry, if any."""
    keyed = keyed_groups(groups, {n: label_key(label) for n, (label, _) in layout.items()})
    if keyed == groups:
        return groups, how
    folders = any(g.startswith("dir:") for g in groups.values())
    return keyed, f"{how}; images lying loose by {HOW}" if folders else HOW

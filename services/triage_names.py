"""How the studies of a worklist are named: file names scrubbed of every patient name and ID the batch's DICOM
headers carry, and a name that scrubbing left saying nothing (or the same as another's) marked with the study's
key, so that each row still points to one study and can be found again."""
from __future__ import annotations

import re
from pathlib import Path, PurePosixPath
from typing import Any

from services.triage_inputs import is_upload, scrub_name, scrub_reason

REMOVED = "[removed]"


def scrubbed(entries: list[dict[str, Any]], ignored: list[str]
             ) -> tuple[list[dict[str, Any]], list[str], tuple[str, ...]]:
    """Names and reasons (and the ``ignored`` file names) scrubbed of every patient name and ID any file of the
    batch carries: a PNG key image or a broken DICOM in the folder ZQXGREEN_PAULA_MRN8800001/ has no header
    of its own to name them. A name scrubbing left without a word of its own (RSNA's files are named by the
    patient ID, '0004cfab-14fd-….dcm') or made equal to another's carries the study key, as ``keyed`` says."""
    identifiers = tuple(sorted({i for e in entries for i in e.pop("identifiers")}, key=len, reverse=True))
    raw_names = [entry["file"] for entry in entries]
    for entry in entries:
        raw, entry["file"] = entry["file"], scrub_name(entry["file"], identifiers)
        entry["reason"] = scrub_reason(entry["reason"], raw, entry["file"], identifiers)
    counts: dict[str, int] = {}
    for entry in entries:
        counts[entry["file"]] = counts.get(entry["file"], 0) + 1
    for raw, entry in zip(raw_names, entries):
        if entry["file"] != raw and (counts[entry["file"]] > 1 or not _says_something(entry["file"])):
            named = keyed(entry["file"], entry["record_key"])
            if entry["reason"].startswith(entry["file"] + ":"):  # the message names the file: the same way
                entry["reason"] = named + entry["reason"][len(entry["file"]):]
            entry["file"] = named
    return entries, [scrub_name(name, identifiers) for name in ignored], identifiers


def keyed(name: str, key: str) -> str:
    """A scrubbed name with the study's key: '[removed].dcm (st-…)'. The key is a salted hash of the DICOM SOP
    Instance UID (or of the file's bytes), so it names no patient, stays the same when the study is ranked again,
    and is what `triage review --study` and `triage audit` take and show. Rows of an RSNA-like set had all read
    '[removed].dcm #N', numbered in the order the files were read, which told a reader nothing."""
    return f"{name} ({key})"


def _says_something(name: str) -> bool:
    """Whether the file's own name, once scrubbed, keeps a word besides its suffix ('[removed]_scan.dcm' does,
    '[removed].dcm' and '[removed]-[removed].dcm' do not)."""
    stem = PurePosixPath(name).name.replace(REMOVED, " ")
    stem = re.sub(r"(\.[A-Za-z0-9]{1,5})+$", "", stem)
    return bool(re.search(r"[^\W_]", stem))


def findable(lines: list[str], names: tuple[str, ...], identifiers: tuple[str, ...]) -> list[str]:
    """Lines about files ('name: why it was skipped') scrubbed of every patient name and ID; a file whose own name
    scrubbing left saying nothing is named by its place in its folder, which names no patient: RSNA's training
    files, named by the patient ID, had all been skipped as 'stage_2_train_images/[removed].dcm: …', so a reader
    could not tell which files to convert. The place is in the order of the names' characters (``ls`` with
    LC_ALL=C)."""
    known = set(names)
    folders: dict[str, list[str]] = {}
    for name in sorted(known):
        folders.setdefault(str(PurePosixPath(name).parent), []).append(name)
    place = {name: (i, len(listed)) for listed in folders.values() for i, name in enumerate(listed, 1)}
    out = []
    for line in lines:
        raw, scrubbed_line = line.split(": ", 1)[0], scrub_name(line, identifiers)
        name = scrub_name(raw, identifiers)
        if raw in known and name != raw and not _says_something(name) and scrubbed_line.startswith(name + ":"):
            folder = str(PurePosixPath(name).parent)
            where = f"{folder}/" if folder != "." else "the top folder"
            scrubbed_line = (f"{name} (file {place[raw][0]} of {place[raw][1]} in {where}, by name)"
                             + scrubbed_line[len(name):])
        out.append(scrubbed_line)
    return out


def source_name(source: Any) -> str:
    """What was ranked, as the worklist picker names it: the uploaded file or the folder/ZIP given ('studies.zip';
    'a.png and 2 more'), scrubbed by the caller of any patient name or ID. A bare id told worklists apart by
    nothing a user would recognise."""
    names = [str(n) for n, _ in source] if is_upload(source) else \
        [Path(s).name for s in (source if isinstance(source, (list, tuple)) else [source])]
    return "" if not names else names[0] if len(names) == 1 else f"{names[0]} and {len(names) - 1} more"

"""Manifest rows that name a folder rather than an image: MURA labels whole studies
(``MURA-v1.1/train/XR_WRIST/patient06359/study1_positive/,1``), each folder holding one to a few views. Such a
row labels every image below the folder; it had been refused as naming files that are not among the images.
Also the hint for a table whose first row is data, not column names (MURA's CSVs have no header row), and the split
read from the train/ and valid/ folders of the images' paths.

Only the triage label reading imports this.
"""
from __future__ import annotations

import posixpath
import re
from pathlib import PurePosixPath

import pandas as pd

from data import images
from services.triage_masks import left_out_notes, masks_below


def folder_rows(table: pd.DataFrame, files: list[images.InputFile],
                notes: list[str] | None = None) -> tuple[pd.DataFrame, int]:
    """(the table with each row naming a folder of the input replaced by one row per image below it, the number
    of such rows). A folder is named as written, or by its longest tail that is a folder of the input (paths
    from a folder above the one given), in any letter case; a row that names a file is left as it is. Segmentation
    masks and lesion crops below such a folder are left out as in a class folder; ``notes`` says what was read so."""
    if "file" not in table.columns or table.empty:
        return table, 0
    below, last = _folders(files)
    names = {f.name.casefold() for f in files}
    rows, folders, masks, crops, by_uid = [], 0, set(), set(), []
    for row in table.to_dict("records"):
        found = _folder(str(row["file"]), below, names)
        image = None if found is not None else _by_uid_folders(str(row["file"]), below, last, names)
        by_uid += [image] if image else []
        if found is None:
            rows.append({**row, "file": image} if image else row)
            continue
        folders += 1
        masked, cropped = masks_below(below[found], found.count("/") + 1)
        masks, crops = masks | masked, crops | cropped
        rows += [{**row, "file": name} for name in sorted(below[found]) if name not in masked | cropped]
    if notes is not None:
        notes += _notes(folders, masks, crops, by_uid)
    return (pd.DataFrame(rows, columns=table.columns), folders) if folders or by_uid else (table, 0)


def _notes(folders: int, masks: set[str], crops: set[str], by_uid: list[str]) -> list[str]:
    """What ``folder_rows`` read: rows naming a folder, the masks and crops left out below them, rows found by UID."""
    said = [f"{folders} manifest row(s) name a folder: each labels every image below it."] if folders else []
    return said + left_out_notes(masks, crops) + ([] if not by_uid else [
        f"{len(by_uid)} manifest row(s) name their image through DICOM UID folders the images do not have "
        "(CBIS-DDSM's tables write case/study UID/series UID/000000.dcm, where its download names those folders "
        "by date and series description): each was read as the one image in the deepest folder of its path "
        f"that the images hold (e.g. {by_uid[0]})."])


def _folders(files: list[images.InputFile]) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """({folder: the images below it}, {a folder's own name: the folders of that name}), casefolded: a row's UID path
    may start above or beside the folder it shares with the input."""
    below: dict[str, list[str]] = {}
    for f in files:
        parts = PurePosixPath(f.name).parts[:-1]
        for depth in range(1, len(parts) + 1):
            below.setdefault("/".join(parts[:depth]).casefold(), []).append(f.name)
    last: dict[str, list[str]] = {}
    for key in below:
        last.setdefault(key.rsplit("/", 1)[-1], []).append(key)
    return below, last


UID_FOLDER = re.compile(r"\d+(?:\.\d+){3,}")  # a DICOM study or series UID: 1.3.6.1.4.1.9590.100.1.2.4221…


def _by_uid_folders(cell: str, below: dict[str, list[str]], last: dict[str, list[str]], names: set[str]) -> str | None:
    """The image a row names through DICOM UID folders that the input lacks, or None. CBIS-DDSM's tables name each
    mammogram Mass-Training_P_00001_LEFT_CC/<study UID>/<series UID>/000000.dcm; TCIA's download holds it as
    …_LEFT_CC/07-20-2016-DDSM-74994/1.000000-full mammogram images-24515/1-1.dcm, and a JPEG copy as
    jpeg/<series UID>/1-249.jpg. The deepest folder of the row's path whose name one input folder has, with only UID
    folders below it in the row (or a UID itself), names its image if it holds one image only; not when the input
    holds the row's whole folder path (its file is then missing, as without UIDs)."""
    parts = PurePosixPath(posixpath.normpath(cell.strip().replace("\\", "/"))).parts
    if len(parts) < 2 or any(t.casefold() in names for t in ("/".join(parts[i:]) for i in range(len(parts)))):
        return None
    folders = parts[:-1]
    chain = "/".join(folders).casefold()
    if any(k == chain or k.endswith("/" + chain) for k in last.get(chain.rsplit("/", 1)[-1], [])):
        return None  # the row's own folder is there, without its file: a missing image, not another layout
    for j in range(len(folders) - 1, -1, -1):
        rest = folders[j + 1:]
        if not all(UID_FOLDER.fullmatch(p) for p in rest) or not rest and not UID_FOLDER.fullmatch(folders[j]):
            return None
        held = last.get(folders[j].casefold(), [])
        if len(held) == 1 and len(below[held[0]]) == 1:
            return below[held[0]][0]
    return None


def _folder(cell: str, below: dict[str, list[str]], names: set[str]) -> str | None:
    """The input folder a manifest cell names (casefolded key of ``below``), None for a file or nothing found."""
    wanted = cell.strip().replace("\\", "/")
    if not wanted or wanted.strip("/") in (".", ""):
        return None
    parts = PurePosixPath(posixpath.normpath(wanted)).parts
    tails = ["/".join(parts[i:]).casefold() for i in range(len(parts))]
    if any(t in names for t in tails) or not wanted.endswith("/") and wanted.casefold().endswith(images.IMAGE_SUFFIXES):
        return None  # a file, or an image the input lacks: the caller names it
    return next((t for t in tails if t in below), None)


def unknown_splits(table: pd.DataFrame, missing: re.Pattern) -> str:
    """What to say when cells of a manifest's split column name no split (train, val, test and their spellings in
    data.images.SPLIT_NAMES), blanks and ``missing`` markers aside; "" when all do. A split the desk does not know
    ('holdout', 'dev') had been read as none, so a test set kept back trained."""
    if "split" not in table.columns:
        return ""
    cells = table["split"].map(lambda v: str(v).strip())
    odd = cells[~cells.str.lower().isin(images.SPLIT_NAMES) & (cells != "")
                & ~cells.map(lambda v: bool(missing.fullmatch(v)))]
    if odd.empty:
        return ""
    counts = odd.value_counts()
    named = ", ".join(f"{value!r} ({n} row{'s' if n > 1 else ''})" for value, n in counts.head(3).items())
    more = f" and {len(counts) - 3} more" if len(counts) > 3 else ""
    return (f"The manifest's split column holds {named}{more}, not a split the desk knows: write train, val or test "
            "(training, valid, validation and testing read as these), or leave the cell empty for the desk to "
            "decide. Read as no split, images kept back for testing would train.")


def ambiguous_rows(ambiguous: list[tuple[str, list[str]]]) -> str:
    """The refusal of rows whose bare name several files share, ``(name, files)`` each, the first named with its
    files: ISIC 2020's download holds each photograph twice (train/ISIC_….dcm, jpeg/train/ISIC_….jpg), and given
    whole it had been refused naming five ids alone, with no word of where the copies lie or that one folder does."""
    (first, held), *others = ambiguous
    named = [f"{first} ({' and '.join(held[:3])}{' …' if len(held) > 3 else ''})"] + [w for w, _ in others[:4]]
    return (f"{len(ambiguous)} manifest rows give a bare file name that several folders hold, e.g. {', '.join(named)}: "
            "give the path inside the folder or archive, or give as the images only the folder holding the copies to "
            "train on.")


def header_as_data(columns: list[str]) -> str:
    """What to say when a table's column names read as data (a path, an image name, a bare number): MURA's CSVs have
    no header row, and the refusal had listed its first row as the columns it has. One slash between words is a
    name (CheXpert's 'Frontal/Lateral' and 'AP/PA' had read as paths); a path has two, or ends in one."""
    looks = [c for c in columns if _path_like(c) or c.lower().endswith(images.IMAGE_SUFFIXES)
             or c.strip().lstrip("-").replace(".", "", 1).isdigit()]
    if not looks or len(looks) < min(2, len(columns)):
        return ""
    return (f"its first row ({', '.join(columns[:3])}) reads as data, not as column names: add a header row above "
            "it, such as file,label (with a split column if the table has one).")


def _path_like(cell: str) -> bool:
    """A cell written as a path: two or more separators, or one at its end (MURA's 'MURA-v1.1/train/…/')."""
    text = cell.strip().replace("\\", "/")
    return text.count("/") >= 2 or text.endswith("/")


def path_splits(layout: dict[str, tuple[str | None, str | None]]) -> dict[str, tuple[str | None, str | None]]:
    """``layout`` ({file: (label, split)}) with each file that its manifest gives no split put in the split its path's
    train/ val/ test/ folder names, as without a manifest: MURA's valid/ studies had been pooled into training and
    validation drawn again from train + valid. Unless no image would then train (a table of CheXpert's valid/ images
    alone, which trained before): the folders cannot be the split, and such files train as before."""
    found = {name: images.split_and_label(name)[0] for name, (_, split) in layout.items() if split is None}
    if "train" not in {split for _, split in layout.values()} | set(found.values()):
        return layout
    return {name: (label, split or found[name]) for name, (label, split) in layout.items()}

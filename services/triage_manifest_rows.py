"""Manifest rows that name a folder rather than an image: MURA labels whole studies
(``MURA-v1.1/train/XR_WRIST/patient06359/study1_positive/,1``), each folder holding one to a few views. Such a
row labels every image below the folder; it had been refused as naming files that are not among the images.
Also the hint for a table whose first row is data, not column names (MURA's CSVs have no header row), and the split
read from the train/ and valid/ folders of the images' paths.

Only the triage label reading imports this.
"""
from __future__ import annotations

import posixpath
from pathlib import PurePosixPath

import pandas as pd

from data import images


def folder_rows(table: pd.DataFrame, files: list[images.InputFile]) -> tuple[pd.DataFrame, int]:
    """(the table with each row naming a folder of the input replaced by one row per image below it, the number
    of such rows). A folder is named as written, or by its longest tail that is a folder of the input (paths
    from a folder above the one given), in any letter case; a row that names a file is left as it is."""
    if "file" not in table.columns or table.empty:
        return table, 0
    below: dict[str, list[str]] = {}
    for f in files:
        parts = PurePosixPath(f.name).parts[:-1]
        for depth in range(1, len(parts) + 1):
            below.setdefault("/".join(parts[:depth]).casefold(), []).append(f.name)
    names = {f.name.casefold() for f in files}
    rows, folders = [], 0
    for row in table.to_dict("records"):
        found = _folder(str(row["file"]), below, names)
        if found is None:
            rows.append(row)
            continue
        folders += 1
        rows += [{**row, "file": name} for name in sorted(below[found])]
    return (pd.DataFrame(rows, columns=table.columns), folders) if folders else (table, 0)


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


def header_as_data(columns: list[str]) -> str:
    """What to say when a table's column names read as data (a path, an image name, a bare number): MURA's CSVs have
    no header row, and the refusal had listed its first row as the columns it has."""
    looks = [c for c in columns if "/" in c or "\\" in c or c.lower().endswith(images.IMAGE_SUFFIXES)
             or c.strip().lstrip("-").replace(".", "", 1).isdigit()]
    if not looks or len(looks) < min(2, len(columns)):
        return ""
    return (f"its first row ({', '.join(columns[:3])}) reads as data, not as column names: add a header row above "
            "it, such as file,label (with a split column if the table has one).")


def path_splits(layout: dict[str, tuple[str | None, str | None]]) -> dict[str, tuple[str | None, str | None]]:
    """``layout`` ({file: (label, split)}) with each file that its manifest gives no split put in the split its path's
    train/ val/ test/ folder names, as without a manifest: MURA's valid/ studies had been pooled into training and
    validation drawn again from train + valid. Unless no image would then train (a table of CheXpert's valid/ images
    alone, which trained before): the folders cannot be the split, and such files train as before."""
    found = {name: images.split_and_label(name)[0] for name, (_, split) in layout.items() if split is None}
    if "train" not in {split for _, split in layout.values()} | set(found.values()):
        return layout
    return {name: (label, split or found[name]) for name, (label, split) in layout.items()}

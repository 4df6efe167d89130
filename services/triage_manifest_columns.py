"""Which columns of a labels table name the image and its class, when they are not called file and label. A public
set's own table (RSNA's patientId … Target, HAM10000's image_id … dx) and a hand-made one (filename,
diagnosis_label) had been refused until renamed; a column is now taken for a role when it alone fits it, and the
run's notes say which. Only the triage services import this."""
from __future__ import annotations

import re

import pandas as pd

# EyePACS's image,level (diabetic retinopathy 0-4), APTOS's id_code,diagnosis, CBIS-DDSM's 'image file path',pathology
FILE_LIKE = ("image index", "image", "image_id", "image_name", "imageid", "image_path", "path", "filename", "file_name",
             "filepath", "img", "isic_id", "patientid", "dicom_id", "study_id", "id_code", "image file path", "id")
LABEL_LIKE = ("target", "class", "diagnosis", "benign_malignant", "dx", "finding", "finding labels", "category",
              "outcome", "ground_truth", "level", "grade", "pathology")
# what R, pandas and spreadsheets write for a missing value, and Excel's error values (a lookup that found no row)
MISSING_LABEL = re.compile(r"n/?a|nan|null|<na>|#n/?a|#value!|#ref!|#div/0!|#name\?|#null!|#num!", re.IGNORECASE)
# words of a column name (filename, diagnosis_label, ImagePath) that say its role when no name above matches
FILE_WORDS = frozenset({"file", "filename", "image", "img", "path", "filepath", "picture", "scan"})
LABEL_WORDS = frozenset({"label", "labels", "class", "diagnosis", "target", "finding", "findings", "category",
                         "outcome", "pathology", "grade", "level", "truth", "dx"})


def _words(name: str) -> set[str]:
    """'diagnosis_label' → {diagnosis, label}; 'ImagePath' → {image, path}."""
    spaced = re.sub(r"([a-z0-9])([A-Z])", r"\1 \2", name)
    return {w for w in re.split(r"[^a-z0-9]+", spaced.lower()) if w}


def candidates(columns: list[str], role: str) -> list[str]:
    """The columns that may hold ``role`` ('file' or 'label'): those with a known name (RSNA's patientId), else
    those whose words say it (filename, diagnosis_label), each in the order the table has them."""
    known, words = (FILE_LIKE, FILE_WORDS) if role == "file" else (LABEL_LIKE, LABEL_WORDS)
    named = sorted((c for c in columns if c.lower() in known), key=lambda c: known.index(c.lower()))
    other = FILE_WORDS if role == "label" else LABEL_WORDS
    return named or [c for c in columns if _words(c) & words and not _words(c) & other]


def matched_roles(table: pd.DataFrame, written: list[str], notes: list[str] | None) -> pd.DataFrame:
    """``table`` (columns lower-cased) with file and label columns added from the one column that fits each role,
    noted in ``notes``; of several label columns, the coarsest (``_coarsest``); unchanged when a role has no such
    column, or several and none coarsest: the caller then refuses with ``rename_hint``. The columns matched stay,
    so RSNA's patientId still groups validation by patient."""
    roles = {role: candidates(written, role) for role in ("file", "label") if role not in table.columns}
    chosen_among = ""
    if len(roles.get("label", [])) > 1:
        roles["label"], chosen_among = _coarsest(table, roles["label"])
    if not roles or any(len(found) != 1 for found in roles.values()) or \
            len({found[0] for found in roles.values()}) < len(roles):
        return table
    table = table.copy()
    for role, (column,) in roles.items():
        table[role] = table[column.lower()]
    if notes is not None:
        said = " and ".join(f"'{column}' as the {role} column" for role, (column,) in roles.items())
        both = len(roles) > 1
        why = f"the only column named like {'each' if both else 'its'} role" if not chosen_among else \
            ("the only column named like a file; " if both else "") + chosen_among
        notes.append(f"The manifest has no {' or '.join(roles)} column, so {said} {'were' if both else 'was'} read "
                     f"({why}); rename the columns to file and label if another was meant.")
    return table


def _coarsest(table: pd.DataFrame, found: list[str]) -> tuple[list[str], str]:
    """([the label column], words saying why) when several columns are named like a label and one splits the
    images most coarsely, every other one holding the same classes under other names or splitting them finer (ISIC
    2020's target, 0/1, is benign_malignant's benign/malignant, and diagnosis is a sub-label: nevus, melanoma …);
    such a table had been refused as having three label columns. The first such column in ``candidates`` order is
    read (target before benign_malignant). ``found`` unchanged, and no words, when none is coarsest."""
    cells = pd.concat({c: table[c.lower()].astype(str).str.strip() for c in found}, axis=1)
    rows = cells[~cells.apply(lambda c: (c == "") | c.str.fullmatch(MISSING_LABEL)).any(axis=1)]  # filled in all
    varied = [c for c in found if rows[c].nunique() > 1]
    refines = lambda fine, coarse: bool((rows.groupby(fine)[coarse].nunique() == 1).all())  # noqa: E731
    coarsest = [c for c in varied if all(refines(other, c) for other in varied)]
    if not coarsest:
        return found, ""
    said = lambda columns, one, several, what: [  # noqa: E731
        f"{' and '.join(repr(c) for c in columns)} {one if len(columns) == 1 else several} {what}"] if columns else []
    why = said(coarsest[1:], "holds", "hold", "the same classes under other names") + \
        said([c for c in varied if c not in coarsest], "splits", "split", "them finer, a sub-label") + \
        said([c for c in found if c not in varied], "holds", "hold", "one value only")
    return coarsest[:1], (f"of the {len(found)} columns named like a label, the one splitting the images most "
                          f"coarsely: {' and '.join(why)}, so {'it was' if len(found) == 2 else 'they were'} "
                          "not used")


def rename_hint(columns: list[str]) -> str:
    """Which columns of a public set's own table to rename: ISIC's metadata (image_name … benign_malignant, target)
    and RSNA's labels (patientId, x, y, width, height, Target) were refused naming only what they hold."""
    lower = {c.lower() for c in columns}
    files, labels = candidates(columns, "file"), candidates(columns, "label")
    if "file" not in lower and not files or "label" not in lower and not labels:
        return ""
    said = lambda found: " or ".join(f"'{c}'" for c in found[:3])  # noqa: E731
    parts = ([f"the column naming each image ({said(files)}) to file"] if "file" not in lower else []) + \
        ([f"the one holding its class ({said(labels)}) to label"] if "label" not in lower else [])
    return f" Rename {' and '.join(parts)}; the other columns may stay."

"""Labels of a training set: a CSV manifest read into (label, split) per file (class spellings that differ only
in case, spaces or Unicode form are ``services.triage_spelling``'s). Kept apart from ``services.triage_training``
so each module stays readable; only the triage services import this."""
from __future__ import annotations

import io
import posixpath
import re
from pathlib import Path, PurePosixPath
from typing import Any

import pandas as pd

from data import images, sniff
from services.errors import UserFacingError
from services.triage_manifest_columns import FILE_LIKE, MISSING_LABEL, matched_roles, rename_hint
from services.triage_manifest_rows import ambiguous_rows, folder_rows, header_as_data, path_splits, unknown_splits
from services.triage_spelling import label_key


class TrainingSetError(UserFacingError):
    """A training set that cannot train a classifier (one class, no folders, unreadable files…)."""


def manifest_labels(files: list[images.InputFile], manifest: str,
                    notes: list[str] | None = None) -> dict[str, tuple[str | None, str | None]]:
    """{file: (label, split)} per manifest row. Rows naming no image given are an error, unless every image given
    has its row: a set's whole labels table (RSNA's 30,227 rows) beside a sample of its images is then read, and
    the rows left over are counted in ``notes`` (a sample of 80 DICOMs with the full table was refused)."""
    try:
        table = _read_table(manifest)
    except TrainingSetError:
        raise
    except (OSError, ValueError, UnicodeDecodeError) as exc:
        raise TrainingSetError(f"The manifest is not a readable CSV file ({exc}).") from None
    if table.empty:  # a header alone had reached 'not inside a class folder (e.g. …)' with no file to name
        raise TrainingSetError(f"The manifest has a header row ({', '.join(map(str, table.columns))}) but no rows "
                               "under it: add one row per image, its file and its class, e.g. img1.png,normal.")
    table = _with_roles(table, notes)
    columns = {c: c for c in table.columns}
    if odd_splits := unknown_splits(table, MISSING_LABEL):
        raise TrainingSetError(odd_splits)
    table = folder_rows(table, files, notes)[0]  # MURA's rows name study folders, CBIS-DDSM's their UIDs
    result, missing, ambiguous, conflicting, converted = {}, [], [], [], 0
    for row, wanted, found, same_base in _resolved(table, files):
        if found is None:
            if len(same_base) > 1:
                ambiguous.append((wanted, same_base))
            else:
                missing.append(wanted)
            continue
        split = str(row["split"]).strip().lower() if "split" in columns else ""
        entry = (_label(row["label"]), images.SPLIT_NAMES.get(split))
        if found in result and result[found] != entry:
            (first, first_split), (label, split) = result[found], entry
            conflicting.append(f"{wanted} ({first} and {label})" if first != label else
                               f"{wanted} ({first_split or 'no split'} and {split or 'no split'})")
        result[found] = entry
        converted += _other_suffix(wanted, found)
    if converted and notes is not None:
        notes.append(f"{converted} manifest row(s) name an image by another file type than the one given (such as "
                     "x.dcm for x.png, a converted set): each was matched to the one image of that name.")
    if missing and notes is not None and result and len(result) == len(files):
        notes.append(f"{len(missing)} manifest row(s) name files that are not among the images given; every image "
                     "given has its row, so the table is read as covering more images than were given, and those "
                     "rows are left out.")  # not quoted: they may be IDs of patients whose headers we never read
    elif missing:
        raise TrainingSetError(f"{len(missing)} manifest rows name files that are not among the images given, e.g. "
                               f"{', '.join(missing[:5])}.")
    if ambiguous:
        raise TrainingSetError(ambiguous_rows(ambiguous))
    if conflicting:
        raise TrainingSetError(f"{len(conflicting)} file(s) are listed twice with different labels or splits, e.g. "
                               f"{', '.join(conflicting[:5])}: one row per file, please.")
    return path_splits(result)  # MURA's train/ and valid/ folders, where no split column says otherwise


def _read_table(manifest: Any) -> pd.DataFrame:
    """The manifest as text cells, in the encoding it was saved in: Excel on Windows saves "CSV" in Windows-1252
    and "Unicode Text" in UTF-16, both refused with Python's codec message ('utf-8' codec can't decode byte 0xed);
    a workbook or other binary file given as the manifest is named as such."""
    raw = manifest.read() if hasattr(manifest, "read") else Path(manifest).read_bytes()  # the page's upload
    if hasattr(manifest, "seek"):
        manifest.seek(0)  # read again for its patient column
    kind = sniff.binary_description(raw[:sniff.SAMPLE_BYTES])
    if kind:
        raise TrainingSetError(f"The manifest is {kind}, not a CSV table: save it as CSV (comma-separated values), "
                               "with a header row such as file,label, and give that file.")
    text, _ = sniff.transcode_to_utf8(raw, sniff.sniff_encoding(raw, whole_file=True))
    try:  # sep=None sniffs the delimiter: Excel in much of Europe saves "CSV" with semicolons, "Unicode Text" tabs
        return pd.read_csv(io.BytesIO(text) if isinstance(text, bytes) else text, dtype=str, keep_default_na=False,
                           sep=None, engine="python", encoding="utf-8")
    finally:
        if isinstance(text, Path):  # over 64 MiB, transcoded to a temporary file
            text.unlink(missing_ok=True)


def _other_suffix(wanted: str, found: str) -> int:
    """1 when the manifest's name and the image found differ in their image suffix (x.dcm and x.png), else 0."""
    listed, given = PurePosixPath(wanted).suffix.casefold(), PurePosixPath(found).suffix.casefold()
    return int(listed in images.IMAGE_SUFFIXES and given in images.IMAGE_SUFFIXES and listed != given)


def _with_roles(table: pd.DataFrame, notes: list[str] | None = None) -> pd.DataFrame:
    """``table`` with lower-cased column names and its file and label columns, matched by name when the table has
    none so called (``services.triage_manifest_columns``); refused naming its columns when they cannot be told. A
    headerless table or one marking classes in columns of 1s is refused with its own advice, never matched."""
    written = [str(c).strip() for c in table.columns]
    table.columns = [c.lower() for c in written]  # " File ", "LABEL" are file, label
    if {"file", "label"} <= set(table.columns):
        return table
    # columns of 1s beside a label column are findings kept for reference (CheXpert's with the label made from one)
    flags = "" if "label" in table.columns else _indicator_hint(table, written)
    table = table if header_as_data(written) or flags else matched_roles(table, written, notes)
    if not {"file", "label"} <= set(table.columns):
        listed = ", ".join(c for c in written if not c.startswith("Unnamed: ")) or "none"
        raise TrainingSetError("The manifest needs columns file,label (optional split); " + (header_as_data(written) or
                               f"it has {listed}.{flags or rename_hint(written)}"))
    return table


def _indicator_hint(table: pd.DataFrame, written: list[str]) -> str:
    """How to make a label column from columns that mark classes with 1: one per row (ISIC 2019's MEL, NV, BCC …)
    or several (CheXpert's findings, with -1 for uncertain); such a table was refused naming only its columns."""
    cells = table.apply(lambda column: column.map(lambda v: _label(v) or ""))
    flags = [i for i, name in enumerate(written)  # pandas names a trailing comma's empty column 'Unnamed: 11'
             if not name.startswith("Unnamed: ") and cells.iloc[:, i].isin({"0", "1", "-1", ""}).all()]
    ones = (cells.iloc[:, flags] == "1").sum(axis=1)
    if sum((cells.iloc[:, i] == "1").any() for i in flags) < 2:
        return ""
    named = ", ".join(written[i] for i in flags[:5]) + (" …" if len(flags) > 5 else "")
    files = [c for c in written if c.lower() in FILE_LIKE and c.lower() != "file"]
    rename = f" and rename '{files[0]}' to file" if files and "file" not in table.columns else ""
    if (ones <= 1).all():
        return (f" Its columns {named} mark each image's class with a 1 (one column per class): add a label column "
                f"holding, for each image, the name of the column with its 1 (empty where a row has none: such rows "
                f"are left out){rename}.")
    return (f" Its columns {named} mark findings with a 1, several per image: add a label column from the one "
            f"finding to rank by (its 1 against 0; decide first what -1, uncertain, and blanks mean){rename}.")


PATIENT_COLUMNS = ("patient_id", "patientid", "patient", "subject_id", "subject", "participant_id", "case_id",
                   "lesion_id")  # a lesion photographed several times (HAM10000) groups like a patient


def _resolved(table: pd.DataFrame, files: list[images.InputFile]):
    """(row, the file as written, the input file it names or None, the files sharing its base name) per
    manifest row. A bare name finds its file in any letter case, and an image id without its extension
    (ISIC_0000000, as ISIC's metadata writes it) the one file of that name with an image suffix, dots and all
    (SIIM's ImageId 1.2.276.0.7230010.3.1.4.8323329.5597.1517875188.959090 finds its .dcm: read as a suffix,
    '.959090' had hidden it). A name with another image suffix than the one image of its name (the table lists
    x.dcm, the set was converted to x.png) finds that image; ``manifest_labels`` notes it."""
    by_name = {f.name: f.name for f in files}
    folded = {name.casefold(): name for name in by_name}
    by_base: dict[str, list[str]] = {}
    by_stem: dict[str, list[str]] = {}
    for f in files:  # a bare name in any letter case: 00000001_000.PNG finds 00000001_000.png
        base = PurePosixPath(f.name).name.casefold()
        by_base.setdefault(base, []).append(f.name)
        if base.endswith(images.IMAGE_SUFFIXES):
            by_stem.setdefault(base.rsplit(".", 1)[0], []).append(f.name)
    for row in table.to_dict("records"):
        wanted = str(row["file"]).strip().replace("\\", "/")
        same_base = by_base.get(PurePosixPath(wanted).name.casefold(), [])
        name = PurePosixPath(wanted).name.casefold()
        if not same_base and not name.endswith(images.IMAGE_SUFFIXES):
            same_base = by_stem.get(name, [])
        elif not same_base and _by_path(wanted, by_name, folded) is None:  # x.dcm listed, x.png given: converted
            same_base = by_stem.get(name.rsplit(".", 1)[0], [])
        yield row, wanted, _by_path(wanted, by_name, folded) or (same_base[0] if len(same_base) == 1 else None), \
            same_base


def manifest_patients(files: list[images.InputFile], manifest: str) -> tuple[dict[str, str], str | None]:
    """({file: patient}, the column) from a manifest column naming the patient (patient_id, subject, lesion_id):
    a flat folder of 300 photographs of 60 patients was held out image by image, and near-identical shots on
    both sides gave a validation AUC of 1.0 where whole patients gave 0.53. Empty when there is no such column."""
    table = folder_rows(_with_roles(_read_table(manifest)), files)[0]
    spelt = {re.sub(r"[\s-]+", "_", c): c for c in table.columns}  # NIH's 'Patient ID' is patient_id
    column = next((spelt[c] for c in PATIENT_COLUMNS if c in spelt), None)
    if column is None:
        return {}, None
    cell = lambda row: str(row[column]).strip()  # noqa: E731
    patients = {found: cell(row) for row, _, found, _ in _resolved(table, files)  # R's NA names no patient
                if found is not None and cell(row) and not MISSING_LABEL.fullmatch(cell(row))}
    return patients, column


def _label(cell: object) -> str | None:
    """A label cell as a class name: blank, or a missing-value marker, is none (a VLOOKUP's 40 #N/A cells had trained
    as a class '#N/A', taken as abnormal); a whole number written as a float by a spreadsheet or pandas (CheXpert's
    1.0/0.0) is read like the number, so the 0/1 pair is recognised."""
    text = str(cell).strip()
    if re.fullmatch(r"[+-]?\d+\.0*", text):
        return str(int(float(text)))
    return None if MISSING_LABEL.fullmatch(text) else text or None


def _by_path(wanted: str, by_name: dict[str, str], folded: dict[str, str]) -> str | None:
    """The file a manifest path names: as written, or its longest tail that is a path of the input, so that
    absolute paths (/data/xray/siteA/img1.png, C:/data/xray/siteA/img1.png) and paths from a folder above
    the one given (xray/siteA/img1.png) find siteA/img1.png; ``folded`` (the names casefolded) lets a Windows
    manifest's C:\\DATA\\SITEA\\IMG1.PNG find it too. A bare name is looked up as written; the caller tries it
    by base name (where several folders may hold it)."""
    parts = PurePosixPath(posixpath.normpath(wanted)).parts  # ./siteA/1.png is siteA/1.png
    tails = ["/".join(parts[i:]) for i in range(len(parts) - 1)] or [wanted]
    return next((by_name.get(t) or folded.get(t.casefold()) for t in tails
                 if t in by_name or t.casefold() in folded), None)


MAX_STRAY = 5  # loose files beside the class folders (a preview, a logo) are skipped


def labelled_only(layout: dict, manifest: bool, max_share: float, hint: str = "") -> tuple[dict, list[str], list[str]]:
    """(the files that have a label, skipped lines, notes); refused when (nearly) none has one, with ``hint``.
    Loose images in a test/ or val/ folder beside class folders (Kaggle's train/<class>/ beside an unlabelled test/)
    are an unlabelled set to score, left out with a note: they had refused the whole set as "not inside a class
    folder"."""
    unlabelled = [name for name, (label, _) in layout.items() if not label]
    if manifest and unlabelled:
        if len(unlabelled) == len(layout):
            raise TrainingSetError(f"All {len(layout)} manifest rows have an empty label: give each file its class "
                                   "in the label column.")
        notes = [f"{len(unlabelled)} manifest row(s) have no label and were left out (e.g. {unlabelled[0]}): their "
                 "label is empty or a missing-value marker (NA, N/A, NaN, null, #N/A or another spreadsheet error)."]
        return {n: v for n, v in layout.items() if v[0]}, [], notes
    unscored = [n for n in unlabelled if layout[n][1] in ("test", "val")] if len(unlabelled) < len(layout) else []
    loose = [n for n in unlabelled if n not in unscored]
    if len(unlabelled) == len(layout) or len(loose) > max(MAX_STRAY, max_share * len(layout)):
        raise TrainingSetError(f"{len(loose)} images are not inside a class folder (e.g. {loose[0]}). "
                               f"Put the images in one folder per class, e.g. normal/ and pneumonia/.{hint}")
    notes = [] if not unscored else [
        f"{len(unscored)} image(s) in {', '.join(sorted({_split_folder(n) + '/' for n in unscored}))} lie in no class "
        f"folder (e.g. {unscored[0]}): unlabelled, so they were left out of training and validation. To rank them, "
        "rank that folder on the Worklist tab (or with `triage score`)."]
    return ({n: v for n, v in layout.items() if v[0]}, [f"{name}: not inside a class folder" for name in loose],
            notes)


def table_hint(left_out: list[str] | None, found_only: bool = False) -> str:
    """How to label a set without class folders: a manifest, naming a table found in the input (NIH's images/
    beside Data_Entry_2017.csv was refused as 'a single class (images)' with no word of either). ``found_only``:
    nothing unless the input holds a table."""
    ending = ": not an image"
    tables = [line[:-len(ending)] for line in left_out or []
              if line.endswith(ending) and line[:-len(ending)].lower().endswith((".csv", ".tsv"))]
    found = "" if not tables else (
        f" The input holds {tables[0]}{f' (and {len(tables) - 1} more tables)' if len(tables) > 1 else ''}: if it is "
        "the set's labels table, give it as the manifest, its image and class columns renamed to file and label.")
    if found_only and not found:
        return ""
    return " Or give a labels table as the manifest (a CSV with columns file,label naming each image and its " \
        f"class).{found}"


def single_class_error(layout: dict[str, tuple[str, str | None]], manifest: bool, hint: str) -> TrainingSetError:
    """One class: the manifest names one, or every image lies in one folder (a class folder given alone, or a
    flat folder of a public set's images whose labels are in a table, like NIH's images/ or RSNA's)."""
    classes = sorted({label for label, _ in layout.values()})
    named = classes[0] if classes else "none"
    start = f"The training set has a single class ({named}); a classifier needs two or more"
    if manifest or not classes:
        return TrainingSetError(f"{start} classes{' in the manifest' if manifest else ''}.")
    parts = PurePosixPath(next(iter(layout))).parts[:-1]
    at = next((i for i, part in enumerate(parts) if label_key(part) == label_key(named)), len(parts) - 1)
    return TrainingSetError(f"{start} class folders. All {len(layout)} images lie in {'/'.join(parts[:at + 1])}/, "
                            "so its name was read as their class: put them in one folder per class (e.g. normal/ "
                            f"and pneumonia/ side by side).{hint}")


def _split_folder(name: str) -> str:
    """'kaggle/test/0.png' → 'kaggle/test': the path down to its test/ or val/ folder."""
    parts = PurePosixPath(name).parts
    at = next(i for i, part in enumerate(parts[:-1]) if images.SPLIT_NAMES.get(part.lower()) in ("test", "val"))
    return "/".join(parts[:at + 1])


WEAK_AUC = 0.6  # a validation AUC below this ranks studies little better than chance, or worse


def run_warnings(classes: list[str], metrics: dict[str, float]) -> list[str]:
    """Classes that combine findings ('Effusion|Pneumonia' from an NIH-style manifest), and a model that ranks
    validation studies no better than chance: both were stored without a word."""
    warnings = []
    combos = [c for c in classes if "|" in c]
    if combos:
        warnings.append(f"{len(combos)} class(es) combine several findings ({', '.join(map(repr, combos[:3]))}"
                        f"{' …' if len(combos) > 3 else ''}): each combination is trained as a class of its own. For "
                        "one finding against normal, give each image one label in the manifest first.")
    auc = metrics.get("val_auc")
    if auc is not None and auc < WEAK_AUC:
        warnings.append(f"The validation AUC is {auc:.2f}: the model ranks studies little better than chance, or "
                        "worse. Train longer (more epochs) or on more images before using its worklist.")
    return warnings

"""What a plan reads of the scored files: the latest reading of each machine, the latest score of each unit.

A file of one machine's readings (MetroPT-3: a compressor every 10 seconds) is planned as one machine on its newest
reading; a fleet's hourly readings, as one row per machine on each one's newest. The plan said neither: a file
of 40 readings of one machine was planned as one row without a word. Units scored in earlier files and not in
the latest one stay in the plan, beside the latest file's: the plan says so, and which units the latest replaced.
"""
from __future__ import annotations

from typing import Any

import pandas as pd

from ml import leakage, unit_history
from ml.numbers import to_numeric
from services import datasets, runs
from services.errors import NotFoundError
from services.maintenance import FAILURE_TASK
from services.maintenance_scoring import time_column
from services.results import RunInfo
from services.runtime import Runtime


def rows_are_units(frame: pd.DataFrame, config: dict[str, Any]) -> bool:
    """A run without an id or machine column stores each scored row under its row number, and so does a file
    scored without the run's id column (marked 'numbered'): the plan reads the latest scored file alone (a
    20-row file scored after a 300-row one was planned as 300 units)."""
    latest = frame["numbered"].iloc[-1] if "numbered" in frame.columns else None
    if pd.notna(latest) and bool(latest):
        return True
    return not config.get("id_column") and not config.get("history")


def scored_files_note(runtime: Runtime, run: RunInfo, config: dict[str, Any], *, shown: int = 5) -> list[str]:
    """'The plan mixes 2 scored files …' when units of an earlier scored file, absent from the latest one, stay in
    the plan: plant A's 50 pumps scored, then plant B's 30 (ids P-01 … P-30 again) were planned as one fleet of 50,
    B's 30 beside A's last 20, A's P-27 at 98 % (alerted) replaced by B's healthy P-27, without a word."""
    kind = "score" if run.task == FAILURE_TASK else "rul"
    stored = runs.predictions_frame(runtime, run.id, kind=kind)
    if stored.empty or "dataset_id" not in stored.columns or (kind == "score" and rows_are_units(stored, config)):
        return []
    newest = stored["dataset_id"].iloc[-1]
    in_newest = stored["dataset_id"] == newest
    kept = stored.drop_duplicates("record_key", keep="last")
    older = kept.loc[kept["dataset_id"] != newest, "dataset_id"]
    if older.empty:
        return []
    latest_keys = stored.loc[in_newest, "record_key"]
    both = pd.unique(latest_keys[latest_keys.isin(set(stored.loc[~in_newest, "record_key"]))])
    files = ", ".join(f"'{_file_name(runtime, d)}'" for d in pd.unique(older))
    replaced = "" if not len(both) else (
        f" {len(both):,} unit(s) of the latest file were scored before too ({_names(both, shown)}): the plan "
        "reads their latest score only.")
    return [f"The plan mixes {older.nunique() + 1} scored files: {len(kept) - len(older):,} unit(s) from the latest, "
            f"'{_file_name(runtime, newest)}', and {len(older):,} from {files}, absent from the latest, planned on "
            f"their older score.{replaced} If the files are of different sites whose unit ids repeat, give each "
            "site's units ids of their own (the site in the id), or train a run per site."]


def _names(keys, shown: int) -> str:
    return ", ".join(str(k) for k in keys[:shown]) + (f" and {len(keys) - shown:,} more" if len(keys) > shown else "")


def _file_name(runtime: Runtime, dataset_id) -> str:
    try:
        return datasets.get_dataset(runtime, int(dataset_id)).name
    except (NotFoundError, ValueError):  # a row stored without its file
        return f"dataset {dataset_id}"


def latest_reading_note(runtime: Runtime, run: RunInfo, config: dict[str, Any]) -> list[str]:
    """'The plan uses the machine's latest reading: the scored file holds 3,000 readings of it, the latest at …'
    when the latest scored file holds several readings of a machine; else nothing."""
    stored = runs.predictions_frame(runtime, run.id, kind="score")
    if stored.empty or "dataset_id" not in stored.columns:
        return []
    latest = stored[stored["dataset_id"] == stored["dataset_id"].iloc[-1]]
    counts = latest.groupby("record_key", sort=False).size()
    if counts.max() <= 1:
        return []
    when = _latest_time(runtime, int(latest["dataset_id"].iloc[-1]), config)
    if len(counts) == 1:
        earlier = "Its earlier readings made its history features; it" if config.get("history") else "It"
        return [f"The plan uses the machine's latest reading: the scored file holds {int(counts.iloc[0]):,} readings "
                f"of it, the latest {when}. {earlier} is planned once."]
    low, high = int(counts.min()), int(counts.max())
    spread = f"{low:,}–{high:,}" if low < high else f"{high:,}"
    return [f"The plan uses each machine's latest reading: the scored file holds {int(counts.sum()):,} readings of "
            f"{len(counts):,} machines ({spread} each), the latest {when}. Each machine is planned once."]


def _latest_time(runtime: Runtime, dataset_id: int, config: dict[str, Any]) -> str:
    """'at 2015-12-31 23:00:00' (or 'at cycle 250' on a counted axis); 'last in the file' without a time column."""
    column = time_column(config)
    try:
        names = list(datasets.get_dataset(runtime, dataset_id).schema) if column else []
    except NotFoundError:
        names = []
    found = next((c for c in names if c == column), None) or next(
        (c for c in names if str(c).strip().casefold() == str(column).strip().casefold()), None)
    if found is None:
        return "last in the file"
    values = datasets.load_pandas(runtime, dataset_id, columns=[found])[found]
    if (config.get("history") or {}).get("axis") == unit_history.AXIS:
        number = to_numeric(values, errors="coerce").max()
        return f"at {found} {number:,.10g}" if pd.notna(number) else "last in the file"
    stamps = leakage.as_timestamps(str(found), values)
    newest = stamps.max() if stamps is not None else None
    return f"at {newest}" if newest is not None and pd.notna(newest) else "last in the file"

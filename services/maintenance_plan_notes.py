"""What a failure-risk plan reads of a scored file with several readings per machine: the latest of each.

A file of one machine's readings (MetroPT-3: a compressor every 10 seconds) is planned as one machine on its newest
reading; a fleet's hourly readings, as one row per machine on each one's newest. The plan said neither: a file
of 40 readings of one machine was planned as one row without a word.
"""
from __future__ import annotations

from typing import Any

import pandas as pd

from ml import leakage, unit_history
from ml.numbers import to_numeric
from services import datasets, runs
from services.errors import NotFoundError
from services.maintenance_scoring import time_column
from services.results import RunInfo
from services.runtime import Runtime


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

"""The columns a failure-risk run reads from a file: checked before the file is stored, their gaps filled
at the training median when the sensor was (almost) never empty in training, and the rest of a scored file's
columns named.

A model never shown a gap in a sensor reads one as 0: a torque of 0 looks like a power failure and raises an
alarm, so such a gap is scored at the sensor's training median instead. A scored file's columns the model does not
read are named by why: the failure column, a column the leakage guard left out in training, or one new to it.
"""
from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from data.kinds_numbers import NUMBER_GAPS
from domain.maintenance import is_failure_label
from ml import expressions
from ml.numbers import to_numeric
from services import columns
from services.errors import UserFacingError

RARE_GAPS = 0.01  # a sensor empty on fewer of its training rows is scored at its median where a reading has a gap
LEARNED_GAPS = 100  # ... unless it was empty on this many training readings: the trees learned where a gap goes
NEVER_EMPTY = "never or rarely empty in training (under 1% of its readings)"
# what each leakage-guard reason says in a scoring note, by the reason's first words (config["excluded"])
LEFT_OUT_WORDS = (("machine identifier", "machine id"), ("identifier", "id"), ("timestamp", "timestamp"),
                  ("sub-label", "sub-label of the failure"), ("named like a failure-mode flag", "failure-mode flag"),
                  ("parent label", "parent label of the failure"), ("sibling label", "sibling label of the failure"),
                  ("named like a record", "record made with or after the failure"),
                  ("separates the target alone", "separates failures alone"), ("empty column", "empty"),
                  ("constant column", "constant"), ("excluded by the user", "--exclude"))


def used_formulas(features, derived) -> list[expressions.DerivedFeature]:
    """The formulas the model reads: those among its features and the formulas they are made of. One the guard left
    out (``TWF + HDF``, a sub-label) was still computed at scoring, and a file of new readings, which never has the
    outcome columns, was refused for lacking them."""
    wanted, by_name = set(features), {d.name: d for d in derived}
    pending = [name for name in wanted if name in by_name]
    while pending:
        for column in expressions.parse(by_name[pending.pop()].formula).columns:
            if column in by_name and column not in wanted:
                wanted.add(column)
                pending.append(column)
    return [d for d in derived if d.name in wanted]


def input_columns(features: tuple[str, ...], derived: tuple[expressions.DerivedFeature, ...]) -> list[str]:
    """The columns the model reads: its features (formulas too) and the formulas' inputs."""
    inputs = [c for d in derived for c in expressions.parse(d.formula).columns]
    return list(dict.fromkeys([*features, *inputs]))


def gap_fill(data: pd.DataFrame, columns: list[str]) -> tuple[dict[str, float], dict[str, float]]:
    """Per numeric input column: the training median when it was empty on under 1 % of the rows and on fewer than
    100, and its empty share. A sensor often empty in training keeps its gaps: the trees learned where a gap goes (a
    dropout before a failure, say). A few gaps (three unreadable torques in 8,000 AI4I readings) taught them nothing:
    a blank torque went down branches that had never seen one and alerted on 673 of 1,961 healthy readings (8 with
    the numbers). Hundreds of gaps did teach them, under 1 % of a large file: a Scania-shaped truck file's sensor
    block dropping out on failing trucks (210 of 30,000 readings) was scored at the median, and failures were missed."""
    fill, share = {}, {}
    for column in columns:
        if column not in data.columns or not _is_number(data[column]):
            continue
        values = to_numeric(data[column], errors="coerce").replace([np.inf, -np.inf], np.nan)
        share[column] = round(float(values.isna().mean()), 4)
        if share[column] < RARE_GAPS and values.isna().sum() < LEARNED_GAPS and values.notna().any():
            fill[column] = float(values.median())
    return fill, share


def text_gap_shares(data: pd.DataFrame, columns: list[str]) -> dict[str, float]:
    """Each text input column's empty share in training, so that scoring names only gaps beyond it: Azure's errorID
    (blank on the hours without an error, 99 % of them) was said to have 20,942 empty values in a file of 21,120
    readings, scored as missing, as if something had gone wrong."""
    return {c: round(float(data[c].isna().mean()), 4) for c in columns
            if c in data.columns and not _is_number(data[c])}


def fill_gaps(frame: pd.DataFrame, fill: dict[str, float], shown: int = 5,
              unscored: np.ndarray | None = None) -> tuple[pd.DataFrame, list[str], dict[str, np.ndarray]]:
    """The file with gaps in (almost) never-empty training sensors at their training medians, a note naming them,
    and the filled rows per column. Rows in ``unscored`` (no reading at all: not scored) are filled but not
    named: the note is about readings that were scored."""
    filled, gaps, rows = frame.copy(), [], {}
    named = ~unscored if unscored is not None else np.ones(len(frame), bool)
    for column, median in fill.items():
        if column not in filled.columns:
            continue
        values = to_numeric(filled[column], errors="coerce").replace([np.inf, -np.inf], np.nan)
        if values.isna().any():
            filled[column] = values.fillna(median)
            missing = values.isna().to_numpy() & named
            if missing.any():
                gaps.append((column, int(missing.sum()), median))
                rows[column] = missing
    empty = [c for c, n, _ in gaps if n == int(named.sum())]
    if empty and named.any():
        raise UserFacingError(f"Column(s) {', '.join(map(repr, empty))} are empty or unreadable on every row of this "
                              "file; the model needs them (they were almost never empty in training). Fill them in.")
    if not gaps:
        return frame, [], {}
    if len(gaps) <= shown:
        listed = "; ".join(f"{c!r} on {n:,} reading(s){_rows(rows[c])}, at {m:,.4g}" for c, n, m in gaps)
    else:
        listed = f"{len(gaps)} columns, most in " + ", ".join(
            f"{c!r} ({n:,})" for c, n, _ in sorted(gaps, key=lambda g: -g[1])[:shown]) + " …"
    return filled, [f"Gaps (empty, unreadable or infinite values) in sensors that were {NEVER_EMPTY} were "
                    "scored at the training median, not as a missing reading the model has never seen (which it "
                    f"would read as 0): {listed}."], rows


def text_for_numbers(frame: pd.DataFrame, numeric: list[str], shown: int = 3) -> None:
    """Refuse a column the model read as numbers whose filled cells hold no number at all ('45.3 Nm', a unit in
    every cell): scored as a gap on every row, a torque with gaps in training raised 57 alerts on 200 readings of
    AI4I (5 with the numbers), under a note calling the column empty."""
    found = []
    for column in numeric:
        if column not in frame.columns or _is_number(frame[column]) or pd.api.types.is_bool_dtype(frame[column]):
            continue
        text = frame[column].dropna().astype(str).str.strip()
        text = text[(text != "") & ~text.isin(NUMBER_GAPS)]  # a column of '-' or 'ERR' alone is empty, as before
        if len(text) and to_numeric(text, errors="coerce").isna().all():
            seen = text.unique()
            found.append(f"{column!r} ({', '.join(map(repr, seen[:shown]))}{' …' if len(seen) > shown else ''})")
    if found:
        raise UserFacingError(f"Column(s) {'; '.join(found)} hold text where the model reads numbers, and none of "
                              "their cells is a number. Write the numbers alone (no units or words), as in the "
                              "training file.")


def _is_number(values: pd.Series) -> bool:
    return pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values)


def _rows(gaps: np.ndarray, shown: int = 5) -> str:
    """' (rows 4, 9, 17 of the output)': the scored rows, counted from 1, so the reader can find them."""
    numbers = (np.flatnonzero(gaps) + 1).tolist()
    more = f" … {len(numbers) - shown:,} more" if len(numbers) > shown else ""
    return f" (row{'s' if len(numbers) > 1 else ''} {', '.join(map(str, numbers[:shown]))}{more} of the output)"


# Readings without a failure column, such as Azure's PdM_telemetry.csv, whose failures are a table of their own
# (PdM_failures.csv): the column list alone did not say what to do.
NO_LABEL = (" None of them records failures, and the failure label must be a column of this file: a failure log kept "
            "apart (Azure's PdM_failures.csv: datetime, machineID, failure) is joined onto the readings first, as a "
            "column that names the failure on each machine's readings in the hours before it (the Azure template "
            "marks the 24 hours before each failure) and is left empty elsewhere.")


def check_columns(frame: pd.DataFrame, target: str, *, id_column: str | None = None, keep: list[str] | None = None,
                  exclude: list[str] | None = None, **_: Any) -> None:
    """The named columns are in the file (the CLI checks before it stores the file)."""
    if target not in frame.columns:
        advice = "" if any(is_failure_label(c) for c in frame.columns) else NO_LABEL
        raise UserFacingError(f"Target column {target!r} is not in the data. "
                              + columns.present(frame.columns, [target]) + advice)
    if id_column and id_column not in frame.columns:
        raise UserFacingError(f"Id column {id_column!r} is not in the data. "
                              + columns.present(frame.columns, [id_column]))
    unknown = [c for c in [*(keep or []), *(exclude or [])] if c not in frame.columns]
    if unknown:
        raise UserFacingError(f"Columns to keep/exclude are not in the data: {', '.join(unknown)}. "
                              + columns.present(frame.columns, unknown))


def ignored_note(frame_columns, config: dict[str, Any], read) -> list[str]:
    """'Ignored 4 column(s) the model does not read: …' for a scored file's columns outside ``read`` (the columns
    scoring reads, the id included), each said for what it is: the failure column, a column left out in training
    (with the guard's reason in a word or two), or a column the model does not know. Before, the note named only
    the last kind, and the page said the rest in a note of its own that the CLI never printed."""
    target, id_column, excluded = config.get("target"), config.get("id_column"), config.get("excluded") or {}
    ignored = [str(c) for c in frame_columns if c not in read]
    if not ignored:
        return []
    parts = [f"{target!r} (the failure column)"] if target in ignored else []
    modes, reasons = set(config.get("modes") or []), {}
    for column in (c for c in ignored if c in excluded and c not in (target, id_column)):
        why = "failure-mode flag" if column in modes else left_out_words(str(excluded[column]))
        reasons.setdefault(why, []).append(column)
    if reasons:
        parts.append("left out in training: " + ", ".join(f"{_quoted(names)} ({why})" for why, names in
                                                          reasons.items()))
    unknown = [c for c in ignored if c not in (target, id_column) and c not in excluded]
    if unknown:
        parts.append(f"{_quoted(unknown)} (not known to the model)")
    return [f"Ignored {len(ignored)} column(s) the model does not read: {'; '.join(parts)}."]


def left_out_words(reason: str) -> str:
    """A leakage-guard reason in a word or two: 'sub-label: 98% of its positive rows …' → 'sub-label of the
    failure'."""
    return next((words for start, words in LEFT_OUT_WORDS if reason.startswith(start)), reason.split(":")[0])


def _quoted(names: list[str], shown: int = 8) -> str:
    more = f" … and {len(names) - shown:,} more" if len(names) > shown else ""
    return ", ".join(map(repr, names[:shown])) + more


def nothing_left(candidates: list[str], flags: dict[str, str]) -> str:
    """Every column left out, each said for why (it read "as an id or a sub-label" when five vibration sensors had
    been left out for separating a 'failing soon' label alone)."""
    reasons: dict[str, list[str]] = {}
    for column in candidates:
        why = left_out_words(flags.get(column, "excluded by the user"))
        reasons.setdefault(why, []).append(repr(column))
    listed = "; ".join(f"{', '.join(names[:8])}{' …' if len(names) > 8 else ''} ({why})"
                       for why, names in reasons.items())
    message = f"No feature columns left: every column was left out: {listed}. Keep some with --keep (or untick them "
    if any(why.startswith("separates the target alone") for why in flags.values()):
        return message + ("on the page): a sensor measured before the failure can separate failures alone, as on a "
                          "label set on the last readings before each failure.")
    return message + "on the page)."

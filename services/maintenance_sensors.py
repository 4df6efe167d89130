"""Maintenance desk, sensor views: which columns are sensors, and their health (flat, missing, drifting).

A failure label and its failure-mode flags (AI4I's 'Machine failure' and TWF … RNF) are numbers too, but
records of the outcome, not readings: listed as sensors they read "ok" and hide nothing. Ids are no
sensor either. Such columns are left out of the health table and named beside it.
"""
from __future__ import annotations

import re

import numpy as np
import pandas as pd

from domain import maintenance as rules
from ml.leakage import MODE_NAME, looks_like_id
from ml.operating_settings import find_settings
from ml.rul_history import SETTING_NAME

DRIFT_CORRELATION = 0.5
FLAT_STD = 1e-9
MISSING_SHARE = 0.2  # a sensor empty on at least this share of readings is reported as missing
NO_TREND = "—"  # a flat sensor, or a table without a time column, has no trend with time to show
LABEL, MODE_FLAG, ID = "the failure label", "failure-mode flags: records of the outcome", "ids"
SETTING = "operating settings: the conditions a unit runs under, not readings of its health"


UNIT_NAME = re.compile(r"(?i)^(unit|unit_?(id|nr|number)|machine_?id|machine|asset_?id|asset|engine_?id|engine|"
                       r"equipment_?id|turbine_?id|pump_?id|serial|id)$")
TIME_NAME = re.compile(r"(?i)^(cycle|cycles|time|time_?cycles?|timestamp|datetime|date|ts|hour|hours|step|t)$")


# a word naming the unit, not 'units' or 'Units_Sold' (a quantity: a sales table's, whose sensors view had crashed)
UNIT_WORD = re.compile(r"(?i)(^|[^a-z])(unit(?!s($|[^a-z]))|engine|machine|asset|equipment|turbine|pump|device|serial)|"
                       r"[a-z](ID|Id)$|[^a-z]id$")
POSITIONAL = re.compile(r"column_\d+")  # the reader's names for the columns of a file without a header row
TIME_WORD = re.compile(r"(?i)cycle|time|step|hour|timestamp|date|(^|[^a-z])(ts|age)($|[^a-z])")


def history_columns(frame: pd.DataFrame, roles: dict[str, str] | None = None) -> tuple[str | None, str | None]:
    """The unit and time columns of a sensor table, guessed by name ('unit', 'machineID'; 'cycle', 'datetime'),
    then by a word in the name ('engine_no', 'time_in_cycles'; never a failure label such as 'Machine failure')
    or, for the time, by the reader's role: the sensor views list them as sensors otherwise."""
    columns = [str(c) for c in frame.columns]
    repeated = [c for c in columns if frame[c].duplicated().any() and not rules.is_failure_label(c)]
    unit = next((c for c in repeated if UNIT_NAME.match(c)), None)
    unit = unit or next((c for c in repeated if UNIT_WORD.search(c) and frame[c].nunique() <= len(frame) / 2), None)
    time = next((c for c in columns if TIME_NAME.match(c) and c != unit), None)
    time = time or next((c for c in columns if TIME_WORD.search(c) and c != unit
                         and not rules.is_failure_label(c)), None)
    if time is None:
        time = next((c for c, role in (roles or {}).items() if role == "time" and c in columns and c != unit), None)
    if unit is None and time is None and len(columns) >= 3 and all(POSITIONAL.fullmatch(c) for c in columns):
        whole = [pd.api.types.is_numeric_dtype(frame[c]) and bool((frame[c].dropna() % 1 == 0).all())
                 for c in frame.columns[:2]]  # a file without a header row (NASA's): unit, then cycle
        if all(whole) and frame.iloc[:, 0].duplicated().any():
            return columns[0], columns[1]
    return unit, time


def sensor_health(frame: pd.DataFrame, *, unit: str | None, time: str | None,
                  skip: tuple[str, ...] = ()) -> pd.DataFrame:
    """Per numeric column (not the unit, time or ``skip`` ones): missing %, and a status: missing (empty on at
    least 20 % of the readings), flat (no variation), drifting (readings move with time within units) or ok, in
    that order of precedence. A flat sensor's spread is 0 (not 5.7e-14, the rounding of a float's mean)."""
    left_out = {unit, time, *skip}
    rows = []
    for column in frame.columns:
        if column in left_out or not pd.api.types.is_numeric_dtype(frame[column]):
            continue
        values = frame[column]
        std = float(values.std()) if values.notna().sum() > 1 else 0.0
        std = 0.0 if values.nunique() <= 1 or std <= FLAT_STD * max(1.0, float(values.abs().max())) else std
        drift = _drift(frame, column, unit, time) if time else float("nan")
        empty = float(values.isna().mean())
        status = ("missing" if empty >= MISSING_SHARE else "flat" if std == 0.0
                  else "drifting" if abs(drift) >= DRIFT_CORRELATION else "ok")
        rows.append({"sensor": str(column), "missing_pct": empty * 100, "std": std,
                     "drift_correlation": drift, "status": status})
    return pd.DataFrame(rows, columns=["sensor", "missing_pct", "std", "drift_correlation", "status"])


def _drift(frame: pd.DataFrame, column: str, unit: str | None, time: str) -> float:
    """Median Spearman correlation of a sensor with time inside each unit (or over the whole table)."""
    groups = frame.groupby(unit, sort=False) if unit else [(None, frame)]
    found = []
    for _, rows in groups:
        pair = rows[[time, column]].dropna()
        if len(pair) >= 5 and pair[column].nunique() > 1:
            found.append(pair[time].rank().corr(pair[column].rank()))
    return float(np.nanmedian(found)) if found else float("nan")


def health_table(health: pd.DataFrame) -> pd.DataFrame:
    """The health table as the page shows it: plain headers, the trend as text ('—' where there is none: a
    flat sensor, or no time column), so that no cell reads 'None'."""
    trend = [NO_TREND if pd.isna(v) else f"{v:+.2f}" for v in health["drift_correlation"]]
    return pd.DataFrame({"sensor": health["sensor"], "status": health["status"],
                         "missing %": health["missing_pct"].astype(float).round(1), "spread (std)": health["std"],
                         "trend with time": trend})


def not_sensors(frame: pd.DataFrame, roles: dict[str, str] | None = None,
                unit: str | None = None, time: str | None = None) -> dict[str, str]:
    """Numeric columns that are no sensor, with why: the failure label (the reader's target, or a 0/1 column
    named like a failure), 0/1 flags named like a failure mode or set only on failed readings, and ids (by the
    reader's role, or a whole number unique per row that counts up or is named like one: UDI)."""
    roles = roles or {}
    binary = [c for c in frame.columns if pd.api.types.is_numeric_dtype(frame[c]) and _is_flag(frame[c])]
    named = [c for c in binary if rules.is_failure_label(c)]
    target = next((c for c, r in roles.items() if r == "target" and c in binary), named[0] if named else None)
    out = {} if target is None else {str(target): LABEL}
    for column in binary:
        if column == target:
            continue
        if MODE_NAME.search(str(column)) or (target is not None and _only_on_failures(frame[column], frame[target])):
            out[str(column)] = MODE_FLAG
    for column in frame.columns:
        if str(column) in out or column in (unit, time) or not pd.api.types.is_numeric_dtype(frame[column]):
            continue
        if roles.get(column) == "id" or looks_like_id(frame[column]):
            out[str(column)] = ID
    out.update({c: SETTING for c in operating_settings(frame, unit, time, [c for c in frame.columns
                                                                            if str(c) not in out])})
    return out


def operating_settings(frame: pd.DataFrame, unit: str | None, time: str | None, columns: list) -> list[str]:
    """Numeric columns named like operating settings (setting_1, altitude, TRA), else, in histories, those the RUL
    training would find by their levels (ml/operating_settings.py): listed as sensors they read 'ok'."""
    numeric = [c for c in columns if c not in (unit, time) and pd.api.types.is_numeric_dtype(frame[c])]
    named = [str(c) for c in numeric if SETTING_NAME.search(str(c))]
    if named or not unit or unit not in frame.columns or frame[unit].nunique() < 2:
        return named
    ordered = frame.sort_values([unit, time] if time else [unit], kind="stable").reset_index(drop=True)
    try:
        found, _ = find_settings(ordered, numeric, unit=unit)
    except (ValueError, TypeError):  # a table unlike histories: no settings to find
        return []
    return [str(c) for c in found]


def sensor_dataset(stored: list, latest_run_dataset: int | None = None) -> int:
    """Which stored table the sensor views open on (an index into ``stored``, newest first): the dataset of the
    newest maintenance run, else the newest whose headers read like telemetry or histories (a unit and a time, or
    a failure label); they opened on the newest table of any desk (a loan book's columns listed as sensors)."""
    ids = [d.id for d in stored]
    if latest_run_dataset in ids:
        return ids.index(latest_run_dataset)
    return next((i for i, info in enumerate(stored) if looks_like_sensor_data(info)), 0)


def looks_like_histories(info) -> bool:
    """A stored table whose headers read like run-to-failure histories: a unit column named like one whose values
    repeat (by its profile, when stored: a retail file's unique 'id' is no unit) and a separate time column. The
    RUL form opens on such a table, not on the newest of any desk."""
    names = [str(c) for c in info.schema]
    distinct = {p.get("name"): p.get("distinct") for p in getattr(info, "profile", None) or []}
    rows = getattr(info, "rows", None)

    def repeats(column: str) -> bool:
        count = distinct.get(column)
        return count is None or not rows or count <= rows / 2

    units = [c for c in names if (UNIT_NAME.match(c) or UNIT_WORD.search(c)) and not rules.is_failure_label(c)
             and repeats(c)]
    named = any(TIME_NAME.match(c) or TIME_WORD.search(c) for c in names if c not in units[:1]) and bool(units)
    return named or _positional_histories(names, getattr(info, "profile", None) or [], rows)


def _positional_histories(names: list[str], profile: list[dict], rows: int | None) -> bool:
    """A file without a header row (NASA's test_FD001.txt, read as column_1 … column_26): the RUL form takes its
    first two columns as unit and cycle, and they are histories when the stored profile agrees: whole numbers,
    the first repeating (each unit's readings), the second counting from 0 or more."""
    if len(names) < 3 or not rows or not all(POSITIONAL.fullmatch(c) for c in names):
        return False
    found = {p.get("name"): p for p in profile}
    unit, time = found.get(names[0]), found.get(names[1])
    if not (unit and time and _whole(unit) and _whole(time)):
        return False
    return 1 <= (unit.get("distinct") or 0) <= rows / 2 and (time.get("distinct") or 0) > 1 and float(time["min"]) >= 0


def _whole(column: dict) -> bool:
    """A numeric profiled column whose smallest and largest values are whole numbers (a unit number, a cycle)."""
    try:
        low, high = float(column.get("min")), float(column.get("max"))
    except (TypeError, ValueError):
        return False
    return column.get("kind") == "numeric" and low.is_integer() and high.is_integer()


def looks_like_sensor_data(info) -> bool:
    """Telemetry (a column named like a failure label) or histories: what the sensor views open on."""
    return any(rules.is_failure_label(str(c)) for c in info.schema) or looks_like_histories(info)


def _is_flag(values: pd.Series) -> bool:
    known = values.dropna()
    return len(known) > 0 and set(known.unique()) <= {0, 1}


def _only_on_failures(flag: pd.Series, target: pd.Series) -> bool:
    on = flag == 1
    return bool(on.any()) and bool((target[on] == 1).all())


def left_out_note(left_out: dict[str, str]) -> str | None:
    """'Not sensors, left out: Machine failure (the failure label); TWF, HDF (failure-mode flags …).'"""
    if not left_out:
        return None
    groups: dict[str, list[str]] = {}
    for column, why in left_out.items():
        groups.setdefault(why, []).append(column)
    return "Not sensors, left out: " + "; ".join(f"{', '.join(c)} ({why})" for why, c in groups.items()) + "."

"""The leakage guard: columns a failure model must not learn from.

Telemetry exports often carry the answer next to the question: row ids, timestamps, machine ids,
failure-mode flags (TWF, HDF…) and "Failure Type" text set only when the machine failed, the parent label
when the target is one mode, and the other one-hot fault columns of a set such as the steel plates' seven.
A model trained on them scores perfectly in validation and is useless on new readings, so they are
excluded by default, each with its reason.
"""
from __future__ import annotations

import re
import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ml.failure import as_flag
from ml.failure_auc import single_column_auc as _single_column_auc
from ml.numbers import to_numeric

MODE_NAME = re.compile(r"(^[A-Z]{2,4}F$)|fail|fault|mode(?!l)|_flag$|breakdown", re.IGNORECASE)  # not "model"
SEPARATION_AUC = 0.995
SUBSET_PRECISION = 0.9
SUBSET_LIFT = 0.5  # ... and half the way from the failure rate to 1 (at a 90 % rate every column's rows are 90 %)
PARENT_SHARE = 0.2      # a parent label's failure value is on at most this share of rows
PARENT_EXPLAINED = 0.8  # share of its set rows without the target's failure that the other modes mark
ONE_HOT_SHARE = 0.99    # rows on which a set of 0/1 labels has exactly one set
MODE_FLAG_SHARE = 2.0   # a flag named like a failure mode is a mode label when set on at most 2 x the failure rate
# A record written with or after the failure (downtime, a repair, a work order, the time to failure), not a past count
AFTER_NAME = re.compile(r"downtime|down_time|outage|repair|work[ _-]?order|ticket|(^|_)(ttf|rul)($|_)"
                        r"|remaining[ _-]?useful"
                        r"|(time|hours|days|minutes|cycles)[ _-]?(to|until)[ _-]?fail", re.IGNORECASE)
HISTORY_NAME = re.compile(r"since|last|prev|past|total|cum|count|hist|(^|_)n_|number|avg|mean|\d+ ?d(ays)?($|_)",
                          re.IGNORECASE)
AFTER_AUC = 0.9         # such a column is left out when it alone separates failures this well


SLASHED_DATE = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-]\d{2,4}\b")  # 19/07/2008, 5.8.08 (not ISO)
DOTTED_STAMP = r"\d{4}\.\d{2}\.\d{2}\.\d{2}\.\d{2}\.\d{2}"  # NASA IMS bearings: 2003.10.22.12.06.24
TIME_NAME = re.compile(r"time|date|epoch|unix|(^|_)ts($|_)", re.IGNORECASE)
UNIX_SECONDS = (3e8, 4.2e9)  # 1979-07 .. 2103-02
UNIX_UNITS = (("seconds", 1.0), ("milliseconds", 1e3), ("microseconds", 1e6), ("nanoseconds", 1e9))
# Excel writes a date as days since 1899-12-30 (44986.5 is 2023-03-01 noon); read so only in a column named a date
EXCEL_NAME = re.compile(r"(^|[^a-z])date|stamp|^(ts|time)$", re.IGNORECASE)
EXCEL_DAYS, EXCEL_UNIT = (20000, 80000), "Excel serial days"  # 1954-10 .. 2119-01
TEXT_DATE_SHARE = 0.9   # a text column whose cells read as dates and times this often is a timestamp

# A column naming the machine rather than measuring it: machineID, unit_id, asset, serial_no, "Machine ID".
UNIT_NAME = re.compile(r"[a-z](ID|Id)$|^(?i:(machine|unit|engine|asset|equipment|device|serial|turbine|pump)"
                       r"([ _-]?(id|no|num|number|nr|code))?|.*[ _-]id)$")
# ... but not an event's code on a reading (Azure's errorID: error1 … error5, blank on 99 % of hours)
EVENT_NAME = re.compile(r"(?i)error|alarm|fault|event|fail|warn|alert|message|msg|maint|repair|ticket|order")


@dataclass(frozen=True)
class LeakageFlag:
    column: str
    reason: str


def _off_mode_precision(column: pd.Series, y: pd.Series) -> tuple[str, float] | None:
    """The column's usual value and the failure share of the other rows, when those rows are nearly all
    failures and hold most of them: a failure-mode label or a record written after the failure."""
    if y.sum() == 0 or not _may_mark(column, y):
        return None
    counts = column.value_counts(dropna=False)
    if len(counts) < 2:
        return None
    usual = counts.index[0]
    off = column.notna() if pd.isna(usual) else (column != usual)
    if off.sum() < 3:
        return None
    precision, recall = float(y[off].mean()), float(y[off].sum() / y.sum())
    if not _mostly_failures(precision, y) or recall < 0.5:
        return None
    return ("empty" if pd.isna(usual) else _value_text(usual)), precision


def _mostly_failures(precision: float, y: pd.Series) -> bool:
    """Rows that are nearly all failures, far more often than rows at large are."""
    rate = float(y.mean())
    return precision >= SUBSET_PRECISION and precision - rate >= SUBSET_LIFT * (1 - rate)


def _may_mark(column: pd.Series, y: pd.Series) -> bool:
    """False when no value is usual enough for the rows off it to be 90 % failures: then it is on more than half the
    rows, so a number's usual value is its median (counting 220,000 readings' values took 0.2 s a sensor)."""
    need = len(column) - float(y.sum()) / SUBSET_PRECISION
    if need <= len(column) / 2 or not pd.api.types.is_numeric_dtype(column) or pd.api.types.is_bool_dtype(column):
        return True
    present = column.dropna()
    return column.isna().sum() >= need or (len(present) > 0 and (present == present.median()).sum() >= need)


def _value_text(value) -> str:
    """A value as a reader writes it: 'No Failure', 0, 1.5 (not np.float64(0.0))."""
    if isinstance(value, str):
        return repr(value)
    if isinstance(value, (bool, np.bool_)):
        return str(bool(value))
    if isinstance(value, (int, float, np.number)):
        return f"{float(value):g}"
    return repr(str(value))


def _unix_time_unit(name: str, column: pd.Series) -> str | None:
    """'seconds' (or milliseconds, ...) when a column named like a time holds numbers that all read as Unix
    times between 1979 and 2103: a timestamp written as a number (1420092000), which no date reader sees."""
    if not TIME_NAME.search(name) or not pd.api.types.is_numeric_dtype(column) or column.dtype == bool:
        return None
    values = column.dropna()
    if values.nunique() < 2:
        return None
    for unit, scale in UNIX_UNITS:
        if values.between(UNIX_SECONDS[0] * scale, UNIX_SECONDS[1] * scale).all():
            return unit
    return EXCEL_UNIT if EXCEL_NAME.search(name) and values.between(*EXCEL_DAYS).all() else None


def _numbers_as_times(numbers: pd.Series, excel: bool) -> pd.Series:
    """Per cell: Unix seconds (milliseconds, ...) or, with ``excel``, Excel serial days; NaT for other numbers."""
    times = pd.Series(pd.NaT, index=numbers.index, dtype="datetime64[ns]")
    for _, scale in UNIX_UNITS:
        hit = numbers.between(UNIX_SECONDS[0] * scale, UNIX_SECONDS[1] * scale)
        times[hit] = pd.to_datetime(numbers[hit] / scale, unit="s")
    if excel:
        hit = numbers.between(*EXCEL_DAYS)
        times[hit] = (pd.Timestamp("1899-12-30") + pd.to_timedelta(numbers[hit], unit="D")).dt.round("s")
    return times


def read_dates(text: pd.Series) -> pd.Series:
    """Text dates, each cell read on its own, day first when the column says so: a cell like 19/07/2008 (a first
    number over 12, no second one over 12 anywhere) makes 05/08/2008 the 5th of August, not the 8th of May (SECOM's
    timestamps were put out of order, May and April readings among the summer's). NASA's IMS bearing snapshots are
    named 2003.10.22.12.06.24 (year, month, day, hour, minute, second), which no date reader knows."""
    if text.str.fullmatch(DOTTED_STAMP).fillna(False).mean() >= 0.5:
        return pd.to_datetime(text, errors="coerce", format="%Y.%m.%d.%H.%M.%S")
    parts = text.str.extract(SLASHED_DATE).astype(float)
    day_first = bool((parts[0] > 12).any() and not (parts[1] > 12).any())
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return pd.to_datetime(text, errors="coerce", format="mixed", dayfirst=day_first, utc=True).dt.tz_localize(None)


def _text_times(name: str, column: pd.Series) -> pd.Series:
    """Dates and times written as text, each cell read on its own: ISO with any offset (to UTC), and in a column
    named like a time, Unix numbers and (named a date) Excel serial days, as IoT gateways mix them in one export."""
    text = column.astype("string").str.strip()
    parsed = read_dates(text)
    if TIME_NAME.search(name):
        numbers = to_numeric(text, errors="coerce").astype(float)
        parsed = parsed.fillna(_numbers_as_times(numbers, bool(EXCEL_NAME.search(name))))
    return parsed


def _is_text_time(name: str, column: pd.Series, sample: int = 200) -> bool:
    """A text column of dates and times (a sample first: reading a long text column cell by cell is slow)."""
    if pd.api.types.is_numeric_dtype(column) or pd.api.types.is_bool_dtype(column) or column.notna().sum() == 0:
        return False
    present = column.dropna()
    if _text_times(name, present.iloc[:sample]).notna().mean() < TEXT_DATE_SHARE:
        return False
    return as_timestamps(name, column) is not None


def as_timestamps(name: str, column: pd.Series) -> pd.Series | None:
    """The dates and times of a column the guard reads as a timestamp (datetimes without their time zone, Unix
    numbers, dates written as text), for putting each machine's readings in time order; None for anything else."""
    if pd.api.types.is_datetime64_any_dtype(column):
        return column.dt.tz_localize(None) if getattr(column.dt, "tz", None) is not None else column
    unit = _unix_time_unit(name, column)
    if unit is not None:
        return _numbers_as_times(column.astype(float), unit == EXCEL_UNIT)
    if pd.api.types.is_numeric_dtype(column) or pd.api.types.is_bool_dtype(column):
        return None
    parsed = _text_times(name, column)
    return parsed if parsed.notna().sum() >= TEXT_DATE_SHARE * column.notna().sum() > 0 else None


def looks_like_id(column: pd.Series, kind: str | None = None) -> bool:
    if kind == "identifier":
        return True
    values = column.dropna()
    if len(values) < 20:
        return False
    unique_ratio = values.nunique() / len(values)
    if not pd.api.types.is_numeric_dtype(values):
        return unique_ratio > 0.9
    if unique_ratio < 0.99 or not np.allclose(values, np.round(values)):
        return False
    ordered = values.is_monotonic_increasing or values.is_monotonic_decreasing
    return bool(ordered or re.search(r"(^|_|\b)(id|udi|uid|index|row)($|_|\b)", str(column.name), re.IGNORECASE))


def find_leakage(frame: pd.DataFrame, y: pd.Series, kinds: dict[str, str] | None = None,
                 target: pd.Series | None = None) -> list[LeakageFlag]:
    """Ids, failure-mode sub-labels, parent and sibling labels, and columns that alone separate the target
    almost perfectly. ``target`` is the target as written, when it had more values than failed / not."""
    kinds = kinds or {}
    flags: list[LeakageFlag] = []
    siblings = one_hot_siblings(frame, y)
    for name in frame.columns:
        column = frame[name]
        unix = _unix_time_unit(str(name), column)
        texted = not unix and kinds.get(str(name)) != "datetime" and _is_text_time(str(name), column)
        if kinds.get(str(name)) == "datetime" or pd.api.types.is_datetime64_any_dtype(column) or unix or texted:
            written = (" (Excel serial dates)" if unix == EXCEL_UNIT else f" (Unix time in {unix})" if unix
                       else " (dates and times written as text)" if texted else "")
            flags.append(LeakageFlag(str(name), f"timestamp{written}: the model would learn when failures happened, "
                                                "not the machine's condition, and new readings come from a later "
                                                "period"))
            continue
        if looks_like_id(column, kinds.get(str(name))):
            filled = float(column.notna().mean())
            where = "per row" if filled >= 0.5 else f"where filled, on {filled:.0%} of rows"
            flags.append(LeakageFlag(str(name), f"identifier (unique {where})"))
            continue
        if (UNIT_NAME.search(str(name)) and not EVENT_NAME.search(str(name)) and column.notna().mean() >= 0.5
                and column.dropna().nunique() < 0.5 * column.notna().sum()):
            flags.append(LeakageFlag(str(name), "machine identifier: the model would learn which machines failed, "
                                                "not from which readings"))
            continue
        if name in siblings:
            others = ", ".join(str(c) for c in siblings if c != name)
            flags.append(LeakageFlag(str(name), f"sibling label: with the target and {others} it is one of a set of "
                                                "0/1 labels that has exactly one set on every row"))
            continue
        coded = as_flag(column)
        if coded is not None and coded.sum() > 0:
            precision = float(y[coded == 1].mean())
            if _mostly_failures(precision, y):
                flags.append(LeakageFlag(str(name), f"sub-label: {precision:.0%} of its positive rows are failures"))
                continue
            if _is_parent(str(name), coded, y, frame, target):
                flags.append(LeakageFlag(str(name), f"parent label: every failure has it set, and it is set on only "
                                                    f"{coded.mean():.1%} of rows (the outcome, recorded with the "
                                                    "target)"))
                continue
        marked = _off_mode_precision(column, y)
        if marked is not None:  # "Failure Type": every value but "No Failure" names a failure
            usual, precision = marked
            flags.append(LeakageFlag(str(name), f"sub-label: {precision:.0%} of its rows other than {usual} are "
                                                "failures"))
            continue
        if MODE_NAME.search(str(name)) and _rare_flag(column, coded, y):
            flags.append(LeakageFlag(str(name), "named like a failure-mode flag"))
            continue
        auc = _single_column_auc(column, y)
        if AFTER_NAME.search(str(name)) and not HISTORY_NAME.search(str(name)) and auc >= AFTER_AUC:
            flags.append(LeakageFlag(str(name), f"named like a record made with or after the failure (downtime, "
                                                f"repair, work order, time to failure) and alone it separates the "
                                                f"target (AUC {auc:.3f})"))
            continue
        if auc >= SEPARATION_AUC:
            flags.append(LeakageFlag(str(name), f"separates the target alone (AUC {auc:.3f})"))
    return flags


def _rare_flag(column: pd.Series, coded: pd.Series | None, y: pd.Series) -> bool:
    """Two values, the rarer (or the set one) on no more rows than about twice the failures: how a failure-mode
    label looks (RNF on 19 of 10,000 readings). ``eco_mode`` on a third of the rows is a setting."""
    counts = column.dropna().value_counts(normalize=True)
    if len(counts) != 2:
        return False
    share = float(coded.mean()) if coded is not None and coded.notna().any() else float(counts.min())
    return share <= MODE_FLAG_SHARE * float(y.mean())


def _is_parent(name: str, coded: pd.Series, y: pd.Series, frame: pd.DataFrame, target: pd.Series | None) -> bool:
    """"Machine failure" (or "Target") when the target is one of its modes: set on every failure, on few rows,
    and its other set rows are the other modes, those the target marks with another value than its usual one
    ("Failure Type" = "Power Failure" when the target is "Tool Wear Failure"), or those other 0/1 columns nested
    in it mark (HDF, PWF … beside TWF). A warning light on before every failure, and on other rows too, is not."""
    if int(y.sum()) < 5 or not bool((coded[y == 1] == 1).all()) or float(coded.mean()) > PARENT_SHARE:
        return False
    rest = (coded == 1) & (y == 0)
    if not rest.any():
        return False
    if target is not None and target.nunique() > 2:
        usual = target.value_counts().index[0]
        marked = target.notna() & (target != usual)
        return float(marked[rest].mean()) >= PARENT_EXPLAINED
    marked = pd.Series(False, index=y.index)
    for other in frame.columns:
        flag = as_flag(frame[other]) if other != name else None
        if (flag is not None and flag.sum() > 0 and float(coded[flag == 1].mean()) >= SUBSET_PRECISION
                and not bool((flag[y == 1] == 1).all())):  # another mode, not a copy of the parent itself
            marked |= flag == 1
    return float(marked[rest].mean()) >= PARENT_EXPLAINED


def one_hot_siblings(frame: pd.DataFrame, y: pd.Series) -> list[str]:
    """The other columns of a one-hot label set the target belongs to (steel plates: Pastry, Z_Scratch, …,
    Other_Faults), when two or more 0/1 columns that are never set on a failure make, with the target, exactly
    one set on nearly every row."""
    total, members = y.fillna(0).astype(int).copy(), []
    for name in frame.columns:
        values = frame[name]  # the first values settle most columns: the unique values of 220,000 floats took 8 s
        if values.isna().any() or not all(set(pd.unique(v)) <= {0, 1, True, False} for v in (values.iloc[:50], values)):
            continue
        coded = values.astype(int)
        if coded.sum() == 0 or (coded[y == 1] == 1).any():
            continue
        if float(((total + coded) <= 1).mean()) >= ONE_HOT_SHARE:
            total, members = total + coded, [*members, name]
    if len(members) < 2 or float((total == 1).mean()) < ONE_HOT_SHARE:
        return []
    return members

"""Which columns a credit model uses and how each is typed, so scoring files are read the same way.

Real loan files carry numbers stored as text ("1,250", "12%", "$900"), identifiers, empty and
constant columns. The plan is decided once on the training data, saved next to the model, and
applied to every scoring file, so a column never changes meaning between training and scoring.
"""
from __future__ import annotations

import json
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ml.credit_dates import as_dates
from ml.credit_number_text import (duration_months, parse_numeric_text, writes_decimal_comma, writes_duration,
                                   writes_percent, writes_slash_decimal)
from ml.credit_ratios import add_ratios
from ml.credit_slips import read_tenfold
from ml.numbers import to_numeric

PLAN_FILE = "features.json"
NUMERIC_TEXT_SHARE = 0.95       # share of non-empty text cells that must parse for a column to be numeric
ID_LIKE_SHARE = 0.9             # distinct share above which a text column is an identifier, not a feature
ID_LIKE_MIN_DISTINCT = 20
DATE_TEXT_SHARE = 0.8           # a text column this much made of dates, with a few that are not, is a broken date
RARE_MISSING = 0.01  # share of training rows: fewer missing values teach the trees nothing about what missing means
_TRUE = {"true", "yes", "y", "1", "t"}
_FALSE = {"false", "no", "n", "0", "f"}


@dataclass
class FeaturePlan:
    """Feature columns in order, the kind each is read as, and the columns left out (with why)."""

    kinds: dict[str, str]
    dropped: dict[str, str] = field(default_factory=dict)
    decimal_comma: list[str] = field(default_factory=list)  # numbers written 12,7 % or 16.168,00 €
    # The application's date (issue_d): dates about the applicant (earliest_cr_line) are read as years before
    # it, a credit history's length, rather than as calendar dates that drift with time. None: days since 1970.
    anchor: str | None = None
    percent: list[str] = field(default_factory=list)  # numbers the file wrote with a % sign ("13.56%")
    # Inputs the model reads beside the columns, each one column over another (ml/credit_ratios.py).
    ratios: dict[str, list[str]] = field(default_factory=dict)
    slash_decimal: list[str] = field(default_factory=list)  # 1/60 for 1.60 (Thera Bank's CCAvg)
    scales: dict[str, list[float]] = field(default_factory=dict)  # a percent of codes 1-4: column -> [lowest, highest]
    tenfold: dict[str, list[float]] = field(default_factory=dict)  # 7,230 for 723 (credit_slips): the right range
    durations: list[str] = field(default_factory=list)  # '1yrs 11mon', read as 23 months
    day_first: list[str] = field(default_factory=list)  # dates written 22-11-53 (and the anchor): day first

    @property
    def features(self) -> list[str]:
        """The file's columns the model needs."""
        return list(self.kinds)

    @property
    def model_kinds(self) -> dict[str, str]:
        """What the model reads, in order: the columns, then the ratios made of them (numbers)."""
        return {**self.kinds, **{name: "numeric" for name in self.ratios}}

    def to_json(self) -> dict[str, Any]:
        return {"kinds": self.kinds, "dropped": self.dropped, "decimal_comma": self.decimal_comma,
                "anchor": self.anchor, "percent": self.percent, "ratios": self.ratios,
                "slash_decimal": self.slash_decimal, "scales": self.scales,
                "tenfold": self.tenfold, "durations": self.durations, "day_first": self.day_first}

    @classmethod
    def from_json(cls, payload: dict[str, Any]) -> "FeaturePlan":
        return cls(dict(payload["kinds"]), dict(payload.get("dropped", {})), list(payload.get("decimal_comma", [])),
                   payload.get("anchor"), list(payload.get("percent", [])),
                   {str(k): list(v) for k, v in payload.get("ratios", {}).items()},
                   list(payload.get("slash_decimal", [])), dict(payload.get("scales", {})),
                   dict(payload.get("tenfold", {})), list(payload.get("durations", [])),
                   list(payload.get("day_first", [])))

    def save(self, directory: Path) -> None:
        (Path(directory) / PLAN_FILE).write_text(json.dumps(self.to_json()), encoding="utf-8")

    @classmethod
    def load(cls, directory: Path) -> "FeaturePlan":
        return cls.from_json(json.loads((Path(directory) / PLAN_FILE).read_text(encoding="utf-8")))


DAYS_PER_YEAR = 365.25


def _kind(series: pd.Series) -> str:
    if pd.api.types.is_bool_dtype(series):
        return "boolean"
    if pd.api.types.is_numeric_dtype(series):
        return "numeric"
    if pd.api.types.is_datetime64_any_dtype(series):
        return "datetime"
    present = series.dropna()
    if len(present) and _numeric_share(present) >= NUMERIC_TEXT_SHARE:
        return "numeric"
    return "categorical"


def _numeric_share(present: pd.Series) -> float:
    """Share of the (non-empty) cells that read as numbers. A column of text is read once per distinct value,
    weighted by its count: the same share, without parsing 50,000 cells of a few categories one by one."""
    if pd.api.types.infer_dtype(present, skipna=False) != "string":  # mixed types: cell by cell, as written
        return float(parse_numeric_text(present, decimal_comma=writes_decimal_comma(present)).notna().mean())
    counts = present.value_counts(sort=False)
    distinct = pd.Series(counts.index, dtype=object)
    parsed = parse_numeric_text(distinct, decimal_comma=writes_decimal_comma(distinct)).notna().to_numpy()
    return float(int(counts.to_numpy()[parsed].sum()) / len(present))


def _unreadable_dates(present: pd.Series, sample: int = 2000) -> str | None:
    """'dates, but some values are not' for a text column mostly made of dates ('2019-13-45' and 'yesterday'
    kept it from being read as dates): the reason it is dropped should say so, not 'identifier-like'."""
    values = present.astype(str).head(sample)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        parsed = pd.to_datetime(values, errors="coerce", format="mixed")
    if parsed.notna().mean() < DATE_TEXT_SHARE or parsed.notna().all():
        return None
    bad = values[parsed.isna()].unique()[:3]
    return (f"dates, but {int(parsed.isna().sum())} of the first {len(values):,} values are not (e.g. "
            f"{', '.join(repr(v) for v in bad)}): fix them to use the column")


def plan_features(X: pd.DataFrame) -> FeaturePlan:
    """Keep informative columns; drop empty, constant and identifier-like ones (said, never silent)."""
    kinds: dict[str, str] = {}
    dropped: dict[str, str] = {}
    comma: list[str] = []
    percent: list[str] = []
    slashed: list[str] = []
    durations: list[str] = []
    for column in X.columns:
        series = X[column]
        present = series.dropna()
        if present.empty:
            dropped[column] = "empty"
            continue
        # Numbers count as they are (text conversion took ~0.1 s per column of 100k rows); text as text,
        # so 1 and "1" in an object column stay one value.
        distinct = present.nunique() if pd.api.types.is_numeric_dtype(present) else present.astype(str).nunique()
        if distinct <= 1:
            dropped[column] = "constant"
            continue
        slash = writes_slash_decimal(present)
        duration = not slash and writes_duration(present)
        kind = "numeric" if slash or duration else _kind(series)
        dates = _unreadable_dates(present) if kind == "categorical" and distinct > ID_LIKE_MIN_DISTINCT else None
        if dates:  # not 600 categories of a date, nor an "identifier"
            dropped[column] = dates
            continue
        if kind == "categorical" and distinct > ID_LIKE_MIN_DISTINCT and distinct / len(present) > ID_LIKE_SHARE:
            dropped[column] = "identifier-like text (almost every value is different)"
            continue
        if kind == "numeric" and _row_counter(series):
            dropped[column] = "row counter (unique whole numbers in order)"
            continue
        kinds[str(column)] = kind
        if slash or duration:
            (slashed if slash else durations).append(str(column))
        elif kind == "numeric" and writes_decimal_comma(present):
            comma.append(str(column))
        if kind == "numeric" and writes_percent(present):
            percent.append(str(column))
    return FeaturePlan(kinds, dropped, comma, percent=percent, slash_decimal=slashed, durations=durations)


def _row_counter(series: pd.Series) -> bool:
    """1, 2, 3… (or any strictly ordered unique whole numbers): a record number, not a property of the loan."""
    numeric = pd.api.types.is_numeric_dtype(series)
    values = to_numeric(series, errors="coerce") if numeric else parse_numeric_text(series)
    values = values.dropna()
    if len(values) < ID_LIKE_MIN_DISTINCT or len(values) < len(series) or not np.all(np.mod(values, 1) == 0):
        return False
    return bool(values.is_monotonic_increasing or values.is_monotonic_decreasing) and values.is_unique


def align(frame: pd.DataFrame, plan: FeaturePlan) -> pd.DataFrame:
    """The plan's columns, each converted to its training kind (unparseable cells become missing), then its
    ratios."""
    out: dict[str, pd.Series] = {}  # gathered, then one frame: a column at a time fragments wide books
    for column, kind in plan.kinds.items():
        series = frame[column]
        if kind == "numeric":
            series = series.astype("string").str.replace("/", ".") if column in plan.slash_decimal else series
            out[column] = (to_numeric(series, errors="coerce").astype(float)
                           if pd.api.types.is_numeric_dtype(series) and not pd.api.types.is_bool_dtype(series)
                           else duration_months(series) if column in plan.durations
                           else parse_numeric_text(series, decimal_comma=column in plan.decimal_comma)
                           ).replace([np.inf, -np.inf], np.nan)
            out[column] = read_tenfold(out[column], plan.tenfold[column]) if column in plan.tenfold else out[column]
        elif kind == "boolean":
            out[column] = _as_boolean(series)
        elif kind == "datetime":
            out[column] = _date_value(frame, series, plan)
        else:
            out[column] = _as_text(series)
    return add_ratios(pd.DataFrame(out, index=frame.index, columns=list(plan.kinds)), plan.ratios)


def _date_value(frame: pd.DataFrame, series: pd.Series, plan: FeaturePlan) -> pd.Series:
    """Years before the application's date (a row or file without a usable one: before today), or days since
    1970 for a run without an application date."""
    dates = as_dates(series, day_first=str(series.name) in plan.day_first)
    if plan.anchor is None:
        return ((dates - pd.Timestamp("1970-01-01")).dt.days).astype(float)
    return ((application_dates(frame, plan.anchor, day_first=plan.anchor in plan.day_first) - dates).dt.days
            / DAYS_PER_YEAR).astype(float)


def application_dates(frame: pd.DataFrame, anchor: str, *, day_first: bool = False) -> pd.Series:
    """The application's date per row; today where the file has none (a new applicant applies now)."""
    today = pd.Timestamp.now().normalize()
    if anchor not in frame.columns:
        return pd.Series(today, index=frame.index)
    return as_dates(frame[anchor], day_first=day_first).fillna(today)


def _as_boolean(series: pd.Series) -> pd.Series:
    if pd.api.types.is_bool_dtype(series):
        return series.astype(float)
    text = series.astype("string").str.strip().str.lower()
    return text.map(lambda v: 1.0 if v in _TRUE else 0.0 if v in _FALSE else np.nan).astype(float)


def _as_text(series: pd.Series) -> pd.Series:
    def one(value: Any) -> Any:
        if value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NA:
            return None
        if isinstance(value, float) and value.is_integer():
            return str(int(value))
        return str(value).strip()

    values = series.astype(object)
    if pd.api.types.infer_dtype(values, skipna=True) == "string":  # text only: each distinct value once
        codes, distinct = pd.factorize(values, use_na_sentinel=True)
        texts = np.array([one(v) for v in distinct] + [None], dtype=object)
        return pd.Series(texts[codes], index=series.index, dtype=object, name=series.name)
    return values.map(one).astype(object)


def unparsed_counts(frame: pd.DataFrame, aligned: pd.DataFrame, plan: FeaturePlan) -> dict[str, int]:
    """Cells that held something but became missing when read as the training kind."""
    counts = {}
    for column, kind in plan.kinds.items():
        if kind == "categorical":
            continue
        raw = frame[column]
        had_value = raw.notna() & (raw.astype("string").str.strip() != "")
        lost = int((had_value & aligned[column].isna()).sum())
        if lost:
            counts[column] = lost
    return counts


def rarely_missing_medians(X: pd.DataFrame, categorical: dict[str, list[str]]) -> dict[str, float]:
    """Training medians of the numeric columns missing in at most 1 % of the training rows."""
    columns = [c for c in X.columns if c not in categorical and pd.api.types.is_numeric_dtype(X[c])
               and not pd.api.types.is_bool_dtype(X[c]) and X[c].isna().mean() <= RARE_MISSING]
    return {str(c): float(m) for c, m in zip(columns, np.nanmedian(X[columns].to_numpy(float, na_value=np.nan), axis=0))
            if np.isfinite(m)}  # the numeric block in one pass: each median had been computed twice, column by column

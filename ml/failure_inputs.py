"""The failure model's input table: the chosen columns under LightGBM-safe names, with dates, yes/no words and
numbers written as text ('47.0%', '$1,200', '12,7 %') turned into numbers the trees can split on."""
from __future__ import annotations

import re

import pandas as pd

from ml.failure import NO_FAILURE_WORDS, lightgbm_safe_names
from ml.numbers import to_numeric


def model_frame(data: pd.DataFrame, features: list[str]) -> pd.DataFrame:
    """Model input: the chosen columns under LightGBM-safe names (the original names are shown to users), sharing
    the table's data: a selection and a copy of it held three copies at once (2.1 GB on 1.5 million readings), and
    the model copies only the rows it fits on or scores. A column turned into numbers here is a new one."""
    X = pd.DataFrame(dict(zip(lightgbm_safe_names(features).values(), (data[c] for c in features))), copy=False)
    for column in X.columns:  # datetimes become numbers (days since epoch) for the trees
        if pd.api.types.is_datetime64_any_dtype(X[column]):
            X[column] = (X[column] - pd.Timestamp("1970-01-01")).dt.days.astype(float)
        elif X[column].dtype == object or pd.api.types.is_string_dtype(X[column]):
            X[column] = _flags_in_text(X[column])
            X[column] = _numbers_in_text(X[column])
    return X


def shared_columns(X: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """``X[columns]`` sharing X's data rather than copying it (the readings-alone model's columns of 1.5 million
    readings: 0.2 GB a copy)."""
    return pd.DataFrame({c: X[c] for c in columns}, copy=False)


def labelled_rows(frame: pd.DataFrame, target: str) -> pd.DataFrame:
    """The rows with a label, numbered from 0, as a new frame sharing the columns' data (a copy of 1.5 million
    readings was 0.3 GB): a column set on it replaces the shared one, and the frame given keeps its own."""
    known = frame[target].notna()
    labelled = (frame if known.all() else frame[known]).copy(deep=False)
    labelled.index = pd.RangeIndex(len(labelled))
    return labelled


CALM_WORDS = {*NO_FAILURE_WORDS, "0", "no", "n", "false", "f", "ok", "normal", "healthy", "pass"}
BLANK_SHARE = 0.5  # a label column empty on at least this share of the rows is a failure log joined to readings
NO_FAILURE = "no failure"


def blanks_as_no_failure(target: pd.Series) -> pd.Series | None:
    """The label with its empty cells read as no failure, when the file says so:
    - its no-failure value is a word for none ('none', 'no failure' …; Azure's failure column) and no other calm
      value is written: an empty cell says "no failure" as 'none' does, and is read as that word;
    - most rows are empty and the filled cells name failures (Azure's failure log joined to hourly telemetry:
      'comp1' … 'comp4' on the failure hours, blank otherwise; a 'yes' or 1 marked only on failures), none of them
      a calm value such as 0, no or none: read as 'no failure'.
    Else None: a blank in a 0/1, yes/no or ok/failed label is a reading without a label."""
    if pd.api.types.is_numeric_dtype(target) and target.notna().all():  # no blank to read (no text to write out)
        return None
    text = target.astype("string").str.strip()
    blank = (text.isna() | text.eq("").fillna(True)).astype(bool)
    filled = text[~blank]
    if filled.empty or not blank.any():
        return None
    lowered = filled.str.lower()
    nones = filled[lowered.isin(NO_FAILURE_WORDS)]
    if len(nones) and not lowered[~lowered.isin(NO_FAILURE_WORDS)].isin(CALM_WORDS).any():
        return target.where(~blank.to_numpy(), nones.value_counts().index[0])  # as the file writes it: 'none'
    if blank.mean() < BLANK_SHARE or lowered.isin(CALM_WORDS).any():
        return None
    worded = to_numeric(filled, errors="coerce").isna().mean() > 0.5
    if not worded and filled.nunique() > 1:
        return None
    return target.where(~blank.to_numpy(), NO_FAILURE)


FLAG_WORDS = {"true": 1.0, "false": 0.0, "yes": 1.0, "no": 0.0}


def _flags_in_text(values: pd.Series) -> pd.Series:
    """A True/False column with one odd cell ("maybe") arrives as text: its True/False cells stay 1/0 and
    only the odd one is missing, rather than the whole column."""
    present = values.dropna()
    words = present.astype(str).str.strip().str.lower()
    if present.empty or words.isin(list(FLAG_WORDS)).mean() < 0.9:
        return values
    return values.astype(str).str.strip().str.lower().map(FLAG_WORDS).where(values.notna())


def _numbers_in_text(values: pd.Series) -> pd.Series:
    """Text such as '47.0%', '$1,200' or '12,7 %' becomes numbers when nearly every cell reads as one (the
    finance desk's reader); other text stays text, a category."""
    from ml.credit_features import NUMERIC_TEXT_SHARE, parse_numeric_text, writes_decimal_comma

    present = values.dropna()
    if present.empty:
        return values
    parsed = parse_numeric_text(values, decimal_comma=writes_decimal_comma(present))
    return parsed if parsed[present.index].notna().mean() >= NUMERIC_TEXT_SHARE else values


# A label value naming the machine's state after a failure: a pump's RECOVERING (14,477 readings of Kaggle's
# pump_sensor.csv, against 7 BROKEN), under repair, being restarted. Such readings are neither healthy nor failing.
# Not a value asking for work ('repair needed', 'needs maintenance'): that one may be the failure.
AFTER_FAILURE = re.compile(r"(?i)recover|repairing|(under|in) (repair|maintenance)|^maintenance$|restor|downtime"
                           r"|restart")


def after_failure_values(target: pd.Series, positive: str | None = None) -> list[str]:
    """The values of a label of three or more that name the state after a failure, unless --positive names them
    (as written in the file, stripped); at least two other values must be left (a failure and a healthy one)."""
    present = target.dropna()
    if pd.api.types.is_numeric_dtype(present):  # each number written once, not every reading (1.5 million)
        present = pd.Series(pd.unique(present))
    distinct = pd.unique(present.map(str).str.strip())
    named = {p.strip().casefold() for p in str(positive or "").split(",")} | {str(positive or "").strip().casefold()}
    found = [d for d in distinct if AFTER_FAILURE.search(d) and d.casefold() not in named]
    return found if len(distinct) >= 3 and len(distinct) - len(found) >= 2 else []

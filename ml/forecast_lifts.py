"""Driver columns of codes (a holiday's name, Rossmann's StateHoliday 0/a/b/c) enter the trees as each code's past
lift, not as its number.

A code's number is arbitrary (the codes follow in alphabetical order), yet a tree reads it as a quantity: to set
one festival apart it needs two splits around its number, and one split sends festivals of unlike lift, next to
each other in the alphabet, into one leaf. A festival seen on two or three past dates has too few rows for those
splits (on a generated file of 12 festivals, each on one date a year, LightGBM's forecast of the festival days was
11 % below their expected demand; now 2 %). Read as its lift (how far above its series' usual level the code's dates
sold), every code is one number on one scale: festivals of like lift share leaves, however rarely each was seen,
and renumbering the codes changes nothing.

The lift of a training row leaves its own date out, so a code seen on one date teaches the trees nothing they
could not know at forecast time; the lift of a date to forecast is read from every past date of its code.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

ID, DS, Y = "unique_id", "ds", "y"
LEVEL_WINDOW = 4  # same-season periods (same weekdays for daily data) each side of a row: its series' usual level
PRIOR_DATES = 1  # a code's lift is shrunk towards 0 (no lift) by this many dates of no lift


def date_lifts(history: pd.DataFrame, columns: tuple[str, ...], freq: str) -> dict[str, pd.DataFrame]:
    """Per column: each (code, date)'s mean lift over the series, the log1p of sales less their usual level (the
    median of the 4 same-season periods each side: same weekdays in daily data). The column's most common code is
    the ordinary day, its lift 0 by definition. Gaps left missing (``imputed``) are no sales reading."""
    if not columns:
        return {}
    ordered = history.sort_values([ID, DS], kind="stable")
    logged = np.log1p(np.clip(ordered[Y].to_numpy(float), 0, None))
    position = ordered.groupby(ID, sort=False).cumcount().to_numpy()
    length = ordered.groupby(ID, sort=False)[DS].transform("size").to_numpy()
    kept = ~ordered["imputed"].to_numpy(bool) if "imputed" in ordered.columns else np.ones(len(ordered), bool)
    step = 7 if freq == "D" else 1  # the grid has every period of a series, so a week back is 7 rows back
    out = {}
    for column in columns:
        codes = ordered[column].to_numpy(float)
        usual = pd.Series(codes).mode()
        rows = np.flatnonzero(kept & ~np.isnan(codes) & (codes != (usual.iloc[0] if len(usual) else np.nan)))
        lift = logged[rows] - _usual_level(logged, rows, position, length, step)
        frame = pd.DataFrame({"code": codes[rows], DS: ordered[DS].to_numpy()[rows], "lift": lift})
        out[column] = frame.dropna(subset=["lift"]).groupby(["code", DS], as_index=False)["lift"].mean()
    return out


def _usual_level(logged: np.ndarray, rows: np.ndarray, position: np.ndarray, length: np.ndarray,
                 step: int) -> np.ndarray:
    """The median of each row's same-season neighbours in its series, the row itself left out."""
    shifts = [step * k for k in range(-LEVEL_WINDOW, LEVEL_WINDOW + 1) if k]
    around = np.full((len(rows), len(shifts)), np.nan)
    for j, shift in enumerate(shifts):
        inside = (position[rows] + shift >= 0) & (position[rows] + shift < length[rows])
        around[inside, j] = logged[rows[inside] + shift]
    seen = ~np.isnan(around).all(axis=1)
    level = np.full(len(rows), np.nan)  # a series of one period has no usual level: its rows read no lift
    level[seen] = np.nanmedian(around[seen], axis=1)
    return level


def code_lifts(dates: pd.DataFrame) -> pd.Series:
    """Each code's lift over all its dates, shrunk towards 0 by ``PRIOR_DATES``."""
    grouped = dates.groupby("code")["lift"]
    return grouped.sum() / (grouped.count() + PRIOR_DATES)


def training_lifts(values: pd.Series, ds: pd.Series, dates: pd.DataFrame) -> np.ndarray:
    """Each training row's code lift without its own date (0 for a code seen on that date only)."""
    grouped = dates.groupby("code")["lift"]
    total, count = grouped.sum(), grouped.count()
    own = dates.set_index(["code", DS])["lift"]
    keys = pd.MultiIndex.from_arrays([values.to_numpy(float), pd.to_datetime(ds).to_numpy()])
    own_lift = own.reindex(keys).fillna(0.0).to_numpy()
    own_seen = own.reindex(keys).notna().to_numpy()
    rest = values.map(total).fillna(0.0).to_numpy() - own_lift
    dates_left = values.map(count).fillna(0).to_numpy() - own_seen
    return rest / (dates_left + PRIOR_DATES)


def forecast_lifts(values: pd.Series, lifts: pd.Series) -> np.ndarray:
    """A code's lift on the dates to forecast; a code no past date held has none (0)."""
    return values.map(lifts).fillna(0.0).to_numpy(float)

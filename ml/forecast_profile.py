"""Seasonal-index forecaster: each series' recent level times a weekday and month-of-year pattern that
all series share (classical multiplicative decomposition, pooled across series).

Retail series of one chain usually move together: the same weekdays are busy, the same months are high.
Pooled over hundreds of series those indices are measured almost without noise, where one series'
lags carry its own counting noise. The model is one of the candidates backtested next to LightGBM and
the naive baselines; it becomes the champion only where it wins the backtest.

- Weekday index (daily data): each value over its series' centred 7-day mean, pooled by weekday.
- Month index: each month's mean over its calendar year's mean, from (series, year) pairs that cover
  the whole year, pooled; 1 for every month when no year is complete.
- Level: the series' deseasonalised mean over the last year (its share of the business), times the
  pooled growth of the last quarter over that year, so a rising business is not forecast at last
  year's average.

Sales must be non-negative (indices are ratios); imputed periods are left out of every estimate.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ml.forecast_calendar import YEAR_LENGTH

ID, DS, Y = "unique_id", "ds", "y"
SEASONAL_INDEX = "seasonal_index"
WEEK = 7
# The recent level is read over about a quarter (13 weeks), the series' share over a year.
LEVEL_WINDOW = {"D": 91, "W": 13, "M": 3}
# A (series, calendar year) pair counts towards the month index when it has this many observed periods.
FULL_YEAR = {"D": 360, "W": 50, "M": 12}


def seasonal_index_forecast(history: pd.DataFrame, freq: str, pandas_freq: str, horizon: int) -> pd.DataFrame:
    """unique_id, ds, yhat for ``horizon`` periods after the table's last date (every series)."""
    frame = _observed(history)
    weekday = _weekday_index(frame) if freq == "D" else pd.Series(1.0, index=range(WEEK))
    frame["adjusted"] = frame[Y] / frame[DS].dt.dayofweek.map(weekday).to_numpy()
    month = _month_index(frame, freq)
    frame["level"] = frame["adjusted"] / frame[DS].dt.month.map(month).to_numpy()
    level = _recent_level(frame, freq)
    last = history[DS].max()
    dates = pd.date_range(last, periods=horizon + 1, freq=pandas_freq)[1:]
    ids = history[ID].unique()
    factor = dates.dayofweek.map(weekday).to_numpy(float) * dates.month.map(month).to_numpy(float)
    values = np.outer(level.reindex(ids).to_numpy(float), factor)
    return pd.DataFrame({ID: np.repeat(ids, horizon), DS: np.tile(dates, len(ids)),
                         "yhat": np.nan_to_num(values.ravel(), nan=0.0)})


def _observed(history: pd.DataFrame) -> pd.DataFrame:
    frame = history[[ID, DS, Y]].copy()
    frame[Y] = frame[Y].astype(float).clip(lower=0)
    if "imputed" in history.columns:
        frame.loc[history["imputed"].to_numpy(bool), Y] = np.nan
    return frame.sort_values([ID, DS], kind="stable").reset_index(drop=True)


def _weekday_index(frame: pd.DataFrame) -> pd.Series:
    """Σ value / Σ centred weekly mean per weekday, over all series (volume-weighted); mean 1."""
    # One rolling pass over the sorted table; a window that reaches into a neighbouring series is dropped.
    centred = frame[Y].rolling(WEEK, center=True, min_periods=WEEK).mean()
    ids = frame[ID].to_numpy()
    half = WEEK // 2
    inside = np.zeros(len(frame), dtype=bool)
    if len(frame) > 2 * half:
        inside[half:-half] = (ids[:-2 * half] == ids[half:-half]) & (ids[2 * half:] == ids[half:-half])
    centred = centred.where(inside)
    usable = centred.notna() & frame[Y].notna()
    day = frame[DS].dt.dayofweek
    ratio = frame[Y][usable].groupby(day[usable]).sum() / centred[usable].groupby(day[usable]).sum()
    return _normalised(ratio.reindex(range(WEEK)), range(WEEK))


def _month_index(frame: pd.DataFrame, freq: str) -> pd.Series:
    """Σ month mean / Σ year mean over complete (series, calendar year) pairs; mean 1."""
    parts = frame.assign(year=frame[DS].dt.year, month=frame[DS].dt.month).dropna(subset=["adjusted"])
    counts = parts.groupby([ID, "year"], sort=False)["adjusted"].transform("size")
    months = parts.groupby([ID, "year"], sort=False)["month"].transform("nunique")
    full = parts[(counts >= FULL_YEAR[freq]) & (months == 12)]
    if full.empty:
        return pd.Series(1.0, index=range(1, 13))
    by_month = full.groupby([ID, "year", "month"], sort=False)["adjusted"].mean()
    by_year = full.groupby([ID, "year"], sort=False)["adjusted"].mean()
    ratio = by_month.groupby(level="month").sum() / by_year.sum()
    return _normalised(ratio.reindex(range(1, 13)), range(1, 13))


def _normalised(ratio: pd.Series, index: range) -> pd.Series:
    """Indices averaging 1; a missing or unusable index (no sales at all) is 1."""
    ratio = ratio.replace([np.inf, -np.inf], np.nan)
    if ratio.isna().all() or not (ratio.dropna() > 0).all():
        return pd.Series(1.0, index=index)
    ratio = ratio.fillna(ratio.mean())
    return ratio / ratio.mean()


def _recent_level(frame: pd.DataFrame, freq: str) -> pd.Series:
    """Per series: deseasonalised mean over the last year × the pooled last-quarter / last-year growth."""
    order = frame[DS].rank(method="dense", ascending=False) - 1  # periods before the last date
    year = frame[order < YEAR_LENGTH[freq]]
    quarter = frame[order < LEVEL_WINDOW[freq]]
    yearly = year.groupby(ID, sort=False)["level"].mean()
    recent = quarter.groupby(ID, sort=False)["level"].mean()
    # Growth from series observed over the whole year (a new item's launch is not growth).
    seen = year.groupby(ID, sort=False)["level"].count()
    steady = seen.index[(seen >= 0.9 * min(YEAR_LENGTH[freq], order.max() + 1)) & recent.reindex(seen.index).notna()]
    base = float(yearly.reindex(steady).sum())
    growth = float(recent.reindex(steady).sum()) / base if base > 0 else 1.0
    level = yearly * (growth if np.isfinite(growth) and growth > 0 else 1.0)
    fallback = frame.groupby(ID, sort=False)["level"].mean()
    return level.reindex(fallback.index).fillna(fallback)

"""Forecast feature values read back in the units a planner knows.

The LightGBM model sees each series' sales standardised (and first put on a log1p scale for non-negative
sales): lag 7 of a store selling 45 a day reads -2.95. A lag is one period's sales, so the inverse gives it
back exactly; a rolling mean of log sales reads back as a geometric-type mean (a little below the plain mean
when sales vary). Calendar parts are numbers to the model (day of week 0) and names to a planner (Monday).
"""
from __future__ import annotations

import calendar
import re

import numpy as np
import pandas as pd

SCALE_MEAN, SCALE_STD = "scale_mean", "scale_std"  # each series' standardisation, kept beside its feature rows
# Features built from the target: a lag, or a mean of lags (rolling, same-season, expanding).
_FROM_TARGET = re.compile(r"^(lag\d+|(rolling|seasonal_rolling|expanding)_mean_lag\d+.*)$")
WEEKDAYS = tuple(calendar.day_name)          # Monday … Sunday, as pandas numbers them (0 = Monday)
MONTHS = ("",) + tuple(calendar.month_name[1:])


def from_target(name: str) -> bool:
    """Whether a feature is sales (a lag or a mean of lags), so that it reads back in sales units."""
    return bool(_FROM_TARGET.match(str(name)))


def series_scales(forecaster) -> pd.DataFrame:
    """Per series (``unique_id``) the mean and standard deviation the model's scaler used (on the log1p scale
    when the target was log-transformed): what turns a feature row back into sales."""
    scaler = forecaster.ts.target_transforms[-1].scaler_
    stats = np.asarray(scaler.stats_, dtype=float)
    return pd.DataFrame({"unique_id": np.asarray(forecaster.ts.uids), SCALE_MEAN: stats[:, 0],
                         SCALE_STD: stats[:, 1]})


def scales_from_history(y: pd.Series, ids: pd.Series, transform: str) -> pd.DataFrame:
    """The same statistics measured on a stored history (runs kept before the scales were stored): equal to the
    model's where the history holds the periods the model learnt from (a gap filled for the model and blank
    in the history shifts them a little)."""
    values = pd.Series(_forward(y.to_numpy(float), transform), index=y.index)
    grouped = values.groupby(ids.to_numpy())
    return pd.DataFrame({"unique_id": grouped.mean().index.astype(str), SCALE_MEAN: grouped.mean().to_numpy(),
                         SCALE_STD: grouped.std(ddof=0).to_numpy()})


def _forward(y: np.ndarray, transform: str) -> np.ndarray:
    return np.sign(y) * np.log1p(np.abs(y)) if transform == "log1p" else y


def to_sales(value: float, mean: float, std: float, transform: str) -> float:
    """A standardised (log1p) value of a series back in sales."""
    z = value * (std if std > 0 else 1.0) + mean
    return float(np.sign(z) * np.expm1(abs(z))) if transform == "log1p" else float(z)


def readable(name: str, value, *, mean: float | None, std: float | None, transform: str) -> str:
    """One feature value as a planner reads it: sales rounded to 2 decimals, weekday and month names, other
    values as they are ('' for a blank: a lag longer than the series' history)."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    if from_target(name):
        if mean is None or std is None or not np.isfinite(mean):
            return f"{float(value):.2f} (standardised)"
        return f"{to_sales(float(value), mean, std, transform):.2f}"
    if name == "dayofweek" and float(value) in range(7):
        return WEEKDAYS[int(value)]
    if name == "month" and float(value) in range(1, 13):
        return MONTHS[int(value)]
    if isinstance(value, (float, np.floating)):
        return f"{value:g}" if float(value).is_integer() else f"{value:.2f}"
    return str(value)

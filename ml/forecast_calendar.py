"""Frequency conventions of the forecasters: season lengths, lag candidates, history needed.

Kept apart so the preparation, the models and the tests agree on one table of numbers.
"""
from __future__ import annotations

FREQUENCIES = ("D", "W", "M", "Q")
# One season per frequency: a week of days, a year of weeks, of months, of quarters.
SEASON_LENGTH = {"D": 7, "W": 52, "M": 12, "Q": 4}
# One year per frequency, weekday-aligned for days (52 weeks = 364 days). Where it differs from the season
# (daily data) and the history holds two years, a same-period-last-year naive is backtested too.
YEAR_LENGTH = {"D": 364, "W": 52, "M": 12, "Q": 4}
# Lag candidates per frequency; the model keeps those at or beyond its minimum lag.
LAG_CANDIDATES = {"D": (1, 7, 14, 28, 91, 98, 182, 364), "W": (1, 2, 4, 8, 13, 26, 52), "M": (1, 2, 3, 6, 12),
                  "Q": (1, 2, 3, 4, 8)}
# Up to this many steps ahead the model may use its own predictions (recursive); beyond, lags ≥ horizon.
RECURSIVE_MAX_STEPS = {"D": 14, "W": 8, "M": 6, "Q": 8}
# Quarters: a year, so the moving average is not a level that one season's peak lifts.
MOVING_AVERAGE_WINDOW = {"D": 28, "W": 8, "M": 3, "Q": 4}
# Quarterly series are short: a lag (or rolling mean) is used only when it leaves this many more periods of
# training rows (lag 8 on 12 quarters left 4 rows a series; revenue by segment: LightGBM WAPE 14.2 -> 8.2).
LAG_ROOM = {"Q": 4}
# Fewer points than this (or than three horizons) and a series is forecast by a baseline, not the model.
# Quarterly series are short (20-80 quarters): three years, so that the yearly lag has two years behind it.
MIN_HISTORY_POINTS = {"D": 56, "W": 26, "M": 24, "Q": 12}


def minimum_history(freq: str, horizon: int) -> int:
    """Points a series needs for the global model: eight weeks, half a year, two or three years, and three horizons
    (one to learn from, one to backtest, one to forecast); the model learns seasons from the longer series."""
    return max(MIN_HISTORY_POINTS[freq], 3 * horizon)


def model_lags(freq: str, horizon: int, history: int) -> tuple[int, ...]:
    """Lags scaled to the frequency; past the recursive limit only lags ≥ horizon (no error feedback)."""
    minimum = 1 if horizon <= RECURSIVE_MAX_STEPS[freq] else horizon
    longest = max(history - horizon - LAG_ROOM.get(freq, 0), 1)
    usable = [lag for lag in LAG_CANDIDATES[freq] if minimum <= lag <= longest]
    if not usable or usable[0] != minimum:
        usable.insert(0, minimum)
    return tuple(usable)

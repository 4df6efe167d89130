"""The baselines every forecaster must beat on the backtest: seasonal naive (a season or a year back), the
seasonal-index model and a moving average, and the future dates they and LightGBM forecast."""
from __future__ import annotations

import numpy as np
import pandas as pd

from ml.forecast_calendar import MOVING_AVERAGE_WINDOW, SEASON_LENGTH, YEAR_LENGTH
from ml.forecast_columns import DS, ID, Y
from ml.forecast_gaps import FILLED, skip_year_old_gaps
from ml.forecast_profile import SEASONAL_INDEX, seasonal_index_forecast

SEASONAL_NAIVE, MOVING_AVERAGE = "seasonal_naive", "moving_average"
YEARLY_NAIVE = "seasonal_naive_yearly"
BASELINES = (SEASONAL_NAIVE, MOVING_AVERAGE)           # always backtested; short series use the better one
ALL_BASELINES = (SEASONAL_NAIVE, YEARLY_NAIVE, SEASONAL_INDEX, MOVING_AVERAGE)


def future_dates(history: pd.DataFrame, pandas_freq: str, horizon: int) -> pd.DataFrame:
    """Every series gets the same future dates: the steps after the table's last date."""
    last = history[DS].max()
    dates = pd.date_range(last, periods=horizon + 1, freq=pandas_freq)[1:]
    ids = history[ID].unique()
    return pd.DataFrame({ID: np.repeat(ids, horizon), DS: np.tile(dates, len(ids)),
                         "step": np.tile(np.arange(1, horizon + 1), len(ids))})


def baselines_for(freq: str, history: int, *, log_scale: bool = False, latest: int = 0) -> tuple[str, ...]:
    """The candidates next to LightGBM: seasonal naive and moving average always. For sales that are non-negative
    but for rare returns, the seasonal-index model (it reads returns as no sale) from over a year of history before
    the first backtest window (``history``), or before the last third of them (``latest``: it is then backtested
    on the windows that have it, ``has_a_year``). With two years (a full calendar year to learn from, wherever the data
    starts), same-period-last-year naive for daily data (weekly, monthly and quarterly seasonal naive already look a
    year back)."""
    if history < 2 * YEAR_LENGTH[freq]:  # over a year: its trend is read from the periods seen in both years
        short = log_scale and max(history, latest) > YEAR_LENGTH[freq]
        return (SEASONAL_NAIVE, SEASONAL_INDEX, MOVING_AVERAGE) if short else BASELINES
    yearly = (YEARLY_NAIVE,) if YEAR_LENGTH[freq] != SEASON_LENGTH[freq] else ()
    index = (SEASONAL_INDEX,) if log_scale else ()
    return (SEASONAL_NAIVE, *yearly, *index, MOVING_AVERAGE)


def has_a_year(name: str, history: pd.DataFrame, freq: str) -> bool:
    """Whether ``name`` can forecast from ``history``: the seasonal index needs a period seen twice in its longest
    series (over a year of rows) to read a growth; the other baselines forecast from any history."""
    return name != SEASONAL_INDEX or int(history.groupby(ID, sort=False).size().max()) > YEAR_LENGTH[freq]


def seasonal_naive(history: pd.DataFrame, freq: str, pandas_freq: str, horizon: int, *,
                   season: int | None = None) -> pd.DataFrame:
    """The value one season earlier (a plain last value when the history is shorter than a season)."""
    frame = future_dates(history, pandas_freq, horizon)
    ordered = history.sort_values([ID, DS]).groupby(ID, sort=False)
    values = ordered[Y].apply(lambda s: s.to_numpy(float))
    filled = ordered[FILLED].apply(lambda s: s.to_numpy(bool)) if FILLED in history.columns else None
    season = season or SEASON_LENGTH[freq]
    stood_in: list[str] = []

    def path(sid: str, y: np.ndarray) -> np.ndarray:
        m = season if len(y) >= season else (SEASON_LENGTH[freq] if len(y) >= SEASON_LENGTH[freq] else 1)
        tail = y[-m:]
        if not len(tail):
            return np.full(horizon, np.nan)
        out, moved = skip_year_old_gaps(y, filled[sid] if filled is not None else None, np.resize(tail, horizon),
                                        freq, m)
        stood_in.extend([sid] if moved else [])
        return out

    frame["yhat"] = np.concatenate([path(i, values[i]) for i in frame[ID].unique()])
    frame = frame.drop(columns="step")
    frame.attrs["year_old_gaps"] = stood_in  # series whose year-back periods were a one-off closure
    return frame


def yearly_naive(history: pd.DataFrame, freq: str, pandas_freq: str, horizon: int) -> pd.DataFrame:
    """Same period last year: 364 days back for daily data (weekdays stay aligned), 52 weeks, 12 months, 4 quarters."""
    return seasonal_naive(history, freq, pandas_freq, horizon, season=YEAR_LENGTH[freq])


def moving_average(history: pd.DataFrame, freq: str, pandas_freq: str, horizon: int) -> pd.DataFrame:
    """The mean of the last window (28 days, 8 weeks, 3 months or 4 quarters), flat over the horizon."""
    frame = future_dates(history, pandas_freq, horizon)
    window = MOVING_AVERAGE_WINDOW[freq]
    level = history.sort_values([ID, DS]).groupby(ID, sort=False)[Y].apply(
        lambda s: float(np.nanmean(s.to_numpy()[-window:])))
    frame["yhat"] = frame[ID].map(level).to_numpy(float)
    return frame.drop(columns="step")


def baseline(name: str, history: pd.DataFrame, freq: str, pandas_freq: str, horizon: int) -> pd.DataFrame:
    forecaster = {SEASONAL_NAIVE: seasonal_naive, YEARLY_NAIVE: yearly_naive, MOVING_AVERAGE: moving_average,
                  SEASONAL_INDEX: seasonal_index_forecast}[name]
    return forecaster(history, freq, pandas_freq, horizon)

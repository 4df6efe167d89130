"""Seasonal-index forecaster: each series' recent level times a weekday and time-of-year pattern that
all series share (classical multiplicative decomposition, pooled across series).

Retail series of one chain usually move together: the same weekdays are busy, the same months are high.
Pooled over hundreds of series those indices are measured almost without noise, where one series'
lags carry its own counting noise. The model is one of the candidates backtested next to LightGBM and
the naive baselines; it becomes the champion only where it wins the backtest.

- Weekday index (daily data): each value over its series' centred 7-day mean, pooled by weekday.
- Time-of-year index: month for daily and monthly data, ISO week for weekly data (a holiday week keeps
  its own peak), quarter for quarterly data. Each weekday-adjusted value over its series' centred one-year
  moving average (2×m classical decomposition), pooled: the trend is removed first, so a growing business
  does not read as a low January and a high December (under two years of dates, where that mean leaves months
  unmeasured, the trend is read from the periods seen in both years: ``ml.forecast_short_year``). Gaps only thin
  the averages out.
- An index may be 0 (a weekday or month with no sales in any series: closed on Sundays); one that cannot
  be measured is 1, and an unseen ISO week 53 takes week 1's (it holds the days week 1 holds in most years).
- Level: the series' deseasonalised mean over the last year (its share of the business) times the pooled
  growth of the last quarter over that year (from series that sold all year, less the tenth that rose or
  fell most). Where the series' own last quarter departs from that by more than its noise explains
  (launched, diverging), its own last-quarter level and growth take over. Rows before a series' first
  sale are not observations; a series that stopped selling (``_stopped``) is forecast at 0.
- Trend: none, half or all of the growth rate, carried forward from mid-quarter; chosen on the table's
  last horizon.

Sales must be non-negative (indices are ratios); imputed periods are left out of every estimate. A
holiday that moves between ISO weeks (Thanksgiving, Christmas in week 51 or 52) is split between them.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ml.forecast_calendar import YEAR_LENGTH
from ml.forecast_short_year import short_year_ratio
from ml.forecast_steps import supported_growth

ID, DS, Y = "unique_id", "ds", "y"
SEASONAL_INDEX = "seasonal_index"
WEEK = 7
# The recent level is read over about a quarter (13 weeks), the series' share over a year; over two quarters
# for quarterly data, where one quarter is a single noisy reading (revenue by segment: WAPE 8.5 -> 6.7,
# bias -6.8 -> -1.5 %).
LEVEL_WINDOW = {"D": 91, "W": 13, "M": 3, "Q": 2}
# Between these z-scores of (own last quarter − pooled expectation) the series' own level phases in.
OWN_LEVEL_Z = (2.0, 4.0)
PARTS = {"D": range(1, 13), "W": range(1, 54), "M": range(1, 13), "Q": range(1, 5)}
# A series stopped selling when its periods since its last sale are at least this many and would be this
# unlikely at its earlier rate of sale occasions: it is forecast at 0.
MIN_STOP_RUN = {"D": 14, "W": 4, "M": 2, "Q": 2}
STOP_CHANCE = 1e-3
MIN_OCCASIONS = 5


# Share of the measured growth carried forward: none (level only), half (damped) or all (linear in logs),
# chosen per table on its last horizon, as exponential smoothing chooses between its trend forms.
TREND_SHARES = (0.0, 0.5, 1.0)


@dataclass(frozen=True)
class Decomposition:
    weekday: pd.Series      # weekday -> index (all 1 for weekly and monthly data)
    yearly: pd.Series       # month or ISO week -> index
    level: pd.Series        # series -> deseasonalised level, mid-quarter
    growth: pd.Series       # series -> last-quarter / last-year level: the chain's, or its own where it departs
    stopped: frozenset = frozenset()  # series that stopped selling (forecast at 0)


def seasonal_index_forecast(history: pd.DataFrame, freq: str, pandas_freq: str, horizon: int) -> pd.DataFrame:
    """unique_id, ds, yhat for ``horizon`` periods after the table's last date (every series)."""
    frame = _observed(history)
    share = _trend_share(frame, freq, horizon)
    dates = pd.date_range(history[DS].max(), periods=horizon + 1, freq=pandas_freq)[1:]
    return _forecast(decompose(frame, freq), history[ID].unique(), dates, freq, share)


def decompose(frame: pd.DataFrame, freq: str) -> Decomposition:
    frame = frame.copy()
    weekday = _weekday_index(frame) if freq == "D" else pd.Series(1.0, index=range(WEEK))
    frame["adjusted"] = _divide(frame[Y], frame[DS].dt.dayofweek.map(weekday))
    yearly = _year_index(frame, freq)
    frame["factor"] = (frame[DS].dt.dayofweek.map(weekday).to_numpy(float)
                       * _year_part(frame[DS], freq).map(yearly).to_numpy(float))
    frame["level"] = _divide(frame[Y], frame["factor"])
    stopped = _stopped(frame, freq)
    level, growth = _recent_level(frame, freq, stopped)
    level = level.where(~stopped.reindex(level.index, fill_value=False), 0.0)
    return Decomposition(weekday, yearly, level, growth, frozenset(stopped.index[stopped.to_numpy(bool)]))


def _forecast(fit: Decomposition, ids: np.ndarray, dates: pd.DatetimeIndex, freq: str, share: float) -> pd.DataFrame:
    # The level sits mid-quarter; a share of the growth carries it forward to each date (at most 2×).
    ahead = LEVEL_WINDOW[freq] / 2 + np.arange(1, len(dates) + 1)
    growth = fit.growth.reindex(ids).fillna(1.0).to_numpy(float)[:, None]
    trend = np.clip(growth ** (share * ahead / ((YEAR_LENGTH[freq] - LEVEL_WINDOW[freq]) / 2))[None, :], 0.5, 2.0)
    season = (dates.dayofweek.map(fit.weekday).to_numpy(float)
              * _year_part(pd.Series(dates), freq).map(fit.yearly).to_numpy(float))
    values = fit.level.reindex(ids).to_numpy(float)[:, None] * season[None, :] * trend
    return pd.DataFrame({ID: np.repeat(ids, len(dates)), DS: np.tile(dates, len(ids)),
                         "yhat": np.nan_to_num(values.ravel(), nan=0.0)})


def _trend_share(frame: pd.DataFrame, freq: str, horizon: int) -> float:
    """The trend share with the lowest absolute error on the table's last ``horizon`` periods, forecast from
    the periods before them (damped when the history is too short to hold them out)."""
    dates = np.sort(frame[DS].unique())
    if len(dates) < 2 * YEAR_LENGTH[freq] + horizon:
        return 0.5
    cut = dates[-horizon - 1]
    head, tail = frame[frame[DS] <= cut], frame[(frame[DS] > cut) & frame[Y].notna()]
    fit = decompose(head.assign(length=head.groupby(ID, sort=False)[DS].transform("size")), freq)
    future = pd.DatetimeIndex(dates[-horizon:])
    errors = []
    for share in TREND_SHARES:
        scored = tail.merge(_forecast(fit, head[ID].unique(), future, freq, share), on=[ID, DS])
        errors.append(float((scored[Y] - scored["yhat"]).abs().sum()))
    return TREND_SHARES[int(np.argmin(errors))]


def _observed(history: pd.DataFrame) -> pd.DataFrame:
    frame = history[[ID, DS, Y]].copy()
    frame[Y] = frame[Y].astype(float).clip(lower=0)
    if "imputed" in history.columns:
        frame.loc[history["imputed"].to_numpy(bool), Y] = np.nan
    frame = frame.sort_values([ID, DS], kind="stable").reset_index(drop=True)
    # Before a series' first sale (zero rows an export pads a new item with) nothing about it is observed.
    started = (frame[Y] > 0).groupby(frame[ID], sort=False).cummax()
    frame.loc[~started.to_numpy(bool), Y] = np.nan
    frame["position"] = frame.groupby(ID, sort=False).cumcount()
    frame["length"] = frame.groupby(ID, sort=False)[DS].transform("size")
    return frame


def _divide(values: pd.Series, index: pd.Series) -> pd.Series:
    """Deseasonalised values; undefined where the index is 0 (a closed day says nothing about the level)."""
    index = index.to_numpy(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.where(index > 0, values.to_numpy(float) / index, np.nan)
    return pd.Series(out, index=values.index)


def _year_part(dates: pd.Series, freq: str) -> pd.Series:
    if freq == "Q":
        return dates.dt.quarter
    return dates.dt.isocalendar().week.astype(int) if freq == "W" else dates.dt.month


def _centred_mean(frame: pd.DataFrame, column: str, window: int) -> pd.Series:
    """Per series, the centred moving average over ``window`` periods (2×m for an even m: half weights at
    the ends); blank where the window leaves the series or where more than a fifth of it is missing."""
    values = frame[column]
    trailing = values.rolling(window, min_periods=max(1, int(0.8 * window))).mean()
    if window % 2:
        centred, half = trailing.shift(-(window // 2)), window // 2
    else:
        half = window // 2
        centred = 0.5 * (trailing.shift(-(half - 1)) + trailing.shift(-half))
    inside = (frame["position"] >= half) & (frame["position"] <= frame["length"] - 1 - half)
    return centred.where(inside)


def _weekday_index(frame: pd.DataFrame) -> pd.Series:
    """Σ value / Σ centred weekly mean per weekday, over all series (volume-weighted); mean 1."""
    centred = _centred_mean(frame, Y, WEEK)
    usable = centred.notna() & frame[Y].notna()
    day = frame[DS].dt.dayofweek
    ratio = frame[Y][usable].groupby(day[usable]).sum() / centred[usable].groupby(day[usable]).sum()
    return _normalised(ratio, range(WEEK))


def _year_index(frame: pd.DataFrame, freq: str) -> pd.Series:
    """Σ adjusted value / Σ centred one-year mean per month (or ISO week), over all series; mean 1. With less
    than two years of dates that mean leaves parts of the year unmeasured: the trend is read from the periods
    seen in both years instead (``ml.forecast_short_year``)."""
    part = _year_part(frame[DS], freq)
    if frame[DS].nunique() < 2 * YEAR_LENGTH[freq]:
        ratio = short_year_ratio(frame, part, freq)
    else:
        centred = _centred_mean(frame, "adjusted", YEAR_LENGTH[freq])
        usable = centred.notna() & frame["adjusted"].notna()
        ratio = frame["adjusted"][usable].groupby(part[usable]).sum() / centred[usable].groupby(part[usable]).sum()
    index = _normalised(ratio, PARTS[freq])
    if freq == "W" and pd.isna(ratio.get(53)):  # ISO week 53 (every 5-6 years) unseen: the days it holds
        index[53] = index[1]                     # (28 Dec - 3 Jan) fall in week 1 in most other years
    return index


def _normalised(ratio: pd.Series, index: range) -> pd.Series:
    """Indices averaging 1 over ``index``; one that could not be measured (no data, 0/0) is 1."""
    ratio = ratio.reindex(index).replace([np.inf, -np.inf], np.nan)
    known = ratio.dropna()
    if known.empty or known.sum() <= 0:
        return pd.Series(1.0, index=index)
    ratio = ratio / known.mean()
    return ratio.fillna(1.0)


def _recent_level(frame: pd.DataFrame, freq: str, stopped: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Per series: its last-year level × the pooled last-quarter growth, or its own last-quarter level
    where that departs from the pooled expectation by more than its noise explains."""
    order = frame[DS].rank(method="dense", ascending=False) - 1  # periods before the last date
    year = frame[order < YEAR_LENGTH[freq]]
    quarter = frame[order < LEVEL_WINDOW[freq]]
    yearly = year.groupby(ID, sort=False)["level"].mean()
    recent = quarter.groupby(ID, sort=False)["level"].agg(["mean", "std", "count"])
    # Growth from series observed over the whole year (a launch is not growth), still selling, and not among
    # the tenth that rose or fell most (one item's delisting or promotion is not the chain's trend).
    seen = year.groupby(ID, sort=False)["level"].count()
    ratio = recent["mean"].reindex(seen.index) / yearly.reindex(seen.index)
    steady = seen.index[(seen >= 0.9 * min(YEAR_LENGTH[freq], order.max() + 1)).to_numpy()
                        & ratio.notna().to_numpy() & ~stopped.reindex(seen.index, fill_value=False).to_numpy()]
    if len(steady) >= 10:
        low, high = ratio[steady].quantile([0.1, 0.9])
        steady = steady[ratio[steady].between(low, high).to_numpy()]
    base = float(yearly.reindex(steady).sum())
    growth = float(recent["mean"].reindex(steady).sum()) / base if base > 0 else 1.0
    growth = growth if np.isfinite(growth) and growth > 0 else 1.0
    pooled = yearly * growth
    own = recent["mean"].reindex(pooled.index)
    noise = (recent["std"] / np.sqrt(recent["count"])).reindex(pooled.index)
    # A series whose quarter is flat at one value has no measured noise: count-like noise √level / √n.
    floor = np.sqrt(pooled.clip(lower=0) / recent["count"].reindex(pooled.index).clip(lower=1))
    with np.errstate(divide="ignore", invalid="ignore"):
        z = (own - pooled).abs() / np.maximum(noise.fillna(0).to_numpy(), floor.fillna(0).to_numpy())
    low, high = OWN_LEVEL_Z
    weight = ((z - low) / (high - low)).clip(0, 1).where(own.notna(), 0.0).fillna(1.0)
    level = (1 - weight) * pooled + weight * own.fillna(0.0)
    # A series on its own level grows at its own rate, not the chain's.
    own_growth = (own / yearly.reindex(own.index)).clip(0.5, 2.0).fillna(growth)
    # … as far as its last quarter's own slope bears it out: a step in level is not a trend (ml.forecast_steps).
    own_growth = supported_growth(quarter.assign(period=-order[quarter.index]), own_growth,
                                  (YEAR_LENGTH[freq] - LEVEL_WINDOW[freq]) / 2)
    growths = growth ** (1 - weight) * own_growth ** weight
    fallback = frame.groupby(ID, sort=False)["level"].mean()
    return level.reindex(fallback.index).fillna(fallback), growths.reindex(fallback.index).fillna(1.0)


def stopped_series(history: pd.DataFrame, freq: str) -> list[str]:
    """Series that stopped selling (see ``_stopped``)."""
    return sorted(decompose(_observed(history), freq).stopped)


def _stopped(frame: pd.DataFrame, freq: str) -> pd.Series:
    """Per series: whether it stopped selling. Its periods since its last sale must be at least
    ``MIN_STOP_RUN`` long and unlikely to be chance at its earlier rate of sale occasions (periods with a
    sale, so a case bought now and then counts once): (1 − rate)^run < ``STOP_CHANCE``. Periods the whole
    table sold nothing (a chain-wide closure) do not count. Where the history reaches a year before the
    run, a series that went quiet over the second half of those periods then (its season ended, even if
    a few weeks later than this year) has not stopped, and otherwise its rate over those periods is the
    one tested. At least ``MIN_OCCASIONS`` sales before the run."""
    open_days = frame.groupby(DS)[Y].transform("sum").to_numpy() > 0
    usable = frame[Y].notna().to_numpy() & open_days
    sold = frame[Y] > 0
    since_last = ~sold[::-1].groupby(frame[ID][::-1], sort=False).cummax()[::-1].to_numpy(bool)
    run = frame[since_last & usable]
    before = frame[~since_last & usable].groupby(ID, sort=False).tail(YEAR_LENGTH[freq])
    rate = (before[Y] > 0).groupby(before[ID], sort=False).mean()
    occasions = (before[Y] > 0).groupby(before[ID], sort=False).sum()
    rate = rate.where(occasions >= MIN_OCCASIONS, 0.0)  # one or two sales say nothing about a rate
    length = run.groupby(ID, sort=False).size()
    chance = (1.0 - rate.reindex(length.index).fillna(0.0)) ** length
    candidates = length.index[((length >= MIN_STOP_RUN[freq]) & (chance < STOP_CHANCE)).to_numpy()]
    rows = frame.groupby(ID, sort=False).indices
    runs = run.groupby(ID, sort=False)[DS].agg(["min", "max"])
    stopped = []
    for name in candidates:
        season = _a_year_before(frame.iloc[rows[name]], runs.loc[name, "min"], runs.loc[name, "max"], freq)
        if season is None or (season[1] < 0.5 and (1.0 - season[0]) ** length[name] < STOP_CHANCE):
            stopped.append(name)
    return pd.Series(True, index=pd.Index(stopped, dtype=object)).reindex(frame[ID].unique(), fill_value=False)


def _a_year_before(series: pd.DataFrame, first: pd.Timestamp, last: pd.Timestamp,
                   freq: str) -> tuple[float, float] | None:
    """One series over its run's periods a year earlier: (share of periods with a sale, share of them after
    its last sale there). None where those periods were not observed. A second share of half or more means
    it went quiet then too (its season ended, if later than this year): not a stop, at any frequency."""
    year = {"D": pd.DateOffset(days=YEAR_LENGTH["D"]), "W": pd.DateOffset(weeks=YEAR_LENGTH["W"]),
            "M": pd.DateOffset(months=12), "Q": pd.DateOffset(months=12)}[freq]
    same = series[series[DS].between(first - year, last - year) & series[Y].notna()]
    if same.empty:
        return None
    sold = (same[Y] > 0).to_numpy()
    quiet_tail = len(sold) - (int(np.flatnonzero(sold).max()) + 1 if sold.any() else 0)
    return float(sold.mean()), quiet_tail / len(sold)

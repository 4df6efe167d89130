"""Retail: what the desk changes after the champion is picked, each with a note a planner can read.

- A model far off total demand is not champion (``retail_backtest_notes.bias_notes`` says why another won).
- Slow sellers get their mean over the last year, shaped by the season ahead, not LightGBM's median (0 for a
  series that sells on fewer than half its periods).
- Series that stopped selling are forecast at 0 whatever the champion.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ml import forecast_backtest as backtest
from ml import forecast_models as models
from ml import forecast_profile as profile
from ml.forecast_calendar import MOVING_AVERAGE_WINDOW, YEAR_LENGTH
from ml.forecast_gaps import FILLED
from ml.forecast_prep import DS, ID, IMPUTED, Prepared

MAX_NOTE_EXAMPLES = 5
SLOW_ZERO_SHARE = 0.5  # zero in more than half of its periods over the last year: the median is 0
SLOW_MEAN = "mean_last_year"  # the model name on a slow seller's forecast rows
# A quiet run longer than this (a quarter), and unlikely at the series' own rate, is an off-season.
LONGEST_QUIET = {"D": 91, "W": 13, "M": 3, "Q": 1}
SHAPE_SERIES = 5  # other series needed to read the season ahead from their forecast
SHAPE_LIMITS = (0.25, 4.0)
FIGURES = ("yhat", "p10", "p50", "p90", backtest.MEAN)  # a forecast's figures, all set to 0 where it is 0
# Champions whose forecast of a slow seller rests on its median or on a few of its periods, and why that fails.
# A moving-average champion (intermittent spare parts) read the last 8 weeks: a part selling 1.8 every 4 weeks
# got a lead-time demand of 0 after a quiet spell, and its reorder point covered 58 % of 4-week spells.
SLOW_REASONS = {models.LGBM: "LightGBM forecasts the median, which is 0 for them",
                models.MOVING_AVERAGE: "the champion (moving_average) reads only their last {window} periods, "
                                       "which a quiet spell leaves at 0 or a lucky one high",
                models.SEASONAL_NAIVE: "the champion (seasonal_naive) copies one period of theirs, mostly a 0"}


def stopped(prepared: Prepared) -> list[str]:
    """Series that stopped selling (ml.forecast_profile: a run of empty periods unlikely at their own
    earlier rate of sales, not their own season a year before)."""
    return profile.stopped_series(prepared.frame, prepared.freq)


def slow_sellers_on_a_mean(prepared: Prepared, forecast: pd.DataFrame, history: pd.DataFrame, horizon: int,
                           notes: list[str], *, exclude: list[str], champion: str = models.LGBM) -> pd.DataFrame:
    """LightGBM learns medians (L1, the WAPE-optimal point). For a series that sells on fewer than half its
    periods, its zeros scattered (no off-season), the median is 0 and a purchase plan built on it orders
    nothing: those series are forecast at their mean over the last year (since their first sale), with the P10
    and P90 of their own periods over that year as the band, shaped by the season ahead (``_chain_shape``).
    (The moving average's error band, added to the mean, had no width where the average had been 0 and the
    series had sold nothing lately.) The same holds for a moving-average or seasonal-naive champion, which read
    a few periods of such a series (``SLOW_REASONS``)."""
    slow = [name for name in _slow_series(history, prepared.freq) if name not in set(exclude)]
    if not slow or champion not in SLOW_REASONS:
        return forecast
    point = models.future_dates(history, prepared.pandas_freq, horizon).drop(columns="step")
    point = point[point[ID].isin(slow)]
    means = _last_year_mean(history, prepared.freq)
    point["yhat"] = point[ID].map(means).fillna(0.0).to_numpy(float)
    year = _since_first_sale(history, prepared.freq)
    year = year[year[ID].isin(slow)].groupby(ID, sort=False)["y"]
    offsets = pd.DataFrame({"lo": year.quantile(0.1), "hi": year.quantile(0.9)})
    offsets = offsets.sub(means.reindex(offsets.index), axis=0).rename_axis(ID).reset_index()
    banded = backtest.apply_band(point, offsets, signed=prepared.signed)
    shape = _chain_shape(forecast, history, prepared.freq, [*slow, *exclude])
    figures = [c for c in FIGURES if c in banded.columns]
    banded[figures] = banded[figures].mul(pd.to_datetime(banded[DS]).map(shape).fillna(1.0).to_numpy(float), axis=0)
    banded["model"] = SLOW_MEAN
    shaped = (" times the other series' forecast over their own mean of the last year on each date (the season "
              "and weekdays ahead)") if len(shape) else ""
    notes.append(f"{len(slow)} slow sellers (no sale in more than half of their periods over the last year, "
                 "scattered rather than one off-season) are "
                 f"forecast at their mean over the last year{shaped}: "
                 f"{SLOW_REASONS[champion].format(window=MOVING_AVERAGE_WINDOW[prepared.freq])}: {_examples(slow)}.")
    kept = forecast[~forecast[ID].isin(slow)]
    return pd.concat([kept, banded[kept.columns.intersection(banded.columns)]], ignore_index=True)


def _chain_shape(forecast: pd.DataFrame, history: pd.DataFrame, freq: str, left: list[str]) -> pd.Series:
    """Date -> the other series' forecast (mean demand) over their mean of the last year, summed over them:
    the season and weekdays ahead. A flat mean missed the Christmas ramp of an Online-Retail-like file's slow
    sellers (forecast 51 % of what they sold over the next 28 days). Empty with fewer than SHAPE_SERIES series."""
    others = forecast[~forecast[ID].isin(set(left))]
    means = _last_year_mean(history[history[ID].isin(set(others[ID]))], freq).dropna()
    others = others[others[ID].isin(set(means.index))]
    if means.size < SHAPE_SERIES or not means.sum() > 0:
        return pd.Series(dtype=float)
    # Their mean demand, not their P50: a median of counts runs low (on an M5-like file, slow sellers shaped by
    # P50 got 87 % of what they sold, 94 % by the mean; flat, 96 %).
    column = backtest.MEAN if backtest.MEAN in others.columns else "p50"
    shape = others.groupby(pd.to_datetime(others[DS]))[column].sum() / float(means.sum())
    return shape.clip(*SHAPE_LIMITS)


def _since_first_sale(history: pd.DataFrame, freq: str, *, whole: bool = False) -> pd.DataFrame:
    """Each series' observed periods from its first sale on (padding rows are not periods): the last year of
    them, or all of them with ``whole``."""
    observed = history[~history["imputed"]] if "imputed" in history.columns else history
    started = (observed["y"] > 0).groupby(observed[ID], sort=False).cummax().to_numpy(bool)
    observed = observed[started]
    return observed if whole else observed.groupby(ID, sort=False).tail(YEAR_LENGTH[freq])


def _last_year_mean(history: pd.DataFrame, freq: str) -> pd.Series:
    return _since_first_sale(history, freq).groupby(ID, sort=False)["y"].mean()


def _slow_series(history: pd.DataFrame, freq: str) -> list[str]:
    observed = _since_first_sale(history, freq)
    zero_share = observed.groupby(ID, sort=False)["y"].agg(lambda s: float(np.mean(s.to_numpy() == 0)))
    counts = observed.groupby(ID, sort=False)["y"].size()
    sells = observed.groupby(ID, sort=False)["y"].agg(lambda s: bool((s.to_numpy() > 0).any()))
    # Zeros scattered through the year (intermittent), not one long off-season (a seasonal item, whose
    # forecast must follow its season rather than a flat mean). Runs are read over the whole history since
    # the first sale: a one-year window cuts an off-season in two.
    whole = _since_first_sale(history, freq, whole=True)
    zero = whole["y"].to_numpy() == 0
    blocks = pd.Series(np.cumsum(~zero), index=whole.index)
    longest = pd.Series(zero, index=whole.index).groupby([whole[ID], blocks], sort=False).sum() \
        .groupby(level=0, sort=False).max()
    # A quiet run is an off-season when it is longer than a quarter and unlikely at the series' own rate of
    # sale occasions ((1 − rate)^run < 0.001): a sparse seller's long gaps happen by chance.
    chance_run = np.log(1.0 / profile.STOP_CHANCE) / (1.0 - zero_share).clip(lower=1e-9)
    scattered = longest.reindex(zero_share.index).fillna(0) <= np.maximum(LONGEST_QUIET[freq], chance_run)
    chosen = (zero_share > SLOW_ZERO_SHARE) & (counts >= 10) & sells & scattered
    return sorted(chosen.index[chosen.to_numpy(bool)])


def _examples(items: list[str]) -> str:
    more = f" and {len(items) - MAX_NOTE_EXAMPLES} more" if len(items) > MAX_NOTE_EXAMPLES else ""
    return ", ".join(items[:MAX_NOTE_EXAMPLES]) + more


def stopped_at_zero(prepared: Prepared, forecast: pd.DataFrame, stopped: list[str], notes: list[str]) -> pd.DataFrame:
    """Series that stopped selling are forecast at 0 whatever the champion (a model fed a run of zeros can
    still extrapolate a level), and named: a planner confirms a delisting or an out-of-stock."""
    if not stopped:
        return forecast
    data = prepared.frame
    observed = data[~data["imputed"]] if "imputed" in data.columns else data
    last_sale = observed[(observed["y"] > 0) & observed[ID].isin(stopped)].groupby(ID)[DS].max()
    examples = [f"{name} (last sale {last_sale[name].date()})" for name in stopped[:MAX_NOTE_EXAMPLES]]
    more = f" and {len(stopped) - MAX_NOTE_EXAMPLES} more" if len(stopped) > MAX_NOTE_EXAMPLES else ""
    notes.append(f"{len(stopped)} series have stopped selling: no sale for a run of periods their earlier rate of "
                 "sales makes very unlikely (and not their own season a year before). They are forecast at 0, "
                 "whatever model a note above names for them (discontinued or out of stock? check them): "
                 f"{', '.join(examples)}{more}.")
    out = forecast.copy()
    out.loc[out[ID].isin(stopped), [c for c in FIGURES if c in out.columns]] = 0.0
    return out


def never_sold(prepared: Prepared) -> pd.Index:
    """Series with no sale recorded at all (observed periods only)."""
    data = prepared.frame
    observed = data[~data[IMPUTED].astype(bool)] if IMPUTED in data.columns else data
    sold = (observed["y"].abs() > 0).groupby(observed[ID], sort=False).any()
    sold = sold.reindex(pd.unique(data[ID]), fill_value=False)  # blank on every row: no observed row at all
    return sold.index[~sold.to_numpy(bool)]


def never_sold_at_zero(prepared: Prepared, forecast: pd.DataFrame) -> pd.DataFrame:
    """Series with no sale recorded at all are forecast at 0, band included, as preparation's note says: a
    LightGBM champion gave a Favorita-like family that never sold 0.065 a day with a P90 of 0.16. Applied to
    the backtest rows too (every model, before scoring), so the backtest scores the forecast as written: a
    never-sold series' rows scored sMAPE 200 each (actual 0, LightGBM 0.06), and took a run's sMAPE to 53.7."""
    never = never_sold(prepared)
    if not len(never):
        return forecast
    out = forecast.copy()
    out.loc[out[ID].isin(never), [c for c in FIGURES if c in out.columns]] = 0.0
    return out


CLOSED_WEEKS = 8  # a weekday with no row in any series on each of the last this many weeks is a closing day


def closed_weekdays(prepared: Prepared, forecast: pd.DataFrame, notes: list[str]) -> pd.DataFrame:
    """Daily data: a weekday the whole business had no row on, each of its last 8 weeks (a shop closed on
    Saturdays), is forecast at 0 with no band (P90 was 48 units on days the shop never opens)."""
    data = prepared.frame
    if prepared.freq != "D" or FILLED not in data.columns or forecast.empty:
        return forecast
    by_day = data.groupby(DS)[FILLED].all()
    recent = by_day[by_day.index > by_day.index.max() - pd.Timedelta(weeks=CLOSED_WEEKS)]
    shut = recent.groupby(recent.index.dayofweek).agg(["all", "size"])
    closed = [day for day, row in shut.iterrows() if row["all"] and row["size"] >= CLOSED_WEEKS]
    if not closed:
        return forecast
    names = ", ".join(pd.Timestamp(2024, 1, 1 + d).day_name() + "s" for d in closed)  # 2024-01-01: a Monday
    notes.append(f"No series had a row on {names} in each of the last {CLOSED_WEEKS} weeks: the business is closed "
                 "then, and those days are forecast at 0.")
    out = forecast.copy()
    on_closed = pd.to_datetime(out[DS]).dt.dayofweek.isin(closed)
    out.loc[on_closed, [c for c in FIGURES if c in out.columns]] = 0.0
    return out


OPEN_SHARE = 0.9  # a series selling on at least this share of its other days is open on them


def closed_weekdays_of_series(prepared: Prepared, forecast: pd.DataFrame, notes: list[str]) -> pd.DataFrame:
    """Daily data: a weekday on which a series sold nothing in each of its last 8 weeks, while it sold on
    nearly every other day, is its closing day, forecast at 0 with no band. Rossmann's files hold a row of 0
    sales for a store's closed Sunday, so ``closed_weekdays`` (no row at all) missed it: P90 was about 800."""
    data = prepared.frame
    if prepared.freq != "D":
        return forecast
    shut = _closed_recently(data)
    out = forecast.copy()
    keys = pd.MultiIndex.from_arrays([out[ID], pd.to_datetime(out[DS]).dt.dayofweek])
    figures = [c for c in FIGURES if c in out.columns]
    not_zero = out[figures].ne(0).any(axis=1).to_numpy()
    closing = keys.isin(pd.MultiIndex.from_arrays([shut[ID], shut["day"]]))
    on_closed = closing & not_zero
    out.loc[on_closed, figures] = 0.0  # a day already 0 (no series had a row then, a stopped series) is said above
    notes.extend(_closing_day_notes(data, _pairs(keys, on_closed), _pairs(keys, closing)))
    return out if on_closed.any() else forecast


def _pairs(keys: pd.MultiIndex, mask: np.ndarray) -> list[tuple[str, int]]:
    return list(dict.fromkeys(keys[mask]))


def _closed_recently(data: pd.DataFrame) -> pd.DataFrame:
    """(series, weekday) pairs with no sale on the weekday in each of the last 8 weeks, while the series sold on
    nearly every other day of them."""
    recent = data[data[DS] > data[DS].max() - pd.Timedelta(weeks=CLOSED_WEEKS)]
    known = ~recent[FILLED] if FILLED in recent.columns else pd.Series(True, index=recent.index)
    if IMPUTED in recent.columns:  # a closing day's zeros are bridged in preparation (not sales), flagged imputed
        known = known & ~recent[IMPUTED]
    sold = pd.DataFrame({ID: recent[ID], "day": recent[DS].dt.dayofweek,
                         "sold": known & (recent["y"].fillna(0) != 0)})
    days = sold.groupby([ID, "day"])["sold"].agg(["sum", "size"]).reset_index()
    days = days[days["size"] >= CLOSED_WEEKS]
    totals = days.groupby(ID)[["sum", "size"]].transform("sum")
    other_share = (totals["sum"] - days["sum"]) / (totals["size"] - days["size"]).clip(lower=1)
    return days[(days["sum"] == 0) & (other_share >= OPEN_SHARE)]


def _closing_day_notes(data: pd.DataFrame, zeroed: list[tuple[str, int]], closing: list[tuple[str, int]]
                       ) -> list[str]:
    """One note per kind of closing day: rows of 0 not read as sales in preparation (``ml.forecast_gaps``) and
    forecast at 0 here (``zeroed``; ``closing``: also those the model already forecast at 0) are one note (there
    were two, saying nearly the same), naming the weekdays and series."""
    bridged = data[IMPUTED].astype(bool) & ~data[FILLED].astype(bool) if {IMPUTED, FILLED} <= set(data) \
        else pd.Series(False, index=data.index)
    # A weekday bridged on most of its dates, not on a few public holidays (``closed_days``, noted in preparation).
    share = bridged.groupby([data[ID], data[DS].dt.dayofweek], sort=False).mean()
    bridged_pairs = [p for p in dict.fromkeys(zip(data.loc[bridged, ID], data.loc[bridged, DS].dt.dayofweek))
                     if share[p] >= 0.5]
    shut = set(bridged_pairs)
    both = [p for p in closing if p in shut]
    said = [
        (both, "sold nothing on {days} (a row of 0 on each of them) while selling on nearly every other day: closed "
               "then. Those rows are not read as sales (left out of training and scoring, bridged for the lag "
               "features) and the days are forecast at 0, band included"),
        ([p for p in zeroed if p not in shut], f"sold nothing on {{days}} in each of the last {CLOSED_WEEKS} weeks "
         "while selling on nearly every other day: closed then, and those days are forecast at 0"),
        ([p for p in bridged_pairs if p not in closing], "sold nothing on {days} (a row of 0 on each of them) "
         "while selling on nearly every other day: closed then. Those rows are not read as sales (left out of "
         "training and scoring, bridged for the lag features)"),
    ]
    return [_closing_note(pairs, text) for pairs, text in said if pairs]


def _closing_note(pairs: list[tuple[str, int]], text: str) -> str:
    days = " or ".join(pd.Timestamp(2024, 1, 1 + d).day_name() + "s" for d in sorted({d for _, d in pairs}))
    series = list(dict.fromkeys(sid for sid, _ in pairs))  # 2024-01-01: a Monday
    examples = ", ".join(map(str, series[:MAX_NOTE_EXAMPLES])) + (
        f" and {len(series) - MAX_NOTE_EXAMPLES} more" if len(series) > MAX_NOTE_EXAMPLES else "")
    return f"{len(series)} series {text.format(days=days)}: {examples}."

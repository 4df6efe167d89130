"""Rolling-origin backtests and intervals calibrated on their residuals (split-conformal style).

Window i cuts the history ``(k − i + 1) × horizon`` periods before its end, fits every model on what
came before and forecasts the next ``horizon`` periods. The P10/P90 band of a forecast is the point
forecast plus the 10th/90th percentile of the backtest errors, normalised by each series' error scale and
pooled, then scaled back, wider further ahead; the coverage reported for a window
uses bands learnt on the *other* windows only, so it is an honest out-of-sample figure.
"""
from __future__ import annotations

from collections.abc import Callable, Collection

import numpy as np
import pandas as pd

from ml import forecast_models as models

ID, DS, Y = "unique_id", "ds", "y"
MIN_OWN_RESIDUALS = 30  # fewer backtest errors of their own: short series are not ranked on them
QUANTILES = (0.1, 0.9)
MEAN = "mean_demand"  # the forecast distribution's mean beside its P50 (the median): what lead-time demand sums

Progress = Callable[[float, str], None]


def cutoffs(dates: pd.Series, pandas_freq: str, horizon: int, windows: int) -> list[pd.Timestamp]:
    end = dates.max()
    grid = pd.date_range(end=end, periods=horizon * windows + 1, freq=pandas_freq)
    return [grid[i * horizon] for i in range(windows)]


def run_backtest(data: pd.DataFrame, config: models.FeatureConfig, *, horizon: int, windows: int,
                 include_model: bool = True, progress: Progress | None = None, threads: int = 2) -> pd.DataFrame:
    """Long table: unique_id, ds, window, cutoff, y, imputed, model, yhat — every model, every window."""
    pieces = []
    points = cutoffs(data[DS], config.pandas_freq, horizon, windows)
    for number, cutoff in enumerate(points, start=1):
        if progress:
            progress((number - 1) / windows, f"Backtest window {number} of {windows} (origin {cutoff.date()})")
        train = data[data[DS] <= cutoff]
        if train[ID].nunique() == 0:
            continue
        end = pd.date_range(cutoff, periods=horizon + 1, freq=config.pandas_freq)[-1]
        test = data[(data[DS] > cutoff) & (data[DS] <= end) & data[ID].isin(train[ID].unique())]
        columns = [ID, DS, Y] + (["imputed"] if "imputed" in test.columns else [])
        truth = test[columns]
        forecasts = _window_forecasts(train, test, config, horizon, threads, include_model)
        for name, frame in forecasts.items():
            merged = truth.merge(frame[[ID, DS, "yhat"]], on=[ID, DS], how="inner")
            merged["model"], merged["window"], merged["cutoff"] = name, number, cutoff
            pieces.append(merged)
    if progress:
        progress(1.0, "Backtest done")
    return pd.concat(pieces, ignore_index=True) if pieces else pd.DataFrame()


def _window_forecasts(train: pd.DataFrame, test: pd.DataFrame, config: models.FeatureConfig, horizon: int,
                      threads: int, include_model: bool) -> dict[str, pd.DataFrame]:
    out = {}
    if include_model:
        fitted = models.fit_lightgbm(train, config, threads=threads)
        exog = test[[ID, DS, *config.exogenous]] if config.exogenous else None
        out[models.LGBM] = fitted.predict(horizon, future_exog=_full_future(train, exog, config, horizon))
    for name in config.baselines:
        if models.has_a_year(name, train, config.freq):  # else not scored in this window (``shared_windows``)
            out[name] = models.baseline(name, train, config.freq, config.pandas_freq, horizon)
    return out


def shared_windows(rows: pd.DataFrame) -> list[int]:
    """The backtest windows every model was scored in: the seasonal index offered from a year of history before
    the last third of them only (``models.baselines_for``) misses the earlier ones, and models are compared on the same
    dates."""
    if rows.empty:
        return []
    windows = rows.groupby("model", sort=False)["window"].unique()
    return sorted(set.intersection(*(set(w) for w in windows)))


def _full_future(train: pd.DataFrame, exog: pd.DataFrame | None, config: models.FeatureConfig,
                 horizon: int) -> pd.DataFrame | None:
    """Exogenous values for every series and step (the last known value where the table stops early)."""
    if exog is None:
        return None
    grid = models.future_dates(train, config.pandas_freq, horizon).drop(columns="step")
    full = grid.merge(exog, on=[ID, DS], how="left")
    full[list(config.exogenous)] = full.groupby(ID, sort=False)[list(config.exogenous)].ffill()
    return full.fillna({c: 0 for c in config.exogenous})


def residual_offsets(rows: pd.DataFrame, scale: pd.Series, now: pd.Series | None = None,
                     level: pd.Series | None = None, *, median: bool = False,
                     levels: tuple[float, float] = QUANTILES) -> pd.DataFrame:
    """Per series and step ahead: the 10th and 90th percentile of (actual − forecast), as a pooled quantile
    of normalised errors times the series' error scale times the step's spread (normalised conformal).

    Errors are normalised by each series' own mean |error| (blended with its noise scale ``scale``), so a series
    selling 5,000 a week and one selling 3 share one error shape. Normalised by the step-to-step noise alone
    (and a series' own raw quantiles from two windows), Online-Retail-like weekly items had 84–89 % of backtest
    actuals inside the big series' P10–P90 bands and 71–81 % inside the small ones'; the 23 countries 88–98 %
    and 61–78 %. Each window's errors are normalised by the scale of the *other* windows, as a forecast's will
    be. The spread grows with the step ahead (isotonic in the step) and with the level forecast (``level``: each
    series' mean |forecast| over the horizon; see ``_level_factor``). ``now``: the series' noise scale at the
    forecast origin (default ``scale``); series only in ``now`` get a band at it. With ``median`` (the point
    forecast is a median: LightGBM's L1) ``mid`` is the distribution's mean less P50 (``mean_offsets``); else 0:
    a moving average or seasonal index is a mean, and a naive's past value is as likely above as below, so
    their backtest's mean error per series is noise (with it, one of four Poisson(0.89) items under a baseline
    champion got 4.53 for 7 days instead of 5.50; 6.23 expected). ``levels``: the quantile levels of P10 and P90
    (``forecast_conformal.band_levels``)."""
    scored = rows[~rows["imputed"]] if "imputed" in rows.columns else rows
    frame = pd.DataFrame({ID: scored[ID].to_numpy(), "resid": (scored[Y] - scored["yhat"]).to_numpy(float),
                          "window": scored["window"].to_numpy() if "window" in scored.columns else 1,
                          "step": _steps(rows)[scored.index].to_numpy() if len(scored) else 1,
                          "scale": scored[ID].map(scale).to_numpy(float),
                          "level": scored["yhat"].abs().to_numpy(float)})
    ids = pd.Index(rows[ID].unique()).union(now.index if now is not None else pd.Index([]), sort=False)
    steps = np.arange(1, int(_steps(rows).max()) + 1 if len(rows) else 2)
    if frame.empty:  # every backtest row was a gap left missing: no error was ever measured
        zero = pd.Series(0.0, index=ids)
        return _offsets_table(ids, steps, zero, np.zeros(len(steps)), (0.0, 0.0), zero)
    normalised = _normalised(frame)
    factor = _step_factor(frame["step"], normalised)
    ratios = (normalised / frame["step"].map(factor)).dropna()
    quantiles = ratios.quantile(list(levels)).to_numpy() if len(ratios) else np.zeros(2)
    prior = scale if now is None else now.reindex(ids).where(lambda v: v > 0).fillna(scale.reindex(ids))
    sigma = _error_scale(frame, prior.reindex(ids))
    if level is not None:
        sigma = sigma * _level_factor(level.reindex(ids), frame.groupby(ID, sort=False)["level"].mean().reindex(ids))
    return _offsets_table(ids, steps, sigma, factor.reindex(steps).ffill().fillna(1.0).to_numpy(), quantiles,
                          mean_offsets(ratios, frame[ID]) if median else pd.Series(0.0, index=ids))


MEAN_PRIOR_WEIGHT = 10  # a series' mean error: its own errors plus this many pseudo-errors of 0


def mean_offsets(ratios: pd.Series, ids: pd.Series) -> pd.Series:
    """Per series: the mean of its normalised errors (in its error scale), shrunk towards 0 by
    MEAN_PRIOR_WEIGHT pseudo-errors. LightGBM's point forecast is a median (L1); with skewed or intermittent
    demand the mean sits above it: on items selling 0.89 a day, no sale on 40 % of days, P50 was about 0.66 and
    7-day lead-time demand summed from P50s was 77 % of the expected (102 % from these means; 9 generated
    files)."""
    own = ratios.groupby(ids.reindex(ratios.index), sort=False).agg(["sum", "size"])
    return own["sum"] / (own["size"] + MEAN_PRIOR_WEIGHT)


LEVEL_RATIO = (0.5, 2.0)  # the level forecast against the backtest's, as far as it moves a band


def _level_factor(forecast: pd.Series, backtested: pd.Series) -> pd.Series:
    """√(level forecast / level forecast in the backtest), the ratio held to LEVEL_RATIO: errors grow with
    demand, about as its square root (Poisson-like counts; a missed level grows with it in full). Without it,
    backtests on a summer peak sized a low-season forecast's band: 84.6 % of a store-item hold-out (Oct–Dec)
    inside P10–P90, 79.2 % with it."""
    floor = 0.1 * backtested
    ratio = (forecast + floor) / (backtested + floor).where(lambda v: v > 0)
    return np.sqrt(ratio.clip(*LEVEL_RATIO)).fillna(1.0)


SCALE_PRIOR_WEIGHT = 2  # a series' error scale: its own |errors| plus this many pseudo-errors at its noise scale


def _steps(rows: pd.DataFrame) -> pd.Series:
    """1 for each series' first period after a window's origin (or a forecast's first date), 2 for the next …"""
    keys = [ID, "window"] if "window" in rows.columns else [ID]
    if DS not in rows.columns:  # rows in date order
        return rows.groupby(keys, sort=False).cumcount() + 1
    return rows.groupby(keys, sort=False)[DS].rank(method="first").astype(int)


def _error_scale(frame: pd.DataFrame, prior: pd.Series | None = None) -> pd.Series:
    """Per series: mean |error|, shrunk a little towards its noise scale × the median series' ratio of |error|
    to noise scale (SCALE_PRIOR_WEIGHT pseudo-errors), so that a window whose errors were all 0 still leaves a
    band, and a series without scored errors gets one. ``prior``: the noise scale to shrink to (default: the
    frame's)."""
    by_series = frame["resid"].abs().groupby(frame[ID], sort=False).agg(["sum", "size", "mean"])
    own_noise = frame.groupby(ID, sort=False)["scale"].first()
    ratio = (by_series["mean"] / own_noise.where(own_noise > 0)).median()  # a typical series', not the biggest's
    noise = own_noise if prior is None else prior
    ids = by_series.index.union(noise.index, sort=False)
    total, count = by_series["sum"].reindex(ids, fill_value=0.0), by_series["size"].reindex(ids, fill_value=0)
    guess = (ratio * noise.reindex(ids)).where(lambda v: v > 0)
    guess = guess.fillna(total / count.where(count > 0))  # no noise scale: its own errors alone
    guess = guess.fillna(float(guess.median()) if guess.notna().any() else 0.0)
    return (total + SCALE_PRIOR_WEIGHT * guess) / (count + SCALE_PRIOR_WEIGHT)


def _normalised(frame: pd.DataFrame) -> pd.Series:
    """Errors divided by their series' error scale learnt on the other windows (all of them when one), at the
    level forecast in their own window."""
    windows = frame["window"].unique()
    if len(windows) < 2:
        sigma = _error_scale(frame)
        return frame["resid"] / frame[ID].map(sigma).where(lambda v: v > 0)
    parts = []
    for window in windows:
        held, others = frame[frame["window"] == window], frame[frame["window"] != window]
        sigma = _error_scale(others) * _level_factor(held.groupby(ID, sort=False)["level"].mean(),
                                                     others.groupby(ID, sort=False)["level"].mean())
        parts.append(held["resid"] / held[ID].map(sigma).where(lambda v: v > 0))
    return pd.concat(parts).reindex(frame.index)


def _step_factor(steps: pd.Series, normalised: pd.Series) -> pd.Series:
    """Spread of the normalised errors by step ahead, never shrinking with the step (isotonic), mean 1."""
    from sklearn.isotonic import IsotonicRegression

    spread = normalised.abs().groupby(steps).agg(["mean", "size"]).dropna()
    if spread.empty or not spread["mean"].max() > 0:
        return pd.Series(1.0, index=spread.index if len(spread) else pd.Index([1]))
    fitted = IsotonicRegression(increasing=True).fit(spread.index.to_numpy(float), spread["mean"].to_numpy(),
                                                     sample_weight=spread["size"].to_numpy(float))
    level = fitted.predict(spread.index.to_numpy(float))
    level = np.maximum(level, 1e-3 * level.max())
    return pd.Series(level / np.average(level, weights=spread["size"]), index=spread.index)


def _offsets_table(ids: pd.Index, steps: np.ndarray, sigma: pd.Series, factor: np.ndarray,
                   quantiles, mid: pd.Series) -> pd.DataFrame:
    width = np.outer(sigma.reindex(ids).fillna(0.0).to_numpy(float), factor).ravel()
    shift = np.repeat(mid.reindex(ids).fillna(0.0).to_numpy(float), len(steps))
    return pd.DataFrame({ID: np.repeat(ids.to_numpy(), len(steps)), "step": np.tile(steps, len(ids)),
                         "lo": quantiles[0] * width, "hi": quantiles[1] * width, "mid": shift * width})


MIN_SIDE = 0.25  # each side of a P10–P90 band is at least this share of the other side's width


def apply_band(forecast: pd.DataFrame, offsets: pd.DataFrame, *, signed: Collection[str] = ()) -> pd.DataFrame:
    """P10/P50/P90 from a point forecast and residual offsets, ordered, and clipped at 0 except for the
    ``signed`` series (those that sold below 0: returns netted off demand); MEAN, the distribution's mean, is
    P50 plus the offsets' ``mid`` (P50 itself without one: a forecast that already is a mean)."""
    if "step" in offsets.columns:  # bands by step ahead; steps past the backtest's horizon take its last
        steps = np.minimum(_steps(forecast).to_numpy(), int(offsets["step"].max()))
        out = forecast.assign(step=steps).merge(offsets, on=[ID, "step"], how="left").drop(columns="step")
    else:
        out = forecast.merge(offsets, on=ID, how="left")
    if "mid" not in out.columns:
        out["mid"] = 0.0
    out[["lo", "hi", "mid"]] = out[["lo", "hi", "mid"]].fillna(0.0)
    # Errors all on one side in the backtest (a model that over-forecast 98 % of its days) put P90 on P50:
    # "never more than P50", and 18 % of a hold-out's days sold more. Each side keeps a quarter of the other.
    lo, hi = out["lo"].to_numpy(float), out["hi"].to_numpy(float)
    out["lo"], out["hi"] = np.minimum(lo, -MIN_SIDE * np.abs(hi)), np.maximum(hi, MIN_SIDE * np.abs(lo))
    floor = np.where(out[ID].astype(str).isin(signed), -np.inf, 0.0) if len(signed) else 0.0
    p50 = np.maximum(out["yhat"].to_numpy(float), floor)
    p10 = np.maximum(np.minimum(p50 + out["lo"].to_numpy(float), p50), floor)
    p90 = np.maximum(p50 + out["hi"].to_numpy(float), p50)
    out["p10"], out["p50"], out["p90"] = p10, p50, p90
    out[MEAN] = np.maximum(p50 + out["mid"].to_numpy(float), floor)
    return out.drop(columns=["lo", "hi", "mid"])


def out_of_window_bands(rows: pd.DataFrame, scale: pd.Series, *, signed: Collection[str] = ()) -> pd.DataFrame:
    """Backtest rows of one model with P10/P50/P90 learnt from the other windows (honest coverage)."""
    windows = sorted(rows["window"].unique())
    parts = []
    for window in windows:
        own = rows[rows["window"] == window]
        others = rows[rows["window"] != window] if len(windows) > 1 else own
        level = own.groupby(ID, sort=False)["yhat"].apply(lambda v: v.abs().mean())
        parts.append(apply_band(own, residual_offsets(others, scale, level=level), signed=signed))
    banded = pd.concat(parts, ignore_index=True)
    banded["yhat"] = banded["p50"]
    return banded


def lead_variance_ratios(rows: pd.DataFrame, horizon: int) -> list[float]:
    """How much faster than independent steps the error of a summed lead time grows, for leads 1..horizon:
    E[(Σ e)²] / E[Σ e²] over the first L steps of every (series, window) of the backtest, each series' errors
    divided by their own spread. 1 when steps are independent, up to L when a miss on one day is a miss on
    every day (a level the model got wrong). Reorder points use it so that a 7-day lead time is not covered as
    if seven independent days could cancel out; clipped to [1, L]."""
    scored = rows[~rows["imputed"]] if "imputed" in rows.columns else rows
    if scored.empty:
        return [1.0] * horizon
    error = (scored[Y] - scored["yhat"]).to_numpy(float)
    spread = pd.Series(error).groupby(scored[ID].to_numpy()).transform(lambda e: np.sqrt(np.mean(e * e)))
    frame = pd.DataFrame({"key": scored[ID].astype(str).to_numpy() + "|" + scored["window"].astype(str).to_numpy(),
                          "ds": scored[DS].to_numpy(), "e": error / spread.where(spread > 0).to_numpy()}).dropna()
    frame = frame.sort_values(["key", "ds"])
    frame["step"] = frame.groupby("key").cumcount()
    frame["sum"] = frame.groupby("key")["e"].cumsum()
    frame["squares"] = (frame["e"] ** 2).groupby(frame["key"]).cumsum()
    summed = (frame["sum"] ** 2).groupby(frame["step"]).mean()
    added = frame.groupby("step")["squares"].mean()
    ratios: list[float] = []
    for lead in range(1, horizon + 1):
        step = lead - 1
        known = step in added.index and added[step] > 0
        ratio = summed[step] / added[step] if known else (ratios[-1] if ratios else 1.0)
        ratios.append(round(float(min(max(ratio, 1.0), lead)), 4))
    return ratios

"""Rolling-origin backtests and intervals calibrated on their residuals (split-conformal style).

Window i cuts the history ``(k − i + 1) × horizon`` periods before its end, fits every model on what
came before and forecasts the next ``horizon`` periods. The P10/P90 band of a forecast is the point
forecast plus the 10th/90th percentile of its own backtest errors; the coverage reported for a window
uses bands learnt on the *other* windows only, so it is an honest out-of-sample figure.
"""
from __future__ import annotations

from collections.abc import Callable, Collection

import numpy as np
import pandas as pd

from ml import forecast_models as models

ID, DS, Y = "unique_id", "ds", "y"
MIN_OWN_RESIDUALS = 30  # fewer: borrow the pooled error shape, scaled to the series' noise
QUANTILES = (0.1, 0.9)

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
        out[name] = models.baseline(name, train, config.freq, config.pandas_freq, horizon)
    return out


def _full_future(train: pd.DataFrame, exog: pd.DataFrame | None, config: models.FeatureConfig,
                 horizon: int) -> pd.DataFrame | None:
    """Exogenous values for every series and step (the last known value where the table stops early)."""
    if exog is None:
        return None
    grid = models.future_dates(train, config.pandas_freq, horizon).drop(columns="step")
    full = grid.merge(exog, on=[ID, DS], how="left")
    full[list(config.exogenous)] = full.groupby(ID, sort=False)[list(config.exogenous)].ffill()
    return full.fillna({c: 0 for c in config.exogenous})


def residual_offsets(rows: pd.DataFrame, scale: pd.Series, now: pd.Series | None = None) -> pd.DataFrame:
    """Per series: the 10th and 90th percentile of (actual − forecast), from the series' own errors when
    it has enough, else from all series' errors divided by their noise scale when they were made
    (``scale``) and rescaled by the series' noise scale ``now`` (default: the same)."""
    scored = rows[~rows["imputed"]] if "imputed" in rows.columns else rows
    resid = (scored[Y] - scored["yhat"]).rename("resid")
    frame = pd.DataFrame({ID: scored[ID].to_numpy(), "resid": resid.to_numpy()})
    # Every series in the rows gets a band, also one whose backtest rows were all gaps left missing (a
    # discontinued item): it borrows the pooled band at its own noise scale.
    ids = pd.Index(rows[ID].unique())
    if frame.empty:  # every backtest row was a gap left missing: no error was ever measured
        return pd.DataFrame({ID: ids.to_numpy(), "lo": 0.0, "hi": 0.0})
    own = frame.groupby(ID, sort=False)["resid"].quantile(list(QUANTILES)).unstack().reindex(ids)
    own.columns = ["lo", "hi"]
    counts = frame.groupby(ID, sort=False).size().reindex(ids).fillna(0)
    noise = scale.reindex(ids).fillna(0.0)
    noise = noise.where(noise > 0, frame.groupby(ID, sort=False)["resid"].apply(lambda r: r.abs().mean()).reindex(ids)
                        + 1e-9)
    known = noise[noise > 1e-9]
    noise = noise.fillna(float(known.median()) if len(known) else 1e-9)
    pooled = (frame["resid"] / frame[ID].map(noise)).quantile(list(QUANTILES)).to_numpy()
    if now is not None:
        noise = now.reindex(ids).where(lambda v: v > 0).fillna(noise)
    borrowed = pd.DataFrame({"lo": pooled[0] * noise, "hi": pooled[1] * noise})
    use_own = (counts.reindex(own.index) >= MIN_OWN_RESIDUALS).to_numpy()[:, None]
    offsets = pd.DataFrame(np.where(use_own, own.to_numpy(), borrowed.to_numpy()), columns=["lo", "hi"])
    offsets.insert(0, ID, own.index.to_numpy())
    return offsets


MIN_SIDE = 0.25  # each side of a P10–P90 band is at least this share of the other side's width


def apply_band(forecast: pd.DataFrame, offsets: pd.DataFrame, *, signed: Collection[str] = ()) -> pd.DataFrame:
    """P10/P50/P90 from a point forecast and residual offsets, ordered, and clipped at 0 except for the
    ``signed`` series (those that sold below 0: returns netted off demand)."""
    out = forecast.merge(offsets, on=ID, how="left")
    out[["lo", "hi"]] = out[["lo", "hi"]].fillna(0.0)
    # Errors all on one side in the backtest (a model that over-forecast 98 % of its days) put P90 on P50:
    # "never more than P50", and 18 % of a hold-out's days sold more. Each side keeps a quarter of the other.
    lo, hi = out["lo"].to_numpy(float), out["hi"].to_numpy(float)
    out["lo"], out["hi"] = np.minimum(lo, -MIN_SIDE * np.abs(hi)), np.maximum(hi, MIN_SIDE * np.abs(lo))
    floor = np.where(out[ID].astype(str).isin(signed), -np.inf, 0.0) if len(signed) else 0.0
    p50 = np.maximum(out["yhat"].to_numpy(float), floor)
    p10 = np.maximum(np.minimum(p50 + out["lo"].to_numpy(float), p50), floor)
    p90 = np.maximum(p50 + out["hi"].to_numpy(float), p50)
    out["p10"], out["p50"], out["p90"] = p10, p50, p90
    return out.drop(columns=["lo", "hi"])


def out_of_window_bands(rows: pd.DataFrame, scale: pd.Series, *, signed: Collection[str] = ()) -> pd.DataFrame:
    """Backtest rows of one model with P10/P50/P90 learnt from the other windows (honest coverage)."""
    windows = sorted(rows["window"].unique())
    parts = []
    for window in windows:
        own = rows[rows["window"] == window]
        others = rows[rows["window"] != window] if len(windows) > 1 else own
        parts.append(apply_band(own, residual_offsets(others, scale), signed=signed))
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

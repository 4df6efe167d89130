"""Forecast error measures, per series and overall, on backtest rows.

Rows carry ``unique_id``, ``y`` (actual), ``yhat`` and optionally ``p10``/``p90``; rows marked
``imputed`` (gaps the user chose to treat as missing) are not scored. All figures are percentages
except MASE (a ratio: 1.0 means as good as a seasonal naive forecast inside the history). ``balance`` is
the share of periods the forecast ran above the actual less the share it ran below (percentage points),
each period weighted by its series' volume: about 0 for a P50 that is a median, whatever the skew of demand;
``balance_noise`` is how far from 0 it may land by chance.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

METRICS = ("wape", "smape", "mase", "bias", "balance", "balance_noise", "coverage")


def smape_terms(actual: np.ndarray, forecast: np.ndarray) -> np.ndarray:
    """Kaggle sMAPE per point: 200·|a−f| / (|a|+|f|), and 0 when both are 0."""
    denominator = np.abs(actual) + np.abs(forecast)
    safe = np.where(denominator == 0, 1.0, denominator)
    return np.where(denominator == 0, 0.0, 200.0 * np.abs(actual - forecast) / safe)


def smape(actual, forecast) -> float:
    return float(np.mean(smape_terms(np.asarray(actual, float), np.asarray(forecast, float))))


def mase_scale(history: pd.DataFrame, season: int) -> pd.Series:
    """Per series: mean |y_t − y_{t−m}| in the history (m = season, or 1 when the history is shorter). Rows
    marked ``imputed`` (gaps left missing, closures, a store's closing weekday) are not observations: a step
    to or from one is left out, as their errors are (a closed Sunday's bridged value is no sale)."""
    history = _observed(history)

    def one(y: pd.Series) -> float:
        values = y.to_numpy(float)
        m = season if len(values) > season else 1
        diffs = np.abs(values[m:] - values[:-m]) if len(values) > m else np.array([])
        return _mean_present(diffs)

    return history.groupby("unique_id", sort=False)["y"].apply(one)


SPIKE_CLIP = 5.0  # band scale: steps over this many times the series' median step count as this many


def band_scale(history: pd.DataFrame, periods: int) -> pd.Series:
    """Per series: how much it moves now, for sizing borrowed P10–P90 bands: the mean step from one period
    to the next over its last ``periods`` (a year), steps over five times the median step counted as five
    (a series whose median step is 0, selling now and then, keeps its plain mean). The MASE scale over the
    whole history let a launch of 300 a month that settled at 8 size the band at ±190 on a forecast of 8
    (an order of 550 units for a month's demand of 8). Rows marked ``imputed`` (gaps left missing, closures,
    closing days) are not observations: a step to or from one is left out, as in ``mase_scale`` (their bridged
    values step smoothly and narrowed the band)."""
    history = _observed(history)

    def one(y: pd.Series) -> float:
        values = y.to_numpy(float)[-(periods + 1):]
        diffs = np.abs(np.diff(values))
        diffs = diffs[np.isfinite(diffs)]
        median = float(np.median(diffs)) if diffs.size else 0.0
        return _mean_present(np.minimum(diffs, SPIKE_CLIP * median) if median > 0 else diffs)

    return history.groupby("unique_id", sort=False)["y"].apply(one)


def _observed(history: pd.DataFrame) -> pd.DataFrame:
    """The history with ``y`` blank on rows marked ``imputed``."""
    if "imputed" in history.columns and history["imputed"].any():
        return history.assign(y=history["y"].where(~history["imputed"].astype(bool)))
    return history


def _mean_present(values: np.ndarray) -> float:
    """Mean of the finite values; NaN (without numpy's empty-slice warning) when there are none — a flat
    history has no MASE scale, and then no series has a MASE."""
    present = values[np.isfinite(values)]
    return float(present.mean()) if present.size else float("nan")


def _scored(rows: pd.DataFrame) -> pd.DataFrame:
    return rows[~rows["imputed"]] if "imputed" in rows.columns else rows


def summary(rows: pd.DataFrame, scale: pd.Series) -> dict[str, float]:
    """Overall figures: WAPE, bias, balance and coverage pooled over all rows, sMAPE over rows, MASE over series."""
    rows = _scored(rows)
    actual, forecast = rows["y"].to_numpy(float), rows["yhat"].to_numpy(float)
    total = np.abs(actual).sum()
    out = {
        "wape": float(100 * np.abs(actual - forecast).sum() / total) if total else float("nan"),
        "smape": float(np.mean(smape_terms(actual, forecast))) if len(rows) else float("nan"),
        "bias": float(100 * (forecast - actual).sum() / total) if total else float("nan"),
        "mase": _mean_present(by_series(rows, scale)["mase"].to_numpy(float)) if len(rows) else float("nan"),
        **_balance(rows, actual, forecast),
        "coverage": float("nan"),
    }
    if {"p10", "p90"} <= set(rows.columns):
        inside = (actual >= rows["p10"].to_numpy(float)) & (actual <= rows["p90"].to_numpy(float))
        out["coverage"] = float(100 * inside.mean()) if len(rows) else float("nan")
    return out


def window_wape(rows: pd.DataFrame) -> dict[str, list[float]]:
    """Each model's WAPE per backtest window, in window order (NaN where a window sold nothing)."""
    rows = _scored(rows)
    err, volume = (rows["y"] - rows["yhat"]).abs(), rows["y"].abs()
    sums = pd.DataFrame({"err": err, "volume": volume, "model": rows["model"], "window": rows["window"]}) \
        .groupby(["model", "window"], sort=True)[["err", "volume"]].sum()
    wape = 100 * sums["err"] / sums["volume"].where(sums["volume"] > 0)
    return {str(m): [float(v) for v in part.to_numpy()] for m, part in wape.groupby(level=0, sort=False)}


SIGN_TEST_Z = 1.96  # a balance within this many standard errors of 0 may be chance (two-sided 5 % sign test)


def _balance(rows: pd.DataFrame, actual: np.ndarray, forecast: np.ndarray) -> dict[str, float]:
    """``balance``: 100 × Σ w·sign(forecast − actual) / Σ w, w the series' mean |actual|: volume-weighted like
    WAPE, so twelve slow sellers a median model forecasts at 0 (below every sale, level with every day
    without one) do not outweigh four fast sellers it forecasts well. ``balance_noise``: how far from 0 a
    true median lands by chance on these periods (the sign test's 5 % bound, 1.96 × 100 × √Σw² / Σw): 168
    days of four fast sellers put an unbiased LightGBM 7.6 points low. Both NaN when no series sold."""
    weight = pd.Series(np.abs(actual)).groupby(rows["unique_id"].to_numpy()).transform("mean").to_numpy()
    total = weight.sum()
    if not total > 0:
        return {"balance": float("nan"), "balance_noise": float("nan")}
    return {"balance": float(100 * (weight * np.sign(forecast - actual)).sum() / total),
            "balance_noise": float(100 * SIGN_TEST_Z * np.sqrt((weight ** 2).sum()) / total)}


def by_series(rows: pd.DataFrame, scale: pd.Series) -> pd.DataFrame:
    """One row per series with the five figures (coverage only when the rows carry P10/P90)."""
    rows = _scored(rows).copy()
    rows["abs_err"] = (rows["y"] - rows["yhat"]).abs()
    rows["err"] = rows["yhat"] - rows["y"]
    rows["abs_y"] = rows["y"].abs()
    rows["smape_t"] = smape_terms(rows["y"].to_numpy(float), rows["yhat"].to_numpy(float))
    has_band = {"p10", "p90"} <= set(rows.columns)
    if has_band:
        rows["inside"] = ((rows["y"] >= rows["p10"]) & (rows["y"] <= rows["p90"])).astype(float)
    grouped = rows.groupby("unique_id", sort=False)
    sums = grouped[["abs_err", "err", "abs_y"]].sum()
    table = pd.DataFrame({
        "wape": 100 * sums["abs_err"] / sums["abs_y"].replace(0, np.nan),
        "smape": grouped["smape_t"].mean(),
        "mase": grouped["abs_err"].mean() / scale.reindex(sums.index).replace(0, np.nan),
        "bias": 100 * sums["err"] / sums["abs_y"].replace(0, np.nan),
        "coverage": 100 * grouped["inside"].mean() if has_band else np.nan,
    })
    return table.reset_index()

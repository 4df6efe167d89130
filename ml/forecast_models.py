"""The forecasters: one global LightGBM over all series (features declared through mlforecast), and the
baselines it must beat on the backtest (``ml.forecast_baselines``, named here too).

Features are declared, not hand-written: lags scaled to the frequency, rolling means of the
shortest lag and calendar parts. Past a few steps ahead only lags ≥ horizon are used, so a long
forecast never feeds on its own predictions (errors do not accumulate over 90 days).
"""
from __future__ import annotations

import warnings
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from ml import forecast_lifts as lifts
from ml.forecast_calendar import LAG_ROOM, SEASON_LENGTH, YEAR_LENGTH, model_lags
from ml.forecast_baselines import (ALL_BASELINES, BASELINES, MOVING_AVERAGE, SEASONAL_NAIVE, YEARLY_NAIVE, baseline,
                                   baselines_for, future_dates, has_a_year, moving_average, seasonal_naive,
                                   yearly_naive)
from ml.forecast_profile import SEASONAL_INDEX
from ml.forecast_units import series_scales

ID, DS, Y = "unique_id", "ds", "y"
LGBM = "lightgbm"
# Quarters: the quarter of the year only (a month or week feature would be one value per quarter, a copy).
DATE_FEATURES = {"D": ("dayofweek", "month", "dayofyear", "year"), "W": ("week", "month", "year"),
                 "M": ("month", "year"), "Q": ("quarter", "year")}
ROLLING_WINDOWS = {"D": (7, 28), "W": (4, 13), "M": (3, 12), "Q": (4, 8)}
# Same-weekday means (the series' weekday profile, a rolling target encoding of series × day of week):
# over 8 weeks at the first weekday-aligned lag, over 4 weeks a year back. Daily data only: for weekly
# and monthly data the season is a year and the yearly lag already carries it.
WEEKDAY_WINDOWS = {"near": 8, "year": 4}
# Each tree sees a random half of the features. The lags, rolling means and weekday means are noisy
# measurements of one level (Poisson-like counts), so trees that must use different ones average their
# noise instead of leaning on whichever single lag fits the training years best.
COLUMN_SAMPLE = 0.5


@dataclass(frozen=True)
class FeatureConfig:
    """Everything needed to rebuild the features: stored as JSON beside the model file."""

    freq: str
    pandas_freq: str
    lags: tuple[int, ...]
    rolling: dict[int, tuple[int, ...]]
    date_features: tuple[str, ...]
    static: tuple[str, ...]
    exogenous: tuple[str, ...] = ()
    params: dict[str, Any] = field(default_factory=dict)
    baselines: tuple[str, ...] = BASELINES
    transform: str = "standard"      # standard | log1p (signed log1p, then standardised; sales with rare returns at most)
    seasonal_rolling: dict[int, tuple[int, ...]] = field(default_factory=dict)  # lag -> same-season windows
    coded: tuple[str, ...] = ()  # exogenous columns of codes: read by the trees as each code's lift (forecast_lifts)

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["rolling"] = {str(k): list(v) for k, v in self.rolling.items()}
        data["seasonal_rolling"] = {str(k): list(v) for k, v in self.seasonal_rolling.items()}
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "FeatureConfig":
        values = dict(data)
        values["rolling"] = {int(k): tuple(v) for k, v in data["rolling"].items()}
        values["seasonal_rolling"] = {int(k): tuple(v) for k, v in data.get("seasonal_rolling", {}).items()}
        for key in ("lags", "date_features", "static", "exogenous", "coded"):
            values[key] = tuple(values.get(key, ()))
        values["baselines"] = tuple(values.get("baselines", BASELINES))
        return cls(**values)


def feature_config(freq: str, pandas_freq: str, horizon: int, history: int, *, static: tuple[str, ...],
                   exogenous: tuple[str, ...] = (), n_estimators: int = 500, seed: int = 0,
                   log_scale: bool = False, longest: int | None = None, latest: int = 0,
                   coded: tuple[str, ...] = ()) -> FeatureConfig:
    """``history`` is the shortest series' training length (it bounds the lags); ``longest`` the longest's,
    which decides the year-based candidates (they cope with a few recent launches); ``latest`` the longest's before
    the last third of the backtest windows, from which the seasonal index is offered (``baselines_for``).
    ``log_scale``: sales are non-negative but for rare returns (``Prepared.log_scale``). ``coded``: exogenous columns
    holding codes (``Prepared.codes``), whose numbers mean nothing."""
    lags = model_lags(freq, horizon, history)
    windows = tuple(w for w in ROLLING_WINDOWS[freq] if lags[0] + w <= history - LAG_ROOM.get(freq, 0))
    long_lag = max(lags)
    rolling = {lags[0]: windows}
    if long_lag != lags[0] and long_lag >= SEASON_LENGTH[freq] and windows and \
            long_lag + windows[0] <= history - LAG_ROOM.get(freq, 0):  # 55 weeks: a 4-week mean at lag 52 left no row
        rolling[long_lag] = windows[:1]  # last season's level around the same date
    params = {"n_estimators": int(n_estimators), "learning_rate": 0.05, "num_leaves": 63,
              "min_child_samples": 20, "colsample_bytree": COLUMN_SAMPLE, "objective": "l1", "seed": int(seed)}
    candidates = baselines_for(freq, max(history, longest or 0), log_scale=log_scale, latest=latest)
    return FeatureConfig(freq, pandas_freq, lags, rolling, DATE_FEATURES[freq], static, exogenous, params,
                         candidates, "log1p" if log_scale else "standard", _weekday_rolling(freq, lags, history),
                         tuple(c for c in coded if c in exogenous))


def _weekday_rolling(freq: str, lags: tuple[int, ...], history: int) -> dict[int, tuple[int, ...]]:
    """Same-weekday rolling means at the first lag that is a whole number of weeks, and a year back."""
    if freq != "D":
        return {}
    week = SEASON_LENGTH[freq]
    near = -(-lags[0] // week) * week
    out: dict[int, tuple[int, ...]] = {}
    if near + week * WEEKDAY_WINDOWS["near"] <= history:
        out[near] = (WEEKDAY_WINDOWS["near"],)
    year = YEAR_LENGTH[freq]
    if year in lags and year != near and year + week * WEEKDAY_WINDOWS["year"] <= history:
        out[year] = (WEEKDAY_WINDOWS["year"],)
    return out


def _mlforecast(config: FeatureConfig, threads: int):
    import lightgbm as lgb
    from mlforecast import MLForecast
    from mlforecast.lag_transforms import RollingMean, SeasonalRollingMean

    model = lgb.LGBMRegressor(**{k: v for k, v in config.params.items() if k != "seed"},
                              random_state=config.params.get("seed", 0), n_jobs=threads, verbose=-1)
    transforms = {lag: [RollingMean(window_size=w) for w in windows] for lag, windows in config.rolling.items() if windows}
    season = SEASON_LENGTH[config.freq]
    for lag, windows in config.seasonal_rolling.items():
        transforms.setdefault(lag, []).extend(SeasonalRollingMean(season_length=season, window_size=w) for w in windows)
    return MLForecast(models={LGBM: model}, freq=config.pandas_freq, lags=list(config.lags),
                      lag_transforms=transforms, date_features=list(config.date_features),
                      target_transforms=_target_transforms(config.transform), num_threads=1)


def signed_log1p(y: np.ndarray) -> np.ndarray:
    """log1p for sales, mirrored for the rare return: sign(y) · log1p(|y|) (plain log1p when y ≥ 0)."""
    return np.sign(y) * np.log1p(np.abs(y))


def signed_expm1(z: np.ndarray) -> np.ndarray:
    """The inverse of ``signed_log1p``."""
    return np.sign(z) * np.expm1(np.abs(z))


def _target_transforms(transform: str) -> list:
    """Each series standardised; demand first on a log1p scale (mirrored for rare returns), where seasonal
    and promotional effects are multiplicative and thus additive for the trees (the forecast is the inverse
    of the prediction)."""
    from mlforecast.target_transforms import GlobalSklearnTransformer, LocalStandardScaler
    from sklearn.preprocessing import FunctionTransformer

    log = [GlobalSklearnTransformer(FunctionTransformer(signed_log1p, signed_expm1))] if transform == "log1p" else []
    return [*log, LocalStandardScaler()]


# LightGBM refuses feature names with JSON's own characters ("Region, country", "Temp [C]"): inside the model
# they are written with look-alikes, and read back as written everywhere outside it.
_TO_SAFE = str.maketrans({'"': "\u201d", ",": "\u201a", ":": "\ua789", "[": "\u2045", "]": "\u2046",
                          "{": "\u2774", "}": "\u2775"})
_FROM_SAFE = str.maketrans({v: chr(k) for k, v in _TO_SAFE.items()})


def _safe(name: str) -> str:
    return str(name).translate(_TO_SAFE)


def as_written(name: str) -> str:
    return str(name).translate(_FROM_SAFE)


def _training_frame(history: pd.DataFrame, config: FeatureConfig,
                    coded_dates: dict[str, pd.DataFrame] | None = None) -> tuple[pd.DataFrame, str | None]:
    """``coded_dates``: ``forecast_lifts.date_lifts`` of the history, where already read."""
    columns = [ID, DS, Y, *config.static, *config.exogenous]
    frame = history[columns].copy()
    if coded_dates is None:
        coded_dates = lifts.date_lifts(history, config.coded, config.freq)
    for column, dates in coded_dates.items():
        frame[column] = lifts.training_lifts(frame[column], frame[DS], dates)
    for column in config.static:
        frame[column] = frame[column].astype(str).astype("category")
    frame = frame.rename(columns={c: _safe(c) for c in (*config.static, *config.exogenous)})
    weight = None
    if "imputed" in history.columns and history["imputed"].any():
        frame["weight"] = (~history["imputed"].to_numpy()).astype(float)
        weight = "weight"
    return frame, weight


@dataclass
class FittedForecaster:
    """A fitted mlforecast object plus the feature rows it predicted from (for SHAP)."""

    forecaster: Any
    config: FeatureConfig
    feature_rows: list[pd.DataFrame] = field(default_factory=list)
    code_lifts: dict[str, pd.Series] = field(default_factory=dict)  # coded column -> each code's lift

    @property
    def booster(self):
        return self.forecaster.models_[LGBM].booster_

    @property
    def feature_names(self) -> list[str]:
        return [as_written(n) for n in self.forecaster.ts.features_order_]

    def predict(self, horizon: int, future_exog: pd.DataFrame | None = None) -> pd.DataFrame:
        """Median-like point forecast per series and step; keeps the feature rows of each step."""
        self.feature_rows = []

        def keep(features: pd.DataFrame) -> pd.DataFrame:
            self.feature_rows.append(features.copy())
            return features

        with warnings.catch_warnings():  # a series shorter than a long lag has a blank there: trees take blanks
            warnings.filterwarnings("ignore", message="Found null values", category=UserWarning)
            exog = None if future_exog is None else future_exog.assign(**{
                c: lifts.forecast_lifts(future_exog[c], table) for c, table in self.code_lifts.items()
                if c in future_exog.columns}).rename(columns=_safe)
            out = self.forecaster.predict(horizon, before_predict_callback=keep, X_df=exog)
        return out.rename(columns={LGBM: "yhat"})[[ID, DS, "yhat"]]

    def predicted_features(self, forecast: pd.DataFrame) -> pd.DataFrame:
        """Feature rows aligned with ``forecast`` rows (recursive steps arrive step by step, ids in order)."""
        ids = self.forecaster.ts.uids
        frames = []
        for step, features in enumerate(self.feature_rows):
            part = features.reset_index(drop=True).rename(columns=as_written)
            part.insert(0, ID, np.asarray(ids)[: len(part)])
            part.insert(1, "step", step + 1)
            frames.append(part)
        if not frames:
            return pd.DataFrame()
        stacked = pd.concat(frames, ignore_index=True)
        order = forecast.groupby(ID, sort=False).cumcount() + 1
        keys = pd.DataFrame({ID: forecast[ID].to_numpy(), "step": order.to_numpy(), DS: forecast[DS].to_numpy()})
        # Each series' scaling beside its rows: the drivers table reads lags back in sales with it.
        return keys.merge(stacked, on=[ID, "step"], how="left").merge(series_scales(self.forecaster), on=ID,
                                                                        how="left")


def fit_lightgbm(history: pd.DataFrame, config: FeatureConfig, *, threads: int = 2) -> FittedForecaster:
    coded_dates = lifts.date_lifts(history, config.coded, config.freq)
    frame, weight = _training_frame(history, config, coded_dates)
    forecaster = _mlforecast(config, threads)
    with warnings.catch_warnings():  # series shorter than the longest lag give no training rows; still forecast
        warnings.filterwarnings("ignore", message="The following series were dropped", category=UserWarning)
        forecaster.fit(frame, static_features=[_safe(c) for c in config.static], weight_col=weight)
    return FittedForecaster(forecaster, config, code_lifts={c: lifts.code_lifts(d) for c, d in coded_dates.items()})


def tree_shap(booster, X: pd.DataFrame) -> np.ndarray:
    """SHAP values per row and feature, by LightGBM's own exact TreeSHAP (``pred_contrib``): the values shap's
    TreeExplainer returns for the model (equal on the bundled sample), without importing shap (about a second)."""
    contributions = booster.predict(X.set_axis(booster.feature_name(), axis=1), pred_contrib=True)
    return np.asarray(contributions, float)[:, :-1]  # the last column is the base value


def training_features(fitted: FittedForecaster, history: pd.DataFrame, rows: int, seed: int) -> pd.DataFrame:
    """A sample of the training feature matrix, for global SHAP importance."""
    frame, weight = _training_frame(history, fitted.config)
    # The weight column (imputed gaps weigh 0) must be named as such, or preprocess takes it for a feature.
    X = fitted.forecaster.preprocess(frame, static_features=[_safe(c) for c in fitted.config.static],
                                     weight_col=weight)
    X = X[list(fitted.forecaster.ts.features_order_)].rename(columns=as_written)
    return X.sample(min(rows, len(X)), random_state=seed) if len(X) > rows else X


__all__ = ["ALL_BASELINES", "BASELINES", "COLUMN_SAMPLE", "DS", "FeatureConfig", "FittedForecaster", "ID", "LGBM",
           "MOVING_AVERAGE", "SEASONAL_INDEX", "SEASONAL_NAIVE", "Y", "YEARLY_NAIVE", "as_written", "baseline",
           "baselines_for", "feature_config", "fit_lightgbm", "future_dates", "has_a_year", "moving_average",
           "seasonal_naive", "signed_expm1", "signed_log1p", "training_features", "tree_shap", "yearly_naive"]

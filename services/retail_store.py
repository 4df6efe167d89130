"""Storing a retail run: artifacts staged then promoted, and one transaction for run, predictions, audit.

The LightGBM booster is saved as LightGBM text and the feature declaration as JSON (no pickle);
the forecast feature rows are kept as Parquet so drivers of one series and date can be explained later.
"""
from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import pandas as pd

from data.records import RunRecord
from ml import artifacts
from ml.forecast_backtest import MEAN, lead_variance_ratios
from ml.forecast_frequency import on_own_weekdays
from ml.forecast_gaps import FILLED
from ml.forecast_prep import DS, ID, IMPUTED, Y, Prepared

MODEL_FILE = "model.txt"
FEATURES_FILE = "features.json"
EXPLANATION_FILE = "explanation.json"
FORECAST_FEATURES_FILE = "forecast_features.parquet"
BY_SERIES_FILE = "backtest_by_series.csv"
HISTORY_FILE = "history.parquet"
CHUNK = 20_000


def _plain(value: Any) -> Any:
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def prediction_rows(frame: pd.DataFrame, keys: pd.DataFrame, extra: tuple[str, ...]):
    """(record_key, outputs) pairs: key columns by name, ISO date, the bands and any extra columns."""
    merged = frame.merge(keys, on=ID, how="left")
    names = list(keys.columns.drop(ID))
    for values in merged.to_dict("records"):  # by name as written: itertuples renames 'Store ID' to '_1'
        date = pd.Timestamp(values[DS]).date().isoformat()
        outputs = {k: _plain(values[k]) for k in names}
        outputs.update(date=date, p10=float(values["p10"]), p50=float(values["p50"]), p90=float(values["p90"]))
        outputs.update({k: _plain(values[k]) for k in extra})
        yield f"{values[ID]}|{date}", outputs


def _write_artifacts(staging: Path, result: dict[str, Any]) -> list[str]:
    fitted = result.get("fitted")
    names: list[str] = []
    (staging / FEATURES_FILE).write_text(json.dumps(result["config"].to_json(), indent=2), encoding="utf-8")
    (staging / EXPLANATION_FILE).write_text(json.dumps(
        {"global_importance": result.get("importance", {}),
         "units": "mean |SHAP| of the LightGBM model, in standardised units of each series"}), encoding="utf-8")
    result["by_series"].to_csv(staging / BY_SERIES_FILE, index=False)
    if fitted is not None:
        fitted.booster.save_model(str(staging / MODEL_FILE))
        names = fitted.feature_names
        features = result.get("forecast_features")
        if features is not None and len(features):
            features.to_parquet(staging / FORECAST_FEATURES_FILE, index=False)
    return names


def history_table(prepared: Prepared) -> pd.DataFrame:
    """The report's history: per series (key columns), the periods the model learnt from, dated as the
    forecasts are (a weekly series on its own weekday again), gaps left missing blank. Kept with the run:
    preparing a 300,000-row file again took 15 s, on every look at one series."""
    frame = on_own_weekdays(prepared.frame, prepared.own_days)
    values = frame[Y]
    if IMPUTED in frame.columns:  # a closing day's zeros (imputed, yet a row in the file) are drawn as the 0 they were
        values = values.where(~frame[IMPUTED].astype(bool)).mask(closing_days(frame), 0.0)
    history = frame[list(prepared.keys)].assign(date=frame[DS].to_numpy(), y=values.astype(float).to_numpy())
    return history.sort_values("date", kind="stable").reset_index(drop=True)


def closing_days(frame: pd.DataFrame) -> pd.Series:
    """True on a series' closing-day rows (a Rossmann store's Sundays, rows of 0 in the file): not read as sales
    in preparation (imputed: bridged for the lags, not scored), yet rows of the file (not filled gaps)."""
    if IMPUTED not in frame.columns or FILLED not in frame.columns:
        return pd.Series(False, index=frame.index)
    return frame[IMPUTED].astype(bool) & ~frame[FILLED].astype(bool)


def _closing_days_at_zero(backtest: pd.DataFrame, frame: pd.DataFrame) -> pd.DataFrame:
    """The stored backtest shows a closing day as the 0 it was, forecast at 0 as the forecast is: its bridged
    value (about 8,100 on a Rossmann-like store's Sundays) drew sales on days the store was shut. Those rows
    stay out of every figure (they are imputed; the figures were computed before this)."""
    shut = frame.loc[closing_days(frame), [ID, DS]]
    if shut.empty or backtest.empty:
        return backtest
    on = pd.MultiIndex.from_frame(backtest[[ID, DS]]).isin(pd.MultiIndex.from_frame(shut))
    out = backtest.copy()
    out.loc[on, [c for c in ("actual", "yhat", "p10", "p50", "p90") if c in out.columns]] = 0.0
    return out


def _unobserved_blank(backtest: pd.DataFrame) -> pd.DataFrame:
    """The stored backtest's actual is blank where nothing was observed (a gap left missing, a one-off
    closure): its bridged value, stored as the actual, read as a sale in exports and views though it was
    never scored. Closing days are set to the 0 they were afterwards (``_closing_days_at_zero``)."""
    if IMPUTED not in backtest.columns or not backtest[IMPUTED].any():
        return backtest
    return backtest.assign(actual=backtest["actual"].where(~backtest[IMPUTED].astype(bool)))


def _metrics(result: dict[str, Any]) -> dict[str, float | None]:
    """Flat numbers: the champion's figures, and every model's as ``<model>_<metric>``."""
    champion = result["table"][result["champion"]]
    out = {k: _plain(v) for k, v in champion.items()}
    for model, figures in result["table"].items():
        out.update({f"{model}_{k}": _plain(v) for k, v in figures.items()})
    return out


def store_run(runtime, params: dict[str, Any], info, prepared: Prepared, result: dict[str, Any], *,
              desk: str, task: str) -> int:
    staging = artifacts.staging_dir(runtime.artifacts_dir)
    try:
        feature_names = _write_artifacts(staging, result)
        history_table(prepared).to_parquet(staging / HISTORY_FILE, index=False)
        artifacts.write_metadata(staging, task=task, parameters=result["config"].to_json(),
                                 feature_names=feature_names, extra={"dataset_sha256": info.sha256})
        final_dir = runtime.artifacts_dir / f"run-{staging.name.removeprefix('.tmp-')}"
        artifacts.promote(staging, final_dir)
    except BaseException:
        artifacts.discard(staging)
        raise
    try:
        return _commit(runtime, params, info, prepared, result, final_dir, desk, task)
    except BaseException:
        artifacts.discard(final_dir)
        raise


def _commit(runtime, params, info, prepared: Prepared, result, final_dir: Path, desk: str, task: str) -> int:
    keys = prepared.key_values()
    champion = result["champion"]
    backtest = result["backtest"]
    backtest = backtest[backtest["model"] == champion].rename(columns={"y": "actual"})
    ratios = lead_variance_ratios(backtest.rename(columns={"actual": "y"}), int(params["horizon"]))
    backtest = _closing_days_at_zero(_unobserved_blank(backtest), prepared.frame)
    parameters = {**params, "freq_used": prepared.freq, "pandas_freq": prepared.pandas_freq,
                  "keys": list(prepared.keys), "champion": champion,
                  "champion_metric": result.get("champion_metric", "wape"),
                  "steady_leader": result.get("steady_leader"),
                  "windows_used": result["windows"], "notes": list(result["notes"]),
                  "lead_variance_ratio": ratios,
                  "short_series": list(prepared.short_series),
                  "backtest_table": [{"model": m, **{k: _plain(v) for k, v in f.items()}}
                                     for m, f in result["table"].items()]}
    with runtime.uow() as uow:
        owner = uow.users.get_or_create(runtime.user)
        run = uow.runs.add(RunRecord(desk=desk, task=task, dataset_id=info.id, parameters=parameters,
                                     metrics=_metrics(result), status="succeeded", artifact_dir=final_dir.name,
                                     artifact_hashes=artifacts.file_hashes(final_dir), owner_id=owner.id))
        forecast = result["forecast"]
        for kind, frame, extra in (("forecast", forecast, ("model", *[MEAN] * (MEAN in forecast.columns))),
                                   ("backtest", backtest, ("actual", "model", "window"))):
            rows = list(prediction_rows(frame, keys, extra))
            for start in range(0, len(rows), CHUNK):
                uow.predictions.add_many(run.id, rows[start:start + CHUNK], kind=kind)
        uow.audit.add(user_id=owner.id, action="forecast", object_type="run", object_id=run.id,
                      details={"desk": desk, "dataset_id": info.id, "champion": champion,
                               "series": int(keys.shape[0]), "horizon": int(params["horizon"])})
        uow.commit()
        return run.id

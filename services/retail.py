"""Retail desk: forecast demand for many series, backtest against baselines, store the champion's forecast.

The job follows the house pattern: load → prepare (every change noted) → backtest all models on
rolling origins → pick the champion on WAPE (+ |balance|, unless its lead held in half the windows) → fit on
all history → bands from backtest errors → explain (SHAP) → write artifacts → one transaction for run,
predictions and audit.
"""
from __future__ import annotations

import json
import math
from typing import Any

import numpy as np
import pandas as pd

from domain import retail as rules
from ml import forecast_backtest as backtest
from ml import forecast_calendar as calendar
from ml import forecast_conformal as conformal
from ml import forecast_metrics as metrics
from ml import forecast_models as models
from ml.forecast_frequency import on_own_weekdays
from ml.forecast_prep import DS, ID, ForecastInputError, PrepOptions, Prepared, prepare
from services import datasets
from services import retail_adjust as adjust
from services import retail_backtest_notes as backtest_notes
from services import retail_closed_drivers as closed_drivers
from services import retail_form
from services import retail_short as short
from services.jobs import Progress
from services.retail_codes import id_named, id_target_note, identifier_like, series_attributes, with_codes
from services.retail_future import RetailInputError, future_rows_as_values, future_values
from services.retail_store import store_run
from services.runtime import Runtime

DESK = "retail"
TASK = "global_lightgbm_forecast"
HANDLER = "services.retail:forecast_demand_job"
KIND = "retail.forecast"
# Training rows explained for the global drivers. TreeSHAP over 500 trees costs about 7 ms of CPU a row: 2,000 rows
# took 15 s of a 29 s run on the bundled sample; 1,000 move each mean |SHAP| by at most 0.004 (top driver 0.217).
MAX_EXPLAIN_ROWS = 1000


def forecast_params(dataset_id: int, *, date: str, target: str, series: list[str], horizon: int,
                    freq: str | None = None, fill: str = "zero", duplicates: str = "error",
                    negatives: str = "keep", windows: int = 3, exogenous: list[str] | None = None,
                    future_dataset_id: int | None = None, n_estimators: int = 500, seed: int = 0) -> dict[str, Any]:
    """JSON-safe job parameters; checked here so a bad choice fails before a job is queued."""
    choices = {"fill": (fill, ("zero", "missing")), "duplicates": (duplicates, ("error", "sum")),
               "negatives": (negatives, ("keep", "clip"))}
    for name, (value, allowed) in choices.items():
        if value not in allowed:
            raise RetailInputError(f"{name} must be one of {', '.join(allowed)} (got {value!r}).")
    if freq is not None and freq.upper() not in calendar.FREQUENCIES:
        raise RetailInputError(f"Frequency must be one of {', '.join(calendar.FREQUENCIES)} (got {freq!r}).")
    if not series:
        raise RetailInputError("Choose at least one series key column (e.g. store, item).")
    if int(horizon) < 1 or int(windows) < 1 or int(n_estimators) < 1:
        raise RetailInputError("Horizon, number of backtest windows and number of trees must be at least 1.")
    return {"dataset_id": int(dataset_id), "date": date, "target": target, "series": list(series),
            "horizon": int(horizon), "freq": freq.upper() if freq else None, "fill": fill,
            "duplicates": duplicates, "negatives": negatives, "windows": int(windows),
            "exogenous": list(exogenous or []), "future_dataset_id": future_dataset_id,
            "n_estimators": int(n_estimators), "seed": int(seed)}


def prepare_sales(frame: pd.DataFrame, params: dict[str, Any]) -> Prepared:
    options = PrepOptions(date=params["date"], target=params["target"], series=tuple(params["series"]),
                          horizon=int(params["horizon"]), freq=params.get("freq"), fill=params.get("fill", "zero"),
                          duplicates=params.get("duplicates", "error"), negatives=params.get("negatives", "keep"))
    retail_form.check_keys(frame, list(options.series))  # the CLI too: keys naming rows, not series, are refused
    try:
        return id_target_note(with_codes(prepare(frame, options)), frame[options.target], options.target)
    except ForecastInputError as exc:
        raise RetailInputError(str(exc)) from exc


def _exogenous(runtime: Runtime, prepared: Prepared, params: dict[str, Any]
               ) -> tuple[tuple[str, ...], pd.DataFrame | None, list[str]]:
    """Numeric extra columns are used only with their future values; otherwise left out, visibly."""
    wanted = [c for c in params.get("exogenous") or [] if c in prepared.extra_columns]
    # Rossmann's test.csv Id, numbering the rows to forecast, had been used as a driver from the future rows.
    numeric = [c for c in prepared.extra_columns
               if pd.api.types.is_numeric_dtype(prepared.frame[c]) and not id_named(c)]
    written = [c for c in numeric if c not in prepared.codes]  # text codes left out are named as text
    notes: list[str] = []
    future, explained = None, set()
    if wanted and params.get("future_dataset_id"):
        future = future_values(datasets.load_pandas(runtime, params["future_dataset_id"]), prepared, params, wanted)
    elif prepared.future_rows is not None and not prepared.future_rows.empty:
        explained = set(wanted or numeric)  # the note on the file's future rows says why they are not used
        wanted, future = future_rows_as_values(prepared, int(params["horizon"]), wanted or numeric, notes)
    used = tuple(wanted) if future is not None else ()
    left_out = [c for c in prepared.extra_columns if c not in used and c not in explained]
    stock = [c for c in left_out if retail_form.stock_like(str(c))]  # follows sales: not a driver to suggest
    drivers = [c for c in left_out if c in written and c not in stock
               and not identifier_like(prepared.frame[c], str(c))]
    others = [c for c in left_out if c not in drivers and c not in stock]
    drivers = series_attributes(prepared.frame, drivers, notes)
    if stock:
        notes.append(f"Stock column(s) left out of the model: {', '.join(stock)}. Stock on hand is not a driver of "
                     "demand; pick it as the on-hand stock column on the Inventory tab (retail reorder --on-hand).")
    if drivers:
        notes.append(f"Numeric columns left out of the model (no future values given): {', '.join(drivers)}. To "
                     "use them as drivers, add the dates to forecast as rows with them filled and the quantity "
                     "blank (or upload a filled future template on the page).")
    if others:
        notes.append(f"Other columns left out (identifiers, codes or text, not drivers): {', '.join(others)}.")
    return used, future, notes


def forecast_demand_job(runtime: Runtime, params: dict[str, Any], progress: Progress) -> int:
    progress(0.01, "Loading the dataset")
    info = datasets.get_dataset(runtime, params["dataset_id"])
    prepared = prepare_sales(datasets.load_pandas(runtime, info.id), params)
    exog, future, notes = _exogenous(runtime, prepared, params)
    horizon, windows = int(params["horizon"]), int(params.get("windows", 3))
    progress(0.04, f"Prepared {prepared.frame[ID].nunique()} series ({prepared.freq})")
    result = fit_and_forecast(prepared, horizon=horizon, windows=windows, exogenous=exog, future=future,
                              n_estimators=int(params.get("n_estimators", 500)), seed=int(params.get("seed", 0)),
                              progress=progress)
    result["notes"] = [*datasets.reading_notes(info.problems), *prepared.notes, *notes, *result["notes"]]
    params = {**params, "exogenous": list(exog)}  # the drivers used (a file's future rows bring their own)
    check = getattr(progress, "check", None)
    progress(0.95, "Saving results")
    if check is not None:
        check()
    run_id = store_run(runtime, params, info, prepared, result, desk=DESK, task=TASK)
    progress(1.0, "Done")
    return run_id


def fit_and_forecast(prepared: Prepared, *, horizon: int, windows: int, exogenous: tuple[str, ...] = (),
                     future: pd.DataFrame | None = None, n_estimators: int = 500, seed: int = 0,
                     progress: Progress | None = None) -> dict[str, Any]:
    """All the numbers of a run, without storing anything (the bench calls this directly)."""
    step = progress or (lambda f, m: None)
    data = prepared.frame
    long_ids = ~data[ID].isin(prepared.short_series)
    model_data = data[long_ids]
    use_model = bool(long_ids.any())
    scored_data = model_data if use_model else data
    lengths = scored_data.groupby(ID).size()
    asked, windows = windows, _room_for_windows(windows, lengths, horizon, prepared.freq, use_model)
    history = int(lengths.min()) - windows * horizon if use_model else int(lengths.max())  # first window's training
    # The seasonal index is offered from a year before the last third of the windows: compared on a third or more.
    latest = int(lengths.max()) - math.ceil(windows / 3) * horizon
    config = models.feature_config(prepared.freq, prepared.pandas_freq, horizon, max(history, horizon + 1),
                                   static=prepared.keys, exogenous=exogenous, n_estimators=n_estimators, seed=seed,
                                   log_scale=prepared.log_scale, longest=int(lengths.max()) - windows * horizon,
                                   latest=latest, coded=tuple(prepared.codes))
    rows = backtest.run_backtest(scored_data, config, horizon=horizon, windows=windows, include_model=use_model,
                                 progress=lambda f, m: step(0.05 + 0.6 * f, m))
    rows = adjust.never_sold_at_zero(prepared, rows)  # scored as they are forecast
    first_cut = backtest.cutoffs(scored_data[DS], prepared.pandas_freq, horizon, windows)[0]
    before_cut, season = scored_data[scored_data[DS] <= first_cut], calendar.SEASON_LENGTH[prepared.freq]
    year = calendar.YEAR_LENGTH[prepared.freq]
    scale, band = metrics.mase_scale(before_cut, season), metrics.band_scale(before_cut, year)
    band_now = metrics.band_scale(scored_data, year)
    shared = backtest.shared_windows(rows)  # all of them unless a model could not forecast the earlier ones
    table, banded = _score_models(rows, scale, band, prepared.signed, shared)
    by_window = metrics.window_wape(banded[banded["window"].isin(shared)])
    champion, picked_on = rules.champion_from_table(table, by_window)
    step(0.7, f"Champion: {champion}. Fitting it on the whole history")
    fitted = models.fit_lightgbm(model_data, config) if use_model else None
    point = (fitted.predict(horizon, future_exog=_future_or_none(future, exogenous)) if champion == models.LGBM
             else models.baseline(champion, scored_data, prepared.freq, prepared.pandas_freq, horizon))
    offsets = backtest.residual_offsets(rows[rows["model"] == champion], band, band_now,
                                        level=short.forecast_level(point),
                                        median=champion == models.LGBM,
                                        levels=conformal.band_levels(rows, champion))
    forecast = backtest.apply_band(point, offsets, signed=prepared.signed)
    forecast["model"] = champion
    notes = backtest_notes.shared_window_notes(rows, shared, prepared.freq)
    closed = point.attrs.get("year_old_gaps", [])
    if closed:
        notes.append(f"{len(closed)} series had a long gap or closure (periods with no rows, or with no sales in a "
                     "series that sells most days) a year before the forecast dates, and not the year before that: "
                     "those dates are forecast from the latest weeks instead of "
                     f"copying the closure: {', '.join(map(str, closed[:5]))}{' …' if len(closed) > 5 else ''}.")
    if windows < asked:
        notes.append(f"{asked} backtest windows were asked for; the history leaves room for {windows} (each window's "
                     "model needs enough history before it).")
    notes.extend(backtest_notes.bias_notes(table, champion, picked_on))
    notes.extend(backtest_notes.coverage_notes(banded[banded["model"] == champion]))
    notes.extend(backtest_notes.unseen_driver_notes(scored_data, _future_or_none(future, exogenous), prepared.codes,
                                                    first_cut))
    if picked_on != rules.CHAMPION_METRIC:
        notes.append("Every backtest actual was 0, so WAPE is undefined; the champion was picked on "
                     f"{'sMAPE' if picked_on == rules.FALLBACK_METRIC else 'no metric (the model)'}.")
    if windows == 1:  # asked for, or all the history leaves room for
        notes.append(("One backtest window was asked for" if asked == 1 else "The history fits only one backtest "
                      "window") + ", so the bands were learnt on the window they are scored on: read the coverage "
                     "as optimistic. " + ("More windows give sturdier bands." if asked == 1 else
                                          "A shorter horizon leaves room for more windows."))
    if use_model and prepared.short_series:
        forecast = pd.concat([forecast, short.short_forecast(prepared, table, rows, band, horizon=horizon,
                                                             windows=windows, long_point=point, notes=notes)],
                             ignore_index=True)
    stopped = adjust.stopped(prepared)
    forecast = adjust.slow_sellers_on_a_mean(prepared, forecast, scored_data, horizon, notes, exclude=stopped,
                                             champion=champion)
    forecast = adjust.never_sold_at_zero(prepared, adjust.stopped_at_zero(prepared, forecast, stopped, notes))
    forecast = closed_drivers.on_closed_dates(prepared, adjust.closed_weekdays(prepared, forecast, notes), notes)
    forecast = adjust.closed_weekdays_of_series(prepared, forecast, notes)
    forecast = closed_drivers.at_zero(prepared, forecast, _future_or_none(future, exogenous), exogenous, notes)
    forecast = on_own_weekdays(forecast, prepared.own_days)
    step(0.85, "Explaining the model (SHAP)")
    # Per-date drivers always explain the LightGBM forecast, also where a baseline is the champion.
    explained = point if champion == models.LGBM else (
        fitted.predict(horizon, future_exog=_future_or_none(future, exogenous)) if fitted else None)
    explanation = _explain(fitted, model_data, explained, seed) if fitted else {}
    if len(explanation.get("forecast_features", ())) and {ID, DS} <= set(explanation["forecast_features"].columns):
        explanation["forecast_features"] = on_own_weekdays(explanation["forecast_features"], prepared.own_days)
    by_series = metrics.by_series(banded[banded["model"] == champion], scale)
    return {"config": config, "table": table, "champion": champion, "champion_metric": picked_on,
            "steady_leader": rules.steady_leader(rules.eligible(table), by_window),
            "forecast": forecast, "fitted": fitted,
            "backtest": banded, "by_series": by_series, "windows": windows, "notes": notes, **explanation}


def _room_for_windows(windows: int, lengths: pd.Series, horizon: int, freq: str, use_model: bool) -> int:
    """Backtest windows the history leaves room for: before the first one, the longest series keeps the
    training history the model needs (the minimum history less one horizon, at least horizon + 1)."""
    train = max(horizon + 1, calendar.minimum_history(freq, horizon) - horizon) if use_model else 1
    return max(1, min(windows, (int(lengths.max()) - train) // horizon))


def _future_or_none(future: pd.DataFrame | None, exogenous: tuple[str, ...]) -> pd.DataFrame | None:
    return future[[ID, DS, *exogenous]] if future is not None and exogenous else None


def _score_models(rows: pd.DataFrame, scale: pd.Series, band: pd.Series, signed: frozenset, shared: list[int]
                  ) -> tuple[dict[str, dict], pd.DataFrame]:
    """Each model's overall figures over the ``shared`` windows, with bands learnt on its other windows (honest
    coverage): ``scale`` is the MASE scale, ``band`` the one bands are sized on."""
    table, parts = {}, []
    for name in [m for m in (models.LGBM, *models.ALL_BASELINES) if m in set(rows["model"])]:
        banded = backtest.out_of_window_bands(rows[rows["model"] == name], band, signed=signed)
        table[name] = metrics.summary(banded[banded["window"].isin(shared)], scale)
        parts.append(banded)
    return table, pd.concat(parts, ignore_index=True)


def _explain(fitted: models.FittedForecaster, history: pd.DataFrame, forecast: pd.DataFrame | None,
             seed: int) -> dict[str, Any]:
    """Global SHAP importance on a training sample; forecast feature rows kept for per-row drivers."""
    sample = models.training_features(fitted, history, MAX_EXPLAIN_ROWS, seed)
    values = models.tree_shap(fitted.booster, sample)
    importance = pd.Series(np.abs(values).mean(axis=0), index=fitted.feature_names).sort_values(ascending=False)
    features = fitted.predicted_features(forecast) if forecast is not None else pd.DataFrame()
    return {"importance": {k: float(v) for k, v in importance.items()}, "forecast_features": features}


def explanation_payload(result: dict[str, Any]) -> str:
    return json.dumps({"global_importance": result.get("importance", {}),
                       "note": "Mean |SHAP| of the LightGBM model, in standardised units of each series."})

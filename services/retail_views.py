"""Reading a stored retail run back: forecast and backtest tables, aggregation, error ranking,
drivers for one series and date, on-hand stock and the future template. The run report's sections are in
``services.retail_report``."""
from __future__ import annotations

import json
from typing import Any

import pandas as pd

from domain import retail as rules
from ml import artifacts
from ml import forecast_models as models
from ml import forecast_units as units
from ml.forecast_periods import quarter_labels_as_dates
from services import runs
from services.labels import FREQUENCIES
from services.errors import NotFoundError, UserFacingError
from services.results import RunInfo
from services.retail_labels import plain_backtest
from services.retail_store import (BY_SERIES_FILE, EXPLANATION_FILE, FORECAST_FEATURES_FILE, HISTORY_FILE, MODEL_FILE,
                                   history_table)
from services.runtime import Runtime

BAND = ["p10", "p50", "p90"]


EXPORT_DECIMALS = 2
PLAN_DECIMALS = 6


def retail_run(runtime: Runtime, run_id: int) -> RunInfo:
    run = runs.get_run(runtime, run_id)
    if run.desk != "retail":
        raise NotFoundError(f"Run {run_id} is not a retail forecast.")
    return run


def forecast_frame(runtime: Runtime, run_id: int, extra: tuple[str, ...] = (), *,
                   decimals: int = EXPORT_DECIMALS) -> pd.DataFrame:
    """Key columns (named as in the input), date, p10, p50, p90 — the CLI's --out columns, in order — and
    those of the stored ``extra`` columns the run has."""
    run = retail_run(runtime, run_id)
    frame = runs.predictions_frame(runtime, run_id, kind="forecast")
    keys = list(run.parameters["keys"])
    frame = frame[[*keys, "date", *BAND, *[c for c in extra if c in frame.columns]]]
    frame = frame.sort_values([*keys, "date"], kind="stable").reset_index(drop=True)
    # Sales units to the hundredth: 4117.743006 read as false precision in the page's, report's and CLI's files
    # (rounding keeps p10 <= p50 <= p90), and float dust (57.10000000000001, 9e-10 for an all-zero series) goes.
    # Sums over a lead time ask for more (``decimals``): a week of 0.89-a-day P50s each rounded moved them 0.03.
    frame[BAND] = frame[BAND].round(decimals)
    return frame


def backtest_frame(runtime: Runtime, run_id: int) -> pd.DataFrame:
    run = retail_run(runtime, run_id)
    frame = runs.predictions_frame(runtime, run_id, kind="backtest")
    return frame[[*run.parameters["keys"], "date", "actual", *BAND, "model", "window"]]


def backtest_table(run: RunInfo) -> pd.DataFrame:
    """Model-vs-baselines: one row per model, champion flagged, sorted by the champion metric."""
    table = pd.DataFrame(run.parameters.get("backtest_table", []))
    if table.empty:
        return table
    table.insert(1, "champion", table["model"] == run.parameters.get("champion"))
    # Runs stored before the balance column sort on WAPE alone, as they were picked.
    order = _scores(table, run.parameters.get("steady_leader"))
    return table.iloc[pd.Series(order, dtype=float).sort_values(kind="stable").index].reset_index(drop=True)


def _scores(table: pd.DataFrame, leader: str | None) -> list[float | None]:
    """The score each model was picked on: WAPE + the imbalance beyond chance, WAPE alone for a model whose
    lead held in at least half the backtest windows (``rules.steady_leader``)."""
    scored = [c for c in ("wape", "balance", "balance_noise") if c in table.columns]
    return [row["wape"] if name == leader else rules.selection_score({k: row.get(k) for k in scored})
            for name, row in zip(table["model"], table.to_dict("records"))]


def backtest_view(run: RunInfo) -> pd.DataFrame:
    """``backtest_table`` for a page: plain model names, column labels with units ('WAPE (%)'), and the score the
    champion was chosen on last (WAPE plus the over/under imbalance beyond chance): where every model ran high or
    low alike, the caption's rule read as if it had been ignored."""
    table = backtest_table(run)
    if not table.empty and {"wape", "balance", "balance_noise"} <= set(table.columns):
        table["score"] = pd.Series(_scores(table, run.parameters.get("steady_leader")), index=table.index,
                                   dtype=float)
    return plain_backtest(table)


def history_frame(runtime: Runtime, run: RunInfo) -> pd.DataFrame:
    """Per series, the periods the run's model learnt from (``retail_store.history_table``): its periods, a
    partial first and last one left out (runs stored before the first was dropped still show it), month-end
    runs on month ends. The raw file summed by date drew a last week of
    two days as a collapse in demand next to the forecast, and a month-end run's history on month starts.
    A run stored without the table prepares its file again."""
    path = runtime.artifacts_dir / (run.artifact_dir or "") / HISTORY_FILE
    if run.artifact_dir and path.is_file():
        return pd.read_parquet(path)
    from services import datasets, retail

    return history_table(retail.prepare_sales(datasets.load_pandas(runtime, run.dataset_id), run.parameters))


def aggregate(frame: pd.DataFrame, keys: list[str], level: list[str], value_columns: list[str]) -> pd.DataFrame:
    """Sum to a coarser key level (e.g. store totals). Bands are summed too: a planning view, not a
    calibrated total interval (errors of different items partly cancel, so the summed band is wide)."""
    unknown = [k for k in level if k not in keys]
    if unknown:
        raise UserFacingError(f"Not a series key: {', '.join(unknown)}.")
    group = [*level, "date"] if level else ["date"]
    return frame.groupby(group, as_index=False)[value_columns].sum()


def series_label(row: pd.Series | dict, keys: list[str]) -> str:
    return "|".join(f"{k}={row[k]}" for k in keys)


def ranked_series(runtime: Runtime, run: RunInfo) -> pd.DataFrame:
    """Series by backtest error of the champion, worst first (WAPE, then sMAPE)."""
    path = runtime.artifacts_dir / (run.artifact_dir or "") / BY_SERIES_FILE
    if not path.is_file():
        return pd.DataFrame()
    table = pd.read_csv(path)
    return table.sort_values(["wape", "smape"], ascending=False, kind="stable").reset_index(drop=True)


def global_drivers(runtime: Runtime, run: RunInfo) -> dict[str, float]:
    path = runtime.artifacts_dir / (run.artifact_dir or "") / EXPLANATION_FILE
    return json.loads(path.read_text()).get("global_importance", {}) if path.is_file() else {}


def drivers_for(runtime: Runtime, run: RunInfo, series: str, date: str) -> pd.DataFrame:
    """SHAP contributions of the LightGBM model to one series' forecast on one date (checked files only).

    ``value`` is what the model saw, as a planner reads it (``ml.forecast_units``): lags and rolling means in
    sales (the model sees them standardised per series, on a log scale for non-negative sales), weekday and
    month names, 2 decimals. ``shap`` stays in the model's standardised units."""
    import lightgbm as lgb

    folder = runtime.artifacts_dir / (run.artifact_dir or "")
    meta = artifacts.read_metadata(folder)  # verifies hashes before anything is loaded
    if not (folder / FORECAST_FEATURES_FILE).is_file():
        raise UserFacingError("This run kept no LightGBM forecast rows to explain (every series was too short "
                              "for the model, or an older run where a baseline won); see the global drivers.")
    features = pd.read_parquet(folder / FORECAST_FEATURES_FILE)
    row = features[(features["unique_id"] == series) & (features["ds"] == pd.Timestamp(date))]
    if row.empty:
        raise UserFacingError(f"No forecast for {series} on {date}.")
    booster = lgb.Booster(model_file=str(folder / MODEL_FILE))
    # The model file writes "Store ID" as Store_ID (and a comma as a look-alike): the names as written are
    # the metadata's, in the model's order.
    names = meta.get("feature_names") or [models.as_written(n) for n in booster.feature_name()]
    X = row[names]
    values = models.tree_shap(booster, X)
    transform = (meta.get("parameters") or {}).get("transform", "standard")
    mean, std = _series_scale(folder, run, row.iloc[0], series, transform)
    shown = [units.readable(n, v, mean=mean, std=std, transform=transform) for n, v in zip(names, X.iloc[0])]
    out = pd.DataFrame({"feature": names, "value": shown, "shap": pd.Series(values[0]).round(4).to_numpy()})
    return out.reindex(out["shap"].abs().sort_values(ascending=False).index).reset_index(drop=True)


def _series_scale(folder, run: RunInfo, row: pd.Series, series: str, transform: str
                  ) -> tuple[float | None, float | None]:
    """The series' standardisation: kept with the feature rows, or for a run stored before that, measured
    on its stored history (None, None when neither is there)."""
    if units.SCALE_MEAN in row.index and pd.notna(row[units.SCALE_MEAN]):
        return float(row[units.SCALE_MEAN]), float(row[units.SCALE_STD])
    if not (folder / HISTORY_FILE).is_file():
        return None, None
    history, keys = pd.read_parquet(folder / HISTORY_FILE), list(run.parameters["keys"])
    ids = history[keys].astype(str).apply(lambda r: series_label(r, keys), axis=1)
    mine = (ids == series) & history["y"].notna()
    scales = units.scales_from_history(history.loc[mine, "y"], ids[mine], transform)
    return (float(scales[units.SCALE_MEAN].iloc[0]), float(scales[units.SCALE_STD].iloc[0])) if len(scales) else (
        None, None)


def run_period(run: RunInfo) -> str:
    """One period of the run, as lead times and review periods count them: 'quarter (about 91 days)'."""
    return rules.period_length(run.parameters.get("freq_used"))


def forecast_title(run: RunInfo) -> str:
    """'Quarterly forecast', 'Weekly forecast' …; 'Forecast' for a run stored without its frequency."""
    word = FREQUENCIES.get(run.parameters.get("freq_used"))
    return f"{word.capitalize()} forecast" if word else "Forecast"


def series_view(runtime: Runtime, run: RunInfo, level: list[str], selection: dict[str, Any]) -> dict[str, pd.DataFrame]:
    """History, champion backtest and forecast for one series or one aggregate (e.g. a store's total)."""
    frames = {"history": history_frame(runtime, run), "backtest": backtest_frame(runtime, run.id),
              "forecast": forecast_frame(runtime, run.id)}
    out = {}
    for name, frame in frames.items():
        frame = frame.copy()
        frame["date"] = pd.to_datetime(frame["date"])
        for key in level:
            frame = frame[frame[key].astype(str) == str(selection[key])]
        values = ["y"] if name == "history" else [*BAND, *(["actual"] if name == "backtest" else [])]
        group = ["date", "window"] if name == "backtest" else ["date"]
        out[name] = frame.groupby(group, as_index=False)[values].sum()
        if name == "backtest" and "actual" in frame.columns:  # blank (not observed) in one series: no total
            blank = frame["actual"].isna().groupby([frame[g] for g in group]).any().to_numpy()
            out[name]["actual"] = out[name]["actual"].where(~blank)
    return out


def future_template_csv(runtime: Runtime, params: dict[str, Any], columns: list[str]) -> bytes:
    """The rows a planner fills with known future values (price, promotion) for the forecast horizon."""
    from reports.exporters import export_csv
    from services import datasets, retail, retail_future

    prepared = retail.prepare_sales(datasets.load_pandas(runtime, params["dataset_id"]), params)
    template = retail_future.future_template(prepared, int(params["horizon"]), columns, params["date"])
    return export_csv(template, excel=True)


def on_hand_stock(runtime: Runtime, run: RunInfo, column: str) -> pd.DataFrame:
    """Latest value of a mapped on-hand column per series, from the run's dataset."""
    from services import datasets

    keys = list(run.parameters["keys"])
    frame = datasets.load_pandas(runtime, run.dataset_id, columns=[run.parameters["date"], column, *keys])
    # The latest row's value, blank or not: groupby().last() would skip a blank and show an older count as current.
    when = quarter_labels_as_dates(frame[run.parameters["date"]], run.parameters["date"], [])  # 'Q4 1998' < 'Q1 1999'
    latest = frame.iloc[when.argsort(kind="stable")].groupby(keys, as_index=False).tail(1)
    return latest.rename(columns={column: "on_hand"})[[*keys, "on_hand"]].reset_index(drop=True)

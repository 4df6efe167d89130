"""Retail names as a planner reads them: models described in words, backtest columns with their units.

The stored names (``seasonal_naive``, ``wape``) stay in the run, the CLI's ``--json`` and exports; pages and
reports show these labels instead."""
from __future__ import annotations

import pandas as pd

MODEL_DESCRIPTIONS = {
    "lightgbm": "one LightGBM model over all series (lags, rolling means, calendar, series keys)",
    "seasonal_index": "each series' recent level × trend × weekday and month (or week-of-year, or quarter) "
                      "indices shared by all series",
    "seasonal_naive": "the value one season earlier",
    "seasonal_naive_yearly": "the value on the same weekday a year earlier",
    "moving_average": "the mean of the last 28 days / 8 weeks / 3 months / 4 quarters",
}
MODEL_LABELS = {"lightgbm": "LightGBM", "seasonal_index": "seasonal index", "seasonal_naive": "seasonal naive",
                "seasonal_naive_yearly": "same period last year", "moving_average": "moving average",
                "mean_last_year": "mean of the last year"}
BACKTEST_COLUMNS = {
    "model": "model", "champion": "champion", "wape": "WAPE (%)", "smape": "sMAPE (%)",
    "bias": "bias (% of demand, + = over)", "mase": "MASE (1 = naive's error)",
    "balance": "periods over − under (points)", "balance_noise": "chance allows ± (points)",
    "coverage": "in P10–P90 band (%, aim 80)",
}


def describe_model(name: str | None) -> str:
    """``name`` with a plain description, for captions and reports."""
    return f"{name}: {MODEL_DESCRIPTIONS[name]}" if name in MODEL_DESCRIPTIONS else str(name)


def model_label(name: str | None) -> str:
    """'seasonal naive' for ``seasonal_naive``; an unknown name with spaces."""
    return MODEL_LABELS.get(str(name), str(name).replace("_", " "))


def plain_backtest(table: pd.DataFrame) -> pd.DataFrame:
    """The model-vs-baselines table with plain model names and column labels carrying their units, figures
    rounded to 2 decimals (the stored table keeps its names for the CLI and exports)."""
    out = table.copy()
    if "model" in out.columns:
        out["model"] = out["model"].map(model_label)
    figures = out.select_dtypes("number").columns
    out[figures] = out[figures].round(2)
    return out.rename(columns=BACKTEST_COLUMNS)

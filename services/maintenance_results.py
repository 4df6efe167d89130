"""Maintenance desk, RUL results as the page and the report show them: the models compared in words with the
split they were measured on, what the LightGBM model reads most, and the units an RUL run counts in. Features are
named in words by services/maintenance_words.py (``feature_words`` is read from here too)."""
from __future__ import annotations

from functools import partial
from typing import Any, Callable

import pandas as pd

from services import labels
from services.maintenance import read_json
from services.maintenance_rul import CONFIG_FILE as RUL_CONFIG_FILE
from services.maintenance_rul_notes import time_word
from services.maintenance_words import RUL_COLUMNS, feature_words, rul_text
from services.results import RunInfo
from services.runtime import Runtime


def rul_unit(config: dict) -> str:
    """What an RUL run's predictions count in, as its training notes said (runs stored before it was kept:
    from the preprocessor's time unit, else the time column's name)."""
    if config.get("rul_unit"):
        return str(config["rul_unit"])
    unit = (config.get("preprocess") or {}).get("time_unit_")
    return str(unit[0]) if unit else time_word(str(config.get("time", "")), False)


def rul_word(runtime: Runtime, run: RunInfo) -> str:
    """What an RUL run counts in ('cycles', 'hours'), from its stored config."""
    return rul_unit(read_json(runtime, run, RUL_CONFIG_FILE))


def model_comparison(runtime: Runtime, run: RunInfo) -> tuple[pd.DataFrame, str]:
    """An RUL run's models side by side with plain headers (RMSE in the run's units, NASA score), the champion
    marked, and a caption: lower is better, and which units the figures were measured on."""
    m, champion, word = run.metrics, run.parameters.get("champion"), rul_word(runtime, run)
    rows = [{"model": labels.MODELS.get(n, n) + (" (champion)" if n == champion else ""),
             f"{labels.metric_label('rmse')} ({word})": round(float(m[f"rmse_{n}"]), 2),
             labels.metric_label("nasa_score"): round(float(m[f"nasa_score_{n}"]), 1)}
            for n in ("lightgbm", "sequence", "blend") if f"rmse_{n}" in m]
    units, folds, cuts = (int(m.get(k, 0)) for k in ("validation_units", "validation_folds", "validation_cuts"))
    split = (f"{units} units held out of training" + (f" ({folds} folds, each unit held out once)" if folds > 1
                                                      else "") + f", cut at random readings ({cuts:,} cuts)")
    caption = (f"Lower is better for both. RMSE: typical error of the predicted remaining life, in {word}. NASA "
               "score: an error penalty that weighs late predictions (life overestimated) more than early ones. "
               f"Measured on {split}, never on units a model trained on; the blend is the mean of the two models. "
               "The champion was then refitted on all units.")
    return pd.DataFrame(rows), caption


def rul_importance(runtime: Runtime, run: RunInfo, top: int = 15) -> tuple[list[str], list[float]]:
    """The LightGBM RUL model's global SHAP importance (mean |SHAP|, in the run's units), largest first."""
    stored = read_json(runtime, run, "explanation.json").get("global_importance") or {}
    ranked = sorted(stored.items(), key=lambda kv: -float(kv[1]))[:top]
    return [feature_words(str(k)) for k, _ in ranked], [float(v) for _, v in ranked]


def rul_cap(runtime: Runtime, run: RunInfo) -> float | None:
    """The cap an RUL run was trained with, in its units (None for a run stored without one)."""
    cap = read_json(runtime, run, RUL_CONFIG_FILE).get("cap")
    return float(cap) if cap else None


def rul_formats(runtime: Runtime, run: RunInfo, frame: pd.DataFrame) -> dict[str, Callable[[Any], str]]:
    """How the page writes a table's RUL columns (a pandas Styler's formats, so the values stay numbers and sort as
    such): a RUL at the run's cap reads '125 or more', as the scoring note says; the downloads keep the numbers."""
    cap = rul_cap(runtime, run)
    return {c: partial(rul_text, cap=cap) for c in RUL_COLUMNS if c in frame.columns}

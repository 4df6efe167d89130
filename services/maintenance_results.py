"""Maintenance desk, RUL results as the page and the report show them: the models compared in words with the
split they were measured on, what the LightGBM model reads most, and the units an RUL run counts in. Features are
named in words by services/maintenance_words.py (``feature_words`` is read from here too)."""
from __future__ import annotations

import math
from functools import partial
from typing import Any, Callable, Iterable

import pandas as pd
from pandas.io.formats.style import Styler

from domain.maintenance import NO_ESTIMATE
from ml.rul_health import HEALTH_INDEX
from services import datasets, labels
from services.maintenance import read_json
from services.maintenance_rul import CONFIG_FILE as RUL_CONFIG_FILE
from services.maintenance_rul_notes import time_word
from services.maintenance_words import RUL_COLUMNS, UNKNOWN_RUL, feature_words, rul_shown, rul_text
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


def rul_importance_caption(names: list[str], word: str) -> str:
    """The importance chart's caption; where the health index is among the inputs shown, what it is (a browser pass
    found it second among the inputs, and nothing on the page said what it was)."""
    text = (f"Mean absolute SHAP value of each input over the training readings: how many {word} of predicted life "
            "it moves on average. It describes the model, not a cause.")
    if any(str(n).startswith(HEALTH_INDEX) for n in names):
        text += (f" '{HEALTH_INDEX}' is one number made of all the sensors the model reads (their first principal "
                 "direction, signed to rise with wear): their common drift, with each sensor's noise averaged out.")
    return text


def rul_cap(runtime: Runtime, run: RunInfo) -> float | None:
    """The cap an RUL run was trained with, in its units (None for a run stored without one)."""
    cap = read_json(runtime, run, RUL_CONFIG_FILE).get("cap")
    return float(cap) if cap else None


def rul_formats(runtime: Runtime, run: RunInfo, frame: pd.DataFrame) -> dict[str, Callable[[Any], str]]:
    """How the page writes a table's RUL columns (a pandas Styler's formats, so the values stay numbers and sort as
    such): a RUL at the run's cap reads '125 or more', as the scoring note says; the downloads keep the numbers."""
    cap = rul_cap(runtime, run)
    return {c: partial(rul_text, cap=cap) for c in RUL_COLUMNS if c in frame.columns}


def rul_style(runtime: Runtime, run: RunInfo, frame: pd.DataFrame, unknown: Iterable = ()) -> Styler:
    """A scored-RUL table as the page shows it: numbers (they sort as such) written by ``rul_formats``, and the
    units scored on too few readings (``unknown``: score-rul's ``short_units``) as "unknown (too few readings)"
    in every RUL column: their band is the whole range, yet at the cap they read '125 or more' (healthy)."""
    styler = frame.style.format(rul_formats(runtime, run, frame))
    short = frame["unit"].isin(list(unknown)).to_numpy() if "unit" in frame.columns else []
    shown = [c for c in RUL_COLUMNS if c in frame.columns]
    if len(short) and short.any() and shown:
        styler = styler.format(lambda _: UNKNOWN_RUL, subset=pd.IndexSlice[frame.index[short], shown])
    return styler


def urgent_first(frame: pd.DataFrame, unknown: Iterable = ()) -> pd.DataFrame:
    """Scored RULs as the page lists them: lowest RUL first, units without an estimate (``unknown``) last, ties in
    the file's order. The table had listed units in the file's order, so the engine to service first could sit
    anywhere in it; the downloads keep the file's order, as score-rul writes it."""
    if "rul" not in frame.columns or "unit" not in frame.columns:
        return frame
    short = frame["unit"].isin(list(unknown))
    order = pd.DataFrame({"short": short.to_numpy(), "rul": frame["rul"].to_numpy()}, index=frame.index)
    return frame.loc[order.sort_values(["short", "rul"], kind="stable", na_position="last").index]


NO_VALUE = "–"  # a plan cell with nothing to show (a unit without an estimate; no service period)
PERCENT_COLUMNS = ("p_failure", "p_fail_before_service", "p_fail_in_horizon")


def plan_shown(table: pd.DataFrame, cap: float | None = None, period: str = "day") -> pd.DataFrame:
    """The plan table (``maintenance_plan.plan_export``) written out: chances in percent as ``percent_text`` writes
    them (p_failure was 0–1 beside two columns in %), the RUL as ``rul_text`` writes it, whole savings, "–" where
    there is no number (a unit without an estimate showed its 49.8 and 'None' cells), and the period in words
    ('day 3'), blank for a unit not serviced in the horizon. The page shows ``plan_style``."""
    numbers, formats = _plan_numbers(table, cap, period)
    return numbers.assign(**{c: numbers[c].map(f) for c, f in formats.items()})


def plan_style(table: pd.DataFrame, cap: float | None = None, period: str = "day") -> Styler:
    """The plan written as ``plan_shown`` writes it, over its numbers, so that a header click on the page sorts by
    the numbers (the text table put '9.5' after '10.0', '45,000' after '5,000', and 'day 19' after 'day 9')."""
    numbers, formats = _plan_numbers(table, cap, period)
    return numbers.style.format(formats)


def _plan_numbers(table: pd.DataFrame, cap: float | None,
                  period: str = "day") -> tuple[pd.DataFrame, dict[str, Callable[[Any], str]]]:
    """The plan's numbers as shown (chances in percent; no saving for a unit without an estimate; periods whole
    numbers, empty when not serviced) and the format of each such column."""
    numbers = table.copy()
    for column in (c for c in PERCENT_COLUMNS if c in numbers.columns):
        numbers[column] = 100 * pd.to_numeric(numbers[column], errors="coerce")
    if "rul" in numbers.columns:
        numbers["rul"] = pd.to_numeric(numbers["rul"], errors="coerce")
    if "expected_saving" in numbers.columns:
        unknown = numbers["action"].eq(NO_ESTIMATE) if "action" in numbers.columns else False
        numbers["expected_saving"] = pd.to_numeric(numbers["expected_saving"], errors="coerce").mask(unknown)
    if "period" in numbers.columns:  # not serviced: after every period when sorted, written blank (a gap read 'None')
        numbers["period"] = pd.to_numeric(numbers["period"], errors="coerce").astype(float).fillna(math.inf)
    formats = {**{c: percent_text for c in PERCENT_COLUMNS},
               "expected_saving": partial(_written, "{:,.0f}"), "rul": lambda v: rul_text(v, cap) or NO_VALUE,
               "period": lambda k: "" if pd.isna(k) or math.isinf(k) else f"{period} {int(k)}"}
    return numbers, {c: f for c, f in formats.items() if c in numbers.columns}


def _written(pattern: str, value) -> str:
    return NO_VALUE if pd.isna(value) else pattern.format(value)


def percent_text(value) -> str:
    """A chance in percent as the plan writes it: one decimal from 10 %, else three significant digits (0.258 beside
    an alert at 0.3 had read 0.3, and 0.0026 % read 0.0), "–" without a number."""
    if pd.isna(value):
        return NO_VALUE
    value = float(value)
    if value == 0 or abs(value) >= 10:
        return f"{value:.1f}"
    decimals = min(2 - math.floor(math.log10(abs(value))), 8)
    return f"{value:.{decimals}f}"


def percent_rounded(chance: pd.Series) -> pd.Series:
    """Chances (0–1) in percent, rounded as ``percent_text`` writes them: two decimals, three significant digits
    below 1 % (rounded before scaling, 0.0026 had read 0 %)."""
    percent = pd.to_numeric(chance, errors="coerce") * 100
    return percent.map(lambda v: v if pd.isna(v) else float(percent_text(v)) if abs(v) < 1 else round(v, 2))


def scored_units_message(last: pd.DataFrame, unknown: Iterable, threshold: float, word: str) -> str:
    """The confirmation after scoring histories, as failure risk's 'Scored 200 readings; 6 alerts.': units scored,
    those below the RUL alert threshold (the plan's), and those without an estimate (too few readings)."""
    unknown = set(unknown)
    short = last["unit"].isin(list(unknown)) | last["rul"].isna()
    below = int(((pd.to_numeric(last["rul"], errors="coerce") < float(threshold)) & ~short).sum())
    text = f"Scored {len(last):,} units; {below} below the RUL alert threshold ({float(threshold):,.4g} {word})"
    return text + (f"; {int(short.sum())} without an estimate (too few readings)." if short.any() else ".")


def riskiest_row(scored: pd.DataFrame) -> int:
    """The file row number (1-based, as the explain picker counts) of the highest p_failure: the reading an engineer
    asks about first (the picker opened on reading 1)."""
    risk = pd.to_numeric(scored.get("p_failure", pd.Series(dtype=float)), errors="coerce").reset_index(drop=True)
    return int(risk.idxmax()) + 1 if risk.notna().any() else 1  # a row without a score is no riskiest


def log_odds_caption(score: float, threshold: float | None = None) -> str:
    """The waterfall's end (log-odds) as a chance of failure, as Finance's what-if says it: 'Prediction: 10.76'
    alone told an engineer nothing."""
    p = 1 / (1 + math.exp(-min(max(float(score), -700.0), 700.0)))
    alert = "" if threshold is None else (f" ({'at or above' if p >= float(threshold) else 'below'} the alert "
                                          f"threshold of {float(threshold):.1%})")
    return (f"The model's score of {score:.3f} log-odds is a chance of failure of {p:.1%}{alert}: "
            "p = 1 / (1 + e^−score). Bars to the right raise it, bars to the left lower it.")


BATCHES = ("score", "rul")  # kinds stored once per scored file: the report shows the latest file's


def latest_batch(frame: pd.DataFrame) -> pd.DataFrame:
    """Scored predictions of the latest scored file only, each record once: a file scored twice listed its 20 units
    twice (40 rows, nothing telling the batches apart). Kinds without a stored file are returned as they are."""
    if frame.empty or "dataset_id" not in frame.columns or frame["dataset_id"].isna().all():
        return frame
    latest = frame[frame["dataset_id"] == frame["dataset_id"].dropna().iloc[-1]]
    return latest.drop_duplicates("record_key", keep="last").reset_index(drop=True)


def scoring_notes(runtime: Runtime, run_id: int) -> list[str]:
    """The notes of the run's latest scored file (how it was read: no header row, sorted, gaps …), as score-rul and
    score stored them (files scored before they did: none)."""
    with runtime.uow() as uow:
        found = uow.audit.find(run_id=run_id, action="score", object_type="run", limit=1)
        return [str(n) for n in (found[0][0].details or {}).get("notes", [])] if found else []


INTERNAL_COLUMNS = ("dataset_id", "numbered", "short_history")  # how a prediction was stored, not what it says


def report_predictions(frame: pd.DataFrame, kind: str, cap: float | None = None) -> pd.DataFrame:
    """Stored predictions as a report's table shows them: no storage columns ('dataset id', 'short history
    True/False', the record key beside the unit), the RUL in words (at the cap '125 or more', a short history
    'unknown (too few readings)'), and p_failure in percent as ``percent_rounded`` keeps it (0.0026 had read 0)."""
    out = frame.dropna(axis=1, how="all")
    percent = percent_rounded(out["p_failure"]) if "p_failure" in out.columns else None  # before any rounding
    if kind == "rul":
        out = rul_shown(out.round(2), cap, 2)
    if "unit" in out.columns:
        out = out.drop(columns=["record_key"], errors="ignore")
    out = out.drop(columns=[c for c in INTERNAL_COLUMNS if c in out.columns]).round(2)
    if percent is not None:
        out["p_failure"] = percent
    return out.rename(columns={"record_key": "id or row", "p_failure": "chance of failure (%)",
                               "rul": "RUL", "rul_low": "RUL, low end", "rul_high": "RUL, high end"})


def reading_id_note(runtime: Runtime, run: RunInfo, id_column: str | None) -> list[str]:
    """A note when the run's id column names each training reading once (AI4I's UDI: 2,500 ids in 2,500 rows): it
    numbers readings, not machines, so the plan treats each scored reading as a unit."""
    if not id_column or not getattr(run, "dataset_id", None):
        return []
    info = datasets.get_dataset(runtime, run.dataset_id)
    distinct = next((p.get("distinct") for p in info.profile if p.get("name") == id_column), None)
    if distinct is None or info.rows < 2 or distinct < info.rows:
        return []
    return [f"The id column {id_column!r} names each training reading once ({distinct:,} ids in {info.rows:,} rows): "
            "it numbers readings, not machines, so the plan treats each scored reading as a unit. Train with a "
            "machine's id as --id ('Id column' on the page) to plan by machine, on its latest reading."]

"""Maintenance desk, remaining useful life: two models compared on held-out units, the better one kept.

LightGBM on window statistics and a GRU on the raw windows (a 1D CNN in runs stored before) are trained
on 80 % of the units (on a fleet too small to hold out 100 units, on each of five folds by unit in turn);
each held-out unit is cut at random points (like a C-MAPSS test set) and both models, and the mean of the
two, predict the RUL at the cut (``services.maintenance_rul_validation``). The lowest RMSE wins, is refitted
on every unit and scores new files (in ``services.maintenance_rul_scoring``); its residuals on the held-out
cuts give the prediction interval.
"""
from __future__ import annotations

import json
import re
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ml import artifacts
from ml.device import select_device
from ml.rul import ResidualIntervals, RulLightGBMTask
from ml.rul_history import HistoryError, HistoryPreprocessor
from ml.rul_readings import history_starts
from ml.rul_shape import UNIT, early_readings, early_reference, rul_target
from services import columns, datasets
from services.errors import UserFacingError
from services.jobs import Progress
from services.maintenance_store import DESK, store_run
from services.maintenance_rul_notes import (ended_healthy_note, prep_word, resolve_cap, rul_notes, usual_step,
                                            window_note)
from services.maintenance_rul_validation import BLEND, CUTS_PER_UNIT, fit_model, median_life, validate
from services.runtime import Runtime

RUL_TASK = "rul"
RUL_HANDLER = "services.maintenance_rul:train_rul_job"
CONFIG_FILE = "rul.json"
MIN_UNITS = 4  # NASA's battery sets come four to a group (B0005, B0006, B0007, B0018): one held out per fold


def rul_params(dataset_id: int, unit: str, time: str, *, cap: float | None = None, window: int = 30,
               settings: list[str] | None = None, epochs: int = 30, n_estimators: int = 400,
               val_fraction: float = 0.2, seed: int = 0) -> dict[str, Any]:
    params = {"dataset_id": int(dataset_id), "unit": unit, "time": time, "cap": None if cap is None else float(cap),
              "window": int(window),
              "settings": settings, "epochs": int(epochs), "n_estimators": int(n_estimators),
              "val_fraction": float(val_fraction), "seed": int(seed)}
    _check_params(params)
    return params


def _check_params(params: dict[str, Any]) -> None:
    cap_ok = params["cap"] is None or params["cap"] > 0  # None: 125 readings, in the time column's units
    if params["unit"] == params["time"]:
        raise UserFacingError(f"The unit and time columns are both {params['unit']!r}: the unit column names each "
                              "history (an engine, a battery) and the time column counts its cycles or time; "
                              "give two columns (--unit, 'Unit column' on the page, and --time).")
    if not cap_ok or params["window"] < 2 or params["epochs"] < 1 or params["n_estimators"] < 1:
        raise UserFacingError("The RUL cap must be positive, the window at least 2, epochs and trees at least 1.")


def prepare_histories(frame: pd.DataFrame, params: dict[str, Any]) -> tuple[HistoryPreprocessor, pd.DataFrame]:
    try:
        prep = HistoryPreprocessor(unit=params["unit"], time=params["time"], settings=params.get("settings"),
                                   seed=params.get("seed", 0)).fit(frame)
        prepared, _ = prep.transform(frame)
        prepared = prepared[~prepared[UNIT].isin(prep.running_units_)].reset_index(drop=True)  # failed units only
    except HistoryError as exc:
        raise UserFacingError(history_error(exc, frame)) from None
    units = prepared[UNIT].nunique()
    if units < MIN_UNITS:
        raise UserFacingError(f"RUL needs run-to-failure histories of at least {MIN_UNITS} units; "
                              f"{params['unit']!r} has {units}." + starts_hint(frame, params["time"], params["unit"]))
    return prep, prepared


def numbered_column(frame: pd.DataFrame, name: str) -> str:
    """A column given by its position in a file without a header row ("1" for column_1: NASA's turbofan files,
    `--unit 1 --time 2`, had been refused); any other name as given."""
    text = str(name).strip()
    if name in frame.columns or not text.isdigit() or not all(NUMBERED.fullmatch(str(c)) for c in frame.columns):
        return name
    numbered = f"column_{int(text)}"
    return numbered if numbered in frame.columns else name


def check_columns(frame: pd.DataFrame, unit: str, time: str, settings: list[str] | None = None) -> None:
    """The unit, time and setting columns are in the file (the CLI checks before it stores the file)."""
    missing = [c for c in (unit, time, *(settings or [])) if c not in frame.columns]
    if missing:
        message = history_error(HistoryError(f"Columns not in the data: {', '.join(missing)}."), frame)
        raise UserFacingError(message + (starts_hint(frame, time, unit) if unit in missing else ""))


def starts_hint(frame: pd.DataFrame, time: str, unit: str = "") -> str:
    """How to add the missing unit column when the time column starts again several times down the file (or which
    column other than ``unit``, the one given, names the histories)."""
    starts = history_starts(frame[time]) if time in frame.columns else []
    if not starts:
        return ""
    rows = ", ".join(f"{s + 1:,}" for s in starts[:3]) + (" …" if len(starts) > 3 else "")
    said = f" {time!r} starts again from its lowest values {len(starts)} time(s) (at data rows {rows}): the file "
    runs = pd.Series(np.isin(np.arange(len(frame)), starts).cumsum(), index=frame.index)
    if unit in frame.columns and frame[unit].groupby(runs).nunique(dropna=False).max() == 1 and frame[unit].nunique(
            dropna=False) == len(starts) + 1:
        return ""  # the unit given names each history (NASA's four batteries): "add a unit column" misled
    named = [c for c in frame.columns if c not in (time, unit) and frame[c].nunique() > 1
             and frame[c].groupby(runs).nunique(dropna=False).max() == 1]  # NASA's column_1: the unit, misnamed
    if named:
        return said + (f"holds {len(starts) + 1} histories one after another, and {named[0]!r} changes with each: "
                       f"give it as --unit ('Unit column' on the page).")
    return (said + f"seems to hold {len(starts) + 1} histories one after another with no column naming them. Add "
            f"a unit column numbering them, a new number each time {time!r} drops back (in pandas: "
            f"df['unit'] = df[{time!r}].diff().lt(0).cumsum() + 1), and give it as --unit ('Unit column' on the page).")


NUMBERED = re.compile(r"column_\d+")
FEW_COLUMNS = 3  # a unit, a time and one sensor: a file with fewer holds no histories


def history_error(exc: HistoryError, frame: pd.DataFrame, trained: list[str] | None = None,
                  header: list[str] | None = None) -> str:
    """The preprocessor's message; for columns not found, the file's own columns, and how a file without a
    header row names them (NASA's turbofan files have none). ``trained``: the model's columns, at scoring;
    ``header``: the training file's columns, in order (to give a header-less scoring file)."""
    message = str(exc)
    if not message.startswith(("Columns not in the data", "The data lacks columns")):
        return message
    message += f" The file's columns: {columns.listed(frame.columns)}."
    message += columns.blank_header_hint(frame.columns, [m.group(0) for m in columns.PANDAS_BLANK.finditer(str(exc))])
    if len(frame.columns) < FEW_COLUMNS:  # its one value may have been read as a header: no header hints
        return message + (f" The file has {len(frame.columns)} column{'s' if len(frame.columns) != 1 else ''}: RUL "
                          "reads histories, a unit, a time and sensor columns on every row. A file of RULs alone "
                          "(NASA's RUL_FD00x.txt) holds the answers, not histories: give the histories "
                          f"({'test' if trained else 'train'}_FD00x.txt).")
    numbered = [bool(NUMBERED.fullmatch(str(c))) for c in frame.columns]
    if len(frame.columns) and all(numbered):
        given = header or trained
        message += (" The file has no header row, so its columns are numbered from column_1"
                    + (f"; give it the training file's header row: {', '.join(map(str, given))}." if given else
                       " (NASA's turbofan files: --unit column_1 --time column_2)."))
    elif trained and all(NUMBERED.fullmatch(str(c)) for c in trained) and not any(numbered):
        message += (" The model was trained on a file without a header row (columns numbered column_1 …): "
                    "score a file without one too, or train on a file with this header.")
    return message


def _models(params: dict[str, Any], device: str):
    from ml.rul_sequence import RulSequenceTask

    shared = {"window": params["window"], "cap": params["cap"], "seed": params["seed"]}
    return {"lightgbm": lambda: RulLightGBMTask(n_estimators=params["n_estimators"], **shared),
            "sequence": lambda: RulSequenceTask(epochs=params["epochs"], device=device, **shared)}


def pick_champion(results: dict[str, dict[str, Any]]) -> str:
    """The lowest RMSE on the held-out cuts; on a tie the simpler model (dict order: lightgbm first)."""
    return min(results, key=lambda n: results[n]["rmse"])


FAR_WORSE = 1.5  # a model whose held-out RMSE is this many times the other's has no say on the units' ends


def end_predictions(at_end: dict[str, dict[Any, float]], results: dict[str, dict[str, Any]]) -> dict[Any, float]:
    """Each held-out unit's predicted RUL at its last reading, for the ended-healthy check: the mean of both
    models (steadier: 10 of 10 units stopped at mid-life named on 30 generated units, 8 by LightGBM alone),
    unless one is far worse. On six bearings the CNN (RMSE 376 s against LightGBM's 170 s) put a failed one
    at the cap, and the mean named it as still running."""
    best, worst = sorted(("lightgbm", "sequence"), key=lambda n: results[n]["rmse"])
    far_worse = results[worst]["rmse"] > FAR_WORSE * results[best]["rmse"]
    return at_end[best] if far_worse else at_end[BLEND]


def _explained_lightgbm(factory, prepared: pd.DataFrame, cap: float):
    """LightGBM fitted on every unit and its SHAP on the last 5,000 readings: the final fit whatever the champion
    (SHAP always explains a LightGBM model), so it runs alongside the validation."""
    model = factory().fit(prepared, rul_target(prepared, cap))
    return model, model.explain(prepared.iloc[-min(len(prepared), 5000):].reset_index(drop=True))


def train_rul_job(runtime: Runtime, params: dict[str, Any], progress: Progress) -> int:
    _check_params(params)
    progress(0.02, "Loading and cleaning the histories")
    info = datasets.get_dataset(runtime, params["dataset_id"])
    prep, prepared = prepare_histories(datasets.load_pandas(runtime, info.id), params)
    cap, cap_notes = resolve_cap(params["cap"], prepared, params["time"], prep_word(prep, usual_step(prepared)))
    params = {**params, "cap": cap}
    factories = _models(params, select_device(runtime.device))
    with ThreadPoolExecutor(1, thread_name_prefix="rul-final") as side:  # the validation's fits leave a core idle
        explained = side.submit(_explained_lightgbm, factories["lightgbm"], prepared, cap)
        truth, keys, results, folds, at_end = validate(prepared, factories, params, progress)
        champion = pick_champion(results)
        intervals = ResidualIntervals().fit(results[champion]["predicted"], truth)
        progress(0.8, f"Refitting the {champion} model on all units")
        final = {"sequence": fit_model(factories["sequence"], prepared, rul_target(prepared, cap), progress, 0.8,
                                       0.08, "refit on all units")} if champion in ("sequence", BLEND) else {}
        progress(0.9, "Explaining the LightGBM model (SHAP)")
        final["lightgbm"], explanation = explained.result()
    metrics = {"rmse": results[champion]["rmse"], "nasa_score": results[champion]["nasa_score"],
               **{f"{k}_{n}": results[n][k] for n in results for k in ("rmse", "nasa_score")},
               "nasa_score_per_unit": results[champion]["nasa_score"] / (len(truth) / CUTS_PER_UNIT),
               "validation_units": int(len(truth) // CUTS_PER_UNIT), "validation_cuts": int(len(truth)),
               "validation_folds": folds, "units": int(prepared[UNIT].nunique())}
    life_readings = median_life(prepared)
    word = prep_word(prep, usual_step(prepared))
    notes = [*datasets.reading_notes(info.problems), *prep.notes_, *cap_notes,
             *rul_notes(prepared, metrics, cap, champion, word),
             *ended_healthy_note(end_predictions(at_end, results), cap, metrics["units"], word, metrics["rmse"],
                                 prepared.groupby(UNIT).size().to_dict()),
             *window_note(life_readings, int(params["window"]))]
    config = {"unit": params["unit"], "time": params["time"], "cap": cap, "window": params["window"], "rul_unit": word,
              "champion": champion, "preprocess": prep.to_json(), "intervals": intervals.to_json(),
              "early_levels": early_reference(prepared, early_readings(prepared)),
              "early_readings": early_readings(prepared), "median_life": life_readings,
              "longest_life": int(prepared.groupby(UNIT).size().max()),
              "notes": notes}
    rows = [(str(k), {"unit": str(k).rsplit("#", 1)[0], "actual": float(a), "rul": float(p), "model": champion})
            for k, a, p in zip(keys, truth, results[champion]["predicted"])]

    def write(staging: Path) -> None:
        for name, model in final.items():
            model.save(staging / name)
        (staging / CONFIG_FILE).write_text(json.dumps(config, default=str))
        importance = explanation.global_importance()
        (staging / "explanation.json").write_text(json.dumps({"global_importance": importance.head(40).to_dict()}))
        artifacts.write_metadata(staging, task=RUL_TASK, parameters=params, feature_names=prep.sensors_,
                                 extra={"desk": DESK, "champion": champion})

    # the settings read, as found by name or by their levels when none were given (the report said 'none')
    run_params = {**params, "settings": params.get("settings") or list(prep.settings_), "champion": champion,
                  "notes": notes}
    return store_run(runtime, progress, task=RUL_TASK, info=info, params=run_params, metrics=metrics, write=write,
                     predictions=[("rul_validation", rows)])


def summary(run) -> dict[str, Any]:
    """The CLI's --json payload: champion figures at the top, both models side by side."""
    m = run.metrics
    return {"run_id": run.id, "champion": run.parameters.get("champion"), "rmse": m["rmse"],
            "nasa_score": m["nasa_score"],
            "models": {n: {"rmse": m[f"rmse_{n}"], "nasa_score": m[f"nasa_score_{n}"]}
                       for n in ("lightgbm", "sequence", BLEND) if f"rmse_{n}" in m},
            **{k: v for k, v in m.items() if k not in ("rmse", "nasa_score")}, "notes": run.parameters.get("notes", [])}

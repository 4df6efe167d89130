"""Maintenance desk, remaining useful life: the models compared on held-out units.

Each held-out unit is cut at random points (like a C-MAPSS test set) and both models, and the mean of the two,
predict the RUL at the cut: the RMSE picks the champion and the champion's residuals give the prediction interval
(``services.maintenance_rul``).
"""
from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ml.rul import nasa_score, rmse
from ml.rul_shape import UNIT, cut_points, last_rows, rul_target
from services.jobs import Progress
from services.maintenance_rul_notes import usual_step
from services.maintenance_rul_parallel import Fit, cores, run_fits

CUTS_PER_UNIT = 10  # cut points per held-out unit: residuals for the intervals, RMSE on many cut points
HELD_UNITS = 100  # fewer units held out by one split: every unit is held out once, in folds …
FOLD_ROWS = 300_000  # … unless the histories are so long that five trainings would take too long
BLEND = "blend"  # the mean of both models' predictions


def validation_splits(prepared: pd.DataFrame, fraction: float, seed: int) -> list[tuple[pd.DataFrame, pd.DataFrame]]:
    """(train, held-out) pairs by unit. One split when it holds out at least 100 units (or the histories hold
    over 300,000 readings); on a smaller fleet every unit is held out once, in folds, so the RMSE, the
    champion and the intervals rest on all units. One unit's cuts share its errors, so the figures are as firm
    as the units held out are many: six held-out pumps gave a P10-P90 band that held 44 % of new pumps' RUL, and
    the 20 units of one split of a 100-unit turbofan fleet put the validation RMSE 0.3-7.5 from the test RMSE
    (mean 3.0 over five generated FD001-like fleets; 2.0 with every unit held out)."""
    units = prepared[UNIT].unique()
    rng = np.random.default_rng(seed)
    held = max(1, int(round(len(units) * fraction)))
    if held >= HELD_UNITS or len(prepared) > FOLD_ROWS:
        groups = [rng.choice(units, held, replace=False)]
    else:
        order, folds = rng.permutation(units), max(2, min(len(units), int(round(1 / fraction))))
        groups = [order[k::folds] for k in range(folds)]
    pairs = []
    for group in groups:
        mask = prepared[UNIT].isin(set(group.tolist()))
        pairs.append((prepared[~mask].reset_index(drop=True), prepared[mask].reset_index(drop=True)))
    return pairs


def validation_cuts(held: pd.DataFrame, *, seed: int, max_rul: int, history: int
                    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``cut_points`` of each held-out unit with at least ``history`` readings before the cut (all of a shorter
    unit's). Scoring gives a unit seen for fewer readings than the window no estimate (its band is the whole
    range), so cuts after 1-29 readings measured what is never estimated: early in life, near the cap, easy. On
    generated FD001-like fleets (seeds 0-4) they put the validation RMSE 0.74 below that of the same units read at
    every test-like position (7-145 cycles to go, 31 readings or more); 0.23 below without them."""
    position = held.groupby(UNIT, sort=False).cumcount().to_numpy()
    size = held.groupby(UNIT, sort=False)[UNIT].transform("size").to_numpy()
    kept = np.flatnonzero(position >= np.where(size >= history, history, 1) - 1)
    rows, truth, names = cut_points(held.iloc[kept].reset_index(drop=True), cuts=CUTS_PER_UNIT, seed=seed,
                                    max_rul=max_rul)
    return kept[rows], truth, names


def fit_model(factory, X: pd.DataFrame, y: pd.Series, progress, start: float, span: float, stage: str = ""):
    """A model fitted; the sequence model's epochs reported with the ``stage`` they belong to ('fold 2 of 5'):
    alone, 'epoch 12 of 30' counted up six times over a training with no word of how far along it was."""
    model = factory()
    if model.name == "cnn_rul":
        return model.fit(X, y, progress=lambda f, m: progress(start + span * f, f"{m} — {stage}" if stage else m))
    return model.fit(X, y)


def _scored(truth: np.ndarray, predicted: np.ndarray, step: float = 1.0) -> dict[str, Any]:
    """RMSE over every cut, and the NASA score of one cut per held-out unit, like a C-MAPSS test set (the mean
    over the cut sets): a sum over units, so it grows with their number (``nasa_score_per_unit`` does not).
    The score's exponent is built for misses in cycles: it counts misses in readings (``step`` apart)."""
    return {"rmse": rmse(truth, predicted), "nasa_score": nasa_score(truth / step, predicted / step) / CUTS_PER_UNIT,
            "predicted": predicted}


def median_life(prepared: pd.DataFrame) -> int:
    """The units' median number of readings (stored with a run as ``median_life``)."""
    return int(prepared.groupby(UNIT, sort=False).size().median())


def history_limit(window: int, life: int | None) -> int:
    """Readings a unit needs for an estimate: the window, or the training units' median life ``life`` when
    shorter (None: runs stored before it was kept). Scoring gives a shorter unit the whole range; validation
    cuts no held-out unit before it."""
    return min(int(window), int(life)) if life else int(window)


def _fold_fit(factory, name: str, splits: list, k: int, rows: np.ndarray, cap: float) -> Fit:
    """Fold ``k``'s fit of one model; it returns the predictions at the cut ``rows``, then at each unit's end."""
    train, held = splits[k]
    fold = f" (fold {k + 1} of {len(splits)})" if len(splits) > 1 else ""

    def fit(progress: Progress) -> np.ndarray:
        progress(0.0, f"Training the {name} model on {train[UNIT].nunique()} units{fold}")
        model = fit_model(factory, train, rul_target(train, cap), progress, 0.0, 1.0,
                          f"validation{fold}" if fold else "validation")
        predicted = model.predict(held, np.r_[rows, last_rows(held)])["rul"].to_numpy()
        progress(1.0, f"Validated the {name} model{fold}")
        return predicted
    return fit


def validate(prepared: pd.DataFrame, factories: dict[str, Any], params: dict[str, Any], progress: Progress, *,
             workers: int | None = None
             ) -> tuple[np.ndarray, np.ndarray, dict[str, dict[str, Any]], int, dict[str, dict[Any, float]]]:
    """Each model (and their mean) at random cut points of held-out units: the truth at the cuts (capped),
    the cut keys, RMSE / NASA score / predictions per model, the number of splits, and per model (and their
    mean) the prediction at each held-out unit's last reading (where it failed, if it did). The fits run
    ``workers`` at a time (default: one per core); the figures are those of one fit after another."""
    cap, seed, step = params["cap"], params["seed"], usual_step(prepared)  # cuts count readings, the cap time
    splits = validation_splits(prepared, params["val_fraction"], seed)
    history = history_limit(int(params["window"]), median_life(prepared))
    cuts = [validation_cuts(held, seed=seed + k, max_rul=int(cap * 1.2 / step), history=history)
            for k, (_, held) in enumerate(splits)]
    # the sequence model's fits first: the longest, so that the last fit started is a short one
    order = [(k, name) for name in sorted(factories, key=lambda n: n != "sequence") for k in range(len(splits))]
    fits = [_fold_fit(factories[name], name, splits, k, cuts[k][0], cap) for k, name in order]
    done = dict(zip(order, run_fits(fits, progress, 0.08, 0.7, cores() if workers is None else workers)))
    predicted: dict[str, list[np.ndarray]] = {name: [] for name in factories}
    at_end: dict[str, dict[Any, float]] = {name: {} for name in [*factories, BLEND]}
    for k, (_, held) in enumerate(splits):
        held_units, cut = held[UNIT].to_numpy()[last_rows(held)].tolist(), len(cuts[k][0])
        for name in factories:
            predicted[name].append(done[k, name][:cut])
            at_end[name].update(zip(held_units, done[k, name][cut:].tolist()))
        at_end[BLEND].update(zip(held_units, np.mean([done[k, n][cut:] for n in factories], axis=0).tolist()))
    truth = np.concatenate([np.minimum(c[1], cap) for c in cuts])  # beyond the cap every RUL means "healthy"
    results = {name: _scored(truth, np.concatenate(parts), step) for name, parts in predicted.items()}
    results[BLEND] = _scored(truth, (results["lightgbm"]["predicted"] + results["sequence"]["predicted"]) / 2, step)
    return truth, np.concatenate([c[2] for c in cuts]), results, len(splits), at_end

"""Everything a finance run measures out of fold: the members' cross-validated scores, the champion's mix,
calibration, the logistic baseline, metrics and the decision warnings.

Split from ``services.finance`` (the job around it) so each stays short.
"""
from __future__ import annotations

from typing import Any

import numpy as np

from domain import finance as rules
from ml import credit_eval as evaluation
from ml import credit_folds as folds
from ml import credit_mix as mixing
from ml.credit_scores import MEMBERS, champion_name
from services import finance_evaluation
from services.finance_prepare import Prepared
from services.jobs import Progress

CONSTRAINED_GAP = 0.005  # a constrained champion this far below the logistic baseline's AUC is warned about


def cross_validated(data: Prepared, params: dict[str, Any], model_params: dict[str, Any],
                    progress: Progress) -> dict[str, Any]:
    """Everything measured out of fold: model scores, calibration choice, baseline, metrics and curves."""
    costs = rules.CostMatrix(params["cost_bad_approved"], params["cost_good_declined"])
    splits = _splits(data, int(params.get("seed", 0)))
    tuning: dict[str, float] = {}
    if float(params.get("tune_seconds") or 0) > 0:
        model_params, tuning = _tune(data, splits, model_params, params, progress)
    # Monotone constraints bind LightGBM only, so a constrained run keeps LightGBM as its champion.
    constrained = bool(model_params.get("monotone_constraints"))
    progress(0.1, "Cross-validating the models")
    members, iterations, dropped = folds.members_oof(
        data.X, data.labels, data.bad, splits, model_params=model_params, kinds=data.plan.model_kinds,
        codes=data.codes, forest=not constrained,
        on_done=lambda n, total: progress(0.1 + 0.55 * n / total, f"Cross-validation: {n} of {total} fits done"))
    baseline = members["logistic"]
    data.notes.extend(dropped)
    progress(0.65, "Champion, calibration and cut-off")
    grid = ([{"lightgbm": 1.0, "forest": 0.0, "logistic": 0.0}] if constrained  # a dropped forest: no share
            else [w for w in mixing.mix_grid(MEMBERS) if all(w[m] == 0 for m in MEMBERS if m not in members)])
    weights, nested, fold_weights = mixing.choose_mix(members, data.bad, splits, grid)
    method, calibration_scores, oof_pd = evaluation.choose_calibration(
        nested, data.bad, splits, mixing.fold_mixes(members, splits, fold_weights))
    results = finance_evaluation.evaluate(data, oof_pd, nested, baseline, costs, splits, params)
    member_metrics = {}
    for name in ("lightgbm", "forest"):
        if name in members:
            member_metrics.update(finance_evaluation.member_metrics(name, members[name], data.bad, splits, costs))
    metrics = {**results["metrics"], **tuning, **member_metrics, "champion": champion_name(weights),
               "blend_weight": weights["lightgbm"], "forest_weight": weights["forest"],
               "logistic_weight": weights["logistic"], "blend_weight_by_fold": [w["lightgbm"] for w in fold_weights],
               "forest_weight_by_fold": [w["forest"] for w in fold_weights],
               "calibration": method, **calibration_scores, "best_iteration_median": float(np.median(iterations)),
               "folds": data.folds, "rows": len(data.X), "feature_count": len(data.plan.kinds)}
    data.warnings.extend(finance_evaluation.decision_warnings(metrics, len(data.bad), constrained=constrained))
    if constrained and metrics["baseline_auc"] > metrics["oof_auc"] + CONSTRAINED_GAP:
        data.warnings.append(
            f"With monotone constraints the champion is the constrained LightGBM, and the logistic baseline ranks "
            f"defaults better out of fold (AUC {metrics['baseline_auc']:.3f} against {metrics['oof_auc']:.3f}; "
            f"cost per case {metrics['baseline_cost_per_case']:.3f} against {metrics['oof_cost_per_case']:.3f}). "
            "Check the constraints' directions, or train without them.")
    return {"model_params": model_params, "scores": mixing.mix_scores(members, weights), "splits": splits,
            "weights": weights, "iterations": iterations, "method": method,
            "calibration_scores": calibration_scores, "oof_pd": oof_pd,
            "results": results, "metrics": metrics}


def _splits(data: Prepared, seed: int) -> list[tuple[np.ndarray, np.ndarray]]:
    """Stratified folds; grouped by customer on a behavioural table (``Prepared.fold_groups``)."""
    if data.fold_groups is None:
        return evaluation.stratified_folds(data.bad, data.folds, seed)
    return evaluation.grouped_folds(data.bad, data.raw[data.fold_groups].astype(str).to_numpy(), data.folds, seed)


def _tune(data: Prepared, splits, model_params: dict[str, Any], params: dict[str, Any], progress: Progress
          ) -> tuple[dict[str, Any], dict[str, float]]:
    from ml.credit_tuning import tune

    progress(0.05, f"Tuning for up to {params['tune_seconds']:.0f} s")
    return tune(data.X, data.labels, splits, model_params, seconds=params["tune_seconds"],
                seed=int(params.get("seed", 0)),
                on_trial=lambda n, auc: progress(0.05, f"Tuning: trial {n + 1}, AUC {auc:.3f}"))

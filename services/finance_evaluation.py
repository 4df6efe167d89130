"""Out-of-fold evaluation of a finance run: discrimination, cost cut-off (and its nested estimate), grades.

The training service (``services.finance``) gets out-of-fold PDs from the cross-validation; here they
become the run's metrics and the evaluation report (ROC, calibration, gains, cost curve, grade table),
beside the logistic baseline and each blend member alone.
"""
from __future__ import annotations

from typing import Any

import numpy as np

from domain import finance as rules
from domain import loan_labels
from ml import credit_eval as evaluation
from services.finance_prepare import Prepared


def evaluate(data: Prepared, oof_pd: np.ndarray, scores: np.ndarray, baseline: np.ndarray,
              costs: rules.CostMatrix, splits, params: dict[str, Any]) -> dict[str, Any]:
    bad = data.bad
    model = evaluation.discrimination(bad, oof_pd)
    base = evaluation.discrimination(bad, baseline)
    choice = best_cutoff(oof_pd, bad, costs)
    base_choice = best_cutoff(baseline, bad, costs)
    bounds = tuple(params["grade_bounds"])
    metrics = {"oof_auc": model["auc"], "gini": model["gini"], "ks": model["ks"], "pr_auc": model["pr_auc"],
               "brier": model["brier"], "log_loss": model["log_loss"],
               "oof_auc_raw": evaluation.discrimination(bad, scores)["auc"],
               "oof_cost_per_case": choice.cost_per_case, "cv_cost_per_case": _nested_cost(oof_pd, bad, splits, costs),
               "cutoff": choice.cutoff, "approval_rate": choice.approval_rate, "bayes_cutoff": costs.bayes_cutoff,
               "cost_bad_approved": costs.bad_approved, "cost_good_declined": costs.good_declined,
               "positive_label": data.positive_shown or loan_labels.label_text(data.positive),
               "positive_label_rule": data.positive_rule,
               "default_rate": float(bad.mean()),
               "defaults_declined": float((oof_pd[bad == 1] > choice.cutoff).mean()) if bad.any() else 0.0,
               **{f"baseline_{k}": v for k, v in base.items()},
               "baseline_cost_per_case": base_choice.cost_per_case, "baseline_cutoff": base_choice.cutoff,
               "baseline_cv_cost_per_case": _nested_cost(baseline, bad, splits, costs)}
    report = {
        "roc": evaluation.roc_points(bad, oof_pd), "baseline_roc": evaluation.roc_points(bad, baseline),
        "calibration": evaluation.calibration_table(bad, oof_pd),
        "baseline_calibration": evaluation.calibration_table(bad, baseline),
        "gains": evaluation.gains_table(bad, oof_pd),
        "cost_curve": rules.cost_curve(oof_pd.tolist(), bad.astype(bool).tolist(), costs),
        "confusion": evaluation.confusion_at(bad, oof_pd, choice.cutoff),
        "grades": _grade_table(oof_pd, bad, bounds), "grade_bounds": list(bounds),
        "distribution": _distribution_sample(oof_pd, bad, int(params.get("seed", 0))),
        "notes": data.notes, "warnings": data.warnings,
    }
    return {"metrics": metrics, "evaluation": report}


ONE_SIDED = 0.99   # a cut-off approving (or declining) at least this share of applicants decides nearly nothing …
DECLINES_MOST = 0.5  # … unless the few it declines hold at least this share of the defaults (a rare-fraud book)
BASELINE_GAP = 0.005  # the logistic baseline this far above the champion's AUC (and no dearer) is warned about


def decision_warnings(metrics: dict[str, Any], rows: int, *, constrained: bool = False) -> list[str]:
    """A cut-off that approves or declines nearly everyone, and a champion the plain baseline beats: both are
    easy to miss in a table of figures, and both change what the run is good for."""
    warnings = []
    approval, rate = float(metrics["approval_rate"]), float(metrics["default_rate"])
    costs = f"{metrics['cost_bad_approved']:g} : {metrics['cost_good_declined']:g}"
    # Declining 0.3 % of a book with 0.2 % fraud that holds most of it decides a great deal: no warning.
    sorts_defaults = approval >= ONE_SIDED and float(metrics.get("defaults_declined", 0.0)) >= DECLINES_MOST
    if (approval >= ONE_SIDED or approval <= 1 - ONE_SIDED) and not sorts_defaults:
        approves = approval >= ONE_SIDED
        share = approval if approves else 1 - approval
        count = f"{round(share * rows):,} of {rows:,} applicants ({share:.2%})"
        side = (f"approves {count}: with {rate:.1%} defaults, the out-of-fold PDs seldom reach" if approves else
                f"declines {count}: with {rate:.1%} defaults, the out-of-fold PDs are nearly all above")
        fix = "raise the cost of approving a bad loan" if approves else "raise the cost of declining a good one"
        warnings.append(
            f"At costs of {costs} the cheapest cut-off {side} the break-even PD of {metrics['bayes_cutoff']:.1%}, "
            f"so the decision column tells almost nothing. Rank by PD and grade instead, or {fix} if that is what "
            "it costs.")
    alone = float(metrics.get("logistic_weight", 0.0)) >= 1.0  # the champion is the logistic model itself
    if not constrained and not alone and metrics["baseline_auc"] > metrics["oof_auc"] + BASELINE_GAP \
            and metrics["baseline_cv_cost_per_case"] <= metrics["cv_cost_per_case"]:
        warnings.append(
            f"The logistic baseline does better out of fold than the champion (AUC {metrics['baseline_auc']:.3f} "
            f"against {metrics['oof_auc']:.3f}; cost per case {metrics['baseline_cv_cost_per_case']:.4f} against "
            f"{metrics['cv_cost_per_case']:.4f}): on this data the trees add noise, not signal. Compare the two in "
            "the Metrics tab before relying on the champion; more rows or fewer noisy columns usually help.")
    return warnings


def _nested_cost(pds: np.ndarray, bad: np.ndarray, splits, costs: rules.CostMatrix) -> float:
    """Cost when each fold's cut-off is chosen on the other folds only: the honest estimate."""
    total = 0.0
    for train_idx, test_idx in splits:
        cutoff = best_cutoff(pds[train_idx], bad[train_idx], costs).cutoff
        total += rules.cost_per_case(pds[test_idx].tolist(), bad[test_idx].astype(bool).tolist(), cutoff,
                                     costs) * len(test_idx)
    return total / len(bad)


def best_cutoff(pds: np.ndarray, bad: np.ndarray, costs: rules.CostMatrix) -> rules.CutoffChoice:
    """rules.best_cutoff on arrays: the same sweep from the riskiest PD down, one distinct PD at a time, with
    the same arithmetic, counted with numpy (a run asks for 24 cut-offs; on 150,000 loans each took 0.3 s)."""
    pds, bad = np.asarray(pds, float), np.asarray(bad).astype(bool)
    n = len(pds)
    if n == 0:
        raise rules.DecisionRuleError("No predictions to choose a cut-off from.")
    order = np.argsort(pds, kind="stable")
    values = pds[order]
    bad_below = np.concatenate([[0], np.cumsum(bad[order])])  # defaults among the k lowest PDs
    total_bad = int(bad_below[-1])
    starts = np.flatnonzero(np.r_[True, values[1:] != values[:-1]])[::-1]  # each distinct PD, riskiest first
    tops = values[np.r_[n, starts[:-1]] - 1]  # each group's PD (its last row's, as the rule reads it)
    if starts[-1] == 0 and tops[-1] <= 0:  # a PD of 0 cannot be declined by "PD above the cut-off"
        starts, tops = starts[:-1], tops[:-1]
    below = values[np.maximum(starts - 1, 0)]
    cutoffs = np.where(starts > 0, (below + tops) / 2, tops / 2)
    approved_bad = bad_below[starts]
    declined_good = (n - starts) - (total_bad - approved_bad)
    cost = (costs.bad_approved * approved_bad + costs.good_declined * declined_good) / n
    best = rules.CutoffChoice(1.0, costs.bad_approved * total_bad / n, 1.0)  # approve everyone
    for k, value in enumerate(cost.tolist()):
        if value < best.cost_per_case - 1e-12:
            best = rules.CutoffChoice(float(cutoffs[k]), value, int(starts[k]) / n)
    return best


def _grade_table(pds: np.ndarray, bad: np.ndarray, bounds: tuple[float, ...]) -> list[dict[str, Any]]:
    grades = [rules.grade(p, bounds) for p in pds]
    rows = []
    for band in rules.grade_bands(bounds):
        mask = np.array([g == band["grade"] for g in grades])
        n = int(mask.sum())
        rows.append({**band, "applicants": n, "share": n / len(pds),
                     "mean_pd": float(pds[mask].mean()) if n else None,
                     "observed_default_rate": float(bad[mask].mean()) if n else None})
    return rows


def _distribution_sample(pds: np.ndarray, bad: np.ndarray, seed: int, n: int = 3000) -> dict[str, list]:
    index = np.arange(len(pds))
    if len(index) > n:
        index = np.sort(np.random.default_rng(seed).choice(index, n, replace=False))
    return {"pd": pds[index].round(6).tolist(), "bad": bad[index].astype(int).tolist()}


def member_metrics(name: str, scores: np.ndarray, bad: np.ndarray, splits, costs: rules.CostMatrix
                    ) -> dict[str, float]:
    """One blend member alone, calibrated the same way: AUC, Brier and cost per case (OOF and nested)."""
    _, _, calibrated = evaluation.choose_calibration(scores, bad, splits)
    found = evaluation.discrimination(bad, calibrated)
    choice = best_cutoff(calibrated, bad, costs)
    return {f"{name}_auc": found["auc"], f"{name}_brier": found["brier"], f"{name}_cost_per_case": choice.cost_per_case,
            f"{name}_cv_cost_per_case": _nested_cost(calibrated, bad, splits, costs)}
